"""`masterbus demo`: fills the platform with examples (settings DEMO_LOADERS)."""
