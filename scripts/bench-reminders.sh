#!/usr/bin/env bash
# Reminders for 10,000 patients due at once: the million-appointment clinic of bench-clinic in a
# private PostgreSQL, a private Redis, a release `clinic-bot serve` at the default sending limits,
# and `clinic-bot bench-reminders` with its Bot API on loopback that refuses (429) a message
# beyond 30 in a second. Arguments go to bench-reminders (e.g. --count 2000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/setup.sh
source scripts/lib/postgres.sh
source scripts/lib/redis.sh
source scripts/lib/bench.sh
bench_install
bench_services bench-reminders "${CLINIC_BENCH_PG_PORT:-55462}" "${CLINIC_BENCH_REDIS_PORT:-56392}"
"$bin" migrate >/dev/null
echo "generating the clinic (a minute or two)…"
psql -q "$DATABASE_URL" -f scripts/bench/clinic-data.sql
"$bin" bench-reminders "$@"
