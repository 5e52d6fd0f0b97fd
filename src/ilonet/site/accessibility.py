"""The facts of the accessibility statement.

The statement follows the model accessibility statement of Commission Implementing Decision
(EU) 2018/1523 under Directive (EU) 2016/2102: compliance status, non-accessible content,
preparation of the statement (date and method), feedback and contact information, enforcement
procedure. The text is in ``templates/site/accessibility.html``; the operator's contact address,
enforcement body and review date come from the settings (README.md, "Configuration").

Change ``PREPARED_ON`` and ``REVIEWED_ON`` when the statement's content changes (a new
assessment, a barrier fixed or found).
"""

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

STANDARD = "WCAG 2.1"
HARMONISED_STANDARD = "EN 301 549 V3.2.1"
PREPARED_ON = date(2026, 12, 2)
REVIEWED_ON = date(2026, 12, 2)


def last_reviewed_on() -> date:
    """The operator's review date (``ILONET_ACCESSIBILITY_REVIEWED_ON``), else the code's."""
    configured = settings.ACCESSIBILITY_REVIEWED_ON
    return date.fromisoformat(configured) if configured else REVIEWED_ON


def statement_context() -> dict:
    """What the statement's template needs, in the active language."""
    reviewed = last_reviewed_on()
    return {
        "standard": STANDARD,
        "harmonised_standard": HARMONISED_STANDARD,
        "prepared_on": PREPARED_ON,
        "prepared_iso": PREPARED_ON.isoformat(),
        "reviewed_on": reviewed,
        "reviewed_iso": reviewed.isoformat(),
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "enforcement_body": settings.ACCESSIBILITY_ENFORCEMENT_BODY or _("the European Ombudsman"),
        "enforcement_url": settings.ACCESSIBILITY_ENFORCEMENT_URL,
        **_session_length(settings.SESSION_COOKIE_AGE),
    }


def _session_length(seconds: int) -> dict:
    """The session lifetime in whole hours when it is, else in minutes."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return {"session_hours": seconds // 3600, "session_minutes": None}
    return {"session_hours": None, "session_minutes": max(round(seconds / 60), 1)}
