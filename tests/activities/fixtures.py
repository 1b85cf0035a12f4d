"""Activity test data: licenses with cycles, and activities saved through the service."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.activities.rules import ActivityData
from app.licenses.models import License, LicenseCycle


@pytest.fixture
def make_license(dbs):
    """make_license(user, credential, start, deadline, renewed_on=None) -> license id (one cycle)."""
    def factory(user, credential="LPC", start=None, deadline=None, renewed_on=None, board="Texas BHEC",
                number=None) -> int:
        start = start or date.today() - timedelta(days=365)
        deadline = deadline or date.today() + timedelta(days=365)
        lic = License(user_id=user.id, profession="Professional Counselor", credential=credential,
                      issuing_body=board, license_number=number, rules={})
        lic.cycles = [LicenseCycle(user_id=user.id, cycle_start=start, renewal_deadline=deadline,
                                   renewed_on=renewed_on)]
        dbs.add(lic)
        dbs.commit()
        return lic.id
    return factory


@pytest.fixture
def make_activity(app):
    """make_activity(user, **fields) -> activity id, saved through app.activities.service."""
    from app.activities.service import create_activity

    def factory(user, **fields) -> int:
        values = {"title": "Ethics in practice", "completed_on": date.today() - timedelta(days=10),
                  "hours": Decimal("3"), "format": "live_online"}
        values.update(fields)
        with app.test_request_context():
            return create_activity(user, ActivityData(**values)).id
    return factory


def form_data(**overrides) -> dict:
    """A valid activity form as a browser posts it."""
    data = {
        "title": "Ethics for counselors", "provider": "Counseling Academy", "approval_body": "NBCC",
        "approval_number": "NB-1234", "started_on": "", "completed_on": (date.today() - timedelta(days=3)).isoformat(),
        "amount": "3", "unit": "hours", "format": "live_online",
        "topics-0-topic": "ethics", "topics-0-amount": "2", "topics-1-topic": "general", "topics-1-amount": "1",
        "topics-2-topic": "", "topics-2-amount": "", "topics-3-topic": "", "topics-3-amount": "",
        "notes": "Good course.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
