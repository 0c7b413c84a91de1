"""/api/v1/admin/rescores: re-scoring runs, started, followed and cancelled by admins.

The routes join the ``admin`` blueprint (learners get 403, anonymous callers
401). Starting a run records it and sends one ``rescore_plan`` task; a
worker pages through the attempts and sends the batches, so the request
returns at once whatever the number of attempts (docs/rescoring.md).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Response, current_app, jsonify, make_response

from shared.db.repositories.runs_port import RunFilter
from shared.services import rescore_reports, rescore_runs, rescore_views
from shared.services.errors import ErrorKind, ServiceError
from web.admin import admin
from web.bodies import json_object
from web.deps import container
from web.identity import current_admin
from web.ids import parse_uuid
from web.params import page_args

log = logging.getLogger("recital.admin")
FIELDS = {"piece_id", "learner", "since", "until", "status", "dry_run", "sample", "seed", "batch_size"}
MAX_SAMPLE = 5000
MAX_BATCH = 5000


@admin.post("/rescores")
def start_rescore() -> Response:
    """Start a re-scoring run over the matching attempts, or with dry_run score a sample and report.
    ---
    summary: Start a re-scoring run, or a dry run (admin)
    tags: [admin]
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/NewRescore'}
    responses:
      200:
        description: "Dry run: what re-scoring a sample would change; nothing was written."
        content:
          application/json:
            schema: {$ref: '#/components/schemas/RescoreDryRun'}
      202:
        description: The run, started; its batches are being sent to the rescore workers.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/RescoreRun'}
      400: {$ref: '#/components/responses/BadRequest'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
      422: {$ref: '#/components/responses/Unprocessable'}
    """
    user = current_admin()
    body = json_object('Send a JSON object with the run\'s filter, e.g. {"piece_id": "…"}.')
    deps = container()
    batch_size = _int(body, "batch_size", 200, MAX_BATCH)  # every field is checked before a run is written
    _refuse_dry_run_options_without_it(body)
    with deps.uow() as uow:
        where = _filter(uow, body)
        if body.get("dry_run") is True:
            sample = _int(body, "sample", rescore_reports.DEFAULT_SAMPLE, MAX_SAMPLE)
            seed = _int(body, "seed", rescore_reports.DEFAULT_SEED, 2**31)
            found = rescore_reports.dry_run(uow, where, deps.settings.scoring_options(), sample, seed)
            return jsonify(_dry_run_json(found))
        run = rescore_runs.start_run(uow, where, f"admin:{user.handle}", batch_size=batch_size)
    try:
        _sender().plan(run.id, batch_size)
    except Exception:  # noqa: BLE001 - the broker's many errors all mean the same here
        log.warning("rescore run=%s not planned: the broker is unreachable", run.id, exc_info=True)
        with deps.uow() as uow:  # else the run would say "running" for ever with nothing sent
            rescore_runs.cancel_run(uow, run.id)
        raise ServiceError(
            ErrorKind.UNAVAILABLE, "queue_unavailable",
            "The task queue is unreachable, so the run was cancelled before anything was sent; try again.",
        ) from None  # fmt: skip
    return make_response(jsonify(rescore_views.run_json(run)), 202)


@admin.get("/rescores")
def list_rescores() -> Response:
    """Re-scoring runs, newest first.
    ---
    summary: List re-scoring runs (admin)
    tags: [admin]
    parameters:
      - limit
      - offset
    responses:
      200:
        description: A page of runs.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/RescoreRunPage'}
      400: {$ref: '#/components/responses/BadRequest'}
      403: {$ref: '#/components/responses/Forbidden'}
    """
    current_admin()
    limit, offset = page_args()
    with container().uow() as uow:
        runs, total = uow.runs.newest(limit, offset)
    items = [rescore_views.run_json(r) for r in runs]
    return jsonify({"items": items, "total": total, "limit": limit, "offset": offset})


@admin.get("/rescores/<run_id>")
def get_rescore(run_id: str) -> Response:
    """A run's progress; once it has stopped, its failures and what it changed.
    ---
    summary: A re-scoring run's progress and report (admin)
    tags: [admin]
    parameters:
      - {in: path, name: run_id, required: true, schema: {type: string}}
    responses:
      200:
        description: The run; report and failures are null while it runs.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/RescoreRunReport'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
    """
    current_admin()
    with container().uow() as uow:
        run = rescore_runs.require_run(uow, parse_uuid(run_id, "rescore", "re-scoring run"))
        stopped = run.state != "running"
        report = rescore_reports.run_report(uow, run) if stopped else None
        failed = rescore_runs.failures(uow, run.id) if stopped else None
    failures = None if failed is None else [{"attempt_id": str(a), "reason": r} for a, r in failed]
    return jsonify({**rescore_views.run_json(run), "report": report, "failures": failures})


@admin.delete("/rescores/<run_id>")
def cancel_rescore(run_id: str) -> Response:
    """Cancel a run: batches being scored finish, the rest stop without scoring.
    ---
    summary: Cancel a re-scoring run (admin)
    tags: [admin]
    parameters:
      - {in: path, name: run_id, required: true, schema: {type: string}}
    responses:
      200:
        description: The run, cancelled.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/RescoreRun'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
      409: {$ref: '#/components/responses/Conflict'}
    """
    current_admin()
    with container().uow() as uow:
        run = rescore_runs.cancel_run(uow, parse_uuid(run_id, "rescore", "re-scoring run"))
    return jsonify(rescore_views.run_json(run))


def _filter(uow: Any, body: dict[str, Any]) -> RunFilter:
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise ServiceError(ErrorKind.INVALID, "invalid_field", f"Unknown field {unknown[0]!r}.")
    piece, learner = _text(body, "piece_id"), _text(body, "learner")
    where = RunFilter(
        piece_id=None if piece is None else _piece_id(piece),
        learner_id=None if learner is None else rescore_runs.find_learner(uow, learner),
        since=rescore_views.parse_moment(_text(body, "since"), "since"),
        until=rescore_views.parse_moment(_text(body, "until"), "until"),
        status=_status(body),
    )
    if "dry_run" in body and not isinstance(body["dry_run"], bool):
        raise ServiceError(ErrorKind.INVALID, "invalid_dry_run", "dry_run is true or false.")
    rescore_runs.check_filter(uow, where)
    return where


def _piece_id(text: str) -> uuid.UUID:
    """A malformed id is the caller's mistake (400, as ``recital rescore --piece`` says); an
    unknown one is 404 ``piece_not_found`` from the filter's check."""
    try:
        return uuid.UUID(text)
    except ValueError:
        message = "piece_id is a piece's id (a UUID)."
        raise ServiceError(ErrorKind.INVALID, "invalid_piece_id", message) from None


def _status(body: dict[str, Any]) -> str:
    status = _text(body, "status")
    return "done" if status is None else status  # "" is no status: refused by the filter's check


def _text(body: dict[str, Any], name: str) -> str | None:
    """A filter field; absent is no filter. ``null`` is refused, not read as absent: a
    client's unset variable must not start a run over every attempt (QA)."""
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, str):
        message = f"{name} is a string; leave the field out not to filter by it."
        raise ServiceError(ErrorKind.INVALID, f"invalid_{name}", message)
    return value


def _refuse_dry_run_options_without_it(body: dict[str, Any]) -> None:
    """A sample or seed means a dry run was meant: never start a real run from it (QA; the
    CLI refuses the same mistake)."""
    given = sorted(name for name in ("sample", "seed") if name in body)
    if given and body.get("dry_run") is not True:
        raise ServiceError(
            ErrorKind.INVALID,
            "dry_run_option_without_dry_run",
            f'{" and ".join(given)} {"go" if len(given) > 1 else "goes"} only with "dry_run": true;'
            " without it a real run starts.",
        )


def _int(body: dict[str, Any], name: str, default: int, most: int) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise ServiceError(ErrorKind.INVALID, f"invalid_{name}", f"{name} is an integer from 1 to {most}.")
    return value


def _dry_run_json(found: rescore_reports.DryRun) -> dict[str, Any]:
    failed = [{"attempt_id": str(a), "reason": r} for a, r in found.failed]
    return {"dry_run": True, "matching": found.matching, "sampled": found.sampled,
            "failures": failed, "report": found.report}  # fmt: skip


def _sender() -> Any:
    from shared.queue import RescoreEnqueuer, build_celery

    send = current_app.extensions.get("recital.rescores")
    if send is None:
        settings = container().settings
        send = current_app.extensions["recital.rescores"] = RescoreEnqueuer(
            build_celery(settings, "recital-web")
        )
    return send
