"""The offline engine in a child process (``recital serve``): the same words as in this
process, heard in another process, its failures passed on, and a dead child replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from shared.audio.decode import decode_file
from shared.audio.types import TARGET_RATE, DecodedAudio
from shared.domain.transcript import SpokenWord, Transcript
from shared.transcription.child_process import ChildProcessTranscriber
from shared.transcription.offline import OfflineTranscriber
from shared.transcription.port import TranscriptionError
from tests.support.recitations import synthesise

PIECE = "The Lord is my shepherd; I shall not want. He restoreth my soul."
ROOT = Path(__file__).resolve().parents[3]


class Reporting:
    """Says which process heard it; refuses or dies when the reference text asks it to."""

    engine, model, recognition_version, uses_reference = "fake", "pid", "1", True

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        if reference_text == "refuse":
            raise TranscriptionError("too_long", "The recording is too long.")
        if reference_text == "die":
            os._exit(3)  # as the kernel's out-of-memory killer would leave it
        if reference_text == "hold":  # one long C call holding the GIL, as a decode does
            pow(7, 4_000_000)
        if reference_text == "busy":
            busy_until = time.perf_counter() + 1.0
            while time.perf_counter() < busy_until:  # pure Python: holds the GIL throughout
                pass
        return Transcript.of([SpokenWord(str(os.getpid()), 0.0, 0.1)], self.engine, self.model)


@pytest.fixture
def reporting() -> Iterator[ChildProcessTranscriber]:
    engine = ChildProcessTranscriber(Reporting)
    yield engine
    engine.close()


def silence() -> DecodedAudio:
    return DecodedAudio(np.zeros(TARGET_RATE, dtype=np.float32), "wav", TARGET_RATE, 1)


def heard_in(engine: ChildProcessTranscriber, reference: str | None = None) -> int:
    return int(engine.transcribe(silence(), reference).words[0].text)


def test_the_engine_is_described_without_starting_it(reporting: ChildProcessTranscriber) -> None:
    assert (reporting.engine, reporting.model, reporting.recognition_version) == ("fake", "pid", "1")
    assert reporting.uses_reference is True
    assert reporting._pool is None  # nothing started for that


def test_it_hears_in_one_other_process_kept_between_recordings(reporting: ChildProcessTranscriber) -> None:
    child = heard_in(reporting)
    assert child != os.getpid()
    assert heard_in(reporting) == child


def test_a_refusal_reaches_the_caller_with_its_code(reporting: ChildProcessTranscriber) -> None:
    with pytest.raises(TranscriptionError) as refused:
        reporting.transcribe(silence(), "refuse")
    assert (refused.value.code, refused.value.retryable) == ("too_long", False)
    heard_in(reporting)  # the child lives on


def test_a_child_that_died_is_a_retryable_failure_and_the_next_recording_gets_a_new_one(
    reporting: ChildProcessTranscriber,
) -> None:
    first = heard_in(reporting)
    with pytest.raises(TranscriptionError) as died:
        reporting.transcribe(silence(), "die")
    assert (died.value.code, died.value.retryable) == ("engine_failed", True)
    assert heard_in(reporting) not in (first, os.getpid())


def test_a_child_that_died_while_idle_is_replaced_before_the_next_recording(
    reporting: ChildProcessTranscriber,
) -> None:
    first = heard_in(reporting)
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while reporting._pool is not None and not reporting._pool._broken and time.monotonic() < deadline:
        time.sleep(0.05)  # until the pool has noticed, as it would have long before the next upload
    assert heard_in(reporting) not in (first, os.getpid())  # heard, not a failed delivery


def test_this_process_runs_on_while_the_child_is_busy(reporting: ChildProcessTranscriber) -> None:
    heard_in(reporting)  # started: the child's start-up is not what is measured
    ticks: list[float] = []
    hearing = threading.Thread(target=heard_in, args=(reporting, "busy"))
    hearing.start()
    while hearing.is_alive():  # in one process this loop would wait for the GIL for a second
        before = time.perf_counter()
        sum(range(1000))
        ticks.append(time.perf_counter() - before)
    hearing.join()
    assert len(ticks) > 100 and max(ticks) < 0.5


def test_the_child_goes_with_a_server_killed_outright_even_mid_decode() -> None:
    """SIGKILL (or a second Ctrl-C's exit) leaves no engine holding its memory."""
    script = (
        "from shared.transcription.child_process import ChildProcessTranscriber as C\n"
        "from tests.shared.transcription.test_child_process import Reporting, heard_in\n"
        "engine = C(Reporting)\nprint(heard_in(engine), flush=True)\n"
        "heard_in(engine, 'hold')\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    child = int(server.stdout.readline())
    time.sleep(0.2)  # the child is in its long call now
    server.kill()
    server.wait(10)
    deadline = time.monotonic() + 0.5  # the call lasts over a second: sooner, the kernel ended it
    while Path(f"/proc/{child}").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] != "Z":
        assert time.monotonic() < deadline, "the engine child outlived its server"
        time.sleep(0.02)


def test_the_offline_engine_hears_the_same_words_there(tmp_path: Path) -> None:
    audio = decode_file(str(synthesise(PIECE, tmp_path / "psalm.wav")), "wav")
    here = OfflineTranscriber().transcribe(audio, PIECE)
    elsewhere = ChildProcessTranscriber(OfflineTranscriber)
    try:
        assert elsewhere.transcribe(audio, PIECE) == here
        assert (elsewhere.engine, elsewhere.recognition_version) == (here.engine, here.recognition_version)
    finally:
        elsewhere.close()
