"""People and organisation: NIP rules, passwords, the roster and unit imports, account changes."""
