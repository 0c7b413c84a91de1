"""Every time the API writes is RFC 3339 in UTC with "Z", whatever the database handed back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from shared.domain.clock import rfc3339


def test_aware_naive_and_other_zones_come_out_alike() -> None:
    aware = datetime(2026, 12, 4, 17, 0, 5, 123456, tzinfo=UTC)
    naive = aware.replace(tzinfo=None)  # as SQLite hands it back
    paris = aware.astimezone(timezone(timedelta(hours=1)))
    assert rfc3339(aware) == rfc3339(naive) == rfc3339(paris) == "2026-12-04T17:00:05.123456Z"
    assert rfc3339(None) is None
