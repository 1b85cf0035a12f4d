"""The account: profile, e-mail change, export, delete and purge, the user's own activity log."""
