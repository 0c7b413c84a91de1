#!/usr/bin/env bash
# The whole suite: unit, integration (real Postgres, Redis, Celery workers,
# GCS emulator, OpenAI-compatible test server) and fault tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/start-services.sh
# The slowest tests are listed at the end: the suite must stay under 30 minutes.
exec .venv/bin/pytest -q -p no:cacheprovider --durations=20 "$@"
