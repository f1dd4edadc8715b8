#!/usr/bin/env bash
# Every test: Swift unit and database tests, the validator on the shipped flows, the editors'
# conversation scripts, the JSON Schema, the terminal chat end to end against a real
# PostgreSQL that this script starts (and stops) in a temporary folder, and the REST API
# against openapi.yaml with schemathesis (scripts/api_check.sh, its own PostgreSQL), and the
# Telegram transport end to end: `clinic-bot serve` against a fake Bot API on loopback, with
# real Redis servers (scripts/e2e_telegram.py starts and stops its own).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/setup.sh
source scripts/lib/postgres.sh
source scripts/lib/redis.sh

apt_ensure ca-certificates git libcurl4 libxml2 tzdata pkg-config libhiredis-dev redis-server \
    libpango1.0-dev libcairo2-dev fonts-dejavu-core poppler-utils
swift_ensure
pg_install
python_env_ensure "$root"
python=$root/.local/venv/bin/python

work=$(mktemp -d /tmp/clinic-bot-test.XXXXXX)
chmod 755 "$work"
cleanup() { redis_stop "$work/redis" || true; pg_stop "$work/pg" || true; rm -rf "$work"; }
trap cleanup EXIT

pg_start "$work/pg" "${CLINIC_TEST_PG_PORT:-55439}" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
export TEST_DATABASE_URL=$DATABASE_URL
mkdir -p "$work/redis"
redis_start "$work/redis" "${CLINIC_TEST_REDIS_PORT:-56389}"
export TEST_REDIS_URL=$REDIS_URL
unset REDIS_URL
PII_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
export PII_ENCRYPTION_KEY

echo "== build"
swift build --build-tests >"$work/build.log" 2>&1 || { tail -n 60 "$work/build.log"; exit 1; }
bin=$(swift build --show-bin-path)/clinic-bot

echo "== validator on the shipped flows"
"$bin" validate flows

echo "== conversation scripts"
"$bin" test flows

echo "== JSON Schema of flow files"
"$python" scripts/check_schema.py --loader "$bin"

echo "== terminal chat against PostgreSQL"
"$python" scripts/e2e_chat.py "$bin"

echo "== clinic REST API against openapi.yaml (schemathesis)"
scripts/api_check.sh "$bin"

echo "== Telegram transport end to end (fake Bot API, Redis, PostgreSQL)"
"$python" scripts/e2e_telegram.py "$bin"

echo "== Swift tests (unit, validator, interpreter, PostgreSQL)"
swift test --skip-build --disable-xctest
