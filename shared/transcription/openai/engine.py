"""OpenAI audio transcription engine (official SDK).

``whisper-1`` is asked for ``verbose_json`` with word timestamps. The
``gpt-4o-transcribe`` family only returns text, so its words get times spread
evenly over their chunk: approximate, marked in ``Transcript.extra``; real
times are meant to come from alignment later.

Long or large recordings are cut at quiet points into 16 kHz mono FLAC chunks
under the request limit, sent in parallel (bounded), and stitched back with
each chunk's offset. The chunk count fills whole rounds of ``concurrency``
requests (:func:`.chunking.chunk_count`), so the hour takes about as long as
one of its chunks; chunks wait in temporary files, not in memory. The SDK's
own retries are off: :mod:`.retry` decides. Finished chunks are remembered
(:mod:`.chunk_memory`), so a redelivered job sends only those that failed.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import IO

import numpy as np
import numpy.typing as npt
import openai
from openai.types.audio import Transcription, TranscriptionVerbose

from shared.audio.types import TARGET_RATE, DecodedAudio
from shared.domain.transcript import SpokenWord, Transcript
from shared.observability.metrics import ENGINE_REQUESTS
from shared.settings import Settings
from shared.transcription.chunking import chunk_count, plan_chunks
from shared.transcription.openai.chunk_memory import ChunkStore, NoChunks, RecordingChunks, chunk_store
from shared.transcription.openai.errors import classify_status
from shared.transcription.openai.flac import flac_file
from shared.transcription.openai.retry import (
    RetriesExhausted,
    RetryableError,
    RetryPolicy,
)
from shared.transcription.openai.words import checked, words_of
from shared.transcription.port import TranscriptionError

log = logging.getLogger(__name__)

DEFAULT_CHUNK_SECONDS = 600.0  # 10 min of 16-bit FLAC is < 20 MB even for noise
DEFAULT_MIN_CHUNK_SECONDS = 60.0  # shorter pieces are not worth a request of their own
DEFAULT_CONCURRENCY = 8
DEFAULT_TIMEOUT_SECONDS = 120.0
Samples = npt.NDArray[np.float32]
# A chunk's outcome: (start sample, words), or smaller spans to send instead.
Piece = tuple[int, list[SpokenWord]] | list[tuple[int, int]]


# Bump with any change to what this engine reports (chunking, prompts, word times).
RECOGNITION_VERSION = "openai-2026.11.8"


class OpenAITranscriber:
    engine = "openai"
    recognition_version = RECOGNITION_VERSION

    def __init__(
        self,
        api_key: str,
        model: str = "whisper-1",
        *,
        base_url: str | None = None,
        max_request_bytes: int = 25 * 1024 * 1024,
        concurrency: int = DEFAULT_CONCURRENCY,
        chunk_seconds: float = DEFAULT_CHUNK_SECONDS,
        min_chunk_seconds: float = DEFAULT_MIN_CHUNK_SECONDS,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        language: str | None = None,
        retry: RetryPolicy | None = None,
        chunks: ChunkStore | None = None,
    ) -> None:
        self.model = model
        self._key = api_key
        self._client = openai.OpenAI(api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout)
        self._max_bytes = max_request_bytes
        self._concurrency = max(1, concurrency)
        self._chunk_samples = max(1, int(chunk_seconds * TARGET_RATE))
        self._min_chunk_samples = max(1, int(min_chunk_seconds * TARGET_RATE))
        self._language = language
        self._retry = retry or RetryPolicy()
        self._chunks = chunks or NoChunks()
        # Only whisper returns word timestamps (verbose_json).
        self.word_times = model.startswith("whisper")

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> OpenAITranscriber:
        if settings.openai_api_key is None:
            raise TranscriptionError(
                "engine_not_configured", "RECITAL_OPENAI_API_KEY is not set", retryable=False
            )
        return cls(
            settings.openai_api_key.get_secret_value(),
            settings.openai_model,
            base_url=settings.openai_base_url,
            max_request_bytes=settings.openai_max_request_bytes,
            **{
                "concurrency": settings.openai_concurrency,
                "chunk_seconds": settings.openai_chunk_seconds,
                "min_chunk_seconds": settings.openai_min_chunk_seconds,
                "timeout": settings.openai_timeout_seconds,
                "retry": RetryPolicy(max_attempts=settings.openai_max_attempts),
                "chunks": chunk_store(settings),
                **overrides,
            },  # type: ignore[arg-type]
        )

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        # reference_text is deliberately not sent as a prompt: priming with the
        # expected words makes the model report them even when they were not said.
        del reference_text
        if len(audio.samples) == 0:
            return Transcript(
                (), self.engine, self.model, self._language or "en", recognition_version=RECOGNITION_VERSION
            )
        pieces = self._transcribe_all(audio.samples)
        extra: dict[str, object] = {"chunks": len(pieces)}
        if not self.word_times:
            extra["word_times"] = "approximate"
        return Transcript(
            words=tuple(w for start in sorted(pieces) for w in pieces[start]),
            engine=self.engine,
            model=self.model,
            language=self._language or "en",
            extra=extra,
            recognition_version=RECOGNITION_VERSION,
        )

    def _transcribe_all(self, samples: Samples) -> dict[int, list[SpokenWord]]:
        """Words per chunk start. Encoding happens in the pool too (libsndfile
        releases the GIL), so the first request leaves without waiting for the
        whole hour to be encoded and only ``concurrency`` chunks sit in memory."""
        pieces: dict[int, list[SpokenWord]] = {}
        spans = self.plan(samples)
        shaped_by = (RECOGNITION_VERSION, self.model, self._language or "", str(self.word_times))
        known = RecordingChunks(self._chunks, samples, shaped_by)
        with ThreadPoolExecutor(max_workers=self._concurrency) as pool:
            pending = {pool.submit(self._piece, samples, s, e, known) for s, e in spans}
            try:
                while pending:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        outcome = future.result()
                        if isinstance(outcome, list):  # too big once encoded: split again
                            pending |= {pool.submit(self._piece, samples, s, e, known) for s, e in outcome}
                        else:
                            pieces[outcome[0]] = outcome[1]
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        known.forget()
        return pieces

    def plan(self, samples: Samples) -> list[tuple[int, int]]:
        """The chunks this engine sends for ``samples``: full rounds of
        ``concurrency`` balanced pieces, each under the length cap."""
        count = chunk_count(len(samples), self._chunk_samples, self._concurrency, self._min_chunk_samples)
        return plan_chunks(samples, TARGET_RATE, self._chunk_samples, min_count=count)

    def _piece(self, samples: Samples, start: int, end: int, known: RecordingChunks) -> Piece:
        """Transcribe one chunk (or recall it from an earlier delivery), or return
        smaller spans if its FLAC is over the limit."""
        recalled = known.recall(start, end)
        if recalled is not None:
            return start, recalled
        with flac_file(samples[start:end]) as data:
            size = os.fstat(data.fileno()).st_size
            if size > self._max_bytes and end - start > TARGET_RATE:
                # Aim 10 % under the size the measured compression ratio suggests.
                target = max(TARGET_RATE, int((end - start) * self._max_bytes / size * 0.9))
                spans = plan_chunks(samples[start:end], TARGET_RATE, target)
                return [(start + s, start + e) for s, e in spans]
            # (a 1 s chunk still over the limit is sent anyway: the API says why it is refused)
            words = self._transcribe_piece(data, start, end)
        known.keep(start, end, words)  # at once: a later chunk may fail, or the worker die
        return start, words

    def _transcribe_piece(self, data: IO[bytes], start: int, end: int) -> list[SpokenWord]:
        offset, stop = start / TARGET_RATE, end / TARGET_RATE
        try:
            result = self._retry.run(lambda: self._request(data), label=self.engine)
        except RetriesExhausted as exc:
            raise TranscriptionError(
                "engine_unavailable",
                f"OpenAI transcription failed after {exc.attempts} attempts: {exc.last.reason}",
                retryable=True,
            ) from None
        return words_of(result, offset, stop)

    def _request(self, data: IO[bytes]) -> Transcription | TranscriptionVerbose:
        """One HTTP request, counted by outcome (``recital_engine_requests_total``)."""
        try:
            result = self._send(data)
        except RetryableError:
            ENGINE_REQUESTS.labels(self.engine, "retryable").inc()
            raise
        except Exception:
            ENGINE_REQUESTS.labels(self.engine, "rejected").inc()
            raise
        ENGINE_REQUESTS.labels(self.engine, "ok").inc()
        return result

    def _send(self, data: IO[bytes]) -> Transcription | TranscriptionVerbose:
        data.seek(0)  # a retry sends the same file again
        file = ("audio.flac", data, "audio/flac")
        language = self._language if self._language else openai.omit
        try:
            if self.word_times:
                return checked(
                    self._client.audio.transcriptions.create(
                        file=file,
                        model=self.model,
                        language=language,
                        response_format="verbose_json",
                        timestamp_granularities=["word"],
                    )
                )
            return checked(
                self._client.audio.transcriptions.create(
                    file=file, model=self.model, language=language, response_format="json"
                )
            )
        except openai.APIStatusError as exc:
            raise classify_status(exc, self._key) from None
        except openai.APITimeoutError:
            raise RetryableError("timeout") from None
        except openai.APIConnectionError:
            raise RetryableError("connection error") from None
        except (openai.APIResponseValidationError, ValueError) as exc:
            # Malformed body (a proxy's HTML page, a cut-off JSON, JSON that is
            # not a transcription: ``checked``): transient.
            raise RetryableError(f"malformed response ({type(exc).__name__})") from None
