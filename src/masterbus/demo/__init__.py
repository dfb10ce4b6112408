"""`masterbus demo`: fills the platform with examples, so a newcomer sees a living platform.

The command runs every loader named in settings ``DEMO_LOADERS`` (dotted paths of functions
``load(*, stdout) -> None``), in order. Each app that has something to show adds its own
``<app>/demo.py``; a loader is idempotent (it looks for what it made before and makes only what
is missing), so running the command twice creates nothing new. Shared helpers: ``users``
(demo accounts that can sign in) and ``audio`` (short synthesised music).
"""
