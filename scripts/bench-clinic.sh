#!/usr/bin/env bash
# The scheduling benchmark: a private PostgreSQL with a million appointments, then
# `clinic-bot bench-clinic` (latencies). Figures go to docs/benchmarks.md by hand.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/setup.sh
source scripts/lib/postgres.sh
swift_ensure
pg_install
swift build -c release --product clinic-bot >/dev/null
bin=$(swift build -c release --show-bin-path)/clinic-bot

work=$(mktemp -d /tmp/clinic-bench.XXXXXX)
chmod 755 "$work"
trap 'pg_stop "$work/pg"; rm -rf "$work"' EXIT
pg_start "$work/pg" "${CLINIC_BENCH_PG_PORT:-55460}" "-c fsync=off -c synchronous_commit=off -c shared_buffers=256MB"
"$bin" migrate >/dev/null
echo "generating the clinic (a minute or two)…"
psql -q "$DATABASE_URL" -f scripts/bench/clinic-data.sql
"$bin" bench-clinic "$@"
