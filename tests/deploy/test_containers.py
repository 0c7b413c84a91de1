"""Dockerfiles and compose are checked here (no Docker engine runs on our machines)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
import yaml

from shared.settings import Settings
from tests.support.stack import ROOT, require

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.mark.parametrize("dockerfile", ["Dockerfile.web", "Dockerfile.worker"])
def test_dockerfiles_pass_hadolint(dockerfile: str) -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    require(hadolint is not None, "hadolint is not installed (requirements/dev.txt)")
    run = subprocess.run(
        [str(hadolint), "--failure-threshold", "info", dockerfile], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("dockerfile", ["Dockerfile.web", "Dockerfile.worker"])
def test_dockerfiles_copy_what_exists_and_run_as_non_root(dockerfile: str) -> None:
    text = (ROOT / dockerfile).read_text()
    stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)$", text, flags=re.M))
    for stage, source in re.findall(r"^COPY\s+(?:--from=(\S+)\s+)?(.+?)\s+\S+$", text, flags=re.M):
        if stage:
            assert stage in stages, f"{dockerfile} copies from an unknown stage {stage}"
            continue
        for path in source.split():
            assert (ROOT / path).exists(), f"{dockerfile} copies missing {path}"
    assert re.search(r"^USER\s+\d+", text, flags=re.M), "containers must not run as root"
    assert "requirements/web.txt" in text if dockerfile.endswith("web") else "requirements/worker.txt" in text


def test_worker_image_runs_the_compiled_scoring_code() -> None:
    # setup.py compiles shared.domain only under this flag; the wheel built
    # with it is the one the running stage installs.
    text = (ROOT / "Dockerfile.worker").read_text()
    assert re.search(r"^RUN RECITAL_COMPILE=1 pip wheel .*--wheel-dir /wheels", text, flags=re.M)
    assert re.search(r"^COPY --from=build /wheels", text, flags=re.M)
    assert "RECITAL_COMPILE" in (ROOT / "setup.py").read_text()


def test_web_image_needs_no_audio_stack() -> None:
    web = (ROOT / "requirements" / "web.txt").read_text()
    assert not re.search(r"librosa|pocketsphinx|soundfile|\bav\b", web)


def test_compose_services_are_consistent() -> None:
    settings_fields = {f"RECITAL_{name.upper()}" for name in Settings.model_fields}
    for name, service in COMPOSE["services"].items():
        build = service.get("build")
        if build:
            assert (ROOT / build["dockerfile"]).exists(), name
        for variable in service.get("environment") or {}:
            if variable.startswith("RECITAL_"):
                assert variable in settings_fields, f"{name}: {variable} is not a setting"
        for dependency in service.get("depends_on") or {}:
            assert dependency in COMPOSE["services"], f"{name} depends on unknown {dependency}"


def test_compose_commands_name_real_entry_points() -> None:
    targets = set()
    for service in COMPOSE["services"].values():
        command = service.get("command") or []
        if "-A" in command:
            targets.add(command[command.index("-A") + 1])
    targets.add(re.search(r'"(web\.wsgi:app)"', (ROOT / "Dockerfile.web").read_text()).group(1))  # type: ignore[union-attr]
    for target in targets:
        module, _, attribute = target.partition(":")
        assert hasattr(import_module(module), attribute or "app"), target
