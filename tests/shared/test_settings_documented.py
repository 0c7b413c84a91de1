"""Every setting is in the README's configuration table, where ops look for it."""

from __future__ import annotations

from pathlib import Path

from shared.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def named(field: str, lines: list[str]) -> bool:
    """In full, or as a family's tail on its row (`RECITAL_WORKER_METRICS_PORT`, `_ADDRESS`)."""
    variable = f"RECITAL_{field.upper()}"
    head, _, tail = variable.rpartition("_")
    return any(variable in line or (f"`_{tail}`" in line and head in line) for line in lines)


def test_every_setting_is_in_the_readme() -> None:
    """QA: RECITAL_STORAGE_WEB_DEADLINE_SECONDS was documented in docs/operations.md only."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert [field for field in Settings.model_fields if not named(field, lines)] == []
