#!/usr/bin/env bash
# The whole suite: unit, integration (real Postgres, Redis, Celery workers,
# GCS emulator, OpenAI-compatible test server) and fault tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/start-services.sh
exec .venv/bin/pytest -q -p no:cacheprovider "$@"
