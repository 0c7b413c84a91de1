"""Pick a storage backend from its URL.

Apart from the port so the adapters, which import the port, are not
imported by it (the one import cycle the tree had).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from shared.storage.port import Storage


def build_storage(url: str, deadline_seconds: float | None = None) -> Storage:
    """``deadline_seconds``: how long a remote call may keep failing before it gives
    up (the web's budget); None keeps the client library's own, longer retry."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        from shared.storage.local import LocalStorage

        return LocalStorage(Path(parsed.path))
    if parsed.scheme == "gs":
        from shared.storage.gcs import GcsStorage

        return GcsStorage(parsed.netloc, prefix=parsed.path.lstrip("/"), deadline_seconds=deadline_seconds)
    raise ValueError(f"unsupported storage URL {url!r}: use file:///path or gs://bucket")
