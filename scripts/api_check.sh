#!/usr/bin/env bash
# The clinic REST API against its description: starts a throwaway PostgreSQL, migrates and seeds
# a small clinic (one branch, two services, a doctor working every day), runs `clinic-bot api`,
# checks a few answers by hand (auth, a registration, a booking, a slot taken twice), then runs
# schemathesis against openapi.yaml. Exit code 0 only when schemathesis finds nothing.
#
#   scripts/api_check.sh [PATH-TO-clinic-bot]     (default: the debug build, built if missing)
#
# Environment: CLINIC_API_CHECK_PG_PORT (55441), SCHEMATHESIS_MAX_EXAMPLES (40).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/setup.sh
source scripts/lib/postgres.sh

apt_ensure ca-certificates curl
swift_ensure
pg_install
python_env_ensure "$root"
venv=$root/.local/venv

bin=${1:-}
if [ -z "$bin" ]; then
    bin=$(swift build --show-bin-path)/clinic-bot
    [ -x "$bin" ] || swift build >/dev/null
fi

work=$(mktemp -d /tmp/clinic-bot-api-check.XXXXXX)
chmod 755 "$work"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    pg_stop "$work/pg" || true
    rm -rf "$work"
}
trap cleanup EXIT

pg_start "$work/pg" "${CLINIC_API_CHECK_PG_PORT:-55441}" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
PII_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
TELEGRAM_BOT_API_SECRET=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
PORT=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PII_ENCRYPTION_KEY TELEGRAM_BOT_API_SECRET PORT HOST=127.0.0.1
base=http://127.0.0.1:$PORT/api/bot

"$bin" migrate >/dev/null
# The clinic: ids are fixed so the checks below and openapi.yaml's examples can name them.
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" <<'SQL'
INSERT INTO branches (id, name_ru, name_kk, address_ru, address_kk, phone, latitude, longitude, working_hours_ru, working_hours_kk)
VALUES (1, 'Алматы, Абая', 'Алматы, Абай', 'пр. Абая, 1', 'Абай даңғылы, 1', '+77270000001', 43.24, 76.91,
        'Ежедневно 08:00–20:00', 'Күн сайын 08:00–20:00');
INSERT INTO services (id, branch_id, name_ru, name_kk, duration_minutes, price_tenge, osms_covered)
VALUES (1, 1, 'Приём терапевта', 'Терапевт қабылдауы', 30, 8000, true),
       (2, 1, 'УЗИ', 'УДЗ', 60, 15000, false);
INSERT INTO doctors (id, full_name_ru, full_name_kk, specialty_ru, specialty_kk, slot_step_minutes)
VALUES (1, 'Ахметова Айгуль', 'Ахметова Айгүл', 'терапевт', 'терапевт', 30);
INSERT INTO doctor_branches VALUES (1, 1);
INSERT INTO doctor_services (doctor_id, service_id) VALUES (1, 1);
INSERT INTO doctor_schedules (doctor_id, branch_id, weekday, starts, ends)
SELECT 1, 1, d, '00:00', '23:59' FROM generate_series(1, 7) AS d;
\o /dev/null
SELECT setval(pg_get_serial_sequence(t, 'id'), 100) FROM unnest(ARRAY['branches', 'services', 'doctors']) AS t;
SQL

# Refused at start, with the reason: a guessable secret; a clinic API reached over plain http.
if out=$(TELEGRAM_BOT_API_SECRET=short-secret timeout 20 "$bin" api 2>&1); then
    echo "api check: clinic-bot api started with a 12-character secret" >&2; exit 1
fi
case $out in *"at least 32"*) echo "ok   a short TELEGRAM_BOT_API_SECRET is refused at start" ;;
    *) echo "api check: a short secret was refused without saying why: $out" >&2; exit 1 ;; esac
if out=$(CLINIC_API_URL=http://clinic.example.kz/ timeout 20 "$bin" chat </dev/null 2>&1); then
    echo "api check: a remote clinic over plain http was accepted" >&2; exit 1
fi
case $out in *"https"*) echo "ok   a clinic API on another machine over plain http is refused" ;;
    *) echo "api check: plain http was refused without saying why: $out" >&2; exit 1 ;; esac

# Slow clients: a listener with a 1 s idle timeout and room for 4 connections. A client that
# trickles its headers is cut; 4 idle connections hold every place until they are cut, and a
# request made meanwhile is answered once they are.
slow_port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PORT=$slow_port HTTP_IDLE_TIMEOUT_SECONDS=1 HTTP_MAX_CONNECTIONS=4 "$bin" api >"$work/slow.log" 2>&1 &
slow_pid=$!
"$venv/bin/python" - "$slow_port" <<'PY' || { kill $slow_pid; cat "$work/slow.log"; exit 1; }
import socket, sys, time
port = int(sys.argv[1])
deadline = time.monotonic() + 20
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        if time.monotonic() > deadline: sys.exit("the slow-client listener did not start")
        time.sleep(0.1)

def cut_within(sock, seconds):
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False

# A slow-loris: headers one byte at a time, never finished. Cut by the idle timeout.
loris = socket.create_connection(("127.0.0.1", port))
loris.sendall(b"GET /api/bot/branches/ HTTP/1.1\r\nHost: x\r\n")
started = time.monotonic()
if not cut_within(loris, 10): sys.exit("a client trickling its headers was not cut within 10 s")
print(f"ok   a slow-loris client is cut after {time.monotonic() - started:.1f} s")

# Four idle connections take every place; a real request waits until they are cut.
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
time.sleep(0.2)
probe = socket.create_connection(("127.0.0.1", port))
probe.sendall(b"GET /api/bot/branches/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
probe.settimeout(0.3)
try:
    early = probe.recv(64)
except socket.timeout:
    early = b""
if early: sys.exit("a fifth connection was served while four held every place")
probe.settimeout(10)
answer = probe.recv(64)
if not answer.startswith(b"HTTP/1.1 401"): sys.exit(f"the waiting request was not answered after the idle ones were cut: {answer!r}")
print("ok   past the connection cap a request waits, and is answered once idle connections are cut")
PY
kill $slow_pid; wait $slow_pid 2>/dev/null || true

"$bin" api >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    if curl -s -o /dev/null "$base/branches/"; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log"; echo "clinic-bot api did not start" >&2; exit 1; fi
    sleep 0.2
done

fail() { echo "api check: $*" >&2; exit 1; }
# call METHOD PATH [BODY] → prints "STATUS BODY"
call() {
    local args=(-s -o "$work/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TELEGRAM_BOT_API_SECRET")
    if [ $# -ge 3 ]; then args+=(-H 'Content-Type: application/json' --data-binary "$3"); fi
    local status
    status=$(curl "${args[@]}" "$base$2")
    echo "$status $(cat "$work/body")"
}
expect() {  # expect STATUS "RESULT" WHAT
    [ "${2%% *}" = "$1" ] || fail "$3: expected $1, got $2"
}

echo "== API by hand"
expect 401 "$(curl -s -o /dev/null -w '%{http_code}' "$base/branches/") x" "no token"
expect 401 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' "$base/branches/") x" "wrong token"
expect 200 "$(call GET /branches/)" "branches"
expect 201 "$(call POST /patient/upsert/ '{"telegram_user_id": 1001, "telegram_username": "aidos_k", "language": "kk",
    "first_name": "Айдос", "last_name": "Қасымов", "phone": "+7 701 123 45 67", "birth_date": "1990-03-05", "sex": "M",
    "iin": "900305300016", "consents": {"personal_data": true, "medical_intervention": true,
    "text": {"key": "desk-form-2026-01", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}}')" "registration"
expect 400 "$(call POST /patient/upsert/ '{"telegram_user_id": 1003, "first_name": "Айдос", "last_name": "Қасымов",
    "phone": "+77011234567", "birth_date": "1990-03-05", "sex": "M", "iin": "900305300016",
    "consents": {"personal_data": true, "medical_intervention": true}}')" "consents asserted without the text's version"
expect 409 "$(call POST /patient/upsert/ '{"telegram_user_id": 1002, "first_name": "Айдос", "last_name": "Қасымов",
    "phone": "+77011234567", "birth_date": "1990-03-05", "sex": "M", "iin": "900305300016",
    "consents": {"personal_data": true, "medical_intervention": true,
    "text": {"key": "desk-form-2026-01", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}}')" "the same IIN from another account"
expect 200 "$(call GET /patient/by-telegram/1001/)" "patient by Telegram id"
expect 201 "$(call POST /patient/link-code/ '{"iin": "900305300016"}')" "a one-time link code for the card"
expect 404 "$(call POST /patient/link-code/ '{"iin": "900305400012"}')" "no link code for an IIN with no card"
# Two days ahead, not tomorrow: late in the UTC evening tomorrow's first local slot (00:00 in
# Almaty, UTC+5) is under two hours away, inside the cancellation cut-off, and the cancel below
# would be refused as too late.
day=$(date -u -d '+2 days' +%F)
result=$(call GET "/slots/?doctor_id=1&service_id=1&date=$day")
expect 200 "$result" "slots"
start=$("$venv/bin/python" -c 'import json, sys; print(json.loads(sys.argv[1])[0]["start"])' "${result#* }")
booking="{\"telegram_user_id\": 1001, \"doctor_id\": 1, \"service_id\": 1, \"start\": \"$start\"}"
result=$(call POST /appointments/ "$booking")
expect 201 "$result" "booking"
appointment=$("$venv/bin/python" -c 'import json, sys; print(json.loads(sys.argv[1])["id"])' "${result#* }")
expect 409 "$(call POST /appointments/ "$booking")" "the same slot twice"
expect 200 "$(call GET '/appointments/my/?telegram_user_id=1001')" "my appointments"
expect 409 "$(call POST /feedback/ "{\"telegram_user_id\": 1001, \"appointment_id\": $appointment, \"score\": 9}")" "rating a visit that has not begun"
expect 200 "$(call GET '/feedback/?score_max=6&has_comment=true')" "the staff's listing of ratings"
expect 404 "$(call POST "/appointments/$appointment/cancel/" '{"telegram_user_id": 1002}')" "cancelling another's appointment"
expect 200 "$(call POST "/appointments/$appointment/cancel/" '{"telegram_user_id": 1001}')" "cancelling one's own"
expect 400 "$(call POST /appointments/ "{\"telegram_user_id\": \"1'; DROP TABLE appointments; --\"}")" "SQL in an id"
expect 413 "$(call POST /patient/verify-iin/ "{\"iin\": \"$(head -c 70000 /dev/zero | tr '\0' 1)\"}")" "a huge body"
expect 404 "$(call GET /nothing/)" "unknown route"
expect 405 "$(call DELETE /branches/)" "wrong method"

echo "== schemathesis against openapi.yaml"
# positive_data_acceptance is left out on purpose: the schema cannot say which strings are
# names, which 12 digits have a valid IIN check digit or which moment is a doctor's free slot,
# so well-typed requests the clinic refuses (400, 422) are correct answers, not failures.
# Run from the throwaway folder: schemathesis keeps a crash cache in the working directory.
(cd "$work" && "$venv/bin/schemathesis" run "$root/openapi.yaml" \
    --url "http://127.0.0.1:$PORT" \
    --header "Authorization: Bearer $TELEGRAM_BOT_API_SECRET" \
    --exclude-checks positive_data_acceptance \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-40}" \
    --request-timeout 10 \
    --seed "${SCHEMATHESIS_SEED:-20260305}" \
    --generation-database none \
    --no-color) || { echo "server log:"; tail -n 40 "$work/server.log"; exit 1; }

if grep -q 'API request failed' "$work/server.log"; then grep 'API request failed' "$work/server.log" | head; fail "the server answered 5xx"; fi
echo "api check: ok"
