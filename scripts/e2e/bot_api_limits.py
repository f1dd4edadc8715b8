"""Telegram Bot API limits, as pure functions: what a real Bot API server would refuse (or what
Telegram documents as a limit), checked on every payload the fake server receives.

Each check returns a list of problems (plain strings); an empty list means the payload is fine.
The numbers come from https://core.telegram.org/bots/api and /bots/faq:

* message text 1..4096 characters, a caption at most 1024, counted after entity parsing
  (HTML tags removed, entities decoded) in UTF-16 code units, like Telegram does;
* callback_data 1..64 bytes; at most 100 inline buttons in a keyboard, 8 in a row;
* answerCallbackQuery text at most 200 characters;
* parse_mode HTML: only the tags Telegram supports, balanced, and every `<`, `>`, `&` that is
  not part of a tag or entity escaped (`&lt;`, `&gt;`, `&amp;`; `&quot;` and numeric entities
  are fine too);
* reply_markup is exactly one of inline_keyboard, keyboard, remove_keyboard; an edit takes an
  inline keyboard only.
"""
import json
import re

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_INLINE_ROW = 8
MAX_CALLBACK_ANSWER = 200

# https://core.telegram.org/bots/api#html-style
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "blockquote", "span"}

_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[A-Za-z][A-Za-z0-9_-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)"
    r"\s*(/?)>")
_ATTRIBUTE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_length(text):
    """Telegram counts message lengths in UTF-16 code units (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le")) // 2


def _attributes(raw):
    found = {}
    for name, value in _ATTRIBUTE.findall(raw or ""):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        found[name.lower()] = value
    return found


def _decode_entity(match):
    body = match.group(1)
    if body in _NAMED:
        return _NAMED[body]
    try:
        code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
        return chr(code)
    except (ValueError, OverflowError):
        return None


def parse_html(text):
    """Parses Telegram's HTML: returns (plain text as the person sees it, problems)."""
    problems = []
    plain = []
    stack = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            tag = _TAG.match(text, i)
            if tag is None:
                problems.append(f"unescaped '<' at offset {i} (not a tag; write &lt;): {text[i:i + 20]!r}")
                plain.append(char)
                i += 1
                continue
            closing, name, raw_attributes = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
            i = tag.end()
            if tag.group(4):
                problems.append(f"self-closing tag <{name}/> is not supported by Telegram")
                continue
            if name not in ALLOWED_TAGS:
                problems.append(f"tag <{name}> is not supported by Telegram (if it is text, escape it as &lt;{name}&gt;)")
                continue
            if closing:
                if not stack:
                    problems.append(f"closing </{name}> without an opening tag")
                elif stack[-1] != name:
                    problems.append(f"tags not balanced: </{name}> closes <{stack[-1]}>")
                    if name in stack:
                        while stack and stack.pop() != name:
                            pass
                else:
                    stack.pop()
                continue
            attributes = _attributes(raw_attributes)
            if name == "span" and attributes.get("class") != "tg-spoiler":
                problems.append('<span> is only allowed as <span class="tg-spoiler">')
            elif name == "a" and not attributes.get("href"):
                problems.append("<a> without href")
            elif name == "code" and "class" in attributes and not (
                    attributes["class"].startswith("language-") and "pre" in stack):
                problems.append('<code class=…> is only allowed as <pre><code class="language-…">')
            elif name == "blockquote" and set(attributes) - {"expandable"}:
                problems.append(f"<blockquote> with unsupported attributes {sorted(attributes)}")
            elif name not in ("span", "a", "code", "blockquote") and attributes:
                problems.append(f"<{name}> with attributes {sorted(attributes)}")
            stack.append(name)
        elif char == ">":
            problems.append(f"unescaped '>' at offset {i} (write &gt;)")
            plain.append(char)
            i += 1
        elif char == "&":
            entity = _ENTITY.match(text, i)
            decoded = _decode_entity(entity) if entity else None
            if decoded is None:
                problems.append(f"unescaped '&' at offset {i} (write &amp;): {text[i:i + 12]!r}")
                plain.append(char)
                i += 1
            else:
                plain.append(decoded)
                i = entity.end()
        else:
            plain.append(char)
            i += 1
    for name in reversed(stack):
        problems.append(f"tag <{name}> is never closed")
    return "".join(plain), problems


def plain_text(text, parse_mode):
    """The text as the person sees it (tags removed, entities decoded when HTML)."""
    if text is None:
        return None
    if (parse_mode or "").upper() == "HTML":
        return parse_html(text)[0]
    return text


def check_text(text, parse_mode, *, limit=MAX_TEXT, what="text"):
    """A message text or caption: non-empty, valid HTML when parse_mode is HTML, within the limit."""
    if text is None:
        return [f"{what} is missing"] if what == "text" else []
    if not isinstance(text, str):
        return [f"{what} is not a string: {type(text).__name__}"]
    problems = []
    if (parse_mode or "").upper() == "HTML":
        plain, html_problems = parse_html(text)
        problems += [f"{what}: {problem}" for problem in html_problems]
    else:
        plain = text
    length = utf16_length(plain)
    if length > limit:
        problems.append(f"{what} is {length} UTF-16 units long after entity parsing (limit {limit})")
    if what == "text" and not plain.strip():
        problems.append("text is empty after entity parsing (Telegram: message text is empty)")
    return problems


def decode_json_field(value):
    """Fields such as reply_markup arrive as JSON text in form bodies and as objects in JSON bodies."""
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _check_inline_keyboard(rows):
    problems = []
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return ["inline_keyboard must be an array of arrays of buttons"]
    total = sum(len(row) for row in rows)
    if total > MAX_INLINE_BUTTONS:
        problems.append(f"inline keyboard has {total} buttons (limit {MAX_INLINE_BUTTONS})")
    for r, row in enumerate(rows):
        if not row:
            problems.append(f"inline keyboard row {r} is empty")
        if len(row) > MAX_INLINE_ROW:
            problems.append(f"inline keyboard row {r} has {len(row)} buttons (limit {MAX_INLINE_ROW})")
        for b, button in enumerate(row):
            where = f"inline button [{r}][{b}]"
            if not isinstance(button, dict):
                problems.append(f"{where} is not an object")
                continue
            if not isinstance(button.get("text"), str) or not button["text"].strip():
                problems.append(f"{where} has no text")
            actions = [key for key in ("callback_data", "url", "login_url", "switch_inline_query",
                                       "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                                       "callback_game", "pay", "web_app", "copy_text") if key in button]
            if len(actions) != 1:
                problems.append(f"{where} must have exactly one action field, has {actions}")
            if "callback_data" in button:
                data = button["callback_data"]
                size = len(data.encode("utf-8")) if isinstance(data, str) else -1
                if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                    problems.append(f"{where} callback_data {data!r} is {size} bytes (must be 1..{MAX_CALLBACK_DATA_BYTES})")
    return problems


def _check_reply_keyboard(rows):
    problems = []
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return ["keyboard must be an array of arrays of buttons"]
    for r, row in enumerate(rows):
        if not row:
            problems.append(f"keyboard row {r} is empty")
        for b, button in enumerate(row):
            text = button if isinstance(button, str) else button.get("text") if isinstance(button, dict) else None
            if not isinstance(text, str) or not text.strip():
                problems.append(f"keyboard button [{r}][{b}] has no text")
    return problems


def check_reply_markup(markup, *, inline_only=False):
    """reply_markup: exactly one kind; its buttons within the limits."""
    if markup is None:
        return []
    markup = decode_json_field(markup)
    if not isinstance(markup, dict):
        return [f"reply_markup is not a JSON object: {markup!r:.80}"]
    kinds = [kind for kind in ("inline_keyboard", "keyboard", "remove_keyboard", "force_reply") if kind in markup]
    if len(kinds) != 1:
        return [f"reply_markup must have exactly one of inline_keyboard, keyboard, remove_keyboard; has {kinds}"]
    kind = kinds[0]
    if inline_only and kind != "inline_keyboard":
        return [f"an edited message can only carry an inline keyboard, got {kind}"]
    if kind == "inline_keyboard":
        return _check_inline_keyboard(markup["inline_keyboard"])
    if kind == "keyboard":
        return _check_reply_keyboard(markup["keyboard"])
    if kind == "remove_keyboard":
        return [] if markup["remove_keyboard"] is True else ["remove_keyboard must be true"]
    return ["force_reply is not expected from this bot"]


def check_callback_answer(params):
    text = params.get("text")
    problems = []
    if not params.get("callback_query_id"):
        problems.append("answerCallbackQuery without callback_query_id")
    if text is not None:
        if not isinstance(text, str):
            problems.append("answerCallbackQuery text is not a string")
        elif utf16_length(text) > MAX_CALLBACK_ANSWER:
            problems.append(f"answerCallbackQuery text is {utf16_length(text)} characters (limit {MAX_CALLBACK_ANSWER})")
    return problems


_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def check_invoice(params):
    """sendInvoice: Telegram's documented limits (title 1-32, description 1-255, payload 1-128
    bytes, a currency code, at least one price with an integer amount in the smallest unit)."""
    problems = []
    title, description, payload = params.get("title"), params.get("description"), params.get("payload")
    if not isinstance(title, str) or not 1 <= len(title) <= 32:
        problems.append(f"sendInvoice title must be 1-32 characters, got {title!r}")
    if not isinstance(description, str) or not 1 <= len(description) <= 255:
        problems.append(f"sendInvoice description must be 1-255 characters, got {description!r}")
    if not isinstance(payload, str) or not 1 <= len(payload.encode()) <= 128:
        problems.append("sendInvoice payload must be 1-128 bytes")
    if not params.get("provider_token"):
        problems.append("sendInvoice without provider_token (a KZT invoice needs a payment provider)")
    currency = params.get("currency")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isupper():
        problems.append(f"sendInvoice currency must be a 3-letter code, got {currency!r}")
    prices = decode_json_field(params.get("prices"))
    if not isinstance(prices, list) or not prices:
        problems.append("sendInvoice without prices")
    else:
        for price in prices:
            if not isinstance(price, dict) or not isinstance(price.get("amount"), int) or isinstance(price.get("amount"), bool) \
                    or not price.get("label"):
                problems.append(f"sendInvoice price must be {{label, amount: integer}}, got {price!r}")
    return problems


def check_pre_checkout_answer(params):
    problems = []
    if not params.get("pre_checkout_query_id"):
        problems.append("answerPreCheckoutQuery without pre_checkout_query_id")
    ok = params.get("ok")
    if ok not in (True, False):
        problems.append(f"answerPreCheckoutQuery ok must be true or false, got {ok!r}")
    if ok is False and not params.get("error_message"):
        problems.append("a refused pre-checkout query needs an error_message the payer can read")
    return problems


def check_commands(params):
    commands = decode_json_field(params.get("commands"))
    if not isinstance(commands, list):
        return ["setMyCommands: commands must be an array"]
    problems = []
    if len(commands) > 100:
        problems.append(f"setMyCommands: {len(commands)} commands (limit 100)")
    for command in commands:
        if not isinstance(command, dict):
            problems.append(f"setMyCommands: {command!r} is not an object")
            continue
        if not _COMMAND.match(str(command.get("command", ""))):
            problems.append(f"setMyCommands: command {command.get('command')!r} must be 1-32 of a-z, 0-9, _")
        description = command.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            problems.append(f"setMyCommands: description of {command.get('command')!r} must be 1-256 characters")
    return problems


def check_webhook(params):
    problems = []
    url = params.get("url")
    if not isinstance(url, str) or not url.startswith("https://"):
        problems.append(f"setWebhook: an HTTPS URL must be provided, got {url!r}")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET.match(str(secret)):
        problems.append("setWebhook: secret_token must be 1-256 of A-Z, a-z, 0-9, _ and -")
    allowed = decode_json_field(params.get("allowed_updates"))
    if allowed is not None and not (isinstance(allowed, list) and all(isinstance(kind, str) for kind in allowed)):
        problems.append("setWebhook: allowed_updates must be an array of strings")
    return problems


class SendRate:
    """Messages posted to one chat: at most `rate` per second on average over any `window`
    seconds, plus a burst (a token bucket of `burst` tokens refilled at `rate` sends at most
    burst + rate*window messages in any window)."""

    def __init__(self, rate=1.0, burst=3, window=5.0):
        self.rate, self.burst, self.window = rate, burst, window

    @property
    def limit(self):
        return self.burst + self.rate * self.window

    def check(self, times, now):
        """`times`: earlier send times to the chat (monotonic). Returns a problem or None."""
        recent = [t for t in times if now - t < self.window]
        count = len(recent) + 1
        if count > self.limit:
            return (f"{count} messages to one chat within {self.window:g} s "
                    f"(limit {self.rate:g}/s with a burst of {self.burst}: at most {self.limit:g})")
        return None
