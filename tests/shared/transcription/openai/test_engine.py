"""The OpenAI engine against the local OpenAI-compatible server, faults included."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from email.utils import formatdate

import numpy as np
import openai
import pytest

from shared.audio.types import DecodedAudio
from shared.settings import Settings
from shared.transcription.chunking import plan_chunks
from shared.transcription.openai.engine import OpenAITranscriber
from shared.transcription.openai.retry import parse_retry_after
from shared.transcription.port import TranscriptionError
from tests.support.openai_server import API_KEY, Fault, OpenAITestServer, tone_recording

MakeEngine = Callable[..., OpenAITranscriber]
PITCHES = [400 + 50 * i for i in range(24)]


def audio_of(samples: np.ndarray) -> DecodedAudio:
    return DecodedAudio(samples.astype(np.float32), "wav", 16_000, 1)


def assert_matches(words: tuple, truth: list, tolerance: float = 0.03) -> None:
    assert [w.text for w in words] == [t[0] for t in truth]
    for word, (_, start, end) in zip(words, truth, strict=True):
        assert abs(word.start - start) <= tolerance and abs(word.end - end) <= tolerance


def test_verbose_json_words_become_spoken_words(
    make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    samples, truth = tone_recording(PITCHES[:5])
    transcript = make_engine().transcribe(audio_of(samples), reference_text="tone400 tone999")
    assert_matches(transcript.words, truth)
    assert (transcript.engine, transcript.model) == ("openai", "whisper-1")
    [sent] = openai_server.requests
    assert sent.fields["response_format"] == "verbose_json"
    assert sent.fields["timestamp_granularities"] == ["word"]
    assert "prompt" not in sent.fields  # the reference text never primes the model
    assert sent.filename.endswith(".flac") and sent.duration == pytest.approx(len(samples) / 16e3)


def test_from_settings_builds_a_working_engine(openai_server: OpenAITestServer) -> None:
    settings = Settings(openai_api_key=API_KEY, openai_base_url=openai_server.base_url, openai_concurrency=2)
    samples, truth = tone_recording(PITCHES[:3])
    assert_matches(OpenAITranscriber.from_settings(settings).transcribe(audio_of(samples)).words, truth)


def test_large_recording_split_at_silences_under_the_byte_limit(
    make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    samples, truth = tone_recording(PITCHES)
    limit = 40_000
    transcript = make_engine(max_request_bytes=limit).transcribe(audio_of(samples))
    sizes = [r.file_bytes for r in openai_server.requests]
    assert len(sizes) >= 3 and max(sizes) <= limit
    assert transcript.extra["chunks"] == len(sizes)
    # Every word back, once, at its place in the whole recording: offsets stitched.
    assert_matches(transcript.words, truth)
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts)
    assert sum(r.duration or 0 for r in openai_server.requests) == pytest.approx(
        len(samples) / 16e3, abs=1e-3
    )


def test_long_recording_split_by_chunk_length(
    make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    samples, truth = tone_recording(PITCHES)
    transcript = make_engine(chunk_seconds=4.0).transcribe(audio_of(samples))
    durations = [r.duration or 0 for r in openai_server.requests]
    assert len(durations) >= 4 and max(durations) <= 4.0
    assert_matches(transcript.words, truth)


def test_chunks_run_in_parallel_within_the_concurrency_bound(
    make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    openai_server.latency_per_audio_second = 0.08
    samples, truth = tone_recording(PITCHES)
    transcript = make_engine(chunk_seconds=2.5, concurrency=2).transcribe(audio_of(samples))
    assert len(openai_server.requests) >= 6
    assert openai_server.max_in_flight == 2
    assert_matches(transcript.words, truth)


def test_server_rejects_files_over_25_mb_like_the_api(openai_server: OpenAITestServer) -> None:
    client = openai.OpenAI(api_key=API_KEY, base_url=openai_server.base_url, max_retries=0)
    with pytest.raises(openai.APIStatusError) as caught:
        client.audio.transcriptions.create(
            file=("big.flac", b"\0" * (25 * 1024 * 1024 + 1), "audio/flac"), model="whisper-1"
        )
    assert caught.value.status_code == 413
    assert set(caught.value.response.json()["error"]) == {"message", "type", "param", "code"}


def test_server_checks_auth_fields_and_formats(openai_server: OpenAITestServer) -> None:
    samples, _ = tone_recording(PITCHES[:1])
    flac = _flac(samples)
    client = openai.OpenAI(api_key="sk-wrong", base_url=openai_server.base_url, max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.audio.transcriptions.create(file=("a.flac", flac), model="whisper-1")
    client = openai.OpenAI(api_key=API_KEY, base_url=openai_server.base_url, max_retries=0)
    with pytest.raises(openai.BadRequestError):
        client.audio.transcriptions.create(file=("a.txt", flac), model="whisper-1")
    with pytest.raises(openai.BadRequestError):
        client.audio.transcriptions.create(
            file=("a.flac", flac), model="whisper-1", extra_body={"bogus": "1"}
        )
    assert openai_server.violations and "bogus" in openai_server.violations[0]
    openai_server.violations.clear()  # that violation was the point
    text = client.audio.transcriptions.create(file=("a.wav", flac), model="whisper-1", response_format="text")
    assert text.strip() == "tone400"


def test_429_retry_after_is_honoured(make_engine: MakeEngine, openai_server: OpenAITestServer) -> None:
    openai_server.faults.append(Fault.rate_limited(retry_after="1"))
    samples, truth = tone_recording(PITCHES[:2])
    began = time.monotonic()
    transcript = make_engine().transcribe(audio_of(samples))
    assert time.monotonic() - began >= 1.0
    assert [r.status for r in openai_server.requests] == [429, 200]
    assert_matches(transcript.words, truth)


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after({"retry-after": "3"}, now) == 3.0
    assert parse_retry_after({"retry-after": formatdate(now + 7, usegmt=True)}, now) == 7.0
    assert parse_retry_after({"retry-after-ms": "250"}, now) == 0.25
    assert parse_retry_after({"retry-after": "soon"}, now) is None


@pytest.mark.parametrize(
    "faults",
    [
        [Fault.server_error(500), Fault.server_error(503)],
        [Fault("status", 408), Fault("status", 409)],
        [Fault.malformed()],
        [Fault.drop()],
        [Fault.html()],
        [Fault.incomplete()],
    ],
    ids=["5xx", "408-409", "malformed-body", "dropped-connection", "html-page-200", "json-without-text"],
)
def test_transient_failures_are_retried(
    faults: list[Fault], make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    openai_server.faults.extend(faults)
    samples, truth = tone_recording(PITCHES[:2])
    assert_matches(make_engine().transcribe(audio_of(samples)).words, truth)
    assert len(openai_server.requests) == len(faults) + 1


def test_timeout_is_retried(make_engine: MakeEngine, openai_server: OpenAITestServer) -> None:
    openai_server.faults.append(Fault.slow(3.0))
    samples, truth = tone_recording(PITCHES[:2])
    began = time.monotonic()
    assert_matches(make_engine(timeout=0.5).transcribe(audio_of(samples)).words, truth)
    assert time.monotonic() - began < 2.5
    assert len(openai_server.requests) == 2


def test_400_fails_without_retry(make_engine: MakeEngine, openai_server: OpenAITestServer) -> None:
    openai_server.faults.append(Fault.bad_request())
    samples, _ = tone_recording(PITCHES[:2])
    with pytest.raises(TranscriptionError) as caught:
        make_engine().transcribe(audio_of(samples))
    assert (caught.value.code, caught.value.retryable) == ("engine_rejected", False)
    assert "400" in caught.value.message
    assert len(openai_server.requests) == 1


def test_exhausted_retries_are_retryable_unavailable(
    make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    openai_server.faults.extend([Fault.server_error(502)] * 4)
    samples, _ = tone_recording(PITCHES[:2])
    with pytest.raises(TranscriptionError) as caught:
        make_engine().transcribe(audio_of(samples))
    assert (caught.value.code, caught.value.retryable) == ("engine_unavailable", True)
    assert len(openai_server.requests) == 4


def test_answers_that_are_not_transcriptions_end_unavailable_not_in_a_crash(
    make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    # A gateway's HTML page with 200 came back from the SDK as a str, and JSON
    # without "text" as an empty model: both crashed the job (processing_error).
    openai_server.faults.extend([Fault.html(), Fault.incomplete()] * 2)
    samples, _ = tone_recording(PITCHES[:2])
    with pytest.raises(TranscriptionError) as caught:
        make_engine().transcribe(audio_of(samples))
    assert (caught.value.code, caught.value.retryable) == ("engine_unavailable", True)
    assert "malformed response" in caught.value.message
    assert len(openai_server.requests) == 4


def test_api_key_never_in_logs_or_errors(
    make_engine: MakeEngine, openai_server: OpenAITestServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, SDK and HTTP client included
    samples, _ = tone_recording(PITCHES[:2])
    openai_server.faults.extend([Fault.rate_limited("0"), Fault.server_error(500)])
    make_engine().transcribe(audio_of(samples))
    wrong_key = "sk-wrong-abcdef0123456789SECRET"
    engine = make_engine()
    engine.__init__(wrong_key, base_url=openai_server.base_url)  # type: ignore[misc]
    with pytest.raises(TranscriptionError) as caught:
        engine.transcribe(audio_of(samples))
    assert caught.value.code == "engine_unavailable" and "401" in str(caught.value)
    for secret in (API_KEY, wrong_key, "SECRET"):
        assert secret not in caplog.text
        assert secret not in str(caught.value) and secret not in repr(caught.value.args)
    assert "retrying" in caplog.text  # the retries were logged, just not the key


def test_gpt4o_family_gets_json_and_evenly_spread_times(
    make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    samples, truth = tone_recording(PITCHES[:4])
    transcript = make_engine(model="gpt-4o-transcribe").transcribe(audio_of(samples))
    [sent] = openai_server.requests
    assert sent.fields["response_format"] == "json"
    assert "timestamp_granularities" not in sent.fields
    assert [w.text for w in transcript.words] == [t[0] for t in truth]
    assert transcript.extra["word_times"] == "approximate"
    step = len(samples) / 16e3 / 4
    assert [w.start for w in transcript.words] == pytest.approx([i * step for i in range(4)])


def test_empty_audio_sends_nothing(make_engine: MakeEngine, openai_server: OpenAITestServer) -> None:
    transcript = make_engine().transcribe(audio_of(np.zeros(0)))
    assert transcript.words == () and openai_server.requests == []


def test_chunk_cuts_land_in_silence() -> None:
    samples, truth = tone_recording(PITCHES)
    spans = plan_chunks(samples, 16_000, max_samples=3 * 16_000)
    assert spans[0][0] == 0 and spans[-1][1] == len(samples)
    assert all(b - a <= 3 * 16_000 for a, b in spans)
    assert all(prev[1] == nxt[0] for prev, nxt in zip(spans, spans[1:], strict=False))
    for cut in (b / 16_000 for _, b in spans[:-1]):
        assert not any(start - 0.02 < cut < end + 0.02 for _, start, end in truth)


def _flac(samples: np.ndarray) -> bytes:
    from shared.transcription.openai.flac import encode_flac

    return encode_flac(samples)


def test_chunks_are_balanced_so_parallel_wall_time_is_the_longest_chunk() -> None:
    rate = 1_000  # plan_chunks is rate-agnostic; a low rate keeps this instant
    silence = np.zeros(25 * 60 * rate, np.float32)
    spans = plan_chunks(silence, rate, max_samples=10 * 60 * rate)
    lengths = [b - a for a, b in spans]
    assert len(lengths) == 3 and max(lengths) <= 9 * 60 * rate
