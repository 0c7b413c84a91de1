"""A real Prometheus (Debian's binary) scrapes a real web (gunicorn, two processes in
multiprocess mode) and a real worker (``recital worker`` with its exporter) behind the
metrics credentials, with the alert rules loaded; after a real attempt is processed the
series read back through Prometheus's HTTP API show it. The same run's logs carry the
upload's request id and attempt id from the web's request line to the worker's job line."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from shared.settings import Settings
from tests.conftest import settings_env
from tests.support.auth import bearer, http_json, token_for
from tests.support.recitations import synthesise
from tests.support.stack import (
    ROOT,
    CeleryWorker,
    free_port,
    gunicorn_server,
    redis_db_url,
    require_tool,
    spawn_logged,
    wait_for_port,
)

USER, PASSWORD = "ops", "a-long-metrics-password"
TEXT = "Four score and seven years ago our fathers brought forth on this continent a new nation."
SCRAPE_SECONDS = 1
REQUEST_ID = "edge-7f3a9c"


def json_lines(path: Path) -> list[dict[str, Any]]:
    """The JSON log lines of a process's output (Celery's banner and gunicorn's own lines are not)."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


def check_logs(web_log: Path, worker_log: Path, attempt: str) -> None:
    uploads = [line for line in json_lines(web_log) if line.get("method") == "POST" and line["status"] == 202]
    assert [(u["request_id"], u["attempt_id"]) for u in uploads] == [(REQUEST_ID, attempt)]
    jobs = [line for line in json_lines(worker_log) if line["logger"] == "recital.processing"]
    assert [(j["request_id"], j["attempt_id"], j["status"]) for j in jobs] == [(REQUEST_ID, attempt, "done")]
    assert set(jobs[0]["timings"]) == {"decode", "analyse", "transcribe", "score"}


@contextmanager
def prometheus(folder: Path, web_port: int, worker_port: int) -> Iterator[str]:
    port = free_port()
    auth = {"username": USER, "password": PASSWORD}
    config = {
        "global": {"scrape_interval": f"{SCRAPE_SECONDS}s", "evaluation_interval": f"{SCRAPE_SECONDS}s"},
        "rule_files": [str(ROOT / "deploy" / "prometheus" / "rules.yml")],
        "scrape_configs": [
            {
                "job_name": "recital-web",
                "basic_auth": auth,
                "static_configs": [{"targets": [f"127.0.0.1:{web_port}"]}],
            },
            {
                "job_name": "recital-worker",
                "basic_auth": auth,
                "static_configs": [{"targets": [f"127.0.0.1:{worker_port}"]}],
            },
        ],
    }
    (folder / "prometheus.yml").write_text(yaml.safe_dump(config))
    argv = [
        require_tool("prometheus"),
        f"--config.file={folder / 'prometheus.yml'}",
        f"--storage.tsdb.path={folder / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--log.level=warn",
    ]
    with (folder / "prometheus.log").open("wb") as out:
        process = spawn_logged(argv, {}, out)
        try:
            wait_for_port(port, process, timeout=30)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(20)


def query(base: str, promql: str) -> list[dict[str, Any]]:
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.loads(response.read())
    assert body["status"] == "success", body
    return list(body["data"]["result"])


def eventually(check: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def values(result: list[dict[str, Any]], label: str) -> dict[str, float]:
    return {r["metric"].get(label, ""): float(r["value"][1]) for r in result}


def upload(api: str, token: str, piece_id: str, recording: Path) -> str:
    boundary = "recital-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="recording"; filename="a.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()
    body = head + recording.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    headers = {
        **bearer(token),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "X-Request-ID": REQUEST_ID,
    }
    request = urllib.request.Request(f"{api}/pieces/{piece_id}/attempts", body, headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
        return str(json.loads(response.read())["id"])


def test_prometheus_reads_back_what_the_web_and_a_worker_expose(tmp_path: Path, pg_url: str) -> None:
    settings = Settings(
        home=tmp_path / "home", database_url=pg_url, broker_url=redis_db_url(10), rate_limits_enabled=False
    )
    env = settings_env(settings) | {"RECITAL_METRICS_BASIC_AUTH": f"{USER}:{PASSWORD}"}
    worker_port = free_port()
    (tmp_path / "web-metrics").mkdir()
    web_env = env | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "web-metrics")}
    # One shell's PROMETHEUS_MULTIPROC_DIR for both, as README's recipe once had it (QA):
    # the worker counts in a folder of its own inside it, so neither serves the other's.
    worker_env = web_env | {"RECITAL_WORKER_METRICS_PORT": str(worker_port)}
    worker = CeleryWorker(worker_env, tmp_path / "worker.log", queues="recordings,maintenance")
    with (
        (tmp_path / "web.log").open("wb") as web_log,
        gunicorn_server("web.wsgi:app", ["-w", "2"], web_env, web_log) as web_port,
        prometheus(tmp_path, web_port, worker_port) as prom,
    ):
        try:
            worker.wait_ready()
            api, token = f"http://127.0.0.1:{web_port}/api/v1", token_for(settings)
            piece = http_json("POST", f"{api}/pieces", {"title": "Gettysburg", "text": TEXT}, token)
            attempt = upload(api, token, piece["id"], synthesise(TEXT, tmp_path / "reading.wav"))
            status = eventually(
                lambda: http_json("GET", f"{api}/attempts/{attempt}", token=token)["status"] == "done", 90
            )
            assert status, http_json("GET", f"{api}/attempts/{attempt}", token=token)

            up = eventually(lambda: len(query(prom, "up == 1")) == 2)
            assert up, query(prom, "up")
            stages = eventually(
                lambda: values(query(prom, "sum by (stage) (recital_stage_duration_seconds_count)"), "stage")
                if len(query(prom, "recital_stage_duration_seconds_count")) >= 4
                else None
            )
            assert stages and all(stages[s] >= 1 for s in ("decode", "analyse", "transcribe", "score")), (
                stages
            )
            done = eventually(lambda: values(query(prom, 'recital_jobs_total{status="done"}'), "status"))
            assert done and done["done"] >= 1
            jobs = values(query(prom, "count by (job) (recital_jobs_total)"), "job")
            assert set(jobs) == {"recital-worker"}, jobs  # a worker's counter, served by the worker only
            # Scraped once the attempt is done (an earlier scrape saw it processing).
            done_rows = eventually(lambda: query(prom, 'recital_attempts{status="done"} >= 1'))
            assert done_rows, query(prom, "recital_attempts")
            assert set(values(query(prom, "recital_attempts"), "status")) == {
                "queued",
                "processing",
                "done",
                "failed",
            }
            queues = values(query(prom, "recital_queue_messages"), "queue")
            assert set(queues) == {"recordings", "rescore", "maintenance"}
            assert values(query(prom, "recital_worker_consuming"), "queue") == {
                "recordings": 1,
                "maintenance": 1,
            }

            with urllib.request.urlopen(f"{prom}/api/v1/rules", timeout=5) as response:
                groups = json.loads(response.read())["data"]["groups"]
            rules = [rule for group in groups for rule in group["rules"]]
            written = yaml.safe_load((ROOT / "deploy" / "prometheus" / "rules.yml").read_text())["groups"][0][
                "rules"
            ]
            assert len(rules) == len(written) and all(rule["health"] == "ok" for rule in rules), rules
            check_logs(tmp_path / "web.log", tmp_path / "worker.log", attempt)
        finally:
            worker.stop()
