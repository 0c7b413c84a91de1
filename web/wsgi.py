"""WSGI entry point for gunicorn: ``gunicorn web.wsgi:app``."""

from shared.observability.logs import configure_logging
from shared.settings import get_settings
from web import create_app, gunicorn_body

configure_logging(get_settings().resolved_log_format)  # one JSON line per request (docs/operations.md)
gunicorn_body.install()  # 64 KiB body reads instead of 1 KiB (see web/gunicorn_body.py)
app = create_app()
