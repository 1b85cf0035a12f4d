"""The data export: a job builds a ZIP holding every record of the user and no one else's."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from app.account import data
from app.account.export import safe_name, unique_name
from app.account.models import DataExport
from app.audit import AuditEvent
from app.auth.models import User
from app.models import Base
from app.tasks import JobRecord
from tests.account.seed import PDF, make_user, seed_everything


def _export(client, run_jobs, dbs) -> DataExport:
    response = client.post_form("/account/export")
    assert response.status_code == 303 and response.headers["Location"] == "/account/export"
    page = client.get("/account/export").get_data(as_text=True)
    assert 'id="job-status"' in page and "Check again" in page
    run_jobs()
    dbs.expire_all()
    return dbs.scalars(select(DataExport).order_by(DataExport.created_at.desc())).first()


def _download(client, export: DataExport) -> zipfile.ZipFile:
    response = client.get(f"/account/export/{export.id}/download")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=ce-tracker-export-")
    assert response.headers["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_export_holds_every_record_of_the_user_and_no_one_elses(user_client, app, dbs, run_jobs):
    ann = dbs.get(User, user_client.user.id)
    bob = make_user(dbs, "bob@example.com", "Bob")
    seed_everything(dbs, app, ann, "ann")
    seed_everything(dbs, app, bob, "bob")
    ann_id = ann.id

    def snapshot():
        with app.app_context():
            from app import db
            return data.everything_of(db.session, ann_id, "ann@example.com")

    before = snapshot()
    export = _export(user_client, run_jobs, dbs)
    assert export.state == "ready" and export.size_bytes > 0
    record = dbs.get(JobRecord, export.job_record_id)
    assert record.state == "done" and record.result_url == f"/account/export/{export.id}/download"
    status = user_client.htmx_get(f"/jobs/{record.id}", target="job-status").get_data(as_text=True)
    assert "Open the result" in status and "<html" not in status

    archive = _download(user_client, export)
    after = snapshot()
    names = set(archive.namelist())
    assert {"data.json", "licenses.csv", "activities.csv", "audit_log.csv", "README.txt"} <= names
    document = json.loads(archive.read("data.json"))
    assert set(document["tables"]) == {item.name for item in data.user_tables()}
    for item in data.user_tables():
        table = Base.metadata.tables[item.name]
        pk = [c.name for c in table.primary_key.columns]

        def keys(rows):
            return {tuple(row[c] for c in pk) for row in rows}  # noqa: B023
        got = keys(document["tables"][item.name])
        if item.name in {"audit_events", "job_records", "data_exports"}:
            # the export adds its own records while it runs: all earlier ones, nothing of anyone else
            assert keys(before[item.name]) <= got <= keys(after[item.name]), item.name
        else:
            assert got == keys(before[item.name]) == keys(after[item.name]), item.name
        for row in document["tables"][item.name]:
            assert set(row) == {c.name for c in table.columns}
            if (item.name, row[pk[0]]) in {("job_records", export.job_record_id), ("data_exports", export.id)}:
                continue  # the export's own job and record, still running while it was written
            stored = dbs.execute(select(table).where(*(table.c[c] == row[c] for c in pk))).one()._mapping
            for column in table.columns:  # every field, as the database holds it
                expected = data.plain(stored[column])
                if (item.name, column.name) in data.WITHHELD and expected is not None:
                    expected = data.WITHHELD_TEXT
                assert row[column.name] == expected, (item.name, column.name)
    text = archive.read("data.json").decode()
    assert "bob" not in text.lower()
    assert document["tables"]["activity_topics"][0]["hours"] == "1.00" or \
        {t["hours"] for t in document["tables"]["activity_topics"]} == {"2.00", "1.00"}
    token_rows = document["tables"]["sign_in_tokens"]
    assert all(row["token_hash"] == data.WITHHELD_TEXT for row in token_rows)

    # certificates under their own names, made safe and unique
    certificates = sorted(n for n in names if n.startswith("certificates/"))
    assert certificates == ["certificates/Ethics 2026.pdf", "certificates/ethics 2026 (2).pdf",
                            "certificates/passwd.pdf"]
    assert archive.read("certificates/Ethics 2026.pdf").startswith(PDF)
    assert b"ann certificate 0" in archive.read("certificates/Ethics 2026.pdf")
    readme = archive.read("README.txt").decode()
    assert "data.json" in readme and "activities.csv" in readme and "still uploading.pdf" in readme

    activities = list(csv.DictReader(io.StringIO(archive.read("activities.csv").decode())))
    assert len(activities) == 1
    assert activities[0]["title"] == "'=Ethics for ann"  # never a spreadsheet formula
    assert activities[0]["topics"] == "ethics: 2.00; general: 1.00"
    assert activities[0]["licenses"] == "LPC N-ann"
    assert "certificates/Ethics 2026.pdf" in activities[0]["certificates"]
    licenses = list(csv.DictReader(io.StringIO(archive.read("licenses.csv").decode())))
    assert licenses[0]["renewal_deadline"] == "2027-01-01" and licenses[0]["license_number"] == "N-ann"
    log = list(csv.DictReader(io.StringIO(archive.read("audit_log.csv").decode())))
    assert any(row["device"] == "Firefox 128 on Windows" for row in log)
    actions = set(dbs.scalars(select(AuditEvent.action).where(AuditEvent.user_id == ann_id)))
    assert {"export_requested", "export_ready", "export_downloaded"} <= actions
    requested = set(dbs.scalars(select(AuditEvent.subject).where(AuditEvent.action == "export_requested",
                                                                 AuditEvent.user_id == ann_id)))
    exported = {f"export:{i}" for i in dbs.scalars(select(DataExport.id).where(DataExport.user_id == ann_id))}
    assert requested and requested <= exported  # each event names its export, never "export:None"


def test_a_damaged_blob_is_left_out_and_named_in_the_readme(user_client, app, dbs, run_jobs):
    seeded = seed_everything(dbs, app, dbs.get(User, user_client.user.id), "ann", names=("broken.pdf",))
    sha = seeded.blobs[0]
    (Path(app.config["CERTIFICATE_ROOT"]) / sha[:2] / sha[2:4] / sha).write_bytes(b"tampered")
    archive = _download(user_client, _export(user_client, run_jobs, dbs))
    assert not [n for n in archive.namelist() if n.startswith("certificates/")]
    assert "broken.pdf" in archive.read("README.txt").decode()
    assert json.loads(archive.read("data.json"))["missing_certificate_files"][0]["original_name"] == "broken.pdf"


def test_download_is_for_its_owner_only(user_client, auth, make_client, dbs, run_jobs):
    export = _export(user_client, run_jobs, dbs)
    bob = make_client()
    auth.sign_up(bob, "bob@example.com", "Bob")
    assert bob.get(f"/account/export/{export.id}/download").status_code == 404
    assert bob.get("/account/export/not-an-id/download").status_code == 404
    visitor = make_client()
    response = visitor.get(f"/account/export/{export.id}/download")
    assert response.status_code == 303 and response.headers["Location"].startswith("/sign-in")


def test_download_expires_after_24_hours_and_the_file_is_deleted(user_client, app, dbs, run_jobs):
    export = _export(user_client, run_jobs, dbs)
    assert export.expires_at - export.finished_at == timedelta(hours=24)
    path = Path(app.config["INSTANCE_DIR"]) / "exports" / f"{export.id}.zip"
    assert path.exists()
    assert user_client.get(f"/account/export/{export.id}/download").status_code == 200
    # 24 hours on, the session cookie itself has expired: move the export's clock instead of ours
    dbs.get(DataExport, export.id).expires_at = datetime.now(UTC) - timedelta(seconds=1)
    dbs.commit()
    response = user_client.get(f"/account/export/{export.id}/download")
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert not path.exists()
    dbs.expire_all()
    assert dbs.get(DataExport, export.id).state == "expired"
    assert user_client.get(f"/account/export/{export.id}/download").status_code == 410


def test_the_scheduled_clean_up_deletes_expired_exports(user_client, app, dbs, run_jobs):
    export = _export(user_client, run_jobs, dbs)
    fresh = _export(user_client, run_jobs, dbs)
    path = Path(app.config["INSTANCE_DIR"]) / "exports" / f"{export.id}.zip"
    dbs.get(DataExport, export.id).expires_at = datetime.now(UTC) - timedelta(minutes=1)
    dbs.commit()
    with app.app_context():
        from app import tasks
        tasks.enqueue("jobs.account.clean_up_exports", queue_name="low")
    run_jobs()
    assert not path.exists()
    assert (Path(app.config["INSTANCE_DIR"]) / "exports" / f"{fresh.id}.zip").exists()
    page = user_client.get("/account/export").get_data(as_text=True)
    assert "Expired" in page and "Download ZIP" in page


def test_a_second_click_joins_the_export_on_its_way(user_client, dbs):
    user_client.post_form("/account/export")
    user_client.post_form("/account/export")
    assert len(dbs.scalars(select(DataExport)).all()) == 1
    assert len(dbs.scalars(select(JobRecord)).all()) == 1


def test_safe_names():
    assert safe_name("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert safe_name("C:\\Users\\ann\\cert.PDF") == "cert.pdf"
    assert safe_name("a<b>:c|d?.pdf") == "a_b_c_d.pdf"
    assert safe_name("  .hidden.png ") == "hidden.png"
    assert safe_name("", "image/jpeg") == "certificate.jpg"
    assert safe_name("CON.pdf") == "CON_.pdf"
    assert safe_name("Zertifikat für Ethik.pdf") == "Zertifikat für Ethik.pdf"
    assert len(safe_name("x" * 500 + ".pdf")) == 104
    taken: set[str] = set()
    assert [unique_name(n, taken) for n in ["a.pdf", "A.PDF", "a.pdf", "b"]] == ["a.pdf", "A (2).PDF", "a (3).pdf", "b"]
