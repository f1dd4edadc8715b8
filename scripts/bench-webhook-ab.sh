#!/usr/bin/env bash
# The webhook benchmark of this tree beside a reference commit, in one sitting: both release
# builds take turns (ROUNDS each, default 3) on the same private PostgreSQL and Redis, wiped
# between runs, so the machine's mood weighs on both alike.
#   scripts/bench-webhook-ab.sh <reference-commit> [bench-webhook arguments…]
# The reference is built in .build-ref/ (a git worktree); REF_BIN=path skips that build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ $# -ge 1 ] || { echo "usage: $0 <reference-commit> [bench-webhook arguments…]" >&2; exit 2; }
reference=$1; shift
source scripts/lib/setup.sh
source scripts/lib/postgres.sh
source scripts/lib/redis.sh
source scripts/lib/bench.sh
bench_install
new_bin=$bin

if [ -z "${REF_BIN:-}" ]; then
    if [ ! -d .build-ref/worktree ]; then git worktree add --detach .build-ref/worktree "$reference" >/dev/null; fi
    git -C .build-ref/worktree checkout --detach -q "$reference"
    (cd .build-ref/worktree && swift build -c release --product clinic-bot >/dev/null)
    REF_BIN=$(cd .build-ref/worktree && swift build -c release --show-bin-path)/clinic-bot
fi
bench_services bench-ab "${CLINIC_BENCH_PG_PORT:-55463}" "${CLINIC_BENCH_REDIS_PORT:-56393}"

run() {  # run NAME BINARY ROOT [bench-webhook arguments…]: a clean database and Redis, then one benchmark with ROOT's flows
    local name=$1 bin=$2 flows=$3
    shift 3
    "$PG_BIN/psql" -X -q "$DATABASE_URL" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null 2>&1
    # redis-cli wants the user named ("default") before a password.
    redis-cli -u "${REDIS_URL/\/\/:/\/\/default:}" FLUSHALL >/dev/null
    "$bin" migrate >/dev/null 2>&1
    # Each binary serves the flows of its own commit: a newer flow language is not an older
    # binary's to read.
    FLOWS_DIR=$flows/flows LOCALES_DIR=$flows/locales "$bin" bench-webhook "$@" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
    local rate p99 cpu
    rate=$(grep -o '= [0-9]* updates/s' "$work/out" | grep -o '[0-9]*')
    p99=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' "$work/out" | head -1)
    cpu=$(sed -n 's/.*(\([0-9]*\) µs per update).*/\1/p' "$work/out" | head -1)
    printf '%-10s %8s updates/s   p99 %7s ms   server %5s µs/update\n' "$name" "$rate" "$p99" "$cpu"
}
bench_args=("$@")
for round in $(seq "${ROUNDS:-3}"); do
    run reference "$REF_BIN" "$root/.build-ref/worktree" ${bench_args[@]+"${bench_args[@]}"}
    run this "$new_bin" "$root" ${bench_args[@]+"${bench_args[@]}"}
done
