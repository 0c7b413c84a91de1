"""checkov (pinned in requirements/checkov.txt, in its own cached environment)
over deploy/ and both Dockerfiles: no failed check, no parsing error, and
every skipped check skipped inline with its reason."""

from __future__ import annotations

import json
import subprocess
from functools import cache
from typing import Any

import pytest

from tests.support.stack import ROOT
from tests.support.venvs import cached_venv

# Terraform, the k8s manifests, the emulator's Dockerfile and secrets in deploy/;
# the role Dockerfiles at the root (checkov ignores -f when -d is given).
RUNS = {
    "deploy": ["-d", "deploy", "--framework", "terraform", "kubernetes", "dockerfile", "secrets"],
    "images": ["-f", "Dockerfile.web", "-f", "Dockerfile.worker", "--framework", "dockerfile", "secrets"],
}
EXPECTED = {"deploy": {"terraform", "kubernetes", "dockerfile"}, "images": {"dockerfile"}}


@cache
def checkov(run: str) -> tuple[dict[str, Any], ...]:
    bin_dir = cached_venv("checkov", ROOT / "requirements" / "checkov.txt")
    # --skip-download: no calls to the vendor's platform (none is reachable here).
    argv = [str(bin_dir / "checkov"), *RUNS[run], "--skip-download", "--output", "json"]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.stdout.strip(), done.stderr[-3000:]
    reports = json.loads(done.stdout)
    return tuple(reports if isinstance(reports, list) else [reports])


def summary(run: str) -> dict[str, dict[str, int]]:
    return {report["check_type"]: report["summary"] for report in checkov(run)}


@pytest.mark.timeout(1500)
@pytest.mark.parametrize("run", list(RUNS))
def test_checkov_finds_nothing_failed(run: str) -> None:
    found = summary(run)
    print(f"checkov {run}: {json.dumps(found)}")  # the figures for the deploy note (pytest -s)
    assert EXPECTED[run] <= set(found), found
    for framework, counts in found.items():
        failed = [
            f"{c['check_id']} {c['file_path']} {c['resource']}"
            for report in checkov(run)
            if report["check_type"] == framework
            for c in report["results"].get("failed_checks", [])
        ]
        assert counts["failed"] == 0, f"{framework}: {failed}"
        assert counts["parsing_errors"] == 0, framework
        if framework != "secrets":
            assert counts["passed"] > 0, f"{framework}: checkov checked nothing"
    if run == "images":
        assert found["dockerfile"]["resource_count"] == 2, "both role Dockerfiles must be scanned"


@pytest.mark.timeout(1500)
def test_every_skip_gives_its_reason() -> None:
    skipped = [
        c for run in RUNS for report in checkov(run) for c in report["results"].get("skipped_checks", [])
    ]
    assert skipped, "expected the inline skips in deploy/terraform"
    for check in skipped:
        reason = (check.get("check_result") or {}).get("suppress_comment", "")
        assert len(reason) > 30, f"{check['check_id']} in {check['file_path']} is skipped without a reason"
