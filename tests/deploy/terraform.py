"""deploy/terraform read as data (python-hcl2), for the deploy tests."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import hcl2

from tests.support.stack import ROOT

TERRAFORM = ROOT / "deploy" / "terraform"


def unquote(value: Any) -> Any:
    """python-hcl2 keeps string literals' quotes; drop them, recursively."""
    if isinstance(value, str):
        return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    if isinstance(value, list):
        return [unquote(item) for item in value]
    if isinstance(value, dict):
        return {unquote(key): unquote(item) for key, item in value.items() if not str(key).startswith("__")}
    return value


@cache
def parsed() -> dict[str, dict[str, Any]]:
    documents = {}
    for path in sorted(TERRAFORM.glob("*.tf")):
        with path.open() as handle:
            documents[path.name] = unquote(hcl2.load(handle))
    return documents


def source() -> str:
    """All the .tf text, comments dropped."""
    text = "\n".join(path.read_text() for path in sorted(TERRAFORM.glob("*.tf")))
    return re.sub(r"(?m)^\s*#.*$", "", text)


def blocks(kind: str) -> list[dict[str, Any]]:
    return [block for document in parsed().values() for block in document.get(kind, [])]


def resources() -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for block in blocks("resource"):
        for rtype, named in block.items():
            for name, body in named.items():
                found[(rtype, name)] = body
    return found


def resource(rtype: str, name: str) -> dict[str, Any]:
    return resources()[(rtype, name)]


def locals_() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for block in blocks("locals"):
        merged.update(block)
    return merged
