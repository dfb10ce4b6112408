"""Shared test helpers: an independent loudness meter (ffmpeg), synthesised test music, waiting
for other processes (``waiting``) and the URL walk's parties and routes (``urlwalk``)."""
