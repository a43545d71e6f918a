"""Training-needs analysis: required competencies, each ASN's gaps and the courses that close
them, the needs ASN propose themselves, HR's needs matrix, and individual development plans."""
