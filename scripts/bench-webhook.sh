#!/usr/bin/env bash
# The Telegram transport benchmark: a release `clinic-bot serve` in webhook mode with sessions
# in a private Redis and a private PostgreSQL, loaded by `clinic-bot bench-webhook` (complete
# registrations of simulated patients; a Bot API on loopback that answers at once).
# Arguments go to bench-webhook (e.g. --patients 1000 --concurrency 128).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/setup.sh
source scripts/lib/postgres.sh
source scripts/lib/redis.sh
source scripts/lib/bench.sh
bench_install
bench_services bench-webhook "${CLINIC_BENCH_PG_PORT:-55461}" "${CLINIC_BENCH_REDIS_PORT:-56391}"
"$bin" migrate >/dev/null
"$bin" bench-webhook "$@"
