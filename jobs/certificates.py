"""Certificate jobs: the hashing of an upload and the scheduled sweeps (logic in app.certificates)."""
from __future__ import annotations

from jobs import with_app


@with_app
def store(certificate_id: int) -> str:
    from app.certificates.service import store_pending
    return store_pending(certificate_id)


@with_app
def integrity_sweep() -> dict:
    from app.certificates.sweeps import integrity_sweep as sweep
    return sweep().as_dict()


@with_app
def cleanup() -> dict:
    from app.certificates.sweeps import cleanup as clean
    return clean().as_dict()


@with_app
def reconcile() -> dict:
    from app.certificates.sweeps import reconcile_pending
    return reconcile_pending().as_dict()
