#!/usr/bin/env bash
# The bot's main job. With TELEGRAM_BOT_TOKEN: the bot on Telegram (`clinic-bot serve`, long
# polling unless USE_WEBHOOK=true), sessions in a private Redis kept in .local/redis when
# REDIS_URL is unset. Without it: the dialogues in this terminal. Either way against a private
# PostgreSQL kept in .local/pg (started here when DATABASE_URL is unset).
# Extra arguments go to `clinic-bot chat` (e.g. --locale kk).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/setup.sh
source scripts/lib/postgres.sh
source scripts/lib/redis.sh

apt_ensure ca-certificates git libcurl4 libxml2 tzdata pkg-config libhiredis-dev redis-server \
    libpango1.0-dev libcairo2-dev fonts-dejavu-core
swift_ensure
pg_install

mkdir -p .local
echo "building clinic-bot (the first build takes a few minutes)…" >&2
swift build -c release --product clinic-bot >.local/build.log 2>&1 || {
    tail -n 40 .local/build.log >&2
    exit 1
}
bin=$(swift build -c release --show-bin-path)/clinic-bot

started_pg="" started_redis=""
if [ -z "${DATABASE_URL:-}" ]; then
    pg_start "$root/.local/pg" "${CLINIC_PG_PORT:-55432}"
    started_pg=1
fi
stop() {
    if [ -n "$started_redis" ]; then redis_stop "$root/.local/redis"; fi
    if [ -n "$started_pg" ]; then pg_stop "$root/.local/pg"; fi
}
trap stop EXIT

# A key for IIN and phone encryption, made once and kept beside the private database.
if [ -z "${PII_ENCRYPTION_KEY:-}" ]; then
    if [ ! -s .local/pii.key ]; then (umask 077; head -c 32 /dev/urandom | base64 >.local/pii.key); fi
    PII_ENCRYPTION_KEY=$(cat .local/pii.key)
    export PII_ENCRYPTION_KEY
fi

"$bin" migrate
# The demo clinic, on first start only: seed-demo adds nothing to a database already seeded or
# holding a clinic of its own.
"$bin" seed-demo
"$bin" validate flows >/dev/null
if [ -n "${TELEGRAM_BOT_TOKEN:-}" ]; then
    if [ -z "${REDIS_URL:-}" ]; then
        mkdir -p "$root/.local/redis"
        redis_start "$root/.local/redis" "${CLINIC_REDIS_PORT:-56379}"
        started_redis=1
    fi
    echo "serving the bot on Telegram (Ctrl-C stops it)…" >&2
    # Not exec: the trap above must stop the private PostgreSQL and Redis afterwards.
    "$bin" serve
else
    "$bin" chat "$@"
fi
