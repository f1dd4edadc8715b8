"""A person in a private chat with the bot: builds Telegram updates like real ones, delivers
them (webhook POST, or queued for getUpdates), and waits for what the bot sends back on the
fake Bot API side.

Replies are sent asynchronously after the webhook answers, so every expectation waits (5 s by
default). `expect(...)` looks at the bot's delivered sendMessage calls to this chat after the
person's cursor, in order, and moves the cursor past the ones it matched; messages in between
that match nothing are allowed (see `strict` for the places where they are not).
"""
import datetime
import re
import time
from dataclasses import dataclass

from fake_bot_api import BOT_USER
from harness import check
from locales import contains, month_year, normalize

SELF = object()


@dataclass
class Press:
    """A button press sent to the bot."""
    update: dict
    query_id: str
    message_id: int
    data: str
    label: str


class Person:
    def __init__(self, harness, server, user_id, first_name, language_code="ru", polling=False):
        self.h, self.fake, self.server = harness, harness.fake, server
        self.id = self.chat_id = user_id
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        self.lang = language_code if language_code in ("ru", "kk") else "ru"
        self.polling = polling
        self.cursor = self.fake.mark()
        self.last_response = None
        self.query_ids = set()
        # Texts this person's server was changed to say (hot reload): key → text.
        self.overrides = {}

    def __repr__(self):
        return f"person {self.id}"

    def t(self, key, **args):
        """A text in the person's language."""
        if key in self.overrides:
            return self.overrides[key]
        return self.h.texts(self.lang, key, **args)

    # ---- updates -------------------------------------------------------------------------

    def message_update(self, text=None, contact=None):
        message_id = self.fake.user_message(self.chat_id, text)
        message = {"message_id": message_id, "from": self.user,
                   "chat": {"id": self.chat_id, "first_name": self.user["first_name"], "type": "private"},
                   "date": int(time.time())}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        if contact is not None:
            message["contact"] = contact
        return {"update_id": self.h.next_update_id(), "message": message}

    def contact_update(self, phone, user_id=SELF):
        contact = {"phone_number": phone, "first_name": self.user["first_name"]}
        if user_id is SELF:
            contact["user_id"] = self.id
        elif user_id is not None:
            contact["user_id"] = user_id
        return self.message_update(contact=contact)

    def callback_update(self, message_id, data):
        query_id = self.h.new_callback_id()
        self.fake.register_callback_query(query_id)
        self.query_ids.add(query_id)
        shown = self.fake.messages(self.chat_id).get(message_id, {})
        message = {"message_id": message_id, "from": BOT_USER,
                   "chat": {"id": self.chat_id, "first_name": self.user["first_name"], "type": "private"},
                   "date": int(time.time()), "text": shown.get("plain") or ""}
        if shown.get("inline"):
            message["reply_markup"] = {"inline_keyboard": shown["inline"]}
        update = {"update_id": self.h.next_update_id(),
                  "callback_query": {"id": query_id, "from": self.user, "message": message,
                                     "chat_instance": str(-self.chat_id * 7919 % 10**18), "data": data}}
        return update, query_id

    # ---- sending -------------------------------------------------------------------------

    def deliver(self, update, server=None, expect_status=200):
        """Webhook: POST and check the status (None: don't); polling: queue for getUpdates."""
        if self.polling:
            self.fake.queue_update(update)
            return None
        response = (server or self.server).post_update(update)
        self.last_response = response
        if expect_status is not None:
            check(response.status == expect_status,
                  f"{self}: webhook answered {response} to update {update['update_id']}, expected {expect_status}")
        return response

    def send(self, text, **kw):
        update = self.message_update(text)
        self.deliver(update, **kw)
        return update

    def share_contact(self, phone, user_id=SELF, **kw):
        update = self.contact_update(phone, user_id)
        self.deliver(update, **kw)
        return update

    def find_button(self, label):
        """(message_id, callback_data) of the newest message in the chat, as it is now, that has
        an inline button with this label."""
        messages = self.fake.messages(self.chat_id)
        for message_id in sorted(messages, reverse=True):
            for row in messages[message_id].get("inline") or []:
                for button in row:
                    if normalize(button.get("text")) == normalize(label):
                        return message_id, button.get("callback_data")
        shown = [[b.get("text") for row in m.get("inline") or [] for b in row] for m in messages.values() if m.get("inline")]
        check(False, f"{self}: no button {label!r} on screen; newest buttons shown: {shown[-3:]}")

    def press(self, label, *, answered=True, **kw):
        """Presses the newest button with this label; checks the bot answers the callback query."""
        message_id, data = self.find_button(label)
        update, query_id = self.callback_update(message_id, data)
        self.deliver(update, **kw)
        press = Press(update, query_id, message_id, data, label)
        if answered:
            self.expect_answer(press)
        return press

    def inline_rows(self, message_id):
        """The inline keyboard of one of the bot's messages as it is now (after edits): rows of
        button dicts ({"text", "callback_data"}); [] when it has none."""
        return self.fake.messages(self.chat_id).get(message_id, {}).get("inline") or []

    def press_button(self, message_id, button, *, answered=True, **kw):
        """Presses one button (a dict from inline_rows) of a message: for choosing by position."""
        data = button.get("callback_data")
        check(data is not None, f"{self}: the button {button.get('text')!r} has no callback_data")
        update, query_id = self.callback_update(message_id, data)
        self.deliver(update, **kw)
        press = Press(update, query_id, message_id, data, button.get("text"))
        if answered:
            self.expect_answer(press)
        return press

    def press_first(self, message_id, skip=(), **kw):
        """Presses the first button of a message whose label is not in `skip` (e.g. the back button)."""
        rows = self.inline_rows(message_id)
        buttons = [b for row in rows for b in row if normalize(b.get("text")) not in {normalize(s) for s in skip}]
        check(buttons, f"{self}: message {message_id} has no button to press; its buttons: {rows}")
        return self.press_button(message_id, buttons[0], **kw)

    def calendar_days(self, message_id):
        """The calendar message as shown now: (its "Month YYYY" header, [(datetime.date, button)]
        for the pressable days of that month, {"◀"/"▶": button} for the arrows that turn it)."""
        rows = self.inline_rows(message_id)
        check(rows and rows[0], f"{self}: message {message_id} shows no calendar")
        header = rows[0][0].get("text")
        shown = month_year(header)
        check(shown is not None, f"{self}: the calendar's first button {header!r} is not a month and year")
        days, arrows = [], {}
        for row in rows[1:]:
            for button in row:
                label = (button.get("text") or "").strip()
                if re.fullmatch(r"\d{1,2}", label):
                    days.append((datetime.date(shown[0], shown[1], int(label)), button))
                elif label in ("◀", "▶"):
                    arrows[label] = button
        return header, days, arrows

    def turn_calendar(self, message_id, arrow, timeout=5.0):
        """Presses ◀ or ▶ of a calendar message and waits until it shows another month."""
        header, _, arrows = self.calendar_days(message_id)
        check(arrow in arrows, f"{self}: the calendar at {header} has no {arrow}")
        self.press_button(message_id, arrows[arrow])
        deadline = time.monotonic() + timeout
        while (self.inline_rows(message_id) or [[{}]])[0][0].get("text") == header:
            check(time.monotonic() < deadline, f"{self}: {arrow} did not turn the calendar past {header}")
            time.sleep(0.05)

    def press_calendar_day(self, message_id, months=3, timeout=5.0, day=None, avoid=()):
        """In a calendar message (Run+Calendar.swift: a "Month YYYY" header, weekday names, day
        numbers where only the bookable days are buttons that do something, "·" and blanks for
        the rest, then ◀ ▶), presses the first day whose label is a number, turning to the next
        month with ▶ (at most `months` times) while the month shown has none.
        `day` (a datetime.date): press exactly that day (failing when it is not pressable).
        `avoid` (datetime.dates): press one of them only when no other day is pressable within
        the months looked at (turning back with ◀ to the first of them).
        Returns (the day pressed as a datetime.date, the Press)."""
        fallback = turned = 0
        fallback_header = None
        for _ in range(months + 1):
            header, days, arrows = self.calendar_days(message_id)
            for date, button in days:
                if day is not None:
                    if date == day:
                        return date, self.press_button(message_id, button)
                elif date in avoid:
                    if fallback_header is None:
                        fallback_header, fallback = header, turned
                else:
                    return date, self.press_button(message_id, button)
            if day is not None and (day.year, day.month) <= month_year(header):
                check(False, f"{self}: {day} is not a pressable day in the calendar at {header}")
            if "▶" not in arrows:
                break
            self.turn_calendar(message_id, "▶", timeout)
            turned += 1
        if day is not None:
            check(False, f"{self}: {day} is not a pressable day in the calendar (looked at {months + 1} months)")
        if fallback_header is not None:
            for _ in range(turned - fallback):
                self.turn_calendar(message_id, "◀", timeout)
            header, days, _ = self.calendar_days(message_id)
            date, button = next((d, b) for d, b in days if d in avoid)
            return date, self.press_button(message_id, button)
        check(False, f"{self}: no pressable day in the calendar within {months + 1} months (the last shown: {header})")

    def press_again(self, press, **kw):
        """The same button (message and callback_data) pressed once more: a new callback query."""
        update, query_id = self.callback_update(press.message_id, press.data)
        self.deliver(update, **kw)
        return Press(update, query_id, press.message_id, press.data, press.label)

    # ---- what the bot did ----------------------------------------------------------------

    def _is_message(self, call):
        return call.method == "sendMessage" and call.chat_id == self.chat_id

    def delivered(self, since=None):
        """The bot's delivered (200) sendMessage calls to this chat from `since` (default: cursor)."""
        since = self.cursor if since is None else since
        return [c for c in self.fake.calls("sendMessage", chat_id=self.chat_id, since=since) if c.ok]

    def recent(self, count=12, since=0):
        """The latest calls concerning this person, one line each (failure reports)."""
        mine = [c for c in self.fake.calls(since=since)
                if c.chat_id == self.chat_id or str(c.params.get("callback_query_id")) in self.query_ids]
        return [c.summary() for c in mine[-count:]]

    def expect(self, *expected, timeout=5.0):
        """Waits for delivered messages containing each expected text, in this order."""
        found = []
        for text in expected:
            matches = text if callable(text) else (lambda body, text=text: contains(body, text))
            call = self.fake.wait_for(lambda c: self._is_message(c) and c.ok and matches(c.text or ""),
                                      timeout=timeout, since=self.cursor)
            if call is None:
                got = [f"{c.summary(160)}" for c in self.fake.calls(chat_id=self.chat_id, since=self.cursor)]
                want = "a matching message" if callable(text) else repr(normalize(text)[:120])
                check(False, f"{self}: expected {want} within {timeout:g}s; the bot sent since: "
                             + ("; ".join(got[-6:]) or "nothing"))
            found.append(call)
            self.cursor = call.seq + 1
        return found[-1] if len(found) == 1 else found

    def expect_document(self, timeout=5.0):
        """The next delivered sendDocument to this chat after the cursor (moves the cursor past it);
        its file is call.upload."""
        call = self.fake.wait_for(lambda c: c.method == "sendDocument" and c.chat_id == self.chat_id and c.ok,
                                  timeout=timeout, since=self.cursor)
        if call is None:
            got = [c.summary(100) for c in self.fake.calls(chat_id=self.chat_id, since=self.cursor)]
            check(False, f"{self}: expected a document within {timeout:g}s; the bot sent since: "
                         + ("; ".join(got[-6:]) or "nothing"))
        self.cursor = call.seq + 1
        return call

    def expect_any_message(self, timeout=5.0):
        """The next delivered message, whatever it says."""
        return self.expect(lambda body: True, timeout=timeout)

    def expect_answer(self, press, timeout=5.0):
        """The answerCallbackQuery for this press."""
        call = self.fake.wait_for(lambda c: c.method == "answerCallbackQuery"
                                  and str(c.params.get("callback_query_id")) == press.query_id,
                                  timeout=timeout, since=0)
        check(call is not None, f"{self}: the button {press.label!r} (callback_data {press.data!r}) "
                                f"was not answered with answerCallbackQuery within {timeout:g}s")
        return call

    def expect_silence(self, seconds=1.0, what="message"):
        """No sendMessage to this chat for `seconds` after the cursor."""
        call = self.fake.wait_for(self._is_message, timeout=seconds, since=self.cursor)
        check(call is None, f"{self}: expected no {what}, but the bot sent {call and call.summary(160)}")

    def skip(self):
        """Forgets everything sent to this chat so far."""
        self.cursor = self.fake.mark()

    def keyboard_change(self, since=0):
        """The newest change of the reply keyboard in delivered messages from `since`: its rows
        (button dicts) when one was shown, "removed" when removed, None when nothing changed."""
        for call in reversed(self.delivered(since)):
            markup = call.markup
            if isinstance(markup, dict) and "keyboard" in markup:
                return [[b if isinstance(b, dict) else {"text": b} for b in row] for row in markup["keyboard"]]
            if isinstance(markup, dict) and "remove_keyboard" in markup:
                return "removed"
        return None
