"""Request bodies read in 64 KiB steps under gunicorn, not 1 KiB.

gunicorn 23's ``Body.read`` takes the body from its socket reader 1 KiB at a
time, and every step goes through three Python layers and copies the rest of
the 8 KiB socket chunk back into a buffer (benoitc/gunicorn#2596). For a
1 MB recording that is about 3.5 ms of CPU, a third of what an upload costs
the front door. Upstream pull requests (#3068, #3586) add a setting for the
step; until one is released, the WSGI entry point installs ``read`` below:
gunicorn 23.0.0's ``Body.read`` with a larger step, nothing else changed.
It is installed only on the version it was copied from
(``tests/web/test_gunicorn_body.py`` fails when gunicorn moves, as a
reminder to look for the upstream setting).
"""

from __future__ import annotations

import io
import logging

import gunicorn
from gunicorn.http.body import Body

log = logging.getLogger(__name__)

STEP = 64 * 1024
COPIED_FROM = "23.0.0"
_STOCK_READ = Body.read


def read(self: Body, size: int | None = None) -> bytes:
    """``Body.read`` of gunicorn 23.0.0, reading up to STEP bytes per step instead of 1024."""
    size = self.getsize(size)
    if size == 0:
        return b""

    if size < self.buf.tell():
        data = self.buf.getvalue()
        ret, rest = data[:size], data[size:]
        self.buf = io.BytesIO()
        self.buf.write(rest)
        return ret

    while size > self.buf.tell():
        data = self.reader.read(min(STEP, max(1024, size - self.buf.tell())))
        if not data:
            break
        self.buf.write(data)

    data = self.buf.getvalue()
    ret, rest = data[:size], data[size:]
    self.buf = io.BytesIO()
    self.buf.write(rest)
    return ret


def install() -> bool:
    """Use the larger step in this process; False (and a warning) on another gunicorn."""
    if gunicorn.__version__ != COPIED_FROM:
        log.warning(
            "gunicorn %s is not %s: request bodies keep gunicorn's own read step",
            gunicorn.__version__,
            COPIED_FROM,
        )
        return False
    Body.read = read
    return True


def uninstall() -> None:
    Body.read = _STOCK_READ
