"""What the recordings task sends on: the coaching rewrite, stamped like every message."""

from __future__ import annotations

from typing import Any

import pytest

from shared.observability import context
from workers import tasks


def test_the_coaching_rewrite_carries_its_sent_time_and_the_uploads_request_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Sent bare, it had no recital_sent_at: with the maintenance worker gone the
    # queue's oldest-message age stayed 0 and RecitalMaintenanceWaiting never fired;
    # and its log lines had the task id, not the upload's request id.
    sent: list[dict[str, Any]] = []

    def apply_async(args: Any = None, kwargs: Any = None, **options: Any) -> None:
        sent.append({"args": tuple(args or ()), **options})

    monkeypatch.setattr(tasks.rewrite_coaching, "apply_async", apply_async)
    context.bind(request_id="upload-7f3a", attempt_id="a1")
    try:
        tasks._ask_for_coaching("a1")
    finally:
        context.clear()
    [options] = sent
    assert options["args"] == ("a1",)
    assert isinstance(options["headers"][context.SENT_AT_HEADER], float)
    assert options["headers"][context.REQUEST_ID_HEADER] == "upload-7f3a"
