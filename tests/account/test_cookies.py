"""The policy's one cookie: every page of the app, walked from its URL map, sets at most the
session cookie, for a visitor and for a signed-in user with data in every table."""
from __future__ import annotations

from sqlalchemy import select

from app.account.models import DataExport
from app.activities.models import Activity
from app.auth.models import User
from app.certificates.models import Certificate
from app.licenses.models import License
from app.tasks import JobRecord
from tests.account.seed import seed_everything

SKIP = {"static", "health.healthz"}
# Path parts whose value does not change what the page does with cookies (ids of things the
# seeded user may not have, support-only pages that answer 403 or a redirect).
OTHER_VALUES = {"license_id": 1, "cycle_id": 1, "feedback_id": 1, "job_id": "x", "kind": "pdf", "packet_id": "x",
                "reading_id": "x", "user_id": 1}


def _urls(app, values: dict[str, object]) -> list[str]:
    urls = []
    with app.test_request_context():
        from flask import url_for
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in SKIP:
                continue
            urls.append(url_for(rule.endpoint, **{name: values[name] for name in rule.arguments}))
    return urls


def _cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_every_page_sets_at_most_the_session_cookie(client, auth, app, dbs):
    visitor_values = {"record_id": "x", "token": "t" * 43, "activity_id": 1, "certificate_id": 1, "export_id": "x",
                      **OTHER_VALUES}
    for url in _urls(app, visitor_values):
        cookies = _cookies(client.get(url))
        assert len(cookies) <= 1 and all(c.startswith("session=") for c in cookies), url
    auth.sign_up(client, "ann@example.com")
    user = dbs.scalar(select(User).where(User.email == "ann@example.com"))
    seed_everything(dbs, app, user, "ann")
    values = {
        "record_id": dbs.scalar(select(JobRecord.id).where(JobRecord.user_id == user.id)),
        "activity_id": dbs.scalar(select(Activity.id).where(Activity.user_id == user.id)),
        "certificate_id": dbs.scalar(select(Certificate.id).where(Certificate.user_id == user.id,
                                                                  Certificate.status == "verified")),
        "export_id": dbs.scalar(select(DataExport.id).where(DataExport.user_id == user.id)),
        "token": "t" * 43,
        **OTHER_VALUES,
        "license_id": dbs.scalar(select(License.id).where(License.user_id == user.id)),
    }
    urls = _urls(app, values)
    assert len(urls) >= 30
    statuses = {}
    for url in urls:
        response = client.get(url)
        statuses[url] = response.status_code
        cookies = _cookies(response)
        assert len(cookies) <= 1 and all(c.startswith("session=") for c in cookies), url
    certificate = f"/certificates/{values['certificate_id']}"
    assert statuses["/account"] == statuses["/activities"] == statuses[certificate] == 200
    response = client.post_form("/account/profile", {"name": "Ann", "time_zone": "America/Chicago"})
    assert len(_cookies(response)) <= 1
