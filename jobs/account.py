"""Account jobs: the export, account mails, the daily purge, export clean-up, policy mails."""
from __future__ import annotations

from jobs import tracked, with_app


@tracked
def build_export(record_id: str, export_id: str) -> str:
    from app import tasks
    from app.account.export import build_export as build
    return build(export_id, progress=lambda message: tasks.update(record_id, progress=message))


@with_app
def send_mail(to: str, subject: str, text: str) -> None:
    from app import mail
    mail.send(to, subject, text)


@with_app
def purge_due_accounts() -> dict:
    from app.account.deletion import purge_due
    report = purge_due()
    if report.failed:
        raise RuntimeError(f"purge failed for accounts {report.failed}; they stay due for the next run")
    return {"purged": sorted(report.purged), "skipped": report.skipped,
            "leftovers_finished": report.leftovers_finished}


@with_app
def clean_up_exports() -> int:
    from app.account.export import clean_up_expired
    return clean_up_expired()


@with_app
def mail_policy_change(policy_id: int) -> int:
    from app.pages.policy import mail_announcement
    return mail_announcement(policy_id)
