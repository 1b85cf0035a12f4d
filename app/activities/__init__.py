"""Continuing-education activities: what was taken, when, for how many hours, in which topics."""
