"""The GCS backend's readiness check, against gcp-storage-emulator (tests/conftest.py)."""

from __future__ import annotations

import io
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage as gcs

from shared.storage.gcs import GcsStorage
from shared.storage.port import StorageError


def new_bucket() -> str:
    name = f"recital-check-{uuid.uuid4().hex[:12]}"
    gcs.Client(project="recital-test", credentials=AnonymousCredentials()).create_bucket(name)
    return name


def test_check_passes_on_an_empty_bucket_and_on_one_with_recordings(gcs_emulator: str) -> None:
    bucket = new_bucket()
    storage = GcsStorage(bucket, "recordings")
    storage.check()
    storage.put("attempts/a/1.wav", io.BytesIO(b"RIFF one"), "audio/wav")
    storage.put("attempts/a/2.wav", io.BytesIO(b"RIFF two"), "audio/wav")
    storage.check()
    GcsStorage(bucket).check()


def test_a_missing_bucket_is_not_ready(gcs_emulator: str) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        GcsStorage(f"recital-absent-{uuid.uuid4().hex[:12]}").check()


def test_check_needs_only_object_permissions(gcs_emulator: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web's role on the bucket (roles/storage.objectUser, deploy/terraform/iam.tf) has
    no storage.buckets.get: the check must not read the bucket's own metadata."""
    storage = GcsStorage(new_bucket())

    def bucket_metadata(*args: object, **kwargs: object) -> None:
        raise AssertionError("check() read the bucket's metadata (storage.buckets.get)")

    monkeypatch.setattr(gcs.Bucket, "exists", bucket_metadata)
    monkeypatch.setattr(gcs.Bucket, "reload", bucket_metadata)
    storage.check()


@pytest.fixture
def unanswering_storage(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """STORAGE_EMULATOR_HOST at a socket that accepts connections and never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://127.0.0.1:{silent.getsockname()[1]}")
        yield f"recital-hung-{uuid.uuid4().hex[:8]}"


def test_check_of_storage_that_does_not_answer_ends_within_seconds(unanswering_storage: str) -> None:
    # /ready waited out the client's default retry (120 s, each request up to 60 s)
    # for storage that hangs, where the broker's check gives up after 2 s.
    storage, outcome = GcsStorage(unanswering_storage), []

    def check() -> None:
        try:
            storage.check()
        except StorageError as exc:
            outcome.append(exc)

    began = time.monotonic()
    probe = threading.Thread(target=check, daemon=True)
    probe.start()
    probe.join(20)
    assert not probe.is_alive(), "check() still waiting after 20 s"
    assert len(outcome) == 1 and time.monotonic() - began < 15
