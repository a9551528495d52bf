"""Custom actions of the city assistant, served by ``python -m actions.server``."""
