"""The activity service that other packages call: rules, defaults, the changed signal, the audit trail."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.activities import service
from app.activities.models import Activity
from app.activities.rules import ActivityData
from app.audit import AuditEvent
from app.certificates.models import Certificate


@pytest.fixture
def ann(auth, client):
    return auth.sign_up(client)


def _data(**changes) -> ActivityData:
    values = {"title": "Ethics", "completed_on": date.today() - timedelta(days=2), "hours": Decimal(3),
              "format": "live"}
    values.update(changes)
    return ActivityData(**values)


def test_default_license_ids_take_open_cycles_holding_the_date(app, ann, make_license):
    today = date.today()
    open_now = make_license(ann, "LPC", today - timedelta(days=10), today + timedelta(days=10))
    make_license(ann, "LMFT", today - timedelta(days=10), today + timedelta(days=10), renewed_on=today)
    edge = make_license(ann, "LCDC", today, today + timedelta(days=10))
    with app.app_context():
        assert service.default_license_ids(ann.id, today) == sorted([open_now, edge])
        assert service.default_license_ids(ann.id, today - timedelta(days=10)) == [open_now]
        assert service.default_license_ids(ann.id, today - timedelta(days=11)) == []
        assert service.default_license_ids(ann.id, None) == []


def test_create_without_license_ids_uses_the_defaults_and_never_another_users_license(
        app, ann, auth, make_client, make_license):
    bob = auth.sign_up(make_client(), "bob@example.com", "Bob")
    mine = make_license(ann, "LPC")
    bobs = make_license(bob, "LPC")
    with app.test_request_context():
        defaulted = service.create_activity(ann, _data())
        assert [lic.id for lic in defaulted.licenses] == [mine]
        chosen = service.create_activity(ann, _data(title="Other", license_ids=[mine, bobs]))
        assert [lic.id for lic in chosen.licenses] == [mine]
        assert chosen.user_id == ann.id


def test_service_refuses_what_the_form_refuses(app, ann):
    with app.test_request_context():
        with pytest.raises(service.ActivityInvalid) as caught:
            service.create_activity(ann, _data(hours=Decimal(0), completed_on=date.today() + timedelta(days=3),
                                               topics={"ethics": Decimal(1)}))
        assert set(caught.value.errors) == {"hours", "completed_on"}
        with pytest.raises(service.ActivityInvalid):
            service.create_activity(ann, {"title": "T", "completed_on": date.today(), "hours": Decimal(1),
                                          "format": "webinar"})
        assert service.db.session.scalar(select(Activity)) is None


def test_every_change_is_signalled_and_audited(app, ann, dbs):
    received = []

    def receiver(sender, user_id):
        received.append(user_id)
    service.activities_changed.connect(receiver)
    try:
        with app.test_request_context():
            activity = service.create_activity(ann, _data())
            service.update_activity(ann, activity, _data(hours=Decimal(4)))
            service.import_activities(ann, [_data(title="Imported one"), _data(title="Imported two")])
            service.delete_activity(ann, activity)
    finally:
        service.activities_changed.disconnect(receiver)
    assert received == [ann.id] * 4
    actions = dbs.scalars(select(AuditEvent.action).where(AuditEvent.user_id == ann.id)
                          .order_by(AuditEvent.id)).all()
    assert [a for a in actions if "activit" in a] == [
        "activity_created", "activity_updated", "activities_imported", "activity_deleted"]
    imported = dbs.scalar(select(AuditEvent).where(AuditEvent.action == "activities_imported"))
    assert imported.details["count"] == 2


def test_owned_activity_or_404_hides_other_users_activities(app, ann, auth, make_client, make_activity):
    from werkzeug.exceptions import NotFound
    bob = auth.sign_up(make_client(), "bob@example.com", "Bob")
    activity_id = make_activity(ann)
    with app.test_request_context():
        assert service.owned_activity_or_404(ann.id, activity_id).id == activity_id
        with pytest.raises(NotFound):
            service.owned_activity_or_404(bob.id, activity_id)
        with pytest.raises(NotFound):
            service.owned_activity_or_404(ann.id, activity_id + 1000)


def test_deleting_an_activity_keeps_its_certificates(app, ann, dbs, make_activity):
    activity_id = make_activity(ann)
    certificate = Certificate(user_id=ann.id, activity_id=activity_id, original_name="cert.pdf",
                              media_type="application/pdf", size_bytes=10, status="verified")
    dbs.add(certificate)
    dbs.commit()
    with app.test_request_context():
        service.delete_activity(ann, service.owned_activity_or_404(ann.id, activity_id))
    dbs.expire_all()
    kept = dbs.get(Certificate, certificate.id)
    assert kept is not None and kept.activity_id is None


def test_follow_defaults_only_moves_untouched_defaults(app, ann, make_license):
    today = date.today()
    lpc = make_license(ann, "LPC", today - timedelta(days=30), today + timedelta(days=30))
    earlier = today - timedelta(days=60)
    with app.app_context():
        assert service.follow_defaults(ann.id, [lpc], today, earlier) == []
        assert service.follow_defaults(ann.id, [], today, earlier) == []
        assert service.follow_defaults(ann.id, [], earlier, today) == [lpc]
        assert service.follow_defaults(ann.id, [lpc], None, earlier) == [lpc]
