"""Logging in and out, changing a password, choosing the language."""
