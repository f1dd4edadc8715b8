#!/usr/bin/env bash
# The bot's main job. Without TELEGRAM_BOT_TOKEN: the dialogues in this terminal, against a
# private PostgreSQL kept in .local/pg (started here when DATABASE_URL is unset).
# Extra arguments go to `clinic-bot chat` (e.g. --locale kk).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/setup.sh
source scripts/lib/postgres.sh

apt_ensure ca-certificates git libcurl4 libxml2 tzdata
swift_ensure
pg_install

mkdir -p .local
echo "building clinic-bot (the first build takes a few minutes)…" >&2
swift build -c release --product clinic-bot >.local/build.log 2>&1 || {
    tail -n 40 .local/build.log >&2
    exit 1
}
bin=$(swift build -c release --show-bin-path)/clinic-bot

started_pg=""
if [ -z "${DATABASE_URL:-}" ]; then
    pg_start "$root/.local/pg" "${CLINIC_PG_PORT:-55432}"
    started_pg=1
fi
stop() { if [ -n "$started_pg" ]; then pg_stop "$root/.local/pg"; fi; }
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
    echo "TELEGRAM_BOT_TOKEN is set, but this build has no Telegram transport yet (the 'serve' command comes next); opening the terminal chat instead." >&2
fi
"$bin" chat "$@"
