"""Staff administration for HR and admins: people, units, roster imports, API tokens, the audit log."""
