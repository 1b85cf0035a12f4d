"""Activities are private: another user's ids answer 404 on every URL and method, smuggled fields
are ignored, HTML and formulas come out escaped, and nothing is saved without a CSRF token."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.activities.models import Activity
from tests.activities.fixtures import form_data

# (method, URL template, htmx target): {id} is an activity id, {token} an import upload id.
URLS = [
    ("GET", "/activities/{id}", None),
    ("GET", "/activities/{id}?inline=row", "activity-{id}"),
    ("GET", "/activities/{id}/edit", None),
    ("GET", "/activities/{id}/edit?inline=row", "activity-{id}"),
    ("POST", "/activities/{id}/edit", None),
    ("POST", "/activities/{id}/edit?inline=row", "activity-{id}"),
    ("GET", "/activities/{id}/delete", None),
    ("GET", "/activities/{id}/delete?inline=row", "activity-{id}"),
    ("POST", "/activities/{id}/delete", None),
    ("POST", "/activities/{id}/delete?inline=row", "activity-{id}"),
    ("GET", "/activities/import/{token}", None),
    ("GET", "/activities/import/{token}/preview", None),
    ("POST", "/activities/import/{token}", None),
    ("POST", "/activities/import/{token}/discard", None),
    ("GET", "/activities/{id}/certificate", None),
    ("POST", "/activities/{id}/certificate", None),
]
# Every URL with an id, and the methods its pages and forms use; any other method answers 405 to the owner.
ID_PATHS = {"/activities/{id}": {"GET", "HEAD"}, "/activities/{id}/edit": {"GET", "HEAD", "POST"},
            "/activities/{id}/delete": {"GET", "HEAD", "POST"},
            "/activities/import/{token}": {"GET", "HEAD", "POST"},
            "/activities/import/{token}/preview": {"GET", "HEAD"}, "/activities/import/{token}/discard": {"POST"}}
EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

@pytest.fixture
def ann_with_data(user_client, make_activity):
    """Ann's activity and a waiting import of hers."""
    activity_id = make_activity(user_client.user, title="Ann's private course")
    csv_text = f"Title,Date,Hours,Format\nAnn import,{(date.today() - timedelta(days=2)).isoformat()},1,live\n"
    response = user_client.post_form("/activities/import", {"file": (io.BytesIO(csv_text.encode()), "a.csv")})
    token = response.headers["Location"].rsplit("/", 1)[1]
    return {"id": activity_id, "token": token}


@pytest.fixture
def bob(make_client, auth):
    other = make_client()
    other.user = auth.sign_up(other, "bob@example.com", "Bob")
    return other


def _request(client, method, template, target, values):
    url = template.format(**values)
    if method == "GET":
        if target:
            return client.htmx_get(url, target=target.format(**values))
        return client.get(url)
    if target:
        return client.post_form(url, form_data(), htmx=True, target=target.format(**values))
    return client.post_form(url, form_data())


@pytest.mark.parametrize("method, template, target", URLS)
def test_another_users_ids_answer_404(ann_with_data, bob, dbs, user_client, method, template, target):
    response = _request(bob, method, template, target, ann_with_data)
    assert response.status_code == 404, (method, template)
    assert "Ann" not in response.get_data(as_text=True)
    dbs.expire_all()
    activity = dbs.get(Activity, ann_with_data["id"])
    assert activity is not None and activity.title == "Ann's private course"
    assert user_client.get(f"/activities/import/{ann_with_data['token']}").status_code == 200


@pytest.mark.parametrize("method, template, target", URLS)
def test_missing_ids_answer_404(user_client, method, template, target):
    response = _request(user_client, method, template, target, {"id": 999999, "token": "A" * 24})
    assert response.status_code == 404


@pytest.mark.parametrize("method", EVERY_METHOD)
@pytest.mark.parametrize("template", ID_PATHS)
def test_every_method_answers_404_for_another_users_ids(ann_with_data, bob, user_client, method, template):
    url = template.format(**ann_with_data)
    headers = {"X-CSRFToken": bob.csrf_token()}
    assert bob.open(url, method=method, headers=headers).status_code == 404, (method, url)
    missing = template.format(id=999999, token="A" * 24)
    assert bob.open(missing, method=method, headers=headers).status_code == 404, (method, missing)
    if method in ID_PATHS[template]:
        return
    mine = user_client.open(url, method=method, headers={"X-CSRFToken": user_client.csrf_token()})
    assert mine.status_code == (204 if method == "OPTIONS" else 405), (method, url)
    assert mine.headers["Allow"] == ", ".join(sorted(ID_PATHS[template] | {"OPTIONS"}))


@pytest.mark.parametrize("method, template, target", URLS[:10])
def test_the_owner_reaches_every_url(ann_with_data, user_client, method, template, target):
    response = _request(user_client, method, template, target, ann_with_data)
    assert response.status_code in {200, 303, 422}, (method, template, response.status_code)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for url in ["/activities", "/activities/new", "/activities/1", "/activities/export.csv", "/activities/import"]:
        response = client.get(url)
        assert response.status_code == 303 and "/sign-in" in response.headers["Location"], url


def test_smuggled_owner_fields_are_ignored(user_client, bob, dbs, make_activity):
    response = user_client.post_form("/activities/new", form_data(user_id=str(bob.user.id), id="424242",
                                                                  created_at="2000-01-01"))
    assert response.status_code == 303
    dbs.expire_all()
    [activity] = dbs.scalars(select(Activity)).all()
    assert activity.user_id == user_client.user.id and activity.id != 424242
    user_client.post_form(f"/activities/{activity.id}/edit", form_data(user_id=str(bob.user.id)))
    dbs.expire_all()
    assert dbs.get(Activity, activity.id).user_id == user_client.user.id


def test_another_users_license_cannot_be_ticked(user_client, bob, dbs, make_license):
    bobs_license = make_license(bob.user, "LPC")
    response = user_client.post_form("/activities/new", form_data(licenses=[str(bobs_license)]))
    assert response.status_code == 303
    dbs.expire_all()
    [activity] = dbs.scalars(select(Activity)).all()
    assert activity.licenses == []


def test_posts_without_csrf_token_save_nothing(user_client, dbs, make_activity):
    activity_id = make_activity(user_client.user)
    assert user_client.post("/activities/new", data=form_data()).status_code == 400
    assert user_client.post(f"/activities/{activity_id}/delete").status_code == 400
    assert dbs.scalar(select(func.count()).select_from(Activity)) == 1


SCRIPT = '<script>alert("x")</script>'
IMG = '"><img src=x onerror=alert(1)>'


def test_html_in_titles_and_notes_is_escaped_in_pages_and_fragments(user_client, make_activity):
    activity_id = make_activity(user_client.user, title=SCRIPT, provider=IMG, notes=SCRIPT + IMG,
                                approval_number=IMG[:60], topics={"ethics": Decimal(1)})
    pages = {
        "list": user_client.get("/activities"),
        "search": user_client.get("/activities", query_string={"q": SCRIPT}),
        "results fragment": user_client.htmx_get("/activities?q=script", target="activity-results"),
        "show": user_client.get(f"/activities/{activity_id}"),
        "row": user_client.htmx_get(f"/activities/{activity_id}?inline=row", target=f"activity-{activity_id}"),
        "edit": user_client.get(f"/activities/{activity_id}/edit"),
        "edit row": user_client.htmx_get(f"/activities/{activity_id}/edit?inline=row",
                                         target=f"activity-{activity_id}"),
        "confirm": user_client.get(f"/activities/{activity_id}/delete"),
        "confirm row": user_client.htmx_get(f"/activities/{activity_id}/delete?inline=row",
                                            target=f"activity-{activity_id}"),
        "invalid form": user_client.post_form("/activities/new", form_data(title=SCRIPT, notes=IMG, amount="0")),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        assert response.status_code in {200, 422}, name
        assert "<script>alert" not in html and "<img src=x" not in html, name
        assert "&lt;script&gt;" in html, name


def test_html_and_formulas_in_an_imported_file_are_escaped_in_the_preview(user_client):
    text = ("Title,Date,Hours,Format,Notes\n"
            f"\"{SCRIPT}\",{(date.today() - timedelta(days=1)).isoformat()},1,live,=HYPERLINK(1)\n"
            f"\"{IMG}\",not a date,1,live,\n")
    response = user_client.post_form("/activities/import", {"file": (io.BytesIO(text.encode()), "x<b>.csv")})
    token = response.headers["Location"].rsplit("/", 1)[1]
    for url in [f"/activities/import/{token}", f"/activities/import/{token}/preview"]:
        html = user_client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "x<b>.csv" not in html
        assert re.search(r"&lt;script&gt;", html)


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil.example","<b>x</b>")', "+1+cmd|' /C calc'!A0",
                                     "-2+3", "@SUM(1)"])
def test_formula_payloads_are_shown_as_escaped_text_in_pages_fragments_and_csv(user_client, make_activity, payload):
    activity_id = make_activity(user_client.user, title=payload, notes=payload)
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") \
        .replace("'", "&#39;")
    for url, target in [("/activities", None), ("/activities", "activity-results"),
                        (f"/activities/{activity_id}", None), (f"/activities/{activity_id}?inline=row",
                                                                f"activity-{activity_id}"),
                        (f"/activities/{activity_id}/edit?inline=row", f"activity-{activity_id}")]:
        html = (user_client.htmx_get(url, target=target) if target else user_client.get(url)).get_data(as_text=True)
        assert escaped in html and "<b>x</b>" not in html, url
    exported = user_client.get("/activities/export.csv").get_data(as_text=True)
    assert "'" + payload.replace('"', '""') in exported
