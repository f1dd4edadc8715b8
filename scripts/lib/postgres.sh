# shellcheck shell=bash
# A private PostgreSQL 15 cluster for the bot, its tests and its developers.
# Source this file; it defines:
#
#   pg_install                  install postgresql-15 unless its binaries are already there
#   pg_start DIR PORT [OPTS]    create (first use) or reuse the cluster in DIR, listening on
#                               127.0.0.1:PORT; exports DATABASE_URL. OPTS are extra server
#                               settings, e.g. "-c fsync=off" for a throwaway test cluster.
#   pg_stop DIR                 stop the cluster in DIR if it runs
#
# Layout of DIR: data/ (the cluster), run/ (its Unix socket), server.log, password (0600,
# the generated password of the `clinic_bot` role). The database is `clinic_bot`, owned by
# that role; override the names with PG_DATABASE / PG_USER before calling pg_start.
#
# Works as root on a fresh Debian 12 (PostgreSQL refuses to run as root, so its programs run
# as the `postgres` user) and as an ordinary user (they run as that user).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_install() {
    if [ -x "$PG_BIN/initdb" ]; then return 0; fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "pg_install: PostgreSQL 15 is missing and only root can install it (apt-get install postgresql-15)" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Creates DIR and any missing parents, making the new parents traversable (0755) so the
# postgres user can reach DIR.
_pg_make_dir() {
    local dir=$1 missing=() d
    d=$dir
    while [ ! -e "$d" ]; do missing+=("$d"); d=$(dirname "$d"); done
    mkdir -p "$dir"
    for d in "${missing[@]}"; do chmod 755 "$d"; done
}

_pg_psql() {  # runs SQL from stdin as the superuser, over the cluster's own socket
    local dir=$1 port=$2
    _pg_as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/run" -p "$port" -U postgres -d postgres
}

pg_start() {
    if [ $# -lt 2 ]; then echo "usage: pg_start DIR PORT [SERVER_OPTIONS]" >&2; return 2; fi
    local dir port extra=${3:-}
    port=$2
    dir=$(realpath -m "$1")
    local user=${PG_USER:-clinic_bot} database=${PG_DATABASE:-clinic_bot}
    local data=$dir/data

    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "pg_start: $PG_BIN/initdb not found; run pg_install first" >&2
        return 1
    fi
    _pg_make_dir "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$dir"
        if ! runuser -u postgres -- test -x "$dir"; then
            echo "pg_start: the postgres user cannot reach $dir; make its parent directories traversable (chmod o+x)" >&2
            return 1
        fi
    fi
    chmod 755 "$dir"

    if [ ! -s "$dir/password" ]; then
        # Hex: safe in a URL without percent-encoding.
        (umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$dir/password")
    fi
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir/password"; fi
    chmod 600 "$dir/password"
    local password
    password=$(cat "$dir/password")

    if [ ! -s "$data/PG_VERSION" ]; then
        _pg_as_owner mkdir -p -m 700 "$data"
        # Local socket connections are trusted, but the socket is private to the cluster's owner
        # (unix_socket_permissions below); TCP needs the password.
        _pg_as_owner "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
            echo "pg_start: initdb failed, see $dir/initdb.log" >&2
            return 1
        }
    fi
    _pg_as_owner mkdir -p -m 700 "$dir/run"

    if _pg_as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        # Reuse the running cluster, but only if it is the one the caller asked for.
        local running_port
        running_port=$(sed -n 4p "$data/postmaster.pid")
        if [ "$running_port" != "$port" ]; then
            echo "pg_start: the cluster in $dir already runs on port $running_port, not $port" >&2
            return 1
        fi
    else
        _pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 -o \
            "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/run -c unix_socket_permissions=0700 $extra" \
            start >/dev/null || {
            echo "pg_start: PostgreSQL did not start, see $dir/server.log" >&2
            return 1
        }
    fi

    # Idempotent: the role gets the stored password on every start, so a lost password file
    # heals itself. The SQL goes through stdin, keeping the password out of `ps`.
    _pg_psql "$dir" "$port" <<SQL
SELECT format('CREATE ROLE %I LOGIN', '$user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$user')
\\gexec
ALTER ROLE "$user" PASSWORD '$password';
SELECT format('CREATE DATABASE %I OWNER %I', '$database', '$user')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$database')
\\gexec
SQL

    export DATABASE_URL="postgres://$user:$password@127.0.0.1:$port/$database"
}

pg_stop() {
    if [ $# -lt 1 ]; then echo "usage: pg_stop DIR" >&2; return 2; fi
    local data
    data=$(realpath -m "$1")/data
    # `status` first: a stale postmaster.pid left by a crash would make `stop` fail.
    if [ -f "$data/postmaster.pid" ] && _pg_as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        _pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    fi
}
