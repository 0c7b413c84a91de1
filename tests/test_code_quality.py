"""The standards the code keeps: ruff everywhere, mypy on the packages, and
dependencies pointing inward (domain code imports no framework)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FRAMEWORKS = ("flask", "celery", "sqlalchemy", "google", "openai", "kombu", "redis", "psycopg")


def test_ruff_is_clean() -> None:
    run = subprocess.run(
        [str(BIN / "ruff"), "check", "shared", "web", "workers", "cli", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:]


@pytest.mark.timeout(600)
def test_mypy_is_clean() -> None:
    run = subprocess.run(
        [str(BIN / "mypy"), "shared", "web", "workers", "cli"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-4000:]


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_code_imports_no_framework() -> None:
    for path in (ROOT / "shared" / "domain").glob("*.py"):
        assert not imported_roots(path) & set(FRAMEWORKS), path


def test_shared_never_imports_web_workers_or_cli() -> None:
    for path in (ROOT / "shared").rglob("*.py"):
        assert not imported_roots(path) & {"web", "workers", "cli"}, path
