"""Imports every model so that Base.metadata knows the whole schema (Alembic, tests)."""
from app.account.models import AccountPurge, DataExport, EmailChange  # noqa: F401
from app.activities.models import Activity, ActivityTopic, activity_licenses  # noqa: F401
from app.audit import AuditEvent  # noqa: F401
from app.auth.models import SignInToken, User  # noqa: F401
from app.certificates.models import Certificate  # noqa: F401
from app.db import Base  # noqa: F401
from app.feedback.models import Feedback  # noqa: F401
from app.licenses.models import License, LicenseCycle  # noqa: F401
from app.outputs.models import AuditPacket, CalendarFeed, ReminderSent, ShareLink  # noqa: F401
from app.pages.models import PolicyNotice, PolicyVersion  # noqa: F401
from app.tasks import JobRecord  # noqa: F401
