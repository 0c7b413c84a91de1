"""A local OpenAI-compatible test server for ``POST /v1/audio/transcriptions`` (and
``POST /v1/chat/completions``, in tests/support/openai_chat.py).

It behaves like the real API where Recital depends on it: Bearer auth (401),
multipart fields, the accepted file extensions, the 25 MB limit (413), OpenAI's
error JSON, ``json`` / ``verbose_json`` / ``text`` responses with words and
segments. It "transcribes" by decoding the audio and turning each tone burst
into a word named after its pitch (``tone650``), so a test knows exactly which
word sits where and can check timestamps stitched across chunks; a test may
plug in its own function instead.

Every request and response is validated against OpenAI's published schemas
(``../shared/openai/openapi.yaml`` beside the repository); violations are recorded and the fixture
fails the test at teardown. Faults are queued per request.
"""

from __future__ import annotations

import io
import math
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import numpy.typing as npt
import referencing
import referencing.jsonschema
import soundfile as sf
import yaml
from flask import Flask, Response, jsonify, request
from werkzeug.serving import BaseWSGIServer, make_server

from tests.support.openai_chat import chat_completions, default_reply

# ../shared/openai next to the repository (never copied into it); overridable.
OPENAPI_PATH = Path(
    os.environ.get("RECITAL_OPENAPI_PATH")
    or Path(__file__).resolve().parents[3] / "shared" / "openai" / "openapi.yaml"
)
MAX_FILE_BYTES = 25 * 1024 * 1024
EXTENSIONS = ("flac", "mp3", "mp4", "mpeg", "mpga", "m4a", "ogg", "wav", "webm")
WORD_TIMESTAMP_MODELS = ("whisper-1",)
API_KEY = "sk-recital-test-0123456789abcdefSECRET"  # what tests give the engine and server

Word = tuple[str, float, float]
Recogniser = Callable[[npt.NDArray[np.float32], int], list[Word]]


class OpenAPISchemas:
    """The transcription schemas of OpenAI's API description, $refs resolved in place."""

    _URI = "urn:openai-openapi"

    def __init__(self, path: Path = OPENAPI_PATH) -> None:
        with path.open("rb") as handle:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            document = yaml.load(handle, Loader=loader)  # noqa: S506 - safe loader
        resource = referencing.Resource.from_contents(
            document, default_specification=referencing.jsonschema.DRAFT202012
        )
        self._registry: referencing.Registry[Any] = referencing.Registry().with_resource(self._URI, resource)

    def errors(self, name: str, instance: Any) -> list[str]:
        schema = {"$ref": f"{self._URI}#/components/schemas/{name}"}
        validator = jsonschema.Draft202012Validator(schema, registry=self._registry)
        return [f"{name}: {e.json_path}: {e.message}" for e in validator.iter_errors(instance)]


@dataclass(frozen=True)
class Fault:
    kind: str  # status | slow | malformed | drop | html | incomplete
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0

    @classmethod
    def rate_limited(cls, retry_after: str | None = "1") -> Fault:
        return cls("status", 429, retry_after)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        return cls("status", status)

    @classmethod
    def bad_request(cls) -> Fault:
        return cls("status", 400)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        return cls("slow", seconds=seconds)

    @classmethod
    def malformed(cls) -> Fault:
        return cls("malformed")

    @classmethod
    def drop(cls) -> Fault:
        return cls("drop")

    @classmethod
    def html(cls) -> Fault:
        """A 200 with a proxy's or gateway's HTML page instead of the API's JSON."""
        return cls("html")

    @classmethod
    def incomplete(cls) -> Fault:
        """A 200 with well-formed JSON that is not a transcription (no text)."""
        return cls("incomplete")


@dataclass
class RecordedRequest:
    fields: dict[str, Any]
    filename: str
    file_bytes: int
    duration: float | None
    status: int = 0
    fault: str | None = None
    began: float = field(default_factory=time.monotonic)


def tone_words(samples: npt.NDArray[np.float32], rate: int) -> list[Word]:
    """Each burst of sound becomes a word named after its pitch (10 Hz steps)."""
    hop = rate // 100  # 10 ms frames
    frames = len(samples) // hop
    if frames == 0:
        return []
    rms = np.sqrt(np.mean(samples[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    loud = np.concatenate(([False], rms > 0.05, [False]))
    edges = np.flatnonzero(np.diff(loud.astype(np.int8)))
    words: list[Word] = []
    for first, last in zip(edges[::2], edges[1::2], strict=True):
        if last - first < 3:  # under 30 ms: a click, not a word
            continue
        burst = samples[first * hop : last * hop]
        spectrum = np.abs(np.fft.rfft(burst * np.hanning(len(burst))))
        pitch = np.fft.rfftfreq(len(burst), 1 / rate)[int(np.argmax(spectrum))]
        words.append((f"tone{int(round(pitch / 10) * 10)}", first / 100, last / 100))
    return words


def tone_recording(
    pitches: list[int], word: float = 0.3, gap: float = 0.3, rate: int = 16_000, lead: float = 0.5
) -> tuple[npt.NDArray[np.float32], list[Word]]:
    """Synthetic "speech": one tone per word, silences (faint noise) between."""
    rng = np.random.default_rng(7)
    total = lead * 2 + len(pitches) * (word + gap)
    samples = (rng.standard_normal(int(total * rate)) * 0.001).astype(np.float32)
    truth: list[Word] = []
    t = np.arange(int(word * rate)) / rate
    for i, pitch in enumerate(pitches):
        start = lead + i * (word + gap)
        at = int(start * rate)
        samples[at : at + len(t)] += (0.5 * np.sin(2 * np.pi * pitch * t)).astype(np.float32)
        truth.append((f"tone{pitch}", start, start + word))
    return samples, truth


class OpenAITestServer:
    def __init__(self, schemas: OpenAPISchemas | None, api_key: str = API_KEY) -> None:
        self.schemas = schemas
        self.api_key = api_key
        self.recogniser: Recogniser = tone_words
        self.chat_reply: Callable[[str], str] = default_reply
        self.chat_requests: list[dict[str, Any]] = []
        self.chat_faults: deque[Fault] = deque()
        self.faults: deque[Fault] = deque()
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        self.latency_per_audio_second = 0.0
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.app = self._build_app()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def start(self) -> OpenAITestServer:
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes requests sleeping in a slow fault
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def reset(self) -> None:
        """Between tests: wake any request still sleeping in a fault, then forget all."""
        self._stopping.set()
        deadline = time.monotonic() + 2.0
        while self._in_flight and time.monotonic() < deadline:
            time.sleep(0.01)
        self._stopping = threading.Event()
        self.faults.clear()
        self.requests.clear()
        self.violations.clear()
        self.latency_per_audio_second = 0.0
        self.max_in_flight = 0
        self.recogniser = tone_words
        self.chat_reply = default_reply
        self.chat_requests.clear()
        self.chat_faults.clear()

    # -- the endpoint ---------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask("openai-test-server")
        app.add_url_rule("/v1/audio/transcriptions", "transcriptions", self._transcriptions, methods=["POST"])
        app.add_url_rule("/v1/chat/completions", "chat", lambda: chat_completions(self), methods=["POST"])
        return app

    def _transcriptions(self) -> Response:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            return self._handle()
        finally:
            with self._lock:
                self._in_flight -= 1

    def _handle(self) -> Response:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            request.get_data()  # drain the upload so the client reads our answer
            return self._error(
                401, "Incorrect API key provided.", "invalid_request_error", code="invalid_api_key"
            )
        if (request.content_length or 0) > MAX_FILE_BYTES + 1024 * 1024:
            request.get_data()
            return self._error(
                413,
                "Maximum content size limit (26214400) exceeded.",
                "invalid_request_error",
                param="file",
            )
        upload = request.files.get("file")
        data = upload.read() if upload is not None else b""
        record = RecordedRequest(
            self._fields(), (upload.filename or "") if upload else "", len(data), _duration(data)
        )
        with self._lock:
            self.requests.append(record)
        fault = self.faults.popleft() if self.faults else None
        if fault is not None:
            record.fault = fault.kind
            faulted = self._apply(fault)
            if faulted is not None:
                record.status = faulted.status_code
                return faulted
        response = self._answer(record, data)
        record.status = response.status_code
        return response

    def _fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for key in request.form:
            values = request.form.getlist(key)
            fields[key.removesuffix("[]")] = values if key.endswith("[]") else values[0]
        return fields

    def _apply(self, fault: Fault) -> Response | None:
        if fault.kind == "status":
            response = self._error(
                fault.status,
                f"Injected HTTP {fault.status}",
                "server_error" if fault.status >= 500 else "invalid_request_error",
            )
            if fault.retry_after is not None:
                response.headers["Retry-After"] = fault.retry_after
            return response
        if fault.kind == "slow":
            self._stopping.wait(fault.seconds)
            return None  # then answer normally, too late for the client
        if fault.kind == "malformed":
            return Response('{"text": "cut off', status=200, mimetype="application/json")
        if fault.kind == "html":
            return Response("<html><body>Upstream busy</body></html>", status=200, mimetype="text/html")
        if fault.kind == "incomplete":
            return Response('{"status": "ok"}', status=200, mimetype="application/json")
        if fault.kind == "drop":
            sock: socket.socket = request.environ["werkzeug.socket"]
            sock.shutdown(socket.SHUT_RDWR)
            return Response("", status=200)
        raise ValueError(f"unknown fault {fault.kind}")

    def _answer(self, record: RecordedRequest, data: bytes) -> Response:
        fields = record.fields
        problem = self._check_request(fields, record.filename, data)
        if problem is not None:
            return problem
        samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
        mono = samples.mean(axis=1).astype(np.float32)
        duration = len(mono) / rate
        if self.latency_per_audio_second:
            self._stopping.wait(duration * self.latency_per_audio_second)
        words = self.recogniser(mono, rate)
        text = " ".join(w for w, _, _ in words)
        response_format = fields.get("response_format", "json")
        if response_format == "text":
            return Response(text, mimetype="text/plain")
        if response_format == "json":
            return self._json("CreateTranscriptionResponseJson", {"text": text})
        body = _verbose(words, text, duration, fields.get("timestamp_granularities", []))
        return self._json("CreateTranscriptionResponseVerboseJson", body)

    def _check_request(self, fields: dict[str, Any], filename: str, data: bytes) -> Response | None:
        instance = {**fields, "file": filename}
        if "temperature" in fields:
            try:
                instance["temperature"] = float(fields["temperature"])
            except ValueError:
                return self._error(400, "temperature must be a number", param="temperature")
        violations = self.schemas.errors("CreateTranscriptionRequest", instance) if self.schemas else []
        if violations:
            self.violations.extend(f"request {v}" for v in violations)
            return self._error(400, "; ".join(violations))
        return self._semantics(fields, filename, data)

    def _semantics(self, fields: dict[str, Any], filename: str, data: bytes) -> Response | None:
        if not data:
            return self._error(400, "Missing file", param="file")
        if len(data) > MAX_FILE_BYTES:
            return self._error(413, f"Maximum content size limit ({MAX_FILE_BYTES}) exceeded.", param="file")
        if filename.rsplit(".", 1)[-1].lower() not in EXTENSIONS or "." not in filename:
            return self._error(
                400, f"Invalid file format. Supported formats: {list(EXTENSIONS)}", param="file"
            )
        response_format = fields.get("response_format", "json")
        if response_format not in ("json", "verbose_json", "text"):
            return self._error(
                400,
                f"response_format {response_format!r} is not supported here",
                param="response_format",
            )
        if response_format == "verbose_json" and fields["model"] not in WORD_TIMESTAMP_MODELS:
            return self._error(
                400,
                f"response_format 'verbose_json' is not compatible with model '{fields['model']}'",
                param="response_format",
            )
        if fields.get("timestamp_granularities") and response_format != "verbose_json":
            return self._error(
                400,
                "timestamp_granularities requires verbose_json",
                param="timestamp_granularities",
            )
        if _duration(data) is None:
            return self._error(
                400,
                "The audio file could not be decoded or its format is not supported.",
                param="file",
            )
        return None

    def _json(self, schema: str, body: dict[str, Any]) -> Response:
        if self.schemas:
            self.violations.extend(f"response {v}" for v in self.schemas.errors(schema, body))
        return jsonify(body)

    def _error(
        self,
        status: int,
        message: str,
        kind: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> Response:
        body = {"error": {"message": message, "type": kind, "param": param, "code": code}}
        response = self._json("ErrorResponse", body)
        response.status_code = status
        return response


def _duration(data: bytes) -> float | None:
    try:
        info = sf.info(io.BytesIO(data))
    except (RuntimeError, sf.LibsndfileError, TypeError, ValueError):
        return None
    return float(info.frames) / info.samplerate if info.samplerate else None


def _verbose(words: list[Word], text: str, duration: float, granularities: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "task": "transcribe",
        "language": "english",
        "duration": duration,
        "text": text,
        "usage": {"type": "duration", "seconds": math.ceil(duration)},
    }
    if "word" in granularities:
        body["words"] = [{"word": w, "start": s, "end": e} for w, s, e in words]
    if "segment" in granularities or not granularities or "word" not in granularities:
        body["segments"] = [
            {
                "id": 0,
                "seek": 0,
                "start": 0.0,
                "end": duration,
                "text": " " + text,
                "tokens": [50364, 50530],
                "temperature": 0.0,
                "avg_logprob": -0.2,
                "compression_ratio": 1.2,
                "no_speech_prob": 0.01,
            }
        ]
    return body
