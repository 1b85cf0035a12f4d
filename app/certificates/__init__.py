"""Certificates: uploads checked by content, content-addressed storage, integrity-checked reads."""
