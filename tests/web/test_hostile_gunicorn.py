"""Issue 19, probes 7 and 12, against a real gunicorn with the repo's gunicorn.conf.py.

A body that trickles in (300 bytes over a minute) gets 408 ``request_timeout``
at its deadline and frees its thread; a 10 KB header gets gunicorn's 431 in
the JSON error shape (``header_too_large``), not HTML.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.settings import Settings
from tests.conftest import settings_env
from tests.support.auth import token_for
from tests.support.stack import gunicorn_server

BODY_SECONDS = 2.0
AUTH = {"header": ""}  # "Authorization: Bearer rct_…\r\n", set by the served fixture
LOG: dict[str, Path] = {}  # gunicorn's own output, set by the served fixture
HEADER_SECONDS = 1.5


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, pg_url: str) -> Iterator[int]:
    home = tmp_path_factory.mktemp("gunicorn")
    settings = Settings(home=home, database_url=pg_url)
    env = settings_env(settings)
    env["RECITAL_REQUEST_BODY_SECONDS"] = str(BODY_SECONDS)
    env["RECITAL_REQUEST_HEADER_SECONDS"] = str(HEADER_SECONDS)
    AUTH["header"] = f"Authorization: Bearer {token_for(settings)}\r\n"  # the body is read after auth
    options = ["--workers", "1", "--threads", "2", "--timeout", "120"]
    LOG["path"] = home / "gunicorn.log"
    with (
        (home / "gunicorn.log").open("wb") as log,
        gunicorn_server("web.wsgi:app", options, env, log) as port,
    ):
        yield port


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), headers, body


def closed(sock: socket.socket) -> bool:
    """The server closed the connection (an orderly FIN, or a reset: it left bytes unread)."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def slow_post(port: int, path: str, length: int, content_type: str, stop: threading.Event) -> socket.socket:
    """Send the headers, then one byte every 0.2 s until ``stop`` or the server answers."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\n{AUTH['header']}\r\n"
    )
    sock.sendall(head.encode())

    def drip() -> None:
        for _ in range(length):
            if stop.wait(0.2):
                return
            try:
                sock.send(b"{")
            except OSError:
                return

    threading.Thread(target=drip, daemon=True).start()
    return sock


def test_a_slow_json_body_gets_408_at_its_deadline(served: int) -> None:
    stop = threading.Event()
    started = time.monotonic()
    sock = slow_post(served, "/api/v1/pieces", 300, "application/json", stop)
    status, headers, body = read_response(sock)
    elapsed = time.monotonic() - started
    stop.set()
    assert status == 408 and json.loads(body)["error"]["code"] == "request_timeout"
    assert headers["content-type"] == "application/json"
    assert BODY_SECONDS <= elapsed < BODY_SECONDS + 3  # not the minute the client wanted
    assert closed(sock)  # not kept open for the rest of the body
    sock.close()


def test_slow_uploads_do_not_stall_the_api(served: int) -> None:
    # Four slow uploads against two threads: each is cut at its deadline, and
    # a normal request is answered as soon as a thread is free.
    stop = threading.Event()
    boundary = "multipart/form-data; boundary=b"
    socks = [slow_post(served, f"/api/v1/pieces/{i}/attempts", 300, boundary, stop) for i in range(4)]
    statuses = [read_response(s)[0] for s in socks]
    stop.set()
    assert statuses == [408] * 4
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock)[0] == 200
    assert time.monotonic() - started < 1.0
    for sock in socks:
        sock.close()


def test_an_unread_slow_body_is_not_drained_on_a_thread(served: int) -> None:
    # The route answers without reading the body; the connection is then closed
    # rather than drained at the client's pace.
    stop = threading.Event()
    sock = slow_post(served, "/nowhere", 300, "application/json", stop)
    status, _, _ = read_response(sock)
    assert status == 404
    sock.settimeout(BODY_SECONDS + 3)
    assert closed(sock)
    stop.set()
    sock.close()


def test_a_10kb_header_gets_json_431(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 10_240 + b"\r\n\r\n")
        status, headers, body = read_response(sock)
    assert status == 431 and headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "header_too_large"


def test_a_garbled_request_line_gets_json_400(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        sock.sendall(b"NOT-HTTP \x01\x02\r\n\r\n")
        status, headers, body = read_response(sock)
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_request"


def test_an_unparseable_request_is_logged_without_the_secrets_it_carried(served: int) -> None:
    garbled = [
        b"GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nAuthorization Bearer rct_SECRET1\r\n\r\n",  # no colon
        b"GET /api/v1/recordings/SECRET2.abc.def\r\nHost: x\r\n\r\n",  # a link, no HTTP version
    ]
    for request in garbled:
        with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
            sock.sendall(request)
            assert read_response(sock)[0] == 400
    deadline = time.monotonic() + 10
    while "Invalid HTTP request line" not in (logged := LOG["path"].read_text(errors="replace")):
        assert time.monotonic() < deadline, logged[-2000:]
        time.sleep(0.1)
    assert "Invalid HTTP Header" in logged and "Invalid HTTP request line" in logged  # what went wrong
    assert "SECRET1" not in logged and "SECRET2" not in logged


def test_a_normal_upload_on_a_kept_alive_connection_still_works(served: int, tmp_path: Path) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        for _ in range(2):
            body = json.dumps({"title": "t", "text": "some words"}).encode()
            head = (
                "POST /api/v1/pieces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n{AUTH['header']}\r\n"
            )
            sock.sendall(head.encode() + body)
            assert read_response(sock)[0] == 201


@pytest.mark.parametrize("path", ["/api/v1/pieces", "/nowhere"])
def test_a_request_refused_before_its_body_is_read_says_the_connection_closes(served: int, path: str) -> None:
    """QA: a 401 (or 404) sent before the body was read said keep-alive, then the close on
    the unread bytes reset the connection under the client's next request on it."""
    body = json.dumps({"title": "t", "text": "some words"}).encode()
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        head = (  # no credentials: refused before the body is parsed
            f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        status, headers, _ = read_response(sock)
        assert status in (401, 404) and headers.get("connection") == "close", headers
        assert closed(sock)


def test_a_request_whose_body_was_read_keeps_its_connection(served: int) -> None:
    body = json.dumps({"handle": "nobody-here", "password": "wrong password"}).encode()
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        for _ in range(2):  # a sign-in refused after reading the body, twice on one connection
            head = (
                "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            sock.sendall(head.encode() + body)
            status, headers, _ = read_response(sock)
            assert status == 401 and headers.get("connection") != "close", headers


def test_a_chunked_json_body_over_1mb_is_413_body_too_large(served: int) -> None:
    # No Content-Length to refuse up front: the limit holds while the body streams in.
    chunk = b"[" + b"1," * 32_000 + b"1]"
    with socket.create_connection(("127.0.0.1", served), timeout=30) as sock:
        head = b"POST /api/v1/pieces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        head += AUTH["header"].encode()
        sock.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(40):  # ~2.5 MB
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may answer and close before the client is done
        status, _, body = read_response(sock)
    assert (status, json.loads(body)["error"]["code"]) == (413, "body_too_large"), body


def test_slow_headers_get_408_and_free_their_thread(served: int) -> None:
    # Slowloris: headers one byte at a time, on more connections than threads.
    stop = threading.Event()
    socks = [socket.create_connection(("127.0.0.1", served), timeout=10) for _ in range(4)]

    def drip(sock: socket.socket) -> None:
        for byte in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
            if stop.wait(0.2):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return

    for sock in socks:
        threading.Thread(target=drip, args=(sock,), daemon=True).start()
    started = time.monotonic()
    answers = [read_response(sock) for sock in socks]
    stop.set()
    assert [status for status, _, _ in answers] == [408] * 4
    assert json.loads(answers[0][2])["error"]["code"] == "request_timeout"
    assert time.monotonic() - started < HEADER_SECONDS * 2 + 3
    with socket.create_connection(("127.0.0.1", served), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock)[0] == 200
    for sock in socks:
        sock.close()


def test_a_prompt_request_that_waited_for_a_busy_thread_is_served(served: int) -> None:
    # Both threads are held by slow bodies for BODY_SECONDS, longer than the header
    # deadline; a request sent whole meanwhile waits in the queue, then is answered.
    stop = threading.Event()
    slow = [slow_post(served, "/api/v1/pieces", 300, "application/json", stop) for _ in range(2)]
    time.sleep(0.3)
    with socket.create_connection(("127.0.0.1", served), timeout=15) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        started = time.monotonic()
        status, _, _ = read_response(sock)
        waited = time.monotonic() - started
    stop.set()
    assert status == 200 and waited > HEADER_SECONDS
    assert [read_response(s)[0] for s in slow] == [408, 408]
    for s in slow:
        s.close()
