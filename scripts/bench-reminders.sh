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
apt_ensure ca-certificates libcurl4 libxml2 tzdata pkg-config libhiredis-dev redis-server
swift_ensure
pg_install
swift build -c release --product clinic-bot >/dev/null
bin=$(swift build -c release --show-bin-path)/clinic-bot

work=$(mktemp -d /tmp/clinic-bench-reminders.XXXXXX)
chmod 755 "$work"
trap 'redis_stop "$work/redis" || true; pg_stop "$work/pg" || true; rm -rf "$work"' EXIT
pg_start "$work/pg" "${CLINIC_BENCH_PG_PORT:-55462}" "-c fsync=off -c synchronous_commit=off -c shared_buffers=256MB"
mkdir -p "$work/redis"
redis_start "$work/redis" "${CLINIC_BENCH_REDIS_PORT:-56392}"
export PII_ENCRYPTION_KEY=${PII_ENCRYPTION_KEY:-$(head -c 32 /dev/urandom | base64)}
"$bin" migrate >/dev/null
echo "generating the clinic (a minute or two)…"
psql -q "$DATABASE_URL" -f scripts/bench/clinic-data.sql
"$bin" bench-reminders "$@"
