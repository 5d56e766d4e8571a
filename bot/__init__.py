"""The Rasa side: custom NLU components, channels, the CLI."""
