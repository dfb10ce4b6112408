"""Errors the engine raises for bad input or settings."""


class EngineError(Exception):
    """A problem with the input or the settings; the message is one line for a person."""
