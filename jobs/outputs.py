"""Renewal output jobs: the audit packet, the daily reminders and their mails, packet clean-up."""
from __future__ import annotations

from jobs import tracked, with_app


@tracked
def build_packet(record_id: str, packet_id: str) -> str:
    from app import tasks
    from app.outputs.packet import build
    return build(packet_id, progress=lambda message: tasks.update(record_id, progress=message))


@with_app
def send_due_reminders() -> dict:
    from app.outputs.reminders import run
    report = run()
    return {"queued": len(report.queued), "complete": report.skipped_complete}


@with_app
def send_reminder(reminder_id: int) -> bool:
    from app.outputs.reminders import send
    return send(reminder_id)


@with_app
def clean_up_packets() -> int:
    from app.outputs.packet import clean_up
    return clean_up()
