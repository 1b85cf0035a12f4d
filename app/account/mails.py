"""Account mails: rendered here, sent by a job (in this process when the queue is down)."""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from redis.exceptions import RedisError

from app import mail, tasks

log = logging.getLogger(__name__)


def local_date(value: datetime, time_zone: str | None, fmt: str = "%B %-d, %Y") -> str:
    return value.astimezone(ZoneInfo(time_zone or "UTC")).strftime(fmt)


def send_later(to: str, subject: str, template: str, **context) -> None:
    """Queues one mail; the text may hold a one-time link, so the job keeps no result."""
    text = render_template(template, **context, contact=current_app.config["CONTACT_EMAIL"],
                           base_url=current_app.config["BASE_URL"])
    try:
        tasks.enqueue("jobs.account.send_mail", to, subject, text, result_ttl=0, failure_ttl=900,
                      description="account mail")
    except RedisError:
        log.warning("queue unavailable; sending an account mail from the web process")
        mail.send(to, subject, text)
