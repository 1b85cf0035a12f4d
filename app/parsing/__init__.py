"""Certificate parsing: turn certificate text into a draft the user reviews.

Pure Python on purpose (no Flask, no database) so the rules can be tested and
benchmarked on their own; the web layer only shows and saves the draft.
"""
