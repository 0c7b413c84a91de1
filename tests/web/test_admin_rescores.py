"""The admin re-scoring API when the broker cannot take the run's planning task."""

from __future__ import annotations

from pathlib import Path

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.auth import bearer, token_for
from web import create_app


def test_a_run_the_broker_cannot_take_is_cancelled_and_answered_503(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, broker_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    upgrade(settings)
    app = create_app(settings)
    admin = bearer(token_for(settings, role="admin"))
    response = app.test_client().post("/api/v1/admin/rescores", json={}, headers=admin)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.get_json()["error"]["code"] == "queue_unavailable"
    with app.extensions["recital"].uow() as uow:
        runs, total = uow.runs.newest(5, 0)
    assert total == 1 and runs[0].state == "cancelled"  # not "running" for ever with nothing sent
    listed = app.test_client().get("/api/v1/admin/rescores", headers=admin).get_json()
    assert [run["state"] for run in listed["items"]] == ["cancelled"]
