# shellcheck shell=bash
# What the benchmarks that run `clinic-bot serve` share. Source after setup.sh, postgres.sh
# and redis.sh; it defines:
#
#   bench_install              the packages and toolchain; a release build; sets `bin`
#   bench_services NAME PG REDIS
#                              a private PostgreSQL on port PG and Redis on port REDIS in a new
#                              temporary folder `work`, removed with them on exit; exports
#                              DATABASE_URL, REDIS_URL and a PII_ENCRYPTION_KEY (unless set)

bench_install() {
    apt_ensure ca-certificates libcurl4 libxml2 tzdata pkg-config libhiredis-dev redis-server \
        libpango1.0-dev libcairo2-dev fonts-dejavu-core
    swift_ensure
    pg_install
    swift build -c release --product clinic-bot >/dev/null
    bin=$(swift build -c release --show-bin-path)/clinic-bot
}

bench_services() {
    work=$(mktemp -d "/tmp/clinic-$1.XXXXXX")
    chmod 755 "$work"
    trap 'redis_stop "$work/redis" || true; pg_stop "$work/pg" || true; rm -rf "$work"' EXIT
    pg_start "$work/pg" "$2" "-c fsync=off -c synchronous_commit=off -c shared_buffers=256MB"
    mkdir -p "$work/redis"
    redis_start "$work/redis" "$3"
    export PII_ENCRYPTION_KEY=${PII_ENCRYPTION_KEY:-$(head -c 32 /dev/urandom | base64)}
}
