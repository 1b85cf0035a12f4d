"""In Chromium: export everything, delete the account, get signed out everywhere, restore it by
signing in, delete it again, and after the window nothing of it is left anywhere."""
from __future__ import annotations

import json
import time
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from rq.job import Job
from sqlalchemy import select

from app.account.models import DataExport
from app.activities.models import Activity
from app.auth.models import User
from app.certificates.models import Certificate
from tests.account.seed import blob_file, seed_everything
from tests.account.traces import account_redis_keys, database_traces
from tests.e2e.conftest import no_horizontal_scroll, screenshot, serious_axe_violations

EMAIL = "eve@example.com"


def _looks_right(page, name: str) -> None:
    """At phone width: nothing scrolls sideways; a screenshot for a person to look at."""
    assert no_horizontal_scroll(page), name
    screenshot(page, name)


def _export_in_browser(page, tmp_path):
    page.goto("/account")
    _looks_right(page, "account-settings-phone")
    page.click("text=Export everything")
    page.wait_for_url("**/account/export")
    page.click("button:has-text('Prepare my export')")
    page.wait_for_url("**/account/export")
    link = page.locator("#job-status a:has-text('Open the result')")
    link.wait_for(timeout=30_000)  # the status fragment polls until the worker is done
    _looks_right(page, "account-export-ready-phone")
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "export.zip"
    info.value.save_as(path)
    return zipfile.ZipFile(path)


def _wait_for_job(job: Job, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = job.get_status(refresh=True)
        if status in ("finished", "failed"):
            assert status == "finished", job.latest_result()
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not run the purge in time")


def _wait_for_mail(mailbox, subject: str, timeout: float = 20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for message in mailbox.to(EMAIL):
            if message["Subject"] == subject:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no mail {subject!r}")


def test_export_delete_restore_delete_and_purge(new_page, browser_auth, app, dbs, mailbox, tmp_path,
                                                tmp_path_factory):
    page = new_page(phone=True)
    browser_auth.sign_up(page, EMAIL, "Eve Export")
    user = dbs.scalar(select(User).where(User.email == EMAIL))
    user_id = user.id
    seeded = seed_everything(dbs, app, user, "eve")
    root = app.config["CERTIFICATE_ROOT"]

    # 1. export: every record and every certificate file is in the ZIP
    archive = _export_in_browser(page, tmp_path)
    document = json.loads(archive.read("data.json"))
    dbs.expire_all()
    assert {a["title"] for a in document["tables"]["activities"]} == set(
        dbs.scalars(select(Activity.title).where(Activity.user_id == user_id)))
    assert len(document["tables"]["certificates"]) == dbs.query(Certificate).filter_by(user_id=user_id).count()
    files = sorted(n for n in archive.namelist() if n.startswith("certificates/"))
    assert len(files) == len(seeded.blobs)
    assert files == ["certificates/Ethics 2026.pdf", "certificates/ethics 2026 (2).pdf", "certificates/passwd.pdf"]
    assert b"eve certificate 0" in archive.read("certificates/Ethics 2026.pdf")
    assert {"licenses.csv", "activities.csv", "audit_log.csv", "README.txt"} <= set(archive.namelist())
    assert "N-eve" in archive.read("licenses.csv").decode()
    assert "=Ethics for eve" in archive.read("activities.csv").decode()
    log = archive.read("audit_log.csv").decode()
    assert "account_created" in log and "export_requested" in log
    assert {row["topic"] for row in document["tables"]["activity_topics"]} == {"ethics", "general"}
    assert document["tables"]["feedback"][0]["message"] == "feedback from eve"
    assert document["tables"]["users"][0]["email"] == EMAIL
    assert "still uploading.pdf" in archive.read("README.txt").decode()
    export_id = dbs.scalar(select(DataExport.id).where(DataExport.user_id == user_id, DataExport.state == "ready",
                                                       DataExport.id.not_in(seeded.export_ids)))
    live_zip = list(tmp_path_factory.getbasetemp().glob(f"live-instance*/exports/{export_id}.zip"))
    assert live_zip, "the served app keeps the export under its INSTANCE_DIR/exports"

    # 2. delete, with a second browser signed in: both are signed out
    other = new_page(phone=True)
    browser_auth.sign_in(other, EMAIL)
    page.goto("/account/delete")
    page.fill("#confirm_email", EMAIL)
    _looks_right(page, "account-delete-phone")
    page.click("button:has-text('Delete my account')")
    page.wait_for_url("**/")
    assert "signed out everywhere" in page.content()
    _looks_right(page, "account-deleted-signed-out-phone")
    other.goto("/account")
    assert "/sign-in" in other.url
    page.goto("/dashboard")
    assert "/sign-in" in page.url
    _wait_for_mail(mailbox, "Your CE Tracker account is deleted")

    # 3. sign in within the window: restore brings back everything
    browser_auth.request(page, EMAIL)
    page.wait_for_url("**/welcome/restore")
    _looks_right(page, "account-restore-offer-phone")
    page.click("button:has-text('Restore my account')")
    page.wait_for_url("**/dashboard")
    assert "restored" in page.content()
    _looks_right(page, "account-restored-dashboard-phone")
    dbs.expire_all()
    assert dbs.get(User, user_id).deleted_at is None
    assert dbs.query(Activity).filter_by(user_id=user_id).count() == 1
    assert all(blob_file(root, sha).exists() for sha in seeded.blobs)
    page.goto("/account/activity-log")
    assert "Account restored" in page.content() and "Account deleted" in page.content()
    _looks_right(page, "account-activity-log-phone")
    device = page.locator("td[data-label=Device]").first.bounding_box()
    assert device["x"] + device["width"] <= page.viewport_size["width"]  # time, IP and device in view

    # 4. delete again; the window passes (simulated); the scheduled purge runs on the real worker
    page.goto("/account/delete")
    page.fill("#confirm_email", EMAIL)
    page.click("button:has-text('Delete my account')")
    page.wait_for_url("**/")
    _wait_for_mail(mailbox, "Your CE Tracker account is deleted")
    dbs.expire_all()
    user = dbs.get(User, user_id)
    assert user.deleted_at is not None
    user.purge_after = datetime.now(UTC) - timedelta(minutes=1)
    dbs.commit()
    with app.app_context():
        from app import tasks
        job = tasks.enqueue("jobs.account.purge_due_accounts", queue_name="low")
    _wait_for_job(job)
    dbs.expire_all()
    assert database_traces(dbs, user_id, EMAIL) == []
    assert not any(blob_file(root, sha).exists() for sha in seeded.blobs)
    assert not live_zip[0].exists()
    assert account_redis_keys(app, user_id, EMAIL) == set()
    assert [key for key in seeded.redis_keys if app.extensions["redis"].exists(key)] == []
    assert not any(path.exists() for path in seeded.pending_uploads)


@pytest.mark.parametrize("path", ["/account", "/account/export", "/account/delete", "/account/activity-log",
                                  "/feedback?page=/account"])
def test_account_pages_have_no_serious_accessibility_violations(new_page, browser_auth, path):
    page = new_page(phone=True)
    browser_auth.sign_up(page, f"axe{abs(hash(path)) % 1000}@example.com", "Axe Account")
    page.goto(path)
    assert serious_axe_violations(page) == [], path
    _looks_right(page, "account" + path.replace("/", "-").split("?")[0] + "-phone")


def test_export_without_javascript_uses_check_again(new_page, browser_auth, tmp_path):
    page = new_page(javascript=False)
    browser_auth.sign_up(page, "nojs@example.com", "No Script")
    page.goto("/account/export")
    page.click("button:has-text('Prepare my export')")
    page.wait_for_url("**/account/export")
    deadline = time.time() + 30
    while "Download ZIP" not in page.content():
        assert time.time() < deadline, "the export never became ready"
        if page.locator("text=Check again").count():
            page.click("text=Check again")
        else:
            page.goto("/account/export")
        time.sleep(0.5)
    page.goto("/account/export")
    with page.expect_download() as info:
        page.click("text=Download ZIP")
    info.value.save_as(tmp_path / "nojs.zip")
    assert "data.json" in zipfile.ZipFile(tmp_path / "nojs.zip").namelist()
