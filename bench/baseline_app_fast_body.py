"""The bare Flask baseline with the front door's 64 KiB body reads (web/gunicorn_body.py).

`bench frontdoor` reports the front door against this too, as information:
it shows what the front door costs beyond reading and saving the body.
"""

from bench.baseline_app import app
from web import gunicorn_body

gunicorn_body.install()

__all__ = ["app"]
