"""The support console: jobs, feedback and accounts, for staff with the support role only."""
