# shellcheck shell=bash
# A private Redis for the bot, its tests and its developers.
# Source this file; it defines:
#
#   redis_install           install redis-server unless it is already there
#   redis_start DIR PORT    start (or reuse) a Redis listening on 127.0.0.1:PORT, its files in
#                           DIR, with a password (made once, kept in DIR/redis.pass, mode 600);
#                           waits until it answers PING; exports REDIS_URL with the password.
#   redis_stop DIR          stop the Redis whose PID is in DIR/redis.pid, if it runs
#
# Layout of DIR: redis.pid, redis.log, redis.pass. Nothing is persisted (no RDB snapshots, no AOF): the
# data are sessions and caches, and a throwaway server must not leave dumps behind.
#
# Works as root on a fresh Debian 12 (redis-server runs as root without complaint) and as an
# ordinary user.

redis_install() {
    if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return 0; fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "redis_install: redis-server is missing and only root can install it (apt-get install redis-server)" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
}

# The PID in DIR/redis.pid if that process is alive and is a redis-server; nothing otherwise.
# Checking the name guards against a stale file whose PID now belongs to something else.
_redis_pid() {
    local pidfile=$1/redis.pid pid
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    case $pid in '' | *[!0-9]*) return 1 ;; esac
    _redis_alive "$pid" || return 1
    case $(cat "/proc/$pid/comm" 2>/dev/null) in redis-server*) ;; *) return 1 ;; esac
    echo "$pid"
}

# Whether PID runs (an exited process not yet reaped, a zombie, does not).
_redis_alive() {
    local state
    kill -0 "$1" 2>/dev/null || return 1
    state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)
    [ -n "$state" ] && [ "$state" != Z ]
}

# Whether the Redis answering PING on 127.0.0.1:PORT is the one of DIR: another server
# already on that port would answer too (and ours would have failed to bind).
_redis_is_ours() {
    local dir=$1 port=$2
    [ "$(REDISCLI_AUTH=$(cat "$dir/redis.pass") redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] || return 1
    [ "$(REDISCLI_AUTH=$(cat "$dir/redis.pass") redis-cli -h 127.0.0.1 -p "$port" config get pidfile 2>/dev/null | sed -n 2p)" = "$dir/redis.pid" ]
}

# Waits up to 5 s until DIR's Redis runs and answers on PORT; fails at once if it exited.
_redis_wait() {
    local dir=$1 port=$2 i
    for i in $(seq 50); do
        if _redis_pid "$dir" >/dev/null && _redis_is_ours "$dir" "$port"; then return 0; fi
        # The pidfile appears once the port is bound; no process after a second: it died.
        if [ "$i" -gt 10 ] && ! _redis_pid "$dir" >/dev/null; then return 1; fi
        sleep 0.1
    done
    return 1
}

redis_start() {
    if [ $# -lt 2 ]; then echo "usage: redis_start DIR PORT" >&2; return 2; fi
    local dir port pid
    port=$2
    dir=$(realpath -m "$1")
    if ! command -v redis-server >/dev/null 2>&1; then
        echo "redis_start: redis-server not found; run redis_install first" >&2
        return 1
    fi
    mkdir -p "$dir"
    # A password even on loopback: any local process could otherwise read every session.
    # Hex only, so it needs no escaping in a URL.
    if [ ! -s "$dir/redis.pass" ]; then
        (umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$dir/redis.pass")
    fi
    local pass
    pass=$(cat "$dir/redis.pass")

    if pid=$(_redis_pid "$dir"); then
        # Reuse the running server, but only if it is the one the caller asked for.
        if ! _redis_wait "$dir" "$port"; then
            echo "redis_start: the Redis in $dir (PID $pid) does not answer on port $port" >&2
            return 1
        fi
    else
        rm -f "$dir/redis.pid"  # stale: left by a crash
        # `--save ""` and `--appendonly no`: nothing on disk. The log goes to DIR even though
        # the server daemonizes, so a failed start can be read.
        # The password goes in through a config on stdin, not the command line (ps shows that).
        printf 'requirepass %s\n' "$pass" | redis-server - --port "$port" --bind 127.0.0.1 --daemonize yes \
            --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" \
            --save "" --appendonly no >/dev/null || {
            echo "redis_start: redis-server did not start, see $dir/redis.log" >&2
            return 1
        }
        if ! _redis_wait "$dir" "$port"; then
            echo "redis_start: Redis does not answer on port $port, see $dir/redis.log" >&2
            redis_stop "$dir"
            return 1
        fi
    fi
    export REDIS_URL="redis://:$pass@127.0.0.1:$port/0"
}

redis_stop() {
    if [ $# -lt 1 ]; then echo "usage: redis_stop DIR" >&2; return 2; fi
    local dir pid i
    dir=$(realpath -m "$1")
    pid=$(_redis_pid "$dir") || { rm -f "$dir/redis.pid"; return 0; }
    # SIGTERM: Redis shuts down cleanly (and, with nothing to save, at once). Wait for the
    # process itself to exit, so the port is free when we return; SIGKILL after 10 s.
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 100); do
        _redis_alive "$pid" || { rm -f "$dir/redis.pid"; return 0; }
        sleep 0.1
    done
    echo "redis_stop: Redis (PID $pid) ignored SIGTERM for 10 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 50); do
        _redis_alive "$pid" || { rm -f "$dir/redis.pid"; return 0; }
        sleep 0.1
    done
    echo "redis_stop: Redis (PID $pid) is still running" >&2
    return 1
}
