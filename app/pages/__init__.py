"""Public pages, the dashboard, and the job status fragment."""
