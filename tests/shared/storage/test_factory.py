"""The storage URL picks the backend (the GCS one is built against the emulator
in tests/integration)."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.storage import build_storage
from shared.storage.local import LocalStorage


def test_a_file_url_is_a_local_folder(tmp_path: Path) -> None:
    storage = build_storage(f"file://{tmp_path}/store")
    assert isinstance(storage, LocalStorage)
    assert storage.url.endswith(str(tmp_path / "store"))


def test_another_scheme_is_refused_with_what_to_use() -> None:
    with pytest.raises(ValueError, match="file:///path or gs://bucket"):
        build_storage("s3://bucket")
