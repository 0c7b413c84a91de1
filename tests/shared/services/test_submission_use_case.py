"""Submitting on the in-memory unit of work with real local storage: no database.

The repositories it uses keep the contract
tests/shared/db/test_submission_repository_contract.py checks on Postgres too.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import wave
from pathlib import Path

import pytest

from shared.domain.clock import utcnow
from shared.services.errors import ErrorKind, ServiceError
from shared.services.known_ids import KnownIds
from shared.services.submission import Submission, submit_attempt
from shared.storage.local import LocalStorage
from shared.storage.port import Readable
from tests.support.fake_uow import FakeDatabase, FakeDatabaseError, FakeUnitOfWork

MAX_BYTES = 1_000_000


def wav(frames: int = 1600) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x01\x00" * frames)
    return out.getvalue()


class Sent(list[uuid.UUID]):
    def __call__(self, attempt_id: uuid.UUID) -> None:
        self.append(attempt_id)


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path)


def piece(db: FakeDatabase, owner: uuid.UUID, visibility: str = "private") -> uuid.UUID:
    with db.uow() as uow:
        record = uow.pieces.add(owner, "t", "one two", visibility, utcnow())
        uow.commit()
        return record.id


def submit(db: FakeDatabase, storage: LocalStorage, sent: Sent, learner: uuid.UUID, piece_id: uuid.UUID,
           audio: bytes, key: str | None = None, max_queued: int | None = None) -> uuid.UUID:  # fmt: skip
    submission = Submission(learner, piece_id, io.BytesIO(audio), key)
    return submit_attempt(db.uow(), storage, sent, submission, MAX_BYTES, KnownIds(), max_queued).attempt_id


def test_a_recording_is_stored_committed_then_sent(storage: LocalStorage) -> None:
    db, sent, learner, audio = FakeDatabase(), Sent(), uuid.uuid4(), wav()
    attempt_id = submit(db, storage, sent, learner, piece(db, learner), audio)
    row = db.attempt(attempt_id)
    assert (row["status"], row["format"], row["size_bytes"]) == ("queued", "wav", len(audio))
    assert row["sha256"] == hashlib.sha256(audio).hexdigest()
    assert storage.root.joinpath(row["storage_key"]).read_bytes() == audio
    assert sent == [attempt_id] and not db.open


def test_a_key_replays_the_same_upload_and_refuses_another(storage: LocalStorage) -> None:
    db, sent, learner = FakeDatabase(), Sent(), uuid.uuid4()
    piece_id = piece(db, learner)
    first = submit(db, storage, sent, learner, piece_id, wav(), "k1")
    assert submit(db, storage, sent, learner, piece_id, wav(), "k1") == first
    assert sent == [first] and len(db.tables.attempts) == 1
    with pytest.raises(ServiceError) as raised:
        submit(db, storage, sent, learner, piece_id, wav(3200), "k1")
    assert (raised.value.kind, raised.value.code) == (ErrorKind.CONFLICT, "idempotency_key_reused")


def test_someone_elses_private_piece_is_not_found_and_nothing_is_stored(storage: LocalStorage) -> None:
    db, sent = FakeDatabase(), Sent()
    private = piece(db, uuid.uuid4())
    with pytest.raises(ServiceError) as raised:
        submit(db, storage, sent, uuid.uuid4(), private, wav())
    assert (raised.value.kind, raised.value.code) == (ErrorKind.NOT_FOUND, "piece_not_found")
    assert (db.tables.attempts, list(storage.root.rglob("*.wav")), sent) == ({}, [], [])
    public = piece(db, uuid.uuid4(), "public")
    assert submit(db, storage, sent, uuid.uuid4(), public, wav()) in db.tables.attempts


def test_the_queue_cap_refuses_and_keeps_nothing_of_the_refused_upload(storage: LocalStorage) -> None:
    db, sent, learner = FakeDatabase(), Sent(), uuid.uuid4()
    piece_id = piece(db, learner)
    submit(db, storage, sent, learner, piece_id, wav(), max_queued=1)
    with pytest.raises(ServiceError) as raised:
        submit(db, storage, sent, learner, piece_id, wav(), max_queued=1)
    assert (raised.value.kind, raised.value.code) == (ErrorKind.TOO_MANY, "too_many_queued_attempts")
    assert raised.value.message.startswith("You have 1 recording waiting")  # not "1 recordings"
    assert len(list(storage.root.rglob("*.wav"))) == 1


def test_a_database_lost_while_the_recording_arrived_keeps_no_recording(
    storage: LocalStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The learner and piece were looked up, then the database went away while a long
    # upload streamed in (a failover): the insert failed, the learner got 503, and the
    # stored recording stayed in storage with no row naming it, out of reach of every
    # deletion, account erasure included.
    db, sent, learner = FakeDatabase(), Sent(), uuid.uuid4()
    piece_id = piece(db, learner)
    uow = db.uow()

    def lost(*_: object, **__: object) -> bool:
        raise FakeDatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(uow.attempts, "add", lost)
    submission = Submission(learner, piece_id, io.BytesIO(wav()))
    with pytest.raises(FakeDatabaseError):
        submit_attempt(uow, storage, sent, submission, MAX_BYTES, KnownIds())
    assert list(storage.root.rglob("*.wav")) == [] and sent == []


def test_not_audio_is_refused_and_a_broken_broker_loses_nothing(storage: LocalStorage) -> None:
    db, learner = FakeDatabase(), uuid.uuid4()
    piece_id = piece(db, learner)
    with pytest.raises(ServiceError) as raised:
        submit(db, storage, Sent(), learner, piece_id, b"plain text, not a recording" * 10)
    assert raised.value.kind == ErrorKind.UNSUPPORTED and db.tables.attempts == {}

    def broken(attempt_id: uuid.UUID) -> None:
        raise ConnectionError("broker down")

    submission = Submission(learner, piece_id, io.BytesIO(wav()))
    attempt_id = submit_attempt(db.uow(), storage, broken, submission, MAX_BYTES).attempt_id
    assert db.attempt(attempt_id)["status"] == "queued"  # the sweeper re-sends it


class PrivatisingStorage(LocalStorage):
    """Storage during whose put the owner makes the piece private: the upload is in flight.
    (The change is made in the submitting unit of work, which the fake isolates as a snapshot;
    Postgres, reading committed rows, sees the owner's commit the same way.)"""

    def __init__(self, root: Path, uow: FakeUnitOfWork, piece_id: uuid.UUID) -> None:
        super().__init__(root)
        self.uow, self.piece_id = uow, piece_id

    def put(self, key: str, stream: Readable, content_type: str) -> None:
        super().put(key, stream, content_type)
        self.uow.pieces.change(self.piece_id, "t", "one two", "private")


def test_a_piece_made_private_during_an_upload_gets_no_attempt_and_keeps_no_recording(tmp_path: Path) -> None:
    db, sent, owner, stranger = FakeDatabase(), Sent(), uuid.uuid4(), uuid.uuid4()
    piece_id = piece(db, owner, "public")
    uow = db.uow()
    storage = PrivatisingStorage(tmp_path, uow, piece_id)
    submission = Submission(stranger, piece_id, io.BytesIO(wav()))
    with pytest.raises(ServiceError) as refused:
        submit_attempt(uow, storage, sent, submission, MAX_BYTES, KnownIds(), max_queued=5)
    assert (refused.value.kind, refused.value.code) == (ErrorKind.NOT_FOUND, "piece_not_found")
    assert db.tables.attempts == {} and sent == [] and not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_recording_of_a_text_changed_since_is_refused_and_nothing_kept(storage: LocalStorage) -> None:
    db, sent, owner, stranger = FakeDatabase(), Sent(), uuid.uuid4(), uuid.uuid4()
    piece_id = piece(db, owner, "public")
    said_at_first = Submission(stranger, piece_id, io.BytesIO(wav()), text_version=1)
    first = submit_attempt(db.uow(), storage, sent, said_at_first, MAX_BYTES, KnownIds()).attempt_id
    with db.uow() as uow:  # the owner changes the text (allowed here: the fake does not check)
        uow.pieces.change(piece_id, "t", "one two three", "public")
        uow.commit()
    stale = Submission(stranger, piece_id, io.BytesIO(wav(3200)), text_version=1)
    with pytest.raises(ServiceError) as refused:
        submit_attempt(db.uow(), storage, sent, stale, MAX_BYTES, KnownIds(), max_queued=5)
    assert (refused.value.kind, refused.value.code) == (ErrorKind.CONFLICT, "piece_text_changed")
    assert list(db.tables.attempts) == [first] == sent
    assert len(list(storage.root.rglob("*.wav"))) == 1  # the refused recording is not kept
    fresh = Submission(stranger, piece_id, io.BytesIO(wav(3200)), text_version=2)
    unsaid = Submission(stranger, piece_id, io.BytesIO(wav(4800)))  # clients that send none: as before
    for submission in (fresh, unsaid):
        assert submit_attempt(db.uow(), storage, sent, submission, MAX_BYTES, KnownIds()).created
    assert len(db.tables.attempts) == 3
