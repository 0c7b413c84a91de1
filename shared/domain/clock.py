"""Time in one place, always timezone-aware UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """The moment, aware and in UTC: SQLite hands back naive datetimes (stored in UTC),
    Postgres aware ones."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def rfc3339(moment: datetime | None) -> str | None:
    """A time as the API writes every time: RFC 3339 in UTC with "Z". SQLite hands
    back naive datetimes (stored in UTC), Postgres aware ones: both come out alike."""
    if moment is None:
        return None
    return as_utc(moment).isoformat().replace("+00:00", "Z")
