"""Command-line tools: `flask db upgrade`, `flask jobs schedule`, `flask users grant-support EMAIL`,
`flask accounts ...` (app/account/cli.py), `flask policy ...` (app/pages/cli.py)."""
from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app import audit, db

ROOT = Path(__file__).resolve().parent.parent

db_cli = AppGroup("db", help="The database schema.")
jobs_cli = AppGroup("jobs", help="Background jobs.")
users_cli = AppGroup("users", help="Accounts and roles.")


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply every migration up to REVISION (default: the newest)."""
    upgrade_database(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@jobs_cli.command("schedule")
def jobs_schedule() -> None:
    """Register the recurring jobs under their fixed ids (safe to run at every start)."""
    from app.extensions import redis
    from jobs.schedule import register
    ids = register(redis())
    click.echo("scheduled: " + ", ".join(ids))


@users_cli.command("grant-support")
@click.argument("email")
def grant_support(email: str) -> None:
    """Give an existing account the support role."""
    from app.auth.models import User
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no account with the address {email}")
    user.is_support = True
    audit.record("cli", "support_granted", f"user:{user.id}", user_id=user.id)
    db.session.commit()
    click.echo(f"{user.email} now has the support role")


def register(app: Flask) -> None:
    from app.account.cli import accounts_cli
    from app.pages.cli import policy_cli
    for group in (db_cli, jobs_cli, users_cli, accounts_cli, policy_cli):
        app.cli.add_command(group)
