"""Load generator (run as its own process): N uploads from C concurrent clients.

Prints one JSON line: requests, seconds, throughput, p50/p99 latency (ms), errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import threading
import time
import uuid
from pathlib import Path


def multipart(audio: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="recording"; filename="r.wav"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return (
        head + audio + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def client(
    port: int,
    path: str,
    body: bytes,
    ctype: str,
    quota: list[int],
    lock: threading.Lock,
    latencies: list[float],
    errors: list[int],
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": ctype, "Authorization": f"Bearer {os.environ.get('RECITAL_BENCH_TOKEN', '')}"}
    while True:
        with lock:
            if quota[0] <= 0:
                break
            quota[0] -= 1
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 202
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        latency = time.perf_counter() - started
        with lock:
            (latencies if ok else errors).append(latency if ok else 1)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--audio", required=True)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    body, ctype = multipart(Path(args.audio).read_bytes())
    quota, lock, latencies, errors = [args.requests], threading.Lock(), [], []  # type: ignore[var-annotated]
    threads = [
        threading.Thread(
            target=client, args=(args.port, args.path, body, ctype, quota, lock, latencies, errors)
        )
        for _ in range(args.concurrency)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0.0] * 99
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": len(errors),
                "seconds": seconds,
                "throughput": len(latencies) / seconds,
                "p50_ms": cuts[49] * 1000,
                "p99_ms": cuts[98] * 1000,
            }
        )
    )


if __name__ == "__main__":
    main()
