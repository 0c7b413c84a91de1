"""The admin re-scoring API when the broker cannot take the run's planning task."""

from __future__ import annotations

import uuid
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


def test_a_malformed_piece_id_and_an_empty_status_are_400(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    upgrade(settings)
    client, admin = create_app(settings).test_client(), bearer(token_for(settings, role="admin"))
    cases = (({"piece_id": "not-an-id"}, "invalid_piece_id"), ({"status": ""}, "invalid_status"),
             ({"piece_id": str(uuid.uuid4())}, "piece_not_found"))  # fmt: skip
    for body, code in cases:
        response = client.post("/api/v1/admin/rescores", json={**body, "dry_run": True}, headers=admin)
        assert response.get_json()["error"]["code"] == code, body
        assert response.status_code == (404 if code == "piece_not_found" else 400)


def test_a_null_filter_is_400_and_starts_no_run_over_every_attempt(tmp_path: Path) -> None:
    """QA: {"learner": null} started an unfiltered run (a client's unset variable)."""
    settings = Settings(home=tmp_path)
    upgrade(settings)
    app = create_app(settings)
    client, admin = app.test_client(), bearer(token_for(settings, role="admin"))
    for name in ("piece_id", "learner", "since", "until", "status"):
        response = client.post("/api/v1/admin/rescores", json={name: None}, headers=admin)
        assert (response.status_code, response.get_json()["error"]["code"]) == (400, f"invalid_{name}")
        assert "leave the field out" in response.get_json()["error"]["message"]
    for name in ("since", "until"):  # an empty string, as an unset shell variable gives
        response = client.post("/api/v1/admin/rescores", json={name: ""}, headers=admin)
        assert (response.status_code, response.get_json()["error"]["code"]) == (400, f"invalid_{name}")
    with app.extensions["recital"].uow() as uow:
        assert uow.runs.newest(5, 0)[1] == 0


def test_a_sample_or_seed_without_dry_run_is_400_and_starts_nothing(tmp_path: Path) -> None:
    """QA: {"sample": 5} started a real run (the CLI refuses the same mistake)."""
    settings = Settings(home=tmp_path)
    upgrade(settings)
    app = create_app(settings)
    client, admin = app.test_client(), bearer(token_for(settings, role="admin"))
    for body in ({"sample": 5}, {"seed": 3}, {"dry_run": False, "sample": 7, "seed": 1}):
        response = client.post("/api/v1/admin/rescores", json=body, headers=admin)
        assert response.status_code == 400, body
        assert response.get_json()["error"]["code"] == "dry_run_option_without_dry_run"
        said = "sample and seed go only" if "seed" in body and "sample" in body else "goes only"
        assert said in response.get_json()["error"]["message"], body
    with app.extensions["recital"].uow() as uow:
        assert uow.runs.newest(5, 0)[1] == 0
    dry = client.post("/api/v1/admin/rescores", json={"dry_run": True, "sample": 5}, headers=admin)
    assert dry.status_code == 200, dry.get_json()


def test_a_moment_outside_what_utc_can_hold_is_400_and_starts_no_run(tmp_path: Path) -> None:
    """QA: "since": "9999-12-31T23:59:59-23:59" parsed, started and planned a run, then the
    answer was a 500 (its UTC time overflows), and every later GET /admin/rescores a 500 too."""
    settings = Settings(home=tmp_path)
    upgrade(settings)
    app = create_app(settings)
    client, admin = app.test_client(), bearer(token_for(settings, role="admin"))
    for name, moment in (("since", "9999-12-31T23:59:59-23:59"), ("until", "0001-01-01T00:00:00+14:00")):
        response = client.post("/api/v1/admin/rescores", json={name: moment}, headers=admin)
        assert (response.status_code, response.get_json()["error"]["code"]) == (400, f"invalid_{name}")
    with app.extensions["recital"].uow() as uow:
        assert uow.runs.newest(5, 0)[1] == 0
    assert client.get("/api/v1/admin/rescores", headers=admin).status_code == 200
