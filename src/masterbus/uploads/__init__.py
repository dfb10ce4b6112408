"""Resumable uploads over the tus 1.0 protocol, stored as one file on disk and one database row."""
