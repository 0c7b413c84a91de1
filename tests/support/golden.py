"""Golden outputs: a fixed input's output stored with the version that made it.

A golden test fails when the output changes while the version stays the
same (a change to what the engine hears or how scoring judges, made
without a bump), and when the version changed but the golden file was not
made anew. ``RECITAL_WRITE_GOLDEN=1`` writes the file from the current code.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest


def writing() -> bool:
    return os.environ.get("RECITAL_WRITE_GOLDEN", "") == "1"


def check(path: Path, version_name: str, version: str, where: str, outputs: dict[str, Any]) -> None:
    """Compare ``outputs`` (JSON-ready, by case) with the golden file at ``path``.

    ``version_name`` is the constant's name, ``where`` the module that holds it.
    """
    outputs = json.loads(json.dumps(outputs))  # tuples to lists, as stored
    if writing():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dumps({version_name: version, "cases": outputs}))
        return
    assert path.exists(), f"no golden file {path}: make it with RECITAL_WRITE_GOLDEN=1"
    golden = json.loads(path.read_text())
    made_with = golden[version_name]
    changed = sorted(
        name
        for name in outputs.keys() | golden["cases"].keys()
        if outputs.get(name) != golden["cases"].get(name)
    )
    if made_with != version:
        pytest.fail(
            f"{path.name} was made with {version_name} {made_with}, the code is at {version}: "
            f"make it anew with RECITAL_WRITE_GOLDEN=1 (cases that changed: {changed or 'none'})"
        )
    if changed:
        first = changed[0]
        pytest.fail(
            f"output changed on fixed inputs {changed} while {version_name} stayed {version}. "
            f"If the change is meant, bump {version_name} in {where} and run this test with "
            f"RECITAL_WRITE_GOLDEN=1; if not, the change is a regression.\n"
            f"{first} was: {golden['cases'].get(first)}\n{first} now: {outputs.get(first)}"
        )


def _dumps(data: dict[str, Any]) -> str:
    """Indented JSON with each innermost list on one line (one heard word, one
    hesitation per line: diffs stay readable). JSON strings hold no raw newline,
    so only layout is joined."""
    text = json.dumps(data, indent=1)
    return (
        re.sub(r"\[[^\[\]{}]*\]", lambda m: "[" + re.sub(r"\n\s*", " ", m.group(0)[1:-1]).strip() + "]", text)
        + "\n"
    )
