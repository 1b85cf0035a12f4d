"""Jobs the support console starts on demand (logic in app.support.runs)."""
from __future__ import annotations

from jobs import with_app


@with_app
def purge_dry_run() -> dict:
    from app.support.runs import purge_dry_run as dry_run
    return dry_run()
