"""An engine that runs in a child process, for ``recital serve``.

The embedded server runs the pages and a Celery worker in one interpreter
(the ``memory://`` broker cannot cross processes). PocketSphinx holds the GIL
while it decodes, so every page waited for the recording being scored: 10.7 s
for a two-minute recitation, 19.5 s for six minutes. Here the engine decodes
in a process of its own, started on first use and kept; the worker's thread
waits on a pipe, which releases the GIL, and the pages answer meanwhile.

A real deployment does not need this: its workers are processes already.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from shared.audio.types import DecodedAudio
from shared.domain.transcript import Transcript
from shared.transcription.port import Transcriber, TranscriptionError

_engine: Transcriber | None = None  # the child's own, built once by _load
ORPHAN_CHECK_SECONDS = 1.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class ChildProcessTranscriber:
    """``kind`` is built and called in the child; its class attributes (engine, model,
    recognition_version, uses_reference, …) are read here without starting it."""

    def __init__(self, kind: type[Any]) -> None:
        self._kind = kind
        self.engine: str = kind.engine
        self.model: str = kind.model
        self.recognition_version: str = kind.recognition_version
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._kind, name)

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        pool = self._started()
        try:
            heard = pool.submit(_transcribe, audio, reference_text)
        except BrokenProcessPool:  # it died while idle (QA: a kill cost the next recording a delivery)
            self._discard(pool)
            pool = self._started()
            heard = pool.submit(_transcribe, audio, reference_text)
        try:
            transcript: Transcript = heard.result()
        except BrokenProcessPool:  # it died hearing this one (killed, out of memory): a new one next time
            self._discard(pool)
            raise TranscriptionError(
                "engine_failed", "The speech recogniser stopped; try again.", retryable=True
            ) from None
        return transcript

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the parent has threads (the web server's, the worker's).
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=get_context("spawn"), initializer=_load, initargs=(self._kind,)
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


def _load(kind: type[Any]) -> None:
    global _engine
    # Ctrl-C in the terminal reaches the whole process group: the server stops
    # its worker and this pool in order, so the child does not act on it itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A server killed outright (SIGTERM, SIGKILL, a second Ctrl-C) cannot stop it: the
    # kernel ends it with the server (Linux); elsewhere it goes when it finds itself
    # orphaned, which waits for a decode to end (PocketSphinx holds the GIL meanwhile).
    _die_with_parent()
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    _engine = kind()


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the orphan check alone
        pass


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(0)


def _transcribe(audio: DecodedAudio, reference_text: str | None) -> Transcript:
    assert _engine is not None, "the pool's initializer builds the engine"
    return _engine.transcribe(audio, reference_text)
