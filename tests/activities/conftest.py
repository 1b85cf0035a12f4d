"""The activity fixtures (tests/activities/fixtures.py) for every test in this folder."""
from tests.activities.fixtures import make_activity, make_license  # noqa: F401
