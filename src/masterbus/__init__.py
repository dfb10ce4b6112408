"""Masterbus: open, self-hostable automated mastering and studio services."""
