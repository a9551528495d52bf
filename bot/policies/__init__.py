"""Rasa-side dialogue policies of the city assistant."""
