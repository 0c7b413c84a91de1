"""One rate limit for every worker: token buckets in Redis, taken atomically by a Lua script.

Celery's ``rate_limit`` is per worker; re-transcription must keep the engine's
limits however many workers run. Two buckets share one script call: requests
per minute and audio seconds per hour. A take succeeds only if both have
enough, and then takes from both; otherwise it says how long to wait.
Buckets start full and refill continuously (Redis's own clock, so workers'
clocks do not matter).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import redis

from shared.settings import Settings

# KEYS: requests bucket, audio bucket. ARGV: request capacity, per second;
# audio capacity, per second; audio seconds to take. Returns the seconds to
# wait as a string ("0": taken).
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local function level(key, capacity, rate)
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens, at = tonumber(state[1]), tonumber(state[2])
  if tokens == nil then return capacity end
  return math.min(capacity, tokens + (now - at) * rate)
end
local rcap, rrate = tonumber(ARGV[1]), tonumber(ARGV[2])
local acap, arate = tonumber(ARGV[3]), tonumber(ARGV[4])
local cost = math.min(tonumber(ARGV[5]), acap)
local requests, audio = level(KEYS[1], rcap, rrate), level(KEYS[2], acap, arate)
local wait = math.max((1 - requests) / rrate, (cost - audio) / arate, 0)
if wait > 0 then return tostring(wait) end
redis.call('HSET', KEYS[1], 'tokens', requests - 1, 'at', now)
redis.call('HSET', KEYS[2], 'tokens', audio - cost, 'at', now)
redis.call('EXPIRE', KEYS[1], 7200)
redis.call('EXPIRE', KEYS[2], 7200)
return '0'
"""


@dataclass(frozen=True)
class Limits:
    requests_per_minute: float
    audio_minutes_per_hour: float


class SharedRateLimit:
    """``take(audio_seconds)`` blocks until one request and that much audio may go."""

    def __init__(self, client: redis.Redis, limits: Limits, name: str = "recital:retranscribe") -> None:
        self._script: Any = client.register_script(_TAKE)
        self._keys = [f"{name}:requests", f"{name}:audio"]
        rpm, per_hour = limits.requests_per_minute, limits.audio_minutes_per_hour * 60
        self._args = [rpm, rpm / 60, per_hour, per_hour / 3600]

    def try_take(self, audio_seconds: float) -> float:
        """Take now if both buckets allow; else the seconds to wait (nothing taken)."""
        return float(self._script(keys=self._keys, args=[*self._args, audio_seconds]))

    def take(self, audio_seconds: float, timeout: float) -> bool:
        """Wait for the tokens, at most ``timeout`` seconds; False if they did not come."""
        deadline = time.monotonic() + timeout
        while (wait := self.try_take(audio_seconds)) > 0:
            if time.monotonic() + wait > deadline:
                return False
            time.sleep(wait)
        return True


def retranscribe_limit(settings: Settings) -> SharedRateLimit:
    """The re-transcription limit on the broker's Redis, which every worker reaches."""
    if not settings.redis_broker:
        raise ValueError("re-transcription needs Redis (RECITAL_BROKER_URL) for its shared rate limit")
    limits = Limits(settings.retranscribe_requests_per_minute, settings.retranscribe_audio_minutes_per_hour)
    return SharedRateLimit(redis.Redis.from_url(settings.broker_url), limits)
