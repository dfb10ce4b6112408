"""Mastering: songs, their versions (jobs) and delivery files; the task that runs the engine."""
