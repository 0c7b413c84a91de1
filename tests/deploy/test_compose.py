"""docker-compose.yml against the Compose Specification's JSON schema and the
code it runs (no Docker engine here: what can be checked without one)."""

from __future__ import annotations

import json
import re
import subprocess
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from cli.main import build_parser
from shared.queue import QUEUE_MAINTENANCE, QUEUE_RECORDINGS, QUEUE_RESCORE
from shared.settings import Settings
from tests.support.stack import ROOT, require_tool

COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "compose" / "compose-spec.json").read_text())
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
ONE_OFF = {"migrate"}
SCRAPE_CONFIG = ROOT / "deploy" / "prometheus" / "prometheus.yml"


def settings_variables() -> set[str]:
    return {f"RECITAL_{name.upper()}" for name in Settings.model_fields}


def command(service: str) -> list[str]:
    return list(SERVICES[service].get("command") or [])


def test_compose_file_matches_the_compose_specification() -> None:
    errors = sorted(Draft7Validator(SCHEMA).iter_errors(COMPOSE), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_the_schema_is_strict_enough_to_catch_a_mistake() -> None:
    broken = {"services": {"web": {"image": "x", "helthcheck": {}}}}
    assert list(Draft7Validator(SCHEMA).iter_errors(broken))


def test_the_whole_stack_is_there() -> None:
    expected = {
        "postgres",
        "redis",
        "gcs",
        "migrate",
        "web",
        "proxy",
        "worker-recordings",
        "worker-rescore",
        "beat",
        "flower",
    }
    assert expected <= set(SERVICES)


def test_every_long_running_service_has_a_healthcheck_and_waits_on_conditions() -> None:
    for name, service in SERVICES.items():
        if name not in ONE_OFF:
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        depends = service.get("depends_on") or {}
        assert isinstance(depends, dict), f"{name}: depends_on must name conditions"
        for dependency, rule in depends.items():
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"
            assert rule.get("condition") in CONDITIONS, f"{name} -> {dependency}: {rule}"
            if dependency in ONE_OFF:
                assert rule["condition"] == "service_completed_successfully", name
            elif dependency != "flower":
                assert rule["condition"] == "service_healthy", f"{name} -> {dependency}"


def test_app_services_start_after_the_migration() -> None:
    for name in ("web", "worker-recordings", "worker-rescore", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert command("migrate") == ["recital", "db", "upgrade"]


def test_redis_keeps_tasks() -> None:
    redis = command("redis")
    assert redis[redis.index("--appendonly") + 1] == "yes"
    assert redis[redis.index("--maxmemory-policy") + 1] == "noeviction"


def test_workers_beat_and_flower() -> None:
    assert SERVICES["worker-recordings"]["mem_limit"] == "4g"
    queues = {
        name: command(name)[command(name).index("-Q") + 1] for name in SERVICES if "-Q" in command(name)
    }
    assert queues == {
        "worker-recordings": QUEUE_RECORDINGS,
        "worker-rescore": QUEUE_RESCORE,
        "beat": QUEUE_MAINTENANCE,
    }
    beats = [name for name in SERVICES if "--beat" in command(name) or "beat" in command(name)[2:4]]
    assert beats == ["beat"] and SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1
    flower = SERVICES["flower"]
    assert all(str(port).startswith("127.0.0.1:") for port in flower["ports"]), flower["ports"]
    auth = flower["environment"]["RECITAL_FLOWER_BASIC_AUTH"]
    assert auth.startswith("${RECITAL_FLOWER_BASIC_AUTH:?"), "Flower must not start without credentials"
    assert command("flower")[:2] == ["recital", "flower"]


def test_only_the_proxy_flower_and_prometheus_publish_ports_and_only_on_localhost() -> None:
    for name, service in SERVICES.items():
        for port in service.get("ports") or []:
            published = name in {"proxy", "flower", "prometheus"}
            assert published and str(port).startswith("127.0.0.1:"), f"{name}: {port}"


def worker_services() -> list[str]:
    return [name for name in SERVICES if command(name)[:2] == ["recital", "worker"]]


def test_every_worker_serves_metrics_that_prometheus_scrapes() -> None:
    """Each worker's exporter is on (a port, on every interface), reachable inside the stack,
    and a target of the scrape config's recital-worker job, whose rules file is the one tested."""
    scrape = yaml.safe_load(SCRAPE_CONFIG.read_text())
    jobs = {job["job_name"]: job for job in scrape["scrape_configs"]}
    targets = {t for group in jobs["recital-worker"]["static_configs"] for t in group["targets"]}
    workers = worker_services()
    assert set(workers) == {"worker-recordings", "worker-rescore", "beat"}
    for name in workers:
        env = SERVICES[name]["environment"]
        port = str(env.get("RECITAL_WORKER_METRICS_PORT", ""))
        assert port.isdigit() and int(port) > 0, f"{name}: no RECITAL_WORKER_METRICS_PORT"
        assert env.get("RECITAL_WORKER_METRICS_ADDRESS") == "0.0.0.0", name
        assert port in [str(p) for p in SERVICES[name].get("expose", [])], f"{name} does not expose {port}"
        assert f"{name}:{port}" in targets, f"prometheus.yml does not scrape {name}:{port}"
    assert {t for group in jobs["recital-web"]["static_configs"] for t in group["targets"]} == {"web:8000"}
    assert all(job["basic_auth"]["username"] == "ops" for job in jobs.values())
    prometheus = SERVICES["prometheus"]
    assert any(str(v).startswith("./deploy/prometheus:") for v in prometheus["volumes"])
    assert scrape["rule_files"] == ["/etc/prometheus/recital/rules.yml"]
    auth = prometheus["environment"]["RECITAL_METRICS_BASIC_AUTH"]
    assert auth.startswith("${RECITAL_METRICS_BASIC_AUTH:?"), "Prometheus cannot scrape without credentials"


def test_the_scrape_config_passes_promtool(tmp_path: Path) -> None:
    """``promtool check config`` on the file as deployed, its paths pointed at this checkout."""
    password = tmp_path / "password"
    password.write_text("secret")
    text = SCRAPE_CONFIG.read_text().replace("/etc/prometheus/recital/", f"{SCRAPE_CONFIG.parent}/")
    config = tmp_path / "prometheus.yml"
    config.write_text(text.replace("/tmp/recital-metrics-password", str(password)))
    checked = subprocess.run(
        [require_tool("promtool"), "check", "config", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_proxy_buffers_bodies_and_bounds_headers() -> None:
    conf = (ROOT / "deploy" / "compose" / "nginx.conf").read_text()
    for directive in (
        "client_body_timeout",
        "client_max_body_size",
        "large_client_header_buffers",
        "proxy_request_buffering on",
    ):
        assert re.search(rf"^\s*{directive}\b", conf, re.M), directive
    limit = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))  # type: ignore[union-attr]
    assert limit * 2**20 > Settings.model_fields["max_upload_bytes"].default, (
        "nginx would refuse uploads the web accepts"
    )
    assert "server web:8000" in conf and "nginx.conf" in str(SERVICES["proxy"]["volumes"])


def test_the_proxy_answers_its_own_errors_in_the_json_error_shape() -> None:
    conf = (ROOT / "deploy" / "compose" / "nginx.conf").read_text()
    pages = dict(re.findall(r"^\s*error_page ([\d ]+) = (@\w+);", conf, re.M))
    covered = {int(code) for codes in pages for code in codes.split()}
    assert covered >= {400, 408, 413, 414, 494, 502, 503, 504}
    for name in pages.values():
        block = re.search(rf"location {name} \{{(.*?)\n    \}}", conf, re.S)
        assert block, name
        assert "default_type application/json;" in block.group(1)
        status, body = re.search(r"return (\d+) '(.*)';", block.group(1)).groups()  # type: ignore[union-attr]
        error = json.loads(body)["error"]
        assert error["code"] and error["message"] and 400 <= int(status) < 600


def test_secrets_come_from_an_uncommitted_env_file() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", ".env", ".env.example"], cwd=ROOT, capture_output=True, text=True
    )
    assert tracked.stdout.split() == [".env.example"], tracked.stdout
    text = (ROOT / "docker-compose.yml").read_text()
    written = re.findall(
        r"^\s*(\w*(?:PASSWORD|BASIC_AUTH|API_KEY|SIGNING_KEY)\w*):\s*([^$\s].*)$", text, re.M
    )
    assert not written, f"secrets written into compose: {written}"
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if re.match(r"[A-Z_]+=", line)
    )
    assert not any(value for key, value in example.items() if re.search("PASSWORD|KEY|AUTH", key))
    for variable in example:
        used = f"${{{variable}" in text or variable in settings_variables()
        assert used, f".env.example sets {variable}, which nothing reads"


def test_recital_variables_are_settings() -> None:
    known = settings_variables()
    for name, service in SERVICES.items():
        for variable in service.get("environment") or {}:
            if variable.startswith("RECITAL_"):
                assert variable in known, f"{name}: {variable} is not a setting"


def test_builds_use_files_that_exist() -> None:
    for name, service in SERVICES.items():
        build = service.get("build")
        if build:
            assert (ROOT / build["context"] / build["dockerfile"]).is_file(), name
            assert service.get("platform", "linux/amd64") == "linux/amd64", name


@pytest.mark.parametrize("service", [name for name in SERVICES if SERVICES[name].get("build")])
def test_commands_name_real_entry_points(service: str) -> None:
    argv = command(service) or default_command(SERVICES[service]["build"]["dockerfile"])
    if argv[0] == "recital":
        build_parser().parse_args(argv[1:])  # exits (SystemExit) on an unknown command or flag
    elif argv[0] == "celery":
        module, _, attribute = argv[argv.index("-A") + 1].partition(":")
        assert hasattr(import_module(module), attribute or "app")
    elif argv[0] == "gunicorn":
        module, _, attribute = argv[-1].partition(":")
        assert hasattr(import_module(module), attribute)
    else:
        assert argv[0] == "gcp-storage-emulator", argv


def default_command(dockerfile: str) -> list[str]:
    path = ROOT / dockerfile if (ROOT / dockerfile).exists() else ROOT / "deploy" / "compose" / dockerfile
    cmd = re.findall(r"^CMD (\[.*\])$", path.read_text(), re.M)[-1]
    return list(json.loads(cmd))


def seconds(duration: str) -> int:
    """A Compose duration (``31m``, ``1830s``, ``1h2m3s``) in seconds."""
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", duration)
    assert parts and duration, duration
    hours, minutes, secs = (int(part or 0) for part in parts.groups())
    return hours * 3600 + minutes * 60 + secs


def test_workers_get_time_to_finish_the_task_in_hand() -> None:
    """docker compose stop sends SIGTERM (Celery's warm shutdown), then SIGKILL after the
    grace period, 10 s by default: a recording or a rescore batch would be cut off."""
    hard_limit = Settings.model_fields["task_hard_time_limit_seconds"].default
    for name in ("worker-recordings", "worker-rescore"):
        grace = SERVICES[name].get("stop_grace_period")
        assert grace and seconds(str(grace)) > hard_limit, f"{name}: {grace}"
    assert seconds(str(SERVICES["beat"].get("stop_grace_period", "10s"))) > 10


# What a worker's main process (Celery, the metrics exporter, beat) keeps beside its pool child.
MAIN_PROCESS_KIB = 400 * 1024
UNITS_KIB = {"k": 1, "m": 1024, "g": 1024**2}


def test_pool_children_are_recycled_before_the_container_is_out_of_memory() -> None:
    """Celery replaces a child grown past RECITAL_WORKER_MAX_MEMORY_PER_CHILD_KB; above
    the container's limit the OOM killer acts first, and takes the task with it."""
    default = Settings.model_fields["worker_max_memory_per_child_kb"].default
    for name in worker_services():
        size = re.fullmatch(r"(\d+)([kmg])", str(SERVICES[name]["mem_limit"]).lower())
        assert size, f"{name}: {SERVICES[name]['mem_limit']}"
        limit_kib = int(size.group(1)) * UNITS_KIB[size.group(2)]
        cap = int(SERVICES[name]["environment"].get("RECITAL_WORKER_MAX_MEMORY_PER_CHILD_KB", default))
        assert cap + MAIN_PROCESS_KIB <= limit_kib, f"{name}: {cap} KiB per child in {limit_kib} KiB"


def test_the_documented_first_admin_commands_are_real() -> None:
    """README (compose) and deploy/README.md (a run of the migration job on Cloud Run)."""
    readme = (ROOT / "README.md").read_text()
    compose_run = re.search(r"`docker compose run --rm --no-deps (\S+) recital (users [^`]*)`", readme)
    assert compose_run and compose_run.group(1) in SERVICES, "README: no first-admin command for compose"
    assert SERVICES[compose_run.group(1)]["image"] == SERVICES["migrate"]["image"]  # the web image
    build_parser().parse_args(compose_run.group(2).split())
    deploy = (ROOT / "deploy" / "README.md").read_text()
    job = re.search(r"gcloud run jobs execute recital-migrate [^\n]*\\\n\s*--args (\S+)", deploy)
    assert job, "deploy/README.md: no first-admin command for Cloud Run"
    build_parser().parse_args(job.group(1).split(","))
