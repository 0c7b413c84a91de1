"""Times on pages: written in UTC, so a page is right without scripts, and shown
by the browser in the learner's own time zone (``static/js/local_time.js``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from markupsafe import Markup

from shared.domain.clock import as_utc, rfc3339, utcnow
from web.pages.blueprint import pages

_TEXT = {"long": "%d %b %Y %H:%M", "short": "%d %b %H:%M"}
# A due date without a year is read as this year's: "due 12 Oct" two years away
# looked like a date gone by (QA). Within ten months it can only be the next one.
_YEAR_AFTER = timedelta(days=300)


@pages.app_template_global()
def when(moment: datetime, form: str = "long") -> Markup:
    """A ``<time>`` element: the UTC time as text, the instant in ``datetime``."""
    utc = as_utc(moment)
    text = utc.strftime(_TEXT[form])
    return Markup('<time datetime="{}" data-local="{}">{} UTC</time>').format(rfc3339(utc), form, text)


@pages.app_template_global()
def due(moment: datetime | None) -> Markup:
    """When a section is next due: "now" once its time has come, not a time gone by."""
    now = utcnow()
    if moment is None or as_utc(moment) <= now:
        return Markup("due now")
    return Markup("due {}").format(when(moment, "long" if as_utc(moment) - now > _YEAR_AFTER else "short"))
