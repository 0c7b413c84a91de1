"""The standards the code keeps: ruff everywhere, mypy on the packages, and
dependencies pointing inward (domain code imports no framework)."""

from __future__ import annotations

import ast
import re
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


# What pure domain code may import besides the standard library and itself:
# named pure-Python libraries only (numpy, a framework or an adapter fails).
DOMAIN_ALLOWED = frozenset({"num2words", "rapidfuzz", "fsrs"})  # fsrs: the FSRS scheduler, pure Python


def python_files(folder: Path) -> list[Path]:
    """The folder's Python files; a missing or empty folder fails, so a check
    cannot pass vacuously after a move."""
    files = sorted(folder.rglob("*.py"))
    assert files, f"{folder.relative_to(ROOT)} is missing or empty: update the architecture test"
    return files


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def imported_roots(path: Path) -> set[str]:
    return {module.split(".")[0] for module in imported_modules(path)}


def test_domain_code_imports_only_the_standard_library_and_named_pure_libraries() -> None:
    for path in python_files(ROOT / "shared" / "domain"):
        modules = imported_modules(path)
        allowed = set(sys.stdlib_module_names) | DOMAIN_ALLOWED | {"shared"}
        outside = {m.split(".")[0] for m in modules} - allowed
        assert not outside, f"{path}: {sorted(outside)}"
        own = {m for m in modules if m.split(".")[0] == "shared" and not m.startswith("shared.domain")}
        assert not own, f"{path} imports outside the domain: {sorted(own)}"
        assert not imported_roots(path) & set(FRAMEWORKS), path


def test_shared_never_imports_web_workers_or_cli() -> None:
    for path in python_files(ROOT / "shared"):
        assert not imported_roots(path) & {"web", "workers", "cli"}, path


def test_each_engine_keeps_to_its_room() -> None:
    """The engines share only the port, chunking and the domain: neither
    imports the other, and the second looks import no engine."""
    rooms = ROOT / "shared" / "transcription"
    for engine, other in (("offline", "openai"), ("openai", "offline")):
        for path in python_files(rooms / engine):
            crossing = [m for m in imported_modules(path) if m.startswith(f"shared.transcription.{other}")]
            assert not crossing, path
    for path in python_files(rooms / "offline" / "second_look"):
        assert "shared.transcription.offline.engine" not in imported_modules(path), path


def test_services_reach_the_database_only_through_repositories() -> None:
    """Use cases take the unit of work's repositories: no SQLAlchemy, no raw session."""
    for path in python_files(ROOT / "shared" / "services"):
        assert not imported_roots(path) & {"sqlalchemy", "psycopg"}, path
        text = path.read_text()
        assert (
            "shared.db.models" not in imported_modules(path) and "from shared.db import models" not in text
        ), path
        assert not re.search(r"\.session\b", text), f"{path} uses the unit of work's session"
