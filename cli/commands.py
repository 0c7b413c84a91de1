"""Command handlers: thin adapters over services, like the web routes."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from shared.settings import get_settings
from shared.wordnet import require_installed

SCORING_QUEUES = {"recordings", "rescore"}  # the maintenance queue sweeps and coaches


def db(args: argparse.Namespace) -> int:
    from shared.db.migrate import upgrade

    before, after = upgrade(get_settings())
    if before == after:
        print(f"database already at the latest revision ({after})")
    else:
        print(f"database upgraded from {before or 'empty'} to {after}, the latest revision")
    return 0


def demo(args: argparse.Namespace) -> int:
    from cli.demo import run_demo

    require_installed()
    return run_demo(get_settings())


def score(args: argparse.Namespace) -> int:
    from cli.score import run_score

    require_installed()
    return run_score(args, get_settings())


def rescore(args: argparse.Namespace) -> int:
    from cli.rescore import run_rescore

    return run_rescore(args, get_settings())


def users(args: argparse.Namespace) -> int:
    from cli.users import run_users

    return run_users(args, get_settings())


STOPPING = "stopping: a recording being scored, if any, is finished first (Ctrl-C again to stop now)"
STOPPED_NOW = "stopped; a recording that was being scored is scored at the next start"


def serve(args: argparse.Namespace) -> int:
    from cli.embedded import in_process_worker
    from shared.db.migrate import upgrade
    from shared.queue import CeleryEnqueuer
    from web import create_app
    from workers.celery_app import container as celery_container
    from workers.celery_app import create_celery

    settings = get_settings()
    if settings.embedded_broker:  # its in-process worker scores
        require_installed()
    if "RECITAL_ENVIRONMENT" not in os.environ:  # a development server: cookies over plain http
        settings = settings.model_copy(update={"environment": "development"})
    upgrade(settings)
    celery = create_celery(settings)
    app = create_app(settings, enqueue=CeleryEnqueuer(celery))
    # Werkzeug's access line holds the query string (a playback link's token, a search);
    # the app's own request log (web/request_log.py) keeps to the route template.
    # Its other lines ("Running on http://…") stay.
    logging.getLogger("werkzeug").addFilter(lambda record: " - - [" not in record.getMessage())
    if not settings.embedded_broker:  # real broker: run `recital worker` beside this
        app.run(host=args.host, port=args.port)
        return 0
    worker_deps = celery_container()
    worker_deps.offline_engine_in_child = True  # pages stay responsive while a recording is heard
    try:
        with in_process_worker(celery, sweep_every=settings.sweep_interval_seconds):
            app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
            print(STOPPING, file=sys.stderr, flush=True)  # Werkzeug took the first Ctrl-C
        worker_deps.close_transcriber()
    except KeyboardInterrupt:  # a second one: stop now (an orphaned engine child exits itself)
        print(STOPPED_NOW, file=sys.stderr, flush=True)
        os._exit(130)
    return 0


def worker(args: argparse.Namespace) -> int:
    """Exec a real Celery worker (prefork pool) built from the same settings."""
    settings = get_settings()
    if settings.embedded_broker:
        print(
            "recital worker needs a real broker: set RECITAL_BROKER_URL (e.g. redis://...)",
            file=sys.stderr,
        )
        return 2
    if SCORING_QUEUES & set(args.queues.split(",")):
        require_installed()
    from shared.observability.exposition import prepare_multiprocess_dir

    prepare_multiprocess_dir()  # before exec: every pool process then counts into it, and only it
    if args.nice:
        # Inherited by celery and its pool: live workers on the same cores run first
        # (docs/operations.md, "Sharing the cores").
        os.nice(args.nice)
    # A worker started in a source tree must run the installed (mypyc-compiled) package,
    # not the .py files beside it: -P keeps the current directory off sys.path, and
    # celery_main imports the app before Celery's own -A lookup puts it back in front.
    argv = [sys.executable, "-P", "-m", "cli.commands", "-A", "workers.celery_app:app", "worker"]
    argv += ["-Q", args.queues, "-c", str(args.concurrency), "--loglevel", "INFO"]
    if args.beat:  # beat's schedule beside the other embedded files, not in the current folder
        settings.home.mkdir(parents=True, exist_ok=True)
        argv += ["--beat", "--schedule", str(settings.home / "celerybeat-schedule")]
    argv += ["-n", args.name] if args.name else []
    os.execv(sys.executable, argv)
    return 0  # pragma: no cover - execv does not return


def sweep(args: argparse.Namespace) -> int:
    from shared.container import Container
    from shared.queue import CeleryEnqueuer, build_celery
    from shared.services.sweeper import sweep as sweep_service

    settings = get_settings()
    deps = Container(settings)
    with deps.uow() as uow:
        report = sweep_service(
            uow,
            CeleryEnqueuer(build_celery(settings)),
            settings.stuck_queued_seconds,
            settings.max_deliveries,
        )
    print(f"resent {report.resent}, failed {report.failed}")
    if report.not_sent:
        print(f"recital sweep: the broker did not take {report.not_sent}; they stay stuck for the next sweep",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


def flower(args: argparse.Namespace) -> int:
    from cli.flower import run_flower

    return run_flower(args, get_settings())


def celery_main() -> None:
    """``python -P -m cli.commands ARGS``: Celery's command line, on the installed app."""
    # Celery imports -A's module with the current directory first on sys.path
    # (celery.utils.imports.cwd_in_path), whatever -P says; imported here first,
    # the module and the package it lives in are the installed ones.
    from celery.__main__ import main as celery

    import workers.celery_app  # noqa: F401

    celery()


__all__ = ["db", "demo", "flower", "rescore", "score", "serve", "worker", "sweep", "users"]

if __name__ == "__main__":
    celery_main()
