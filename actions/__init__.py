"""Custom actions of the city assistant, served by ``rasa run actions``."""
