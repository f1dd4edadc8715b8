#!/usr/bin/env python3
"""A crude stand-in for `clinic-bot serve`, only to check the end-to-end harness itself while
the real transport is being written: `python3 scripts/e2e_telegram.py scripts/e2e/stub_serve.py`.

It is NOT the bot and proves nothing about it. It speaks the same interfaces (environment,
/healthz, /readyz, /metrics, the webhook, long polling, the Bot API calls) and plays the
registration dialogue from locales/ and flows/registration.yaml roughly like the bot should,
so that the scenarios' own mistakes show up. `migrate` does nothing (the database must be
migrated); `validate` runs STUB_VALIDATOR (a real clinic-bot) when set. Needs PyYAML.
"""
import hashlib
import html
import json
import os
import pathlib
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from locales import load_yaml  # noqa: E402

ENV = os.environ
API = f"{ENV.get('TELEGRAM_API_URL', 'https://api.telegram.org')}/bot{ENV.get('TELEGRAM_BOT_TOKEN')}/"
FLOWS, LOCALES = pathlib.Path(ENV.get("FLOWS_DIR", "flows")), pathlib.Path(ENV.get("LOCALES_DIR", "locales"))
METRICS = {"bot_updates_total": 0, "telegram_api_calls_total": 0}
QUESTIONS = ["language", "first_name", "last_name", "middle_name", "phone", "birth_date", "sex", "iin",
             "consent_personal_data", "consent_medical", "consent_marketing"]
CHOICES = {"language": [("language.ru", "ru"), ("language.kk", "kk")],
           "middle_name": [("registration.no_middle_name", None)],
           "sex": [("registration.sex_male", "M"), ("registration.sex_female", "F")],
           "consent_personal_data": [("registration.agree", True), ("registration.decline", False)],
           "consent_medical": [("registration.agree", True), ("registration.decline", False)],
           "consent_marketing": [("registration.marketing_yes", True), ("registration.marketing_no", False)]}
# STUB_BUGS=clear_iin,no_dedupe,… makes the stub misbehave on purpose, to see the scenarios catch it.
BUGS = set(filter(None, ENV.get("STUB_BUGS", "").split(",")))
state = {"texts": {}, "steps": [], "columns": 2, "version": "", "mtimes": {}}
lock = threading.Lock()


def log(line):
    print(f"{time.strftime('%H:%M:%S')} stub: {line}", file=sys.stderr, flush=True)


# ---- Redis, spoken by hand -----------------------------------------------------------------

class RedisDown(Exception):
    pass


def redis(*args):
    url = urllib.parse.urlsplit(ENV["REDIS_URL"])
    try:
        with socket.create_connection((url.hostname, url.port), timeout=1.0) as s:
            s.sendall(f"*{len(args)}\r\n".encode() + b"".join(
                f"${len(str(a).encode())}\r\n{a}\r\n".encode() for a in args))
            f = s.makefile("rb")
            line = f.readline()
            if not line:
                raise RedisDown("closed")
            kind, rest = line[:1], line[1:].strip().decode()
            if kind == b"$":
                return None if rest == "-1" else f.read(int(rest) + 2)[:-2].decode()
            if kind == b":":
                return int(rest)
            if kind == b"-":
                raise RedisDown(rest)
            return rest
    except OSError as error:
        raise RedisDown(str(error))


# ---- the Bot API, and an outbox per chat -----------------------------------------------------

def call(method, **params):
    METRICS["telegram_api_calls_total"] += 1
    request = urllib.request.Request(API + method, data=json.dumps(params).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=70) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except OSError as error:
        return None, {"description": str(error)}


class Outbox:
    def __init__(self):
        self.queues, self.cond = {}, threading.Condition()
        rate = float(ENV.get("TELEGRAM_CHAT_SEND_RATE") or 1)
        self.rate, self.burst = rate, 3 if rate <= 1 else rate

    def put(self, chat, method, params):
        with self.cond:
            if chat not in self.queues:
                self.queues[chat] = []
                threading.Thread(target=self.drain, args=(chat,), daemon=True).start()
            self.queues[chat].append((method, params))
            self.cond.notify_all()

    def drain(self, chat):
        tokens, last = self.burst, time.monotonic()
        while True:
            with self.cond:
                while not self.queues[chat]:
                    self.cond.wait()
                method, params = self.queues[chat].pop(0)
            if method == "sendMessage" and "no_send_rate" not in BUGS:
                tokens = min(self.burst, tokens + (time.monotonic() - last) * self.rate)
                last = time.monotonic()
                if tokens < 1:
                    time.sleep((1 - tokens) / self.rate)
                    tokens, last = 1, time.monotonic()
                tokens -= 1
            for attempt in range(6):
                status, body = call(method, **params)
                if status == 429:
                    time.sleep(0.2 if "no_retry_after" in BUGS else body.get("parameters", {}).get("retry_after", 1))
                elif status == 403 and "retry_403" in BUGS:
                    time.sleep(0.2)
                elif status is None or status >= 500:
                    time.sleep(0.5)
                else:
                    break


OUTBOX = Outbox()


# ---- flows and texts -------------------------------------------------------------------------

def reload(first=False):
    paths = [FLOWS / "registration.yaml", LOCALES / "ru.yaml", LOCALES / "kk.yaml"]
    mtimes = {str(p): p.stat().st_mtime_ns for p in paths}
    if mtimes == state["mtimes"]:
        return
    state["mtimes"] = mtimes
    try:
        flow = load_yaml(paths[0])
        if not isinstance(flow, dict) or not isinstance(flow.get("steps"), dict):
            raise ValueError("no steps")
        texts = {lang: load_yaml(LOCALES / f"{lang}.yaml") for lang in ("ru", "kk")}
    except Exception as error:
        if "quiet_reload" not in BUGS:
            log(f"error: {paths[0]}: the flows do not load, the old ones keep serving: {str(error)[:100]}")
        return
    with lock:
        state.update(texts=texts, steps=[s for s in QUESTIONS if s in flow["steps"]],
                     columns=flow["steps"]["language"].get("columns", 99),
                     version=hashlib.sha1(b"".join(p.read_bytes() for p in paths)).hexdigest()[:8])
    if not first:
        log(f"flows reloaded, version {state['version']}")


def watch():
    while True:
        time.sleep(float(ENV.get("FLOWS_RELOAD_SECONDS") or 2))
        try:
            reload()
        except Exception as error:
            log(f"reload failed: {error}")


def T(lang, key, **args):
    value = state["texts"][lang]
    for part in key.split("."):
        value = value[part]
    for name, arg in args.items():
        value = value.replace("{" + name + "}", str(arg))
    return value


# ---- the dialogue ----------------------------------------------------------------------------

def sql(query):
    done = subprocess.run(["psql", "-X", "-At", ENV["DATABASE_URL"], "-c", query], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr)
    return done.stdout.strip()


def lit(value):
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def send(chat, text, buttons=None, keyboard=None):
    params = {"chat_id": chat, "text": html.escape(text, quote=False), "parse_mode": "HTML"}
    if "bad_html" in BUGS:
        params["text"] += "<br>"
    if buttons:
        params["reply_markup"] = {"inline_keyboard": buttons}
    elif keyboard is not None:
        params["reply_markup"] = keyboard
    OUTBOX.put(chat, "sendMessage", params)


def ask(chat, session, step):
    lang = session.get("lang") or "ru"
    session["step"], session["serial"] = step, session.get("serial", 0) + 1
    session["version"] = state["version"]
    choices = CHOICES.get(step, [])
    session["values"] = [value for _, value in choices]
    key = "registration.choose_language" if step == "language" else f"registration.{step}"
    width = state["columns"] if step == "language" else 2
    labels = [{"text": T(lang, label), "callback_data": f"{session['serial']}.{i}"} for i, (label, _) in enumerate(choices)]
    rows = [labels[i:i + width] for i in range(0, len(labels), width)]
    if step != "language":
        rows.append([{"text": T(lang, "common.back"), "callback_data": f"{session['serial']}.b"}])
    if step == "phone":
        send(chat, T(lang, key), keyboard={"keyboard": [[{"text": T(lang, "registration.share_phone"),
                                                          "request_contact": True}]], "resize_keyboard": True})
    else:
        # A message carries inline buttons or a keyboard removal, not both: the stub drops the back button.
        send(chat, T(lang, key), None if step == "birth_date" else rows, {"remove_keyboard": True} if step == "birth_date" else None)


def next_step(chat, session, value):
    step = session["step"]
    session.setdefault("form", {})[step] = value
    if step == "language":
        session["lang"] = value
        send(chat, T(value, "registration.welcome"))
    steps = state["steps"]
    following = steps[steps.index(step) + 1:] if step in steps else []
    if following:
        return ask(chat, session, following[0])
    form, lang = session["form"], session["lang"]
    year, month, day = form["birth_date"].split(".")[::-1]
    sql(f"""WITH p AS (INSERT INTO patients (first_name, last_name, middle_name, birth_date, sex, iin_cipher, iin_hash,
            phone_cipher, phone_hash, language, consent_personal_data, consent_medical_intervention, consent_marketing,
            consents_at) VALUES ({lit(form['first_name'])}, {lit(form['last_name'])}, {lit(form.get('middle_name'))},
            '{year}-{month}-{day}', {lit(form['sex'])}, '\\x{form['iin'].encode().hex() if "clear_iin" in BUGS else secrets.token_hex(40)}', '\\x{secrets.token_hex(32)}',
            '\\x{secrets.token_hex(40)}', '\\x{secrets.token_hex(32)}', {lit(lang)}, true, true,
            {str(bool(form['consent_marketing'])).lower()}, now()) RETURNING id)
            INSERT INTO patient_telegram_links (patient_id, telegram_user_id, language) SELECT id, {chat}, {lit(lang)} FROM p""")
    send(chat, T(lang, "registration.done", name=form["first_name"]))
    session.clear()
    session.update(lang=lang, step="menu", serial=0)
    menu(chat, lang)


def menu(chat, lang):
    keys = [["book", "my_appointments"], ["documents", "payments"], ["profile", "support"]]
    send(chat, T(lang, "menu.title"), keyboard={"keyboard": [[{"text": T(lang, f"menu.{k}")} for k in row] for row in keys],
                                                "resize_keyboard": True})


def handle(update, session):
    if "callback_query" in update:
        query = update["callback_query"]
        chat = query["message"]["chat"]["id"]
        serial, _, index = (query.get("data") or "").partition(".")
        lang = session.get("lang") or "ru"
        if session.get("version") != state["version"] or str(session.get("serial")) != serial or index == "b":
            call("answerCallbackQuery", callback_query_id=query["id"], text=T(lang, "common.stale_button"))
            return
        call("answerCallbackQuery", callback_query_id=query["id"])
        value = session["values"][int(index)]
        OUTBOX.put(chat, "editMessageText", {"chat_id": chat, "message_id": query["message"]["message_id"],
                                             "text": html.escape(query["message"].get("text") or "") + " ✓", "parse_mode": "HTML"})
        return next_step(chat, session, value)
    message = update["message"]
    chat, text, lang = message["chat"]["id"], message.get("text"), session.get("lang") or "ru"
    if session.get("step") and session.get("version") != state["version"] and session["step"] not in state["steps"] + ["menu"]:
        send(chat, T(lang, "common.flow_updated"))
        session.clear()
        return ask(chat, session, "language")
    if text == "/start" or not session.get("step"):
        if sql(f"SELECT count(*) FROM patient_telegram_links WHERE telegram_user_id = {chat} AND is_active") != "0":
            return menu(chat, lang)
        session.clear()
        return ask(chat, session, "language")
    step = session["step"]
    if step == "phone" and message.get("contact"):
        contact = message["contact"]
        if contact.get("user_id") != message["from"]["id"]:
            return send(chat, T(lang, "errors.contact.not_own"))
        return next_step(chat, session, "+" + contact["phone_number"].lstrip("+"))
    if step in ("first_name", "last_name", "middle_name") and not re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*", text or ""):
        return send(chat, T(lang, "errors.name.characters"))
    if step in CHOICES and step != "middle_name":
        return send(chat, T(lang, "errors.choice.use_buttons"))
    return next_step(chat, session, text)


def process(update):
    """Raises RedisDown when the update cannot be processed now."""
    METRICS["bot_updates_total"] += 1
    body = update.get("message") or update.get("callback_query", {}).get("message") or {}
    chat, user = body.get("chat", {}).get("id"), (update.get("message") or update.get("callback_query"))["from"]["id"]
    token, deadline = secrets.token_hex(8), time.monotonic() + 10
    while redis("SET", f"lock:{chat}", token, "NX", "PX", "5000") != "OK":
        if time.monotonic() > deadline:
            raise RedisDown("chat lock")
        time.sleep(0.02)
    try:
        if redis("GET", f"done:{update['update_id']}") and "no_dedupe" not in BUGS:
            return
        limit = int(ENV.get("USER_RATE_LIMIT") or 60)
        counter = f"rate:{user}:{int(time.time() // 60)}"
        if redis("INCR", counter) > limit and "no_user_limit" not in BUGS:
            redis("EXPIRE", counter, 120)
            send(chat, "Слишком много сообщений подряд. Подождите минуту, пожалуйста.")
        else:
            session = json.loads(redis("GET", f"session:{chat}") or "{}")
            with lock:
                handle(update, session)
            redis("SET", f"session:{chat}", json.dumps(session))
        redis("SET", f"done:{update['update_id']}", "1", "EX", "86400")
    finally:
        redis("DEL", f"lock:{chat}")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/healthz":
            return self.reply(200, {"status": "ok"})
        if self.path == "/readyz":
            try:
                redis("PING")
                sql("SELECT 1")
                return self.reply(200, {"status": "ready"})
            except Exception as error:
                return self.reply(503, {"status": "unavailable", "error": str(error)[:80]})
        if self.path == "/metrics":
            return self.reply(200, "".join(f"# TYPE {k} counter\n{k} {v}\n" for k, v in METRICS.items()))
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/api/bot/webhook":
            return self.reply(404, {"error": "not found"})
        if self.headers.get("X-Telegram-Bot-Api-Secret-Token") != ENV.get("TELEGRAM_WEBHOOK_SECRET") and "no_secret" not in BUGS:
            return self.reply(401, {"error": "unauthorized"})
        try:
            process(json.loads(body))
        except RedisDown as error:
            log(f"webhook: storage down: {error}")
            return self.reply(503, {"error": "storage unavailable"}, [("Retry-After", "1")])
        self.reply(200, {"ok": True})


def poll():
    call("deleteWebhook")
    offset = 0
    while True:
        status, body = call("getUpdates", offset=offset, timeout=5, allowed_updates=["message", "callback_query"])
        for update in (body.get("result") or []) if status == 200 else []:
            while True:
                try:
                    process(update)
                    break
                except RedisDown:
                    time.sleep(1)
            offset = update["update_id"] + 1
        if status != 200:
            time.sleep(1)


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if command == "migrate":
        return 0
    if command == "validate":
        validator = ENV.get("STUB_VALIDATOR")
        return subprocess.run([validator, *sys.argv[1:]]).returncode if validator else 0
    reload(first=True)
    for lang in (None, "kk", "ru"):
        texts = state["texts"][lang or "ru"]["commands"]
        params = {"commands": [{"command": k, "description": v} for k, v in texts.items()]}
        if lang:
            params["language_code"] = lang
        call("setMyCommands", **params)
    if ENV.get("USE_WEBHOOK") == "true":
        call("setWebhook", url=ENV["TELEGRAM_WEBHOOK_URL"], secret_token=ENV["TELEGRAM_WEBHOOK_SECRET"],
             allowed_updates=["message", "callback_query"])
    else:
        threading.Thread(target=poll, daemon=True).start()
    threading.Thread(target=watch, daemon=True).start()
    server = ThreadingHTTPServer((ENV.get("HOST", "127.0.0.1"), int(ENV.get("PORT", "8080"))), Handler)
    server.daemon_threads = True
    log(f"listening on {server.server_address}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sys.exit(main())
