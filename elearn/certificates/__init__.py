"""Certificates: issuing, the PDF, public verification and revocation."""
