"""Passwordless sign-in: e-mailed one-time links and typed codes, sessions, the welcome form."""
