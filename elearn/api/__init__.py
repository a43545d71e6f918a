"""The read-only JSON API for other systems, under /api/v1 with bearer tokens."""
