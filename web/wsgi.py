"""WSGI entry point for gunicorn: ``gunicorn web.wsgi:app``."""

from web import create_app, gunicorn_body

gunicorn_body.install()  # 64 KiB body reads instead of 1 KiB (see web/gunicorn_body.py)
app = create_app()
