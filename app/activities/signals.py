"""In-process signals about a user's activities, so derived figures (cached progress) stay true."""
from blinker import Namespace

_signals = Namespace()

# Sent with user_id=... after any activity of that user is created, changed, deleted or imported.
activities_changed = _signals.signal("activities-changed")
