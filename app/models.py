"""Imports every model so that Base.metadata knows the whole schema (Alembic, tests)."""
from app.audit import AuditEvent  # noqa: F401
from app.auth.models import SignInToken, User  # noqa: F401
from app.db import Base  # noqa: F401
from app.tasks import JobRecord  # noqa: F401
