"""Feedback: a message and the page it came from, from anyone, for the support console."""
