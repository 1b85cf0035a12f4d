"""`flask accounts purge [--dry-run]`, `flask accounts shorten-window EMAIL --days N --reason ...`,
`flask accounts clean-exports`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

accounts_cli = AppGroup("accounts", help="Deleted accounts: purge, grace windows, exports.")


@accounts_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; change nothing.")
@click.option("--batch-size", type=int, default=None, help="Accounts per batch (default PURGE_BATCH_SIZE).")
def purge(dry_run: bool, batch_size: int | None) -> None:
    """Delete every account whose grace window has passed, with its files and Redis keys."""
    from app.account.deletion import purge_due
    report = purge_due(batch_size=batch_size, dry_run=dry_run)
    if dry_run:
        if not report.plans:
            click.echo("nothing to purge")
        for plan in report.plans:
            click.echo(f"account {plan.account_id} <{plan.email}>, due since {plan.purge_after:%Y-%m-%d %H:%M} UTC")
            for table, count in sorted(plan.rows.items()):
                click.echo(f"  rows   {table}: {count}")
            for sha in plan.blobs:
                click.echo(f"  blob   {sha}")
            for sha in plan.shared_blobs:
                click.echo(f"  keep   {sha} (another account's certificate refers to it)")
            for name in plan.pending_uploads:
                click.echo(f"  upload {name} (received, not yet stored)")
            for export_id in plan.export_files:
                click.echo(f"  export {export_id}.zip")
            for key in plan.redis_keys:
                click.echo(f"  redis  {key}")
        return
    click.echo(f"purged {len(report.purged)} account(s); skipped {len(report.skipped)} (restored meanwhile); "
               f"failed {len(report.failed)}; finished {report.leftovers_finished} interrupted purge(s)")
    if report.failed:
        raise click.ClickException(f"failed: {report.failed} (they stay due; run again)")


@accounts_cli.command("shorten-window")
@click.argument("email")
@click.option("--days", type=int, required=True, help="Purge this many days after the deletion (0: next run).")
@click.option("--reason", required=True, help="The user's written request, e.g. the ticket number.")
@click.option("--by", "actor", default="support:cli", show_default=True, help="Who does it (recorded).")
def shorten_window(email: str, days: int, reason: str, actor: str) -> None:
    """On a user's written request, shorten the grace window of one deleted account (audited)."""
    from app.account.deletion import AccountError
    from app.account.deletion import shorten_window as shorten
    try:
        user = shorten(email, days, reason, actor=actor)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{user.email} will be purged at the first run after {user.purge_after:%Y-%m-%d %H:%M} UTC")


@accounts_cli.command("clean-exports")
def clean_exports() -> None:
    """Delete data exports past their 24 hours (the scheduler does this every hour)."""
    from app.account.export import clean_up_expired
    click.echo(f"deleted {clean_up_expired()} expired export(s)")
