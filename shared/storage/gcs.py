"""Google Cloud Storage backend (``STORAGE_EMULATOR_HOST`` points it at an emulator)."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import google.auth.exceptions
import requests  # google-cloud-storage's own HTTP client (a dependency of it, not ours to pin)
from google.api_core import exceptions as gexc
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage as gcs
from google.cloud.storage.retry import DEFAULT_RETRY

from shared.storage.gcs_signing import signing_options
from shared.storage.port import Readable, ReadableFile, RecordingMissing, SignedUpload, StorageError

SPOOL_IN_MEMORY = 8 * 1024 * 1024
# The readiness check answers in seconds, as the broker's (2 s) does: the client's
# default retry waited up to 120 s for storage that hangs, holding a web thread.
CHECK_TIMEOUT_SECONDS = 5.0
# What the client raises once it stops retrying: its own errors, and raw HTTP ones
# (a timeout when retries are off, some resumable-upload failures).
UNREACHABLE = (gexc.GoogleAPIError, requests.RequestException)


def bounded_calls(deadline_seconds: float | None) -> dict[str, Any]:
    """``timeout`` and ``retry`` for every call, so a call that keeps failing ends
    within ``deadline_seconds``; None keeps the client's defaults (60 s per request,
    retried for 120 s), which suits background jobs. A retry is only started before
    its deadline and then runs up to one request timeout, so the budget is split:
    a third per request, the rest for retrying."""
    if deadline_seconds is None:
        return {}
    per_request = deadline_seconds / 3
    return {"timeout": per_request, "retry": DEFAULT_RETRY.with_timeout(deadline_seconds - per_request)}


class GcsStorage:
    def __init__(self, bucket: str, prefix: str = "", deadline_seconds: float | None = None) -> None:
        self.url = f"gs://{bucket}/{prefix}".rstrip("/")
        self._prefix = prefix.strip("/")
        self._calls = bounded_calls(deadline_seconds)
        if os.environ.get("STORAGE_EMULATOR_HOST"):
            client = gcs.Client(project="recital-local", credentials=AnonymousCredentials())
        else:
            client = gcs.Client()
        self._client = client
        self._bucket = client.bucket(bucket)

    def _blob(self, key: str) -> gcs.Blob:
        name = f"{self._prefix}/{key}" if self._prefix else key
        return self._bucket.blob(name)

    def put(self, key: str, stream: Readable, content_type: str) -> None:
        # The client seeks to resume and to learn the size; an upload stream that is
        # checked as it is read cannot seek, so it is spooled first.
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            shutil.copyfileobj(stream, spool, 1024 * 1024)
            size = spool.tell()
            spool.seek(0)
            try:
                self._blob(key).upload_from_file(spool, size=size, content_type=content_type, **self._calls)
            except UNREACHABLE as exc:
                raise StorageError(f"upload to {self.url} failed: {exc}") from exc

    def adopt(self, key: str, path: Path, content_type: str) -> None:
        try:
            self._blob(key).upload_from_filename(str(path), content_type=content_type, **self._calls)
        except UNREACHABLE as exc:
            raise StorageError(f"upload to {self.url} failed: {exc}") from exc
        finally:
            path.unlink(missing_ok=True)

    def staging_folder(self) -> Path:
        return Path(tempfile.gettempdir()) / "recital-staging"

    def download_to(self, key: str, path: Path) -> None:
        try:
            self._blob(key).download_to_filename(str(path), **self._calls)
        except gexc.NotFound as exc:
            raise RecordingMissing(f"no recording stored under {key!r}") from exc
        except UNREACHABLE as exc:
            raise StorageError(f"download from {self.url} failed: {exc}") from exc

    def exists(self, key: str) -> bool:
        try:
            return bool(self._blob(key).exists(**self._calls))
        except UNREACHABLE as exc:
            raise StorageError(f"read from {self.url} failed: {exc}") from exc

    def sign_upload(self, key: str, content_type: str, size: int, seconds: int) -> SignedUpload:
        # The size is bound by x-goog-content-length-range (GCS refuses any other
        # length), the type by the signed Content-Type; both are signed headers.
        headers = {"Content-Type": content_type, "x-goog-content-length-range": f"{size},{size}"}
        options: dict[str, Any] = {}
        if emulator := os.environ.get("STORAGE_EMULATOR_HOST"):
            options["api_access_endpoint"] = emulator
        try:
            url = self._blob(key).generate_signed_url(
                version="v4",
                expiration=timedelta(seconds=seconds),
                method="PUT",
                content_type=content_type,
                headers={"x-goog-content-length-range": headers["x-goog-content-length-range"]},
                **options,
                **signing_options(self._client),
            )
        except (gexc.GoogleAPIError, google.auth.exceptions.GoogleAuthError) as exc:
            raise StorageError(f"could not sign an upload URL: {exc}") from exc
        return SignedUpload(str(url), headers)

    def open_read(self, key: str) -> ReadableFile:
        blob = self._blob(key)
        try:
            blob.reload(**self._calls)  # fails now, not halfway through a response, if it is missing
            reader = cast(ReadableFile, blob.open("rb", chunk_size=1024 * 1024, **self._calls))
            return _CheckedReader(reader, self.url)
        except gexc.NotFound as exc:
            raise RecordingMissing(f"no recording stored under {key!r}") from exc
        except UNREACHABLE as exc:
            raise StorageError(f"read from {self.url} failed: {exc}") from exc

    def delete(self, key: str) -> None:
        try:
            self._blob(key).delete(**self._calls)
        except gexc.NotFound:
            return
        except UNREACHABLE as exc:
            raise StorageError(f"delete from {self.url} failed: {exc}") from exc

    def check(self) -> None:
        # Lists at most one object: needs storage.objects.list only, which the web's
        # role on the bucket has (bucket.exists() needs storage.buckets.get, which it
        # deliberately lacks: deploy/terraform/iam.tf). A missing bucket is a 404.
        blobs = self._bucket.list_blobs(
            max_results=1, prefix=self._prefix or None, timeout=CHECK_TIMEOUT_SECONDS, retry=None
        )
        try:
            next(iter(blobs), None)
        except gexc.NotFound as exc:
            raise StorageError(f"bucket {self._bucket.name!r} does not exist") from exc
        except UNREACHABLE as exc:  # unretried: raw HTTP errors too
            raise StorageError(f"storage unreachable: {exc}") from exc


class _CheckedReader:
    """A blob's reader whose failures mid-read are the port's ``StorageError``, which the
    services answer 503, not the client library's own (QA: completing a direct upload
    while storage dropped the connection was a 500)."""

    def __init__(self, reader: ReadableFile, url: str) -> None:
        self._reader, self._url = reader, url

    def read(self, size: int = -1, /) -> bytes:
        try:
            return self._reader.read(size)
        except UNREACHABLE as exc:
            raise StorageError(f"read from {self._url} failed: {exc}") from exc

    def seek(self, offset: int, whence: int = 0, /) -> int:
        try:
            return self._reader.seek(offset, whence)
        except UNREACHABLE as exc:
            raise StorageError(f"read from {self._url} failed: {exc}") from exc

    def close(self) -> None:
        self._reader.close()
