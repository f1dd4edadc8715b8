#!/usr/bin/env python3
"""A fake Telegram Bot API server for end-to-end tests of clinic-bot.

It serves `POST /bot<TOKEN>/<method>` (JSON, form or multipart bodies; GET with a query works
too) on 127.0.0.1, answers like Telegram, records every call, checks every payload against
Telegram's limits (see bot_api_limits.py) and can inject faults.

In a test:

    api = FakeBotAPI(token="123456:TEST-token").start()   # port 0: a free port, api.port
    ...                                                   # the bot calls api.url
    call = api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 1001, timeout=5)
    api.fail_next("sendMessage", 429, retry_after=1)      # the next sendMessage gets a 429
    api.block_chat(1002)                                  # every send to 1002: 403 from now on
    api.queue_update({...})                               # for getUpdates (long polling)
    assert not api.violations
    api.stop()

Standalone: `python fake_bot_api.py --port 8081 [--token T]` (logs each call), or
`python fake_bot_api.py --self-test` (checks the fake itself with urllib).

Payloads Telegram would refuse (bad HTML, a text over 4096, callback_data over 64 bytes, …)
are answered with a 400 like Telegram does, and recorded in `violations` either way; the
per-chat send rate is only recorded (Telegram would answer 429 some time later, unpredictably).
"""
import argparse
import email.parser
import email.policy
import json
import signal
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional

if __package__ in (None, ""):
    sys.path.insert(0, __import__("os").path.dirname(__file__))
    import bot_api_limits as limits
else:
    from . import bot_api_limits as limits

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Clinic test bot", "username": "clinic_e2e_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}

# Methods that post a message to a chat: counted by the per-chat send rate check.
POSTING = {"sendMessage", "sendDocument", "sendInvoice"}
# Methods answered with a bare `true`.
TRUE_METHODS = {"answerCallbackQuery", "answerPreCheckoutQuery", "sendChatAction", "setMyCommands", "deleteMyCommands",
                "setWebhook", "deleteWebhook", "deleteMessage"}
KNOWN = TRUE_METHODS | POSTING | {"editMessageText", "editMessageReplyMarkup", "getMe", "getUpdates",
                                  "getWebhookInfo", "close", "logOut"}

NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a content and reply markup of the current message")
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


@dataclass
class Call:
    """One request the fake received."""
    seq: int
    t: float                      # time.monotonic() when it arrived
    wall: float                   # time.time() when it arrived
    method: str
    token_ok: bool
    params: dict
    chat_id: Optional[int] = None
    files: dict = field(default_factory=dict)
    status: Optional[int] = None  # HTTP status answered (None while a long poll is pending)
    response: Any = None          # the JSON answered
    injected: bool = False        # the answer was a fault from fail_next / block_chat
    problems: list = field(default_factory=list)

    @property
    def done(self):
        return self.status is not None

    @property
    def ok(self):
        return self.status == 200

    @property
    def text(self):
        """The message text as the person sees it (HTML tags removed, entities decoded)."""
        raw = self.params.get("text", self.params.get("caption"))
        return limits.plain_text(raw, self.params.get("parse_mode")) if isinstance(raw, str) else None

    @property
    def markup(self):
        return limits.decode_json_field(self.params.get("reply_markup"))

    @property
    def message_id(self):
        """The id of the message this call sent or edited, from the answer (None if none)."""
        result = self.response.get("result") if isinstance(self.response, dict) else None
        return result.get("message_id") if isinstance(result, dict) else None

    @property
    def upload(self):
        """The file a sendDocument uploaded: {"filename", "content_type", "size", "bytes"} or None."""
        return self.files.get("document")

    @property
    def description(self):
        return (self.response or {}).get("description") if isinstance(self.response, dict) else None

    def summary(self, width=90):
        text = (self.text or "").replace("\n", " ⏎ ")
        extra = f" {text[:width]!r}" if text else ""
        if self.method == "answerCallbackQuery":
            extra = f" id={self.params.get('callback_query_id')} text={self.params.get('text')!r}"
        if self.method in ("editMessageText", "editMessageReplyMarkup"):
            extra = f" message_id={self.params.get('message_id')}" + extra
        kind = ""
        markup = self.markup
        if isinstance(markup, dict):
            kind = " [" + ",".join(k for k in markup) + "]"
        status = self.status if self.status is not None else "…"
        if self.status not in (None, 200) and self.description:
            status = f"{status} ({self.description[:100]})"
        return f"#{self.seq} +{self.t:.3f} {self.method} chat={self.chat_id} → {status}{extra}{kind}"


@dataclass
class _Fault:
    method: str
    status: int
    description: str
    retry_after: Optional[int]
    count: int
    chat_id: Optional[int]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _inline_rows(markup):
    markup = limits.decode_json_field(markup)
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return markup["inline_keyboard"]
    return None


class FakeBotAPI:
    def __init__(self, token="123456:TEST-token", host="127.0.0.1", port=0, *,
                 send_rate=limits.SendRate(), reject_invalid=True, strict_callbacks=False, log=None):
        """`send_rate`: the per-chat rate check (None: off; see set_chat_rate for one chat).
        `reject_invalid`: answer payloads Telegram would refuse with a 400, as Telegram does.
        `strict_callbacks`: answering a callback query not announced with register_callback_query,
        or answering one twice, is a violation (and a 400, as Telegram does).
        `log`: a function taking a line, called for every call (standalone mode)."""
        self.token = token
        self.host, self._requested_port = host, port
        self.send_rate = send_rate
        self.reject_invalid = reject_invalid
        self.strict_callbacks = strict_callbacks
        self.log = log
        self._cond = threading.Condition()
        self._calls = []
        self._violations = []
        self._faults = []
        self._blocked = set()
        self._held = set()
        self._held_calls = 0
        self._chat_rates = {}
        self._send_times = {}
        self._next_message_id = {}
        self._messages = {}
        self._updates = []
        self._callbacks = {}
        self._webhook = None
        self._stopping = False
        self._server = None
        self._thread = None

    # ---- lifecycle -----------------------------------------------------------------------

    def start(self):
        api = self

        class Handler(_Handler):
            fake = api

        self._server = ThreadingHTTPServer((self.host, self._requested_port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-bot-api", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    # ---- what happened -------------------------------------------------------------------

    def calls(self, method=None, chat_id=None, since=0):
        """Calls received (optionally of one method, to one chat), from sequence number `since`."""
        with self._cond:
            return [c for c in self._calls[since:]
                    if (method is None or c.method == method) and (chat_id is None or c.chat_id == chat_id)]

    def mark(self):
        """The sequence number the next call will get: `since=` for later queries."""
        with self._cond:
            return len(self._calls)

    def wait_for(self, predicate, timeout=5.0, since=0):
        """The first call from `since` on for which predicate(call) is true, waiting up to
        `timeout` seconds for it; None if it does not come."""
        deadline = time.monotonic() + timeout
        with self._cond:
            index = since
            while True:
                while index < len(self._calls):
                    call = self._calls[index]
                    index += 1
                    if predicate(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stopping:
                    return None
                self._cond.wait(remaining)

    def wait_quiet(self, predicate, quiet=1.0, timeout=10.0, since=0):
        """Waits until no call matching predicate has come for `quiet` seconds (or `timeout`
        passed); returns the matching calls from `since`."""
        start = time.monotonic()
        while True:
            matching = [c for c in self.calls(since=since) if predicate(c)]
            last = max([start] + [c.t for c in matching])
            now = time.monotonic()
            if now - last >= quiet or now - start >= timeout:
                return matching
            time.sleep(0.05)

    @property
    def violations(self):
        with self._cond:
            return list(self._violations)

    def messages(self, chat_id):
        """The messages of a chat as they are now (after edits): {message_id: message}."""
        with self._cond:
            return {mid: dict(message) for mid, message in self._messages.get(chat_id, {}).items()}

    # ---- test side -----------------------------------------------------------------------

    def queue_update(self, update):
        """An update for getUpdates (long polling)."""
        with self._cond:
            self._updates.append(update)
            self._updates.sort(key=lambda u: u["update_id"])
            self._cond.notify_all()

    def pending_updates(self):
        """Updates not yet confirmed by a getUpdates with a higher offset."""
        with self._cond:
            return list(self._updates)

    def user_message(self, chat_id, text=None):
        """A message id for a message the person sends: in Telegram the chat's bot and user
        messages share one counter. The bot cannot edit it."""
        with self._cond:
            message_id = self._new_message_id(chat_id)
            self._messages.setdefault(chat_id, {})[message_id] = {
                "message_id": message_id, "from_bot": False, "text": text, "plain": text, "inline": None}
            return message_id

    def register_callback_query(self, query_id):
        """Announces a callback query id the test sends the bot (strict_callbacks)."""
        with self._cond:
            self._callbacks.setdefault(str(query_id), 0)

    def unanswered_callbacks(self):
        """Callback queries announced with register_callback_query that were never answered."""
        with self._cond:
            return [query_id for query_id, answered in self._callbacks.items() if not answered]

    def fail_next(self, method, status, description=None, retry_after=None, count=1, chat_id=None):
        """The next `count` calls of `method` (to `chat_id` if given) are answered with this error."""
        if description is None:
            description = {429: f"Too Many Requests: retry after {retry_after or 1}",
                           500: "Internal Server Error", 502: "Bad Gateway",
                           403: "Forbidden: bot was blocked by the user",
                           400: "Bad Request"}.get(status, f"Error {status}")
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._cond:
            self._faults.append(_Fault(method, status, description, retry_after, count, chat_id))

    def block_chat(self, chat_id):
        """From now on every call to this chat gets 403 "Forbidden: bot was blocked by the user"."""
        with self._cond:
            self._blocked.add(chat_id)

    def hold_chat(self, chat_id):
        """Calls to this chat hang, as if Telegram never answered, until release_chat; then they
        get a 502 and are not recorded (the caller is usually gone by then)."""
        with self._cond:
            self._held.add(chat_id)

    def release_chat(self, chat_id):
        with self._cond:
            self._held.discard(chat_id)
            self._cond.notify_all()

    @property
    def held_calls(self):
        """Calls that hung on a held chat so far."""
        with self._cond:
            return self._held_calls

    def unblock_chat(self, chat_id):
        with self._cond:
            self._blocked.discard(chat_id)

    def set_chat_rate(self, chat_id, rate):
        """The per-chat send rate check for one chat: a limits.SendRate, or None for no check."""
        with self._cond:
            self._chat_rates[chat_id] = rate

    @property
    def webhook(self):
        """The URL set with setWebhook (None after deleteWebhook) and its parameters."""
        with self._cond:
            return dict(self._webhook) if self._webhook else None

    # ---- the server side -----------------------------------------------------------------

    def _new_message_id(self, chat_id):
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _violation(self, call, problem):
        self._violations.append({"seq": call.seq, "method": call.method, "chat_id": call.chat_id, "problem": problem})
        call.problems.append(problem)

    def handle(self, method, token, params, files):
        """Answers one call: (HTTP status, JSON body)."""
        chat_id = _int(params.get("chat_id"))
        with self._cond:
            if chat_id is not None and chat_id in self._held:
                self._held_calls += 1
                self._cond.notify_all()
                while chat_id in self._held and not self._stopping:
                    self._cond.wait(0.5)
                return _error(502, "Bad Gateway")
            call = Call(seq=len(self._calls), t=time.monotonic(), wall=time.time(), method=method,
                        token_ok=token == self.token, params=params, chat_id=chat_id, files=files)
            self._calls.append(call)
            if method == "getUpdates" and call.token_ok:
                self._cond.notify_all()
                status, body = self._get_updates(call)
            else:
                status, body = self._answer(call)
            call.status, call.response = status, body
            self._cond.notify_all()
        if self.log:
            self.log(call.summary())
            for problem in call.problems:
                self.log(f"    VIOLATION: {problem}")
        return status, body

    def _answer(self, call):
        if not call.token_ok:
            return _error(401, "Unauthorized")
        if call.method not in KNOWN:
            self._violation(call, f"unknown Bot API method {call.method}")
            return _error(404, "Not Found")
        problems = self._check(call)
        for problem in problems:
            self._violation(call, problem)
        if call.method in POSTING and call.chat_id is not None:
            self._check_rate(call)
        fault = self._take_fault(call)
        if fault:
            call.injected = True
            return _error(fault.status, fault.description, fault.retry_after)
        if call.chat_id is not None and call.chat_id in self._blocked:
            call.injected = True
            return _error(403, "Forbidden: bot was blocked by the user")
        if problems and self.reject_invalid:
            return _error(400, "Bad Request: " + problems[0])
        return getattr(self, "_m_" + call.method, self._m_true)(call)

    def _check(self, call):
        p, method = call.params, call.method
        problems = []
        if method in ("sendMessage", "editMessageText"):
            problems += limits.check_text(p.get("text"), p.get("parse_mode"))
        if method == "sendDocument":
            problems += limits.check_text(p.get("caption"), p.get("parse_mode"), limit=limits.MAX_CAPTION, what="caption")
        if method in ("sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup"):
            problems += limits.check_reply_markup(p.get("reply_markup"), inline_only=method.startswith("edit"))
        if method in POSTING | {"editMessageText", "editMessageReplyMarkup", "sendChatAction", "deleteMessage"}:
            if call.chat_id is None or not isinstance(call.chat_id, int):
                problems.append(f"{method} without a numeric chat_id")
        if method == "answerCallbackQuery":
            problems += limits.check_callback_answer(p)
        if method == "sendInvoice":
            problems += limits.check_invoice(p)
        if method == "answerPreCheckoutQuery":
            problems += limits.check_pre_checkout_answer(p)
        if method == "setMyCommands":
            problems += limits.check_commands(p)
        if method == "setWebhook":
            problems += limits.check_webhook(p)
        return problems

    def _check_rate(self, call):
        rate = self._chat_rates.get(call.chat_id, self.send_rate)
        times = self._send_times.setdefault(call.chat_id, [])
        if rate is not None:
            problem = rate.check(times, call.t)
            if problem:
                self._violation(call, problem)
        times.append(call.t)
        del times[:-200]

    def _take_fault(self, call):
        for fault in self._faults:
            if fault.method == call.method and (fault.chat_id is None or fault.chat_id == call.chat_id):
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # ---- methods -------------------------------------------------------------------------

    def _message_result(self, call, message):
        result = {"message_id": message["message_id"], "from": BOT_USER,
                  "chat": {"id": call.chat_id, "type": "private" if call.chat_id > 0 else "group"},
                  "date": int(call.wall)}
        if message.get("plain") is not None:
            result["text" if "caption" not in message else "caption"] = message["plain"]
        if message.get("document"):
            result["document"] = message["document"]
        if message.get("inline"):
            result["reply_markup"] = {"inline_keyboard": message["inline"]}
        if message.get("edited"):
            result["edit_date"] = int(call.wall)
        return 200, {"ok": True, "result": result}

    def _store(self, call, **fields):
        message_id = self._new_message_id(call.chat_id)
        message = {"message_id": message_id, "from_bot": True, "inline": _inline_rows(call.params.get("reply_markup")),
                   "parse_mode": call.params.get("parse_mode"), **fields}
        self._messages.setdefault(call.chat_id, {})[message_id] = message
        return message

    def _m_sendMessage(self, call):
        message = self._store(call, text=call.params.get("text"), plain=call.text)
        return self._message_result(call, message)

    def _m_sendDocument(self, call):
        upload = call.files.get("document")
        document = {"file_id": f"DOC{call.seq}", "file_unique_id": f"U{call.seq}"}
        if upload:
            document.update(file_name=upload["filename"], mime_type=upload["content_type"], file_size=upload["size"])
        message = self._store(call, text=None, plain=call.text, caption=True, document=document)
        return self._message_result(call, message)

    def _m_sendInvoice(self, call):
        invoice = {"title": call.params.get("title"), "description": call.params.get("description"),
                   "currency": call.params.get("currency"),
                   "total_amount": sum(price.get("amount", 0) for price in limits.decode_json_field(call.params.get("prices")) or []),
                   "payload": call.params.get("payload")}
        message = self._store(call, text=None, plain=None, invoice=invoice)
        return self._message_result(call, message)

    def _edited_message(self, call):
        message_id = _int(call.params.get("message_id"))
        message = self._messages.get(call.chat_id, {}).get(message_id)
        if message is None:
            return None, _error(400, "Bad Request: message to edit not found")
        if not message["from_bot"]:
            return None, _error(400, "Bad Request: message can't be edited")
        return message, None

    def _m_editMessageText(self, call):
        message, error = self._edited_message(call)
        if error:
            return error
        inline = _inline_rows(call.params.get("reply_markup"))
        text = call.params.get("text")
        if text == message.get("text") and call.params.get("parse_mode") == message.get("parse_mode") \
                and inline == message.get("inline"):
            return _error(400, NOT_MODIFIED)
        message.update(text=text, plain=call.text, inline=inline, parse_mode=call.params.get("parse_mode"), edited=True)
        return self._message_result(call, message)

    def _m_editMessageReplyMarkup(self, call):
        message, error = self._edited_message(call)
        if error:
            return error
        inline = _inline_rows(call.params.get("reply_markup"))
        if inline == message.get("inline"):
            return _error(400, NOT_MODIFIED)
        message.update(inline=inline, edited=True)
        return self._message_result(call, message)

    def _m_deleteMessage(self, call):
        if self._messages.get(call.chat_id, {}).pop(_int(call.params.get("message_id")), None) is None:
            return _error(400, "Bad Request: message to delete not found")
        return 200, {"ok": True, "result": True}

    def _m_answerCallbackQuery(self, call):
        query_id = str(call.params.get("callback_query_id"))
        if self.strict_callbacks:
            answered = self._callbacks.get(query_id)
            if answered is None:
                self._violation(call, f"answerCallbackQuery for an unknown callback query {query_id}")
                return _error(400, QUERY_INVALID)
            if answered:
                self._violation(call, f"callback query {query_id} answered twice")
                return _error(400, QUERY_INVALID)
        self._callbacks[query_id] = self._callbacks.get(query_id, 0) + 1
        return 200, {"ok": True, "result": True}

    def _m_setWebhook(self, call):
        self._webhook = {"url": call.params.get("url"), "secret_token": call.params.get("secret_token"),
                         "allowed_updates": limits.decode_json_field(call.params.get("allowed_updates"))}
        return 200, {"ok": True, "result": True, "description": "Webhook was set"}

    def _m_deleteWebhook(self, call):
        self._webhook = None
        if str(call.params.get("drop_pending_updates")).lower() == "true":
            self._updates.clear()
        return 200, {"ok": True, "result": True, "description": "Webhook was deleted"}

    def _m_getWebhookInfo(self, call):
        info = {"url": (self._webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}
        return 200, {"ok": True, "result": info}

    def _m_getMe(self, call):
        return 200, {"ok": True, "result": BOT_USER}

    def _m_true(self, call):
        return 200, {"ok": True, "result": True}

    def _get_updates(self, call):
        """Long polling; called with the lock held, waits on the condition (releasing it)."""
        p = call.params
        fault = self._take_fault(call)
        if fault:
            call.injected = True
            return _error(fault.status, fault.description, fault.retry_after)
        if self._webhook:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active; "
                               "use deleteWebhook to delete the webhook first")
        offset = _int(p.get("offset")) or 0
        limit = max(1, min(100, _int(p.get("limit")) or 100))
        try:
            timeout = max(0.0, min(float(p.get("timeout") or 0), 60.0))
        except ValueError:
            timeout = 0.0
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self._updates if not isinstance(offset, int) or u["update_id"] >= offset]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._stopping:
                return 200, {"ok": True, "result": ready[:limit]}
            self._cond.wait(remaining)


def _error(status, description, retry_after=None):
    body = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return status, body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = None  # set by FakeBotAPI.start

    def log_message(self, format, *args):  # quiet: the fake records calls itself
        pass

    def do_POST(self):
        self._serve(self._body())

    def do_GET(self):
        self._serve(b"")

    def _body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self, body):
        parsed = urllib.parse.urlsplit(self.path)
        parts = parsed.path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = parts[0][3:], parts[1]
        params = {key: values[-1] for key, values in urllib.parse.parse_qs(parsed.query).items()}
        files = {}
        try:
            more, files = _decode_body(self.headers.get("Content-Type") or "", body)
        except ValueError as error:
            return self._send(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"})
        params.update(more)
        status, answer = self.fake.handle(method, token, params, files)
        self._send(status, answer)

    def _send(self, status, answer):
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a long poll of a stopped bot)


def _decode_body(content_type, body):
    """JSON, x-www-form-urlencoded or multipart/form-data → (params, files)."""
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return {}, {}
    if kind == "application/json" or (not kind and body[:1] in (b"{", b"[")):
        value = json.loads(body.decode("utf-8"))
        if not isinstance(value, dict):
            raise ValueError("the JSON body is not an object")
        return value, {}
    if kind == "application/x-www-form-urlencoded":
        pairs = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
        return {key: values[-1] for key, values in pairs.items()}, {}
    if kind == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("utf-8")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        if not message.is_multipart():
            raise ValueError("multipart body without parts")
        params, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                files[name] = {"filename": part.get_filename(), "content_type": part.get_content_type(),
                               "size": len(data), "bytes": data}
                params[name] = f"<file {part.get_filename()}>"
            else:
                params[name] = data.decode("utf-8")
        return params, files
    raise ValueError(f"unsupported Content-Type {content_type!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--token", default="123456:TEST-token")
    parser.add_argument("--no-rate-check", action="store_true", help="do not check the per-chat send rate")
    parser.add_argument("--self-test", action="store_true", help="check the fake itself and exit")
    args = parser.parse_args()
    if args.self_test:
        if __package__ in (None, ""):
            import fake_bot_api_selftest as selftest
        else:
            from . import fake_bot_api_selftest as selftest
        sys.exit(selftest.run())
    api = FakeBotAPI(args.token, args.host, args.port, send_rate=None if args.no_rate_check else limits.SendRate(),
                     log=lambda line: print(line, flush=True))
    api.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"fake Bot API on {api.url}/bot{args.token}/<method>; queue updates from Python only; Ctrl-C stops", flush=True)
    try:
        threading.Event().wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        api.stop()
        print(f"{len(api.calls())} calls, {len(api.violations)} violations")


if __name__ == "__main__":
    main()
