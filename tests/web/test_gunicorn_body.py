"""Request bodies under gunicorn: the 64 KiB read step (web/gunicorn_body.py).

The unit tests drive gunicorn's own body classes over a real socket pair;
the last test serves the app with a real gunicorn and uploads over HTTP.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import gunicorn
import numpy as np
import pytest
import soundfile as sf
from gunicorn.http.body import Body, LengthReader
from gunicorn.http.unreader import SocketUnreader

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.conftest import settings_env
from tests.support.auth import bearer, token_for
from tests.support.stack import gunicorn_server
from web import gunicorn_body

BODY_BYTES = 1024 * 1024 + 123
NEXT_REQUEST = b"GET /next HTTP/1.1\r\n\r\n"  # pipelined after the body: must stay unread


class CountingReader(LengthReader):
    calls = 0

    def read(self, size: int) -> bytes:
        self.calls += 1
        return super().read(size)


Read = Callable[[Body, int | None], bytes]


def read_all(read: Read, sizes: list[int | None]) -> tuple[list[bytes], int, bytes]:
    """Send a body and a pipelined request; read the body with ``read`` in ``sizes`` steps.

    Returns the pieces read, the reader calls made and what the socket still holds.
    """
    payload = random.Random(5).randbytes(BODY_BYTES)
    ours, theirs = socket.socketpair()
    sender = threading.Thread(target=theirs.sendall, args=(payload + NEXT_REQUEST,))
    sender.start()
    try:
        unreader = SocketUnreader(ours)
        reader = CountingReader(unreader, BODY_BYTES)
        body = Body(reader)
        pieces = []
        for size in sizes:
            pieces.append(read(body, size))
        while chunk := read(body, 8192):  # what gunicorn does before the next request
            pieces.append(chunk)
        sender.join()
        theirs.close()
        left = unreader.read()
        while more := unreader.read():
            left += more
        assert b"".join(pieces) == payload
        return pieces, reader.calls, left
    finally:
        ours.close()


SIZES: list[int | None] = [65536, 1, 1000, 70000, 0, 2, None]


def test_reads_what_gunicorns_own_read_reads_in_far_fewer_steps() -> None:
    stock, stock_calls, stock_left = read_all(gunicorn_body._STOCK_READ, SIZES)
    ours, our_calls, our_left = read_all(gunicorn_body.read, SIZES)
    assert [len(p) for p in ours] == [len(p) for p in stock]
    assert ours == stock
    assert our_left == stock_left == NEXT_REQUEST  # the next request is not swallowed
    assert stock_calls > 1000  # 1 KiB at a time
    assert our_calls < 40


@pytest.mark.parametrize("seed", range(5))
def test_random_read_sizes_give_the_same_pieces(seed: int) -> None:
    rng = random.Random(seed)
    sizes: list[int | None] = [rng.choice([1, 17, 1024, 4096, 65536, 200_000]) for _ in range(12)]
    assert read_all(gunicorn_body.read, sizes)[0] == read_all(gunicorn_body._STOCK_READ, sizes)[0]


def test_installed_only_on_the_gunicorn_it_was_copied_from() -> None:
    # When this fails, gunicorn moved: check whether it now has a setting for
    # the read step (benoitc/gunicorn#3586) and use that instead of the copy.
    assert gunicorn.__version__ == gunicorn_body.COPIED_FROM
    try:
        assert gunicorn_body.install()
        assert Body.read is gunicorn_body.read
    finally:
        gunicorn_body.uninstall()
    assert Body.read is gunicorn_body._STOCK_READ


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """The real app under a real gunicorn, on the embedded database and broker; and a learner's token."""
    settings = Settings(home=tmp_path / "home")
    upgrade(settings)
    token = token_for(settings)
    options = ["--workers", "1", "--threads", "2", "--worker-class", "gthread"]
    with (
        (tmp_path / "gunicorn.log").open("wb") as log,
        gunicorn_server("web.wsgi:app", options, settings_env(settings), log) as port,
    ):
        yield port, token
    assert b"keep gunicorn's own read step" not in (tmp_path / "gunicorn.log").read_bytes()


def test_uploads_through_gunicorn_arrive_whole(served: tuple[int, str], tmp_path: Path) -> None:
    port, token = served
    noise = np.random.default_rng(3).normal(0, 0.1, 34 * 16_000).astype(np.float32)
    sf.write(tmp_path / "noise.wav", noise, 16_000, subtype="PCM_16")  # a little over 1 MB
    audio = (tmp_path / "noise.wav").read_bytes()
    boundary = "recital-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="recording"; filename="a.wav"\r\n'
            "Content-Type: audio/wav\r\n\r\n"
        ).encode()
        + audio
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", **bearer(token)}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    new_piece = {"title": "Noise", "text": "Nothing to say."}
    piece = _json(conn, "POST", "/api/v1/pieces", new_piece, 201, bearer(token))["id"]

    ids = []
    for chunked in (False, False, True):  # two on one kept-alive connection, then chunked
        content = (body[k : k + 50_000] for k in range(0, len(body), 50_000)) if chunked else body
        conn.request("POST", f"/api/v1/pieces/{piece}/attempts", body=content, headers=headers,
                     encode_chunked=chunked)  # fmt: skip
        response = conn.getresponse()
        answer = json.loads(response.read())
        assert response.status == 202, answer
        ids.append(answer["id"])

    for attempt_id in ids:
        view = _json(conn, "GET", f"/api/v1/attempts/{attempt_id}", None, 200, bearer(token))
        assert view["size_bytes"] == len(audio)
        assert view["sha256"] == hashlib.sha256(audio).hexdigest()
    conn.close()


def _json(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    payload: dict[str, str] | None,
    status: int,
    headers: dict[str, str] | None = None,
) -> dict[str, str]:
    body = None if payload is None else json.dumps(payload)
    conn.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    answer = json.loads(response.read())
    assert response.status == status, answer
    return dict(answer)
