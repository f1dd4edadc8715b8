"""Checks the fake Bot API itself, over HTTP with urllib, the way the bot will use it:
`python scripts/e2e/fake_bot_api.py --self-test`. Prints one line per check; returns 1 if any fails."""
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import bot_api_limits as limits
from fake_bot_api import NOT_MODIFIED, FakeBotAPI

TOKEN = "123456:TEST-token"


class Client:
    def __init__(self, api, token=TOKEN):
        self.base = f"{api.url}/bot{token}/"

    def _open(self, request, timeout):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def json(self, method, **params):
        """A JSON call; `timeout` is the Bot API parameter, the HTTP timeout allows for it."""
        body = json.dumps(params).encode()
        request = urllib.request.Request(self.base + method, data=body, headers={"Content-Type": "application/json"})
        return self._open(request, 10 + float(params.get("timeout", 0)))

    def form(self, method, **params):
        fields = {k: json.dumps(v) if isinstance(v, (dict, list)) else str(v) for k, v in params.items()}
        request = urllib.request.Request(self.base + method, data=urllib.parse.urlencode(fields).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        return self._open(request, 10)

    def multipart(self, method, fields, files):
        boundary = uuid.uuid4().hex
        chunks = []
        for name, value in fields.items():
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, mime, data) in files.items():
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                          f"Content-Type: {mime}\r\n\r\n".encode() + data + b"\r\n")
        chunks.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(self.base + method, data=b"".join(chunks),
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return self._open(request, 10)


class Checks:
    def __init__(self):
        self.failed = []

    def __call__(self, condition, what, detail=""):
        print(("ok   " if condition else "FAIL ") + what + ("" if condition else f"  [{detail}]"))
        if not condition:
            self.failed.append(what)


def violated(api, since, keyword):
    """Whether a violation mentioning `keyword` was recorded for calls from `since` on."""
    return any(v["seq"] >= since and keyword in v["problem"] for v in api.violations)


def inline(*rows):
    return {"inline_keyboard": [[{"text": label, "callback_data": data} for label, data in row] for row in rows]}


def run():
    check = Checks()
    api = FakeBotAPI(TOKEN, strict_callbacks=True).start()
    bot = Client(api)
    for chat in (5001, 6001, 7001):  # many payload checks, not a rate test
        api.set_chat_rate(chat, None)
    try:
        basics(api, bot, check)
        edits(api, bot, check)
        bodies(api, bot, check)
        long_polling(api, bot, check)
        faults(api, bot, check)
        text_limits(api, bot, check)
        html(api, bot, check)
        keyboards(api, bot, check)
        callbacks(api, bot, check)
        send_rate(api, bot, check)
        waiting(api, bot, check)
    finally:
        api.stop()
    print("fake Bot API self-test: " + ("FAILED: " + "; ".join(check.failed) if check.failed else "all checks passed"))
    return 1 if check.failed else 0


def basics(api, bot, check):
    status, body = bot.json("getMe")
    check(status == 200 and body["result"]["is_bot"], "getMe answers a bot user", body)
    status, body = Client(api, "999:wrong").json("sendMessage", chat_id=1, text="x")
    check(status == 401 and body == {"ok": False, "error_code": 401, "description": "Unauthorized"},
          "a wrong token is a 401 Unauthorized", (status, body))
    first = bot.json("sendMessage", chat_id=1001, text="Привет", parse_mode="HTML")[1]
    second = bot.json("sendMessage", chat_id=1001, text="Ещё")[1]
    other = bot.json("sendMessage", chat_id=1002, text="Другой чат")[1]
    check(first["ok"] and first["result"]["message_id"] == 1 and second["result"]["message_id"] == 2
          and other["result"]["message_id"] == 1, "message ids count up per chat", (first, second, other))
    check(first["result"]["chat"]["id"] == 1001 and first["result"]["text"] == "Привет" and "date" in first["result"],
          "sendMessage answers the message like Telegram", first)
    user_id = api.user_message(1001, "hi")
    check(user_id == 3, "a person's message takes the chat's next message id", user_id)
    calls = api.calls("sendMessage", chat_id=1001)
    check(len(calls) == 2 and calls[0].params["parse_mode"] == "HTML" and calls[0].text == "Привет",
          "calls are recorded with method, chat and params", [c.summary() for c in calls])
    for method in ("answerCallbackQuery", "sendChatAction", "setMyCommands", "deleteWebhook"):
        params = {"callback_query_id": "q0"} if method == "answerCallbackQuery" else {"chat_id": 1, "action": "typing"}
        if method == "setMyCommands":
            params = {"commands": [{"command": "start", "description": "Начать"}], "language_code": "kk"}
        if method == "answerCallbackQuery":
            api.register_callback_query("q0")
        status, body = bot.json(method, **params)
        check(status == 200 and body["result"] is True, f"{method} answers true", body)
    status, body = bot.json("setWebhook", url="https://example.org/hook", secret_token="s3cret_-X",
                            allowed_updates=["message", "callback_query"])
    check(status == 200 and api.webhook["secret_token"] == "s3cret_-X", "setWebhook is remembered", api.webhook)
    bot.json("deleteWebhook")
    check(api.webhook is None, "deleteWebhook forgets it")
    status, body = bot.json("noSuchMethod", chat_id=1)
    check(status == 404, "an unknown method is a 404", body)


def edits(api, bot, check):
    markup = inline([("Да", "1.0"), ("Нет", "1.1")])
    sent = bot.json("sendMessage", chat_id=2001, text="Вопрос?", parse_mode="HTML", reply_markup=markup)[1]["result"]
    mid = sent["message_id"]
    status, body = bot.json("editMessageText", chat_id=2001, message_id=mid, text="Вопрос?\n\n<b>Да</b>", parse_mode="HTML")
    check(status == 200 and body["result"]["text"] == "Вопрос?\n\nДа" and "reply_markup" not in body["result"],
          "editMessageText replaces text and removes the buttons", body)
    check(api.messages(2001)[mid]["inline"] is None and api.messages(2001)[mid]["plain"] == "Вопрос?\n\nДа",
          "the fake keeps the message as edited", api.messages(2001)[mid])
    status, body = bot.json("editMessageText", chat_id=2001, message_id=mid, text="Вопрос?\n\n<b>Да</b>", parse_mode="HTML")
    check(status == 400 and body["description"] == NOT_MODIFIED and body["description"].startswith(
        "Bad Request: message is not modified"), "the same text and markup again: message is not modified", body)
    status, body = bot.json("editMessageText", chat_id=2001, message_id=mid, text="Вопрос?\n\n<b>Да</b>",
                            parse_mode="HTML", reply_markup=inline([("Ок", "2.0")]))
    check(status == 200, "the same text with other buttons is a modification", body)
    status, body = bot.json("editMessageText", chat_id=2001, message_id=999, text="x")
    check(status == 400 and body["description"] == "Bad Request: message to edit not found",
          "editing an unknown message: message to edit not found", body)
    person = api.user_message(2001, "мой ответ")
    status, body = bot.json("editMessageText", chat_id=2001, message_id=person, text="x")
    check(status == 400 and "can't be edited" in body["description"], "the person's own message cannot be edited", body)
    status, body = bot.json("editMessageReplyMarkup", chat_id=2001, message_id=mid)
    check(status == 200 and api.messages(2001)[mid]["inline"] is None, "editMessageReplyMarkup removes buttons", body)


def bodies(api, bot, check):
    status, body = bot.form("sendMessage", chat_id=3001, text="Форма &amp; кнопки", parse_mode="HTML",
                            reply_markup={"keyboard": [[{"text": "📱 Номер", "request_contact": True}]], "resize_keyboard": True})
    call = api.calls("sendMessage", chat_id=3001)[-1]
    check(status == 200 and call.chat_id == 3001 and call.markup["keyboard"][0][0]["request_contact"] is True
          and call.text == "Форма & кнопки", "a form body: chat_id as a number, reply_markup decoded", call.params)
    pdf = b"%PDF-1.4 fake\x00\xff"
    status, body = bot.multipart("sendDocument", {"chat_id": "3001", "caption": "Ваша <b>справка</b>", "parse_mode": "HTML"},
                                 {"document": ("справка.pdf", "application/pdf", pdf)})
    call = api.calls("sendDocument", chat_id=3001)[-1]
    check(status == 200 and call.files["document"]["bytes"] == pdf and call.files["document"]["filename"] == "справка.pdf"
          and body["result"]["document"]["file_size"] == len(pdf) and body["result"]["caption"] == "Ваша справка",
          "multipart sendDocument: the file and the caption arrive", (body, call.files.get("document", {}).get("filename")))
    status, body = bot.multipart("sendDocument", {"chat_id": "3001", "caption": "x" * 1025},
                                 {"document": ("a.pdf", "application/pdf", b"x")})
    check(status == 400 and violated(api, call.seq + 1, "caption is 1025"), "a caption over 1024 is a violation", body)


def long_polling(api, bot, check):
    started = time.monotonic()
    status, body = bot.json("getUpdates", offset=0, timeout=1)
    waited = time.monotonic() - started
    check(status == 200 and body["result"] == [] and 0.9 <= waited < 2.5, "getUpdates holds an empty poll for its timeout",
          f"{waited:.2f}s {body}")
    threading.Timer(0.4, api.queue_update, [{"update_id": 500, "message": {"message_id": 1, "text": "hi"}}]).start()
    started = time.monotonic()
    status, body = bot.json("getUpdates", offset=0, timeout=10)
    waited = time.monotonic() - started
    check(status == 200 and [u["update_id"] for u in body["result"]] == [500] and 0.3 <= waited < 2,
          "a pending getUpdates returns as soon as an update is queued", f"{waited:.2f}s {body}")
    api.queue_update({"update_id": 501, "message": {"message_id": 2, "text": "again"}})
    body = bot.json("getUpdates", offset=500, timeout=0)[1]
    check([u["update_id"] for u in body["result"]] == [500, 501], "updates stay until confirmed by a higher offset", body)
    body = bot.json("getUpdates", offset=502, timeout=0)[1]
    check(body["result"] == [] and api.pending_updates() == [], "an offset past them confirms and forgets them",
          api.pending_updates())
    for n in range(3):
        api.queue_update({"update_id": 600 + n})
    body = bot.json("getUpdates", offset=601, limit=1, timeout=0)[1]
    check([u["update_id"] for u in body["result"]] == [601], "offset and limit select the updates", body)
    bot.json("getUpdates", offset=700, timeout=0)
    bot.json("setWebhook", url="https://example.org/hook")
    status, body = bot.json("getUpdates", offset=700, timeout=0)
    check(status == 409, "getUpdates while a webhook is set is a 409 Conflict", body)
    bot.json("deleteWebhook")


def faults(api, bot, check):
    api.fail_next("sendMessage", 429, retry_after=1, chat_id=4001)
    status, other = bot.json("sendMessage", chat_id=4002, text="не тот чат")
    check(status == 200, "a fault for one chat leaves other chats alone", other)
    status, body = bot.json("sendMessage", chat_id=4001, text="раз")
    check(status == 429 and body["parameters"] == {"retry_after": 1} and body["error_code"] == 429,
          "fail_next: 429 with parameters.retry_after", body)
    call = api.calls("sendMessage", chat_id=4001)[-1]
    check(call.injected and call.status == 429, "the injected answer is recorded", call.summary())
    status, body = bot.json("sendMessage", chat_id=4001, text="два")
    check(status == 200, "only the next call fails", body)
    api.fail_next("sendMessage", 500, count=2)
    codes = [bot.json("sendMessage", chat_id=4003, text=str(n))[0] for n in range(3)]
    check(codes == [500, 500, 200], "count=2: two failures, then success", codes)
    api.block_chat(4004)
    codes = [bot.json("sendMessage", chat_id=4004, text=str(n))[0] for n in range(2)]
    body = bot.json("sendMessage", chat_id=4004, text="x")[1]
    check(codes == [403, 403] and body["description"] == "Forbidden: bot was blocked by the user",
          "a blocked chat gets 403 Forbidden every time", (codes, body))
    api.unblock_chat(4004)


def text_limits(api, bot, check):
    since = api.mark()
    status, _ = bot.json("sendMessage", chat_id=5001, text="я" * 4096)
    check(status == 200 and not violated(api, since, "long"), "4096 characters are fine")
    since = api.mark()
    status, _ = bot.json("sendMessage", chat_id=5001, text="я" * 4097)
    check(status == 400 and violated(api, since, "4097 UTF-16"), "4097 characters are a violation")
    since = api.mark()
    status, _ = bot.json("sendMessage", chat_id=5001, text="😀" * 2049)
    check(status == 400 and violated(api, since, "4098 UTF-16"), "an emoji counts 2 (UTF-16), like Telegram")
    since = api.mark()
    status, _ = bot.json("sendMessage", chat_id=5001, text="<b>" + "я" * 4090 + "</b> &amp;", parse_mode="HTML")
    check(status == 200 and not api.violations[since:] and not violated(api, since, "long"),
          "tags and entities do not count toward the length")
    since = api.mark()
    status, _ = bot.json("sendMessage", chat_id=5001, text=" \n ")
    check(status == 400 and violated(api, since, "empty"), "an empty text is a violation")
    since = api.mark()
    status, _ = bot.json("sendMessage", chat_id=5001)
    check(status == 400 and violated(api, since, "text is missing"), "a missing text is a violation")


def html(api, bot, check):
    good = ["<b>жирный</b> <i>курсив</i> &lt;tag&gt; &amp; &quot; &#128512; &#x1F600;",
            '<span class="tg-spoiler">x</span> <tg-spoiler>y</tg-spoiler> <a href="https://example.org">ссылка</a>',
            '<pre><code class="language-python">print(1)</code></pre> <blockquote expandable>цитата</blockquote>',
            "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del><code>h</code>"]
    for text in good:
        since = api.mark()
        status, body = bot.json("sendMessage", chat_id=6001, text=text, parse_mode="HTML")
        check(status == 200 and not [v for v in api.violations if v["seq"] >= since], f"valid HTML passes: {text[:40]!r}", body)
    bad = {"a < b": "unescaped '<'", "a > b": "unescaped '>'", "Tom & Jerry": "unescaped '&'",
           "<div>x</div>": "not supported", "<b>x": "never closed", "<b><i>x</b></i>": "not balanced",
           "x</b>": "without an opening", '<span class="x">y</span>': "tg-spoiler", "<a>x</a>": "without href",
           "&nbsp;": "unescaped '&'", "<br/>": "not supported"}
    for text, keyword in bad.items():
        since = api.mark()
        status, body = bot.json("sendMessage", chat_id=6001, text=text, parse_mode="HTML")
        check(status == 400 and violated(api, since, keyword), f"invalid HTML is a violation: {text!r}",
              (status, [v["problem"] for v in api.violations if v["seq"] >= since]))
    since = api.mark()
    status, _ = bot.json("sendMessage", chat_id=6001, text="a < b & c")
    check(status == 200 and not [v for v in api.violations if v["seq"] >= since], "without parse_mode, < and & are plain text")
    check(limits.parse_html("&lt;b&gt; &amp;amp;")[0] == "<b> &amp;", "entities decode once")


def keyboards(api, bot, check):
    def send(markup, method="sendMessage", **extra):
        since = api.mark()
        status, body = bot.json(method, chat_id=7001, text="Выберите", reply_markup=markup, **extra)
        return status, [v["problem"] for v in api.violations if v["seq"] >= since]

    status, problems = send(inline([("ж" * 3, "ж" * 32)]))
    check(status == 200 and not problems, "callback_data of 64 bytes is fine", problems)
    status, problems = send(inline([("a", "ж" * 33)]))
    check(status == 400 and any("66 bytes" in p for p in problems), "callback_data over 64 bytes is a violation", problems)
    status, problems = send(inline([("a", "")]))
    check(status == 400 and any("callback_data" in p for p in problems), "empty callback_data is a violation", problems)
    status, problems = send(inline([(str(n), str(n)) for n in range(9)]))
    check(status == 400 and any("9 buttons" in p for p in problems), "9 buttons in a row is a violation", problems)
    rows = [[(f"{r}.{c}", f"{r}.{c}") for c in range(8)] for r in range(13)]
    status, problems = send(inline(*rows))
    check(status == 400 and any("104 buttons" in p for p in problems), "more than 100 inline buttons is a violation", problems)
    status, problems = send(inline(*rows[:12], [("x", "x"), ("y", "y"), ("z", "z"), ("w", "w")]))
    check(status == 200 and not problems, "exactly 100 inline buttons is fine", problems)
    status, problems = send({"inline_keyboard": [[{"text": "a", "callback_data": "1"}]], "remove_keyboard": True})
    check(status == 400 and any("exactly one" in p for p in problems), "two kinds of reply_markup is a violation", problems)
    status, problems = send({"resize_keyboard": True})
    check(status == 400 and any("exactly one" in p for p in problems), "no kind of reply_markup is a violation", problems)
    status, problems = send({"remove_keyboard": True})
    check(status == 200 and not problems, "remove_keyboard is fine", problems)
    mid = bot.json("sendMessage", chat_id=7001, text="to edit")[1]["result"]["message_id"]
    status, problems = send({"keyboard": [["a"]]}, "editMessageText", message_id=mid)
    check(status == 400 and any("only carry an inline" in p for p in problems),
          "an edit with a reply keyboard is a violation", problems)


def callbacks(api, bot, check):
    since = api.mark()
    status, _ = bot.json("answerCallbackQuery", callback_query_id="never-sent")
    check(status == 400 and violated(api, since, "unknown callback query"), "strict: answering an unknown query is a violation")
    api.register_callback_query("q1")
    status, _ = bot.json("answerCallbackQuery", callback_query_id="q1", text="Эта кнопка уже неактуальна")
    check(status == 200, "answering a sent query is fine")
    since = api.mark()
    status, _ = bot.json("answerCallbackQuery", callback_query_id="q1")
    check(status == 400 and violated(api, since, "answered twice"), "answering it twice is a violation")
    api.register_callback_query("q2")
    since = api.mark()
    status, _ = bot.json("answerCallbackQuery", callback_query_id="q2", text="я" * 201)
    check(status == 400 and violated(api, since, "201 characters"), "an answer text over 200 is a violation")


def send_rate(api, bot, check):
    since = api.mark()
    for n in range(8):
        bot.json("sendMessage", chat_id=8001, text=str(n))
    check(not violated(api, since, "within 5 s"), "8 quick messages to a chat fit a burst of 3 plus 1/s over 5 s")
    bot.json("sendMessage", chat_id=8001, text="9")
    check(violated(api, since, "9 messages to one chat"), "the 9th within 5 s is a violation")
    api.set_chat_rate(8002, None)
    since = api.mark()
    for n in range(12):
        bot.json("sendMessage", chat_id=8002, text=str(n))
    check(not violated(api, since, "messages to one chat"), "the check can be turned off for a chat")
    api.set_chat_rate(8003, limits.SendRate(rate=50, burst=50))
    since = api.mark()
    for n in range(12):
        bot.json("sendMessage", chat_id=8003, text=str(n))
    check(not violated(api, since, "messages to one chat"), "or raised for a chat")


def waiting(api, bot, check):
    since = api.mark()
    threading.Timer(0.3, bot.json, ["sendMessage"], {"chat_id": 9001, "text": "later"}).start()
    started = time.monotonic()
    call = api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 9001, timeout=5, since=since)
    check(call is not None and call.text == "later" and call.ok and 0.2 < time.monotonic() - started < 2,
          "wait_for returns the call when it comes", call and call.summary())
    call = api.wait_for(lambda c: c.chat_id == 9002, timeout=0.3, since=since)
    check(call is None, "wait_for gives None after its timeout")
    started = time.monotonic()
    quiet = api.wait_quiet(lambda c: c.chat_id == 9001, quiet=0.3, since=since)
    check(len(quiet) == 1 and time.monotonic() - started < 1, "wait_quiet returns once a chat has been quiet", quiet)
