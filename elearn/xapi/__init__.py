"""Reporting completions to a Learning Record Store as xAPI 1.0.3 statements, from the outbox."""
