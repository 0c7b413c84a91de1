"""The words of each chunk OpenAI has already transcribed, kept in Redis for a day.

A long recording goes out in chunks. When one fails for good, the job is
released and redelivered, possibly to another worker process; without a
memory every chunk was sent (and paid for) again. Each finished chunk's words
are kept under a key made of the recording's decoded samples (its sha256),
the chunk's boundaries, and what shapes the words (model, language, word
times, ``RECOGNITION_VERSION``): a changed chunking, model or engine code
finds nothing and asks again, never reusing a stale chunk. Once the whole
recording is transcribed (the transcript itself is then stored with the
attempt) its chunks are forgotten, so only failed runs leave entries, each
for at most a day.

Redis trouble never fails a transcription: the chunk is sent as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from typing import Protocol

import numpy as np
import numpy.typing as npt
import redis

from shared.domain.transcript import SpokenWord
from shared.quiet_redis import QuietRedis, quick_client
from shared.settings import Settings

log = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 3600  # longer than any redelivery (max_deliveries x back-off, the sweeper)
PREFIX = "recital:openai-chunk:"


class ChunkStore(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, seconds: int) -> None: ...

    def delete(self, keys: list[str]) -> None: ...


class RedisChunks:
    """A :class:`ChunkStore` on Redis that shrugs off Redis's errors (and goes quiet a while)."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client
        # Redis down: send chunks without asking, not a timeout per chunk.
        self._call = QuietRedis(log, "chunk memory", "sending chunks without it").call

    def get(self, key: str) -> bytes | None:
        found = self._call(lambda: self._client.get(key))
        return found if isinstance(found, bytes) else None

    def set(self, key: str, value: bytes, seconds: int) -> None:
        self._call(lambda: self._client.set(key, value, ex=seconds))

    def delete(self, keys: list[str]) -> None:
        if keys:
            self._call(lambda: self._client.delete(*keys))


class NoChunks:
    """No broker to keep chunks in (the embedded default): every chunk is sent."""

    def get(self, key: str) -> bytes | None:
        return None

    def set(self, key: str, value: bytes, seconds: int) -> None:
        return None

    def delete(self, keys: list[str]) -> None:
        return None


def chunk_store(settings: Settings) -> ChunkStore:
    """Redis when the broker is Redis (every worker reaches it), else nothing."""
    if not settings.redis_broker:
        return NoChunks()
    return RedisChunks(quick_client(settings.broker_url, timeout_seconds=2.0))


class RecordingChunks:
    """One recording's chunks in ``store``: what was heard, by chunk boundaries."""

    def __init__(
        self, store: ChunkStore, samples: npt.NDArray[np.float32], shaped_by: tuple[str, ...]
    ) -> None:
        digest = hashlib.sha256(json.dumps(shaped_by).encode())
        digest.update(np.ascontiguousarray(samples).data)  # hashed in place, not copied
        self._store = store
        self._stem = f"{PREFIX}{digest.hexdigest()}:"
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def recall(self, start: int, end: int) -> list[SpokenWord] | None:
        found = self._store.get(self._key(start, end))
        if found is None:
            return None
        return [SpokenWord(text, begin, finish) for text, begin, finish in json.loads(found)]

    def keep(self, start: int, end: int, words: list[SpokenWord]) -> None:
        # OpenAI's words carry text and times only (no evidence flags to keep);
        # JSON gives the same floats back.
        value = json.dumps([[w.text, w.start, w.end] for w in words]).encode()
        self._store.set(self._key(start, end), value, KEEP_SECONDS)

    def forget(self) -> None:
        """Drop every chunk asked about: the whole transcript is now the attempt's."""
        with self._lock:
            keys, self._keys = sorted(self._keys), set()
        self._store.delete(keys)

    def _key(self, start: int, end: int) -> str:
        key = f"{self._stem}{start}-{end}"
        with self._lock:
            self._keys.add(key)
        return key
