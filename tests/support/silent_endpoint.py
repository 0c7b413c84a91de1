"""An HTTP endpoint that hangs: it accepts connections and never answers."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def silent_endpoint() -> Iterator[str]:
    """``http://127.0.0.1:<port>`` of a socket that accepts (the kernel's backlog
    completes the handshake) and never reads or answers: storage that hangs."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        yield f"http://127.0.0.1:{silent.getsockname()[1]}"
