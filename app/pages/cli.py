"""`flask policy publish --kind privacy --version 1.1 --effective 2027-01-15 --summary "..."`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

policy_cli = AppGroup("policy", help="Versions of the privacy policy and terms.")


@policy_cli.command("publish")
@click.option("--kind", type=click.Choice(["privacy", "terms"]), required=True)
@click.option("--version", "version", required=True)
@click.option("--effective", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="YYYY-MM-DD, at least POLICY_NOTICE_DAYS (7) days from today.")
@click.option("--summary", required=True, help="What changes, in plain words (mailed and shown in the app).")
def publish(kind: str, version: str, effective, summary: str) -> None:
    """Publish a material change: mails every active user and shows an in-app notice."""
    from app.pages.policy import PolicyError
    from app.pages.policy import publish as publish_version
    try:
        item = publish_version(kind, version, effective.date(), summary)
    except PolicyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{kind} {item.version} published, effective {item.effective_on:%Y-%m-%d}; "
               "the announcement mail is queued")


@policy_cli.command("list")
def list_versions() -> None:
    """Every published version, newest first."""
    from sqlalchemy import select

    from app import db
    from app.pages.models import PolicyVersion
    for item in db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.published_at.desc())):
        mailed = f"mailed {item.mailed_at:%Y-%m-%d}" if item.mailed_at else "mailing"
        click.echo(f"{item.kind} {item.version}: effective {item.effective_on:%Y-%m-%d}, {mailed}")
