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

# The API's throughput for GET /api/bot/slots/ from wrk on the same machine.
apt_ensure wrk
export TELEGRAM_BOT_API_SECRET=bench-secret-of-at-least-32-characters PII_ENCRYPTION_KEY=${PII_ENCRYPTION_KEY:-$(head -c 32 /dev/urandom | base64)}
PORT=${CLINIC_BENCH_API_PORT:-18080} LOG_LEVEL=warning "$bin" api &
api=$!
trap 'kill $api 2>/dev/null; wait $api 2>/dev/null; pg_stop "$work/pg"; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:${CLINIC_BENCH_API_PORT:-18080}/api/bot/branches/" && break; sleep 0.1; done
echo "GET /api/bot/slots/ (random doctor and day), 20 s:"
wrk -t2 -c32 -d20s --latency -s scripts/bench/slots.lua "http://127.0.0.1:${CLINIC_BENCH_API_PORT:-18080}"
