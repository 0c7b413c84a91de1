"""Vendored browser libraries are exactly what the npm registry published.

The manifest (written by scripts/vendor-browser-libs.sh) records each package's
registry integrity hash and each copied file's sha256. The files are checked
against the manifest offline; the manifest is checked against the registry
(the packed tarball's sha512 and the files inside it) with npm.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tests.support.stack import ROOT, require_tool

VENDOR = ROOT / "web" / "static" / "vendor"
PACKAGES: list[dict[str, Any]] = json.loads((VENDOR / "manifest.json").read_text())["packages"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p["name"])
def test_vendored_files_match_the_manifest_and_carry_a_licence(package: dict[str, Any]) -> None:
    folder = VENDOR / package["folder"]
    assert "LICENSE" in package["files"]
    for name, digest in package["files"].items():
        assert sha256((folder / Path(name).name).read_bytes()) == digest, name
    assert {p.name for p in folder.iterdir()} == {Path(n).name for n in package["files"]}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p["name"])
def test_the_manifest_matches_the_npm_registry(package: dict[str, Any], tmp_path: Path) -> None:
    npm = require_tool("npm")
    spec = f"{package['name']}@{package['version']}"
    packed = subprocess.run(
        [npm, "pack", "--silent", spec], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert packed.returncode == 0, packed.stderr
    tarball = tmp_path / packed.stdout.strip().splitlines()[-1]
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    assert f"sha512-{digest}" == package["integrity"]
    with tarfile.open(tarball) as archive:
        for name, expected in package["files"].items():
            member = archive.extractfile(f"package/{name}")
            assert member is not None and sha256(member.read()) == expected, name
