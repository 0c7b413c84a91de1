"""Pick a storage backend from its URL.

Apart from the port so the adapters, which import the port, are not
imported by it (the one import cycle the tree had).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from shared.storage.port import Storage


def build_storage(url: str) -> Storage:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        from shared.storage.local import LocalStorage

        return LocalStorage(Path(parsed.path))
    if parsed.scheme == "gs":
        from shared.storage.gcs import GcsStorage

        return GcsStorage(parsed.netloc, prefix=parsed.path.lstrip("/"))
    raise ValueError(f"unsupported storage URL {url!r}: use file:///path or gs://bucket")
