"""The assistant's features: each computes an Answer from our own data."""
