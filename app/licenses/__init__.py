"""Licenses, their renewal cycles, the requirement catalog, and progress toward each renewal."""
