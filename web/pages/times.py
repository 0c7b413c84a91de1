"""Times on pages: written in UTC, so a page is right without scripts, and shown
by the browser in the learner's own time zone (``static/js/local_time.js``)."""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup

from shared.domain.clock import rfc3339, utcnow
from web.pages.blueprint import pages

_TEXT = {"long": "%d %b %Y %H:%M", "short": "%d %b %H:%M"}


@pages.app_template_global()
def when(moment: datetime, form: str = "long") -> Markup:
    """A ``<time>`` element: the UTC time as text, the instant in ``datetime``."""
    utc = _utc(moment)
    text = utc.strftime(_TEXT[form])
    return Markup('<time datetime="{}" data-local="{}">{} UTC</time>').format(rfc3339(utc), form, text)


@pages.app_template_global()
def due(moment: datetime | None) -> Markup:
    """When a section is next due: "now" once its time has come, not a time gone by."""
    if moment is None or _utc(moment) <= utcnow():
        return Markup("due now")
    return Markup("due {}").format(when(moment, "short"))


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes (stored in UTC), Postgres aware ones.
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
