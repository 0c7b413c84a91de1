"""What an OpenAI refusal becomes: a retry, or a reason with no key in it."""

from __future__ import annotations

import httpx2 as httpx
import openai

from shared.transcription.openai.errors import classify_status, redact
from shared.transcription.openai.retry import RetryableError
from shared.transcription.port import TranscriptionError

KEY = "sk-test-0123456789abcdefSECRET"


def _refusal(status: int, message: str, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/audio/transcriptions")
    response = httpx.Response(status, request=request, headers=headers or {})
    return openai.APIStatusError(message, response=response, body={"message": message})


def test_a_refusal_echoing_the_key_or_a_masked_one_names_neither() -> None:
    error = classify_status(_refusal(400, f"Bad file; key {KEY} and sk-abc***wxyz1 are not allowed"), KEY)
    assert isinstance(error, TranscriptionError) and not error.retryable
    assert error.code == "engine_rejected" and "HTTP 400" in error.message
    assert "Bad file" in error.message  # the reason a learner's admin can act on stays
    assert KEY not in error.message and "sk-abc" not in error.message
    assert error.message.count("[redacted]") == 2


def test_an_authentication_refusal_says_only_its_status() -> None:
    error = classify_status(_refusal(401, f"Incorrect API key provided: {KEY}"), KEY)
    assert isinstance(error, TranscriptionError)
    assert error.message == "OpenAI refused Recital's credentials (HTTP 401)"


def test_refused_credentials_are_the_service_unavailable_not_the_recording() -> None:
    for status in (401, 403):
        error = classify_status(_refusal(status, "Incorrect API key provided"), KEY)
        assert isinstance(error, TranscriptionError)
        assert (error.code, error.retryable) == ("engine_unavailable", True), status
    bad_file = classify_status(_refusal(400, "Invalid file format"), KEY)
    assert isinstance(bad_file, TranscriptionError)
    assert (bad_file.code, bad_file.retryable) == ("engine_rejected", False)


def test_rate_limits_and_server_errors_are_retried_after_the_servers_wait() -> None:
    limited = classify_status(_refusal(429, "slow down", {"Retry-After": "7"}), KEY)
    assert isinstance(limited, RetryableError) and limited.retry_after == 7.0
    assert isinstance(classify_status(_refusal(503, "busy"), KEY), RetryableError)


def test_request_timeouts_and_conflicts_are_retried_as_the_sdk_would() -> None:
    # The SDK's own retries (off here: retry.py decides) cover 408 and 409 too; a
    # gateway's 408 failed the attempt for good, "record it again".
    for status in (408, 409):
        assert isinstance(classify_status(_refusal(status, "try again"), KEY), RetryableError), status


def test_redacting_with_no_key_leaves_the_text_as_it_was() -> None:
    assert redact("nothing secret here", "") == "nothing secret here"
