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
apt_ensure ca-certificates libcurl4 libxml2 tzdata pkg-config libhiredis-dev redis-server
swift_ensure
pg_install
swift build -c release --product clinic-bot >/dev/null
bin=$(swift build -c release --show-bin-path)/clinic-bot

work=$(mktemp -d /tmp/clinic-bench-webhook.XXXXXX)
chmod 755 "$work"
trap 'redis_stop "$work/redis" || true; pg_stop "$work/pg" || true; rm -rf "$work"' EXIT
pg_start "$work/pg" "${CLINIC_BENCH_PG_PORT:-55461}" "-c fsync=off -c synchronous_commit=off -c shared_buffers=256MB"
mkdir -p "$work/redis"
redis_start "$work/redis" "${CLINIC_BENCH_REDIS_PORT:-56391}"
export PII_ENCRYPTION_KEY=${PII_ENCRYPTION_KEY:-$(head -c 32 /dev/urandom | base64)}
"$bin" migrate >/dev/null
"$bin" bench-webhook "$@"
