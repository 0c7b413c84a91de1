"""gunicorn's own log lines, without what a client sent.

gunicorn warns about a request it cannot parse by quoting the client's bytes:
a header written without its colon (``Authorization Bearer rct_…``) or a
request line carrying a signed recording link would land in the log as they
were sent. ``gunicorn.conf.py`` makes this the logger class: the warning keeps
what went wrong and from which address, and drops the quoted bytes; the
error of a request that failed in gunicorn itself does not name its path
(``web/request_log.py`` logs route templates, never paths, for the same reason).
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

UNPARSEABLE = re.compile(r"(Invalid request from ip=\S+: )(.*)", re.DOTALL)
QUOTED_OR_DETAIL = re.compile(r": |'|\"")
FAILED_REQUEST = "Error handling request %s"


def without_client_bytes(message: str) -> str:
    """``Invalid request from ip=…: Invalid HTTP Header: 'Authorization Bearer …'`` →
    ``Invalid request from ip=…: Invalid HTTP Header``."""
    found = UNPARSEABLE.fullmatch(message)
    if found is None:
        return message
    what = QUOTED_OR_DETAIL.split(found.group(2), maxsplit=1)[0].strip()
    return found.group(1) + (what or "unparseable request")


class ClientBytesKeptOut(Logger):
    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().warning(without_client_bytes(msg), *args, **kwargs)

    def debug(self, msg: str, *args: Any, **kwargs: Any) -> None:
        # "Ignored premature client disconnection. %s" with the exception, whose text
        # is the bytes the client sent last (a header with a token): its type alone.
        kept = tuple(type(arg).__name__ if isinstance(arg, BaseException) else arg for arg in args)
        super().debug(msg, *kept, **kwargs)

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:
        if msg == FAILED_REQUEST:
            msg, args = "Error handling request (its path is not logged: it can carry a signed link)", ()
        super().exception(msg, *args, **kwargs)
