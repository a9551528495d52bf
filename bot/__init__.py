"""Rasa-side code of the city assistant: NLU components, NLG and channels."""
