"""Shared pieces: the task API import, signed file links, error pages."""
