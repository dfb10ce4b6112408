"""Shared test helpers: an independent loudness meter (ffmpeg) and synthesised test music."""
