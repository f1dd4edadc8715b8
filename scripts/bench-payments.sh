#!/usr/bin/env bash
# The bank callbacks benchmark: a private PostgreSQL, a release build, the demo clinic, then
# `clinic-bot bench-payments` (a bank on loopback pays invoices; its signed callbacks go to a
# real `clinic-bot api`). Figures go to docs/benchmarks.md by hand.
#   scripts/bench-payments.sh [--invoices N] [--concurrency C]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/setup.sh
source scripts/lib/postgres.sh
source scripts/lib/redis.sh
source scripts/lib/bench.sh
bench_install
bench_services bench-payments "${CLINIC_BENCH_PG_PORT:-55465}" "${CLINIC_BENCH_REDIS_PORT:-56395}"
"$bin" migrate >/dev/null
"$bin" bench-payments "$@"
