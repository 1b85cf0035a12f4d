"""The words activities are described with: the shared topic and format keys, and entry units.

Topics and formats come from app/licenses/topics.py, the one vocabulary that the requirement
catalog, the certificate parser and activities all share; the keys are what the database and the
CSV files hold.
"""
from __future__ import annotations

from app.licenses.topics import FORMATS, TOPICS

__all__ = ["FORMATS", "TOPICS", "UNITS"]

UNITS: dict[str, str] = {
    "hours": "Hours",
    "ceus": "CEUs",
}
