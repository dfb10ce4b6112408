"""Accounts: the custom User (email login), guest identity and the Owner of data."""
