#!/usr/bin/env python3
"""The Telegram transport end to end: the real `clinic-bot serve` against a fake Bot API
(scripts/e2e/fake_bot_api.py), private redis-server processes and a real PostgreSQL.

usage: e2e_telegram.py PATH/TO/clinic-bot [--only 1,5,9] [--keep] [--seed N] [-v]

Environment: DATABASE_URL (or TEST_DATABASE_URL) — a running PostgreSQL, migrated or not;
PII_ENCRYPTION_KEY (base64 of 32 bytes; a random one is made if it is missing). Everything
else — the fake Bot API, redis-server, `clinic-bot serve` — is started here on free loopback
ports and stopped at exit, also on failure. Each server gets its own copy of flows/ and
locales/ (FLOWS_DIR, LOCALES_DIR), so hot-reload tests can edit them.

Scenarios (each with its own servers, Redis and Telegram ids; one failing does not stop the others):
   1  registration in Russian through the webhook; patient row; IIN and phone not in clear text
   2  registration in Kazakh through long polling (deleteWebhook, getUpdates offsets)
   3  wrong / missing / empty webhook secret: 401 with a JSON body, nothing processed
   4  the same update delivered twice (one after the other, and at the same moment): one reply
   5  two servers on one Redis, one chat's updates alternating and overlapping: applied in order
   6  Redis paused (SIGSTOP) and stopped: 5xx with Retry-After, /readyz 503, redelivery completes
   7  a 429 with retry_after=1: the next attempt comes at least 1 s later
  7b  a 500: the message is sent again (an assumption about the bot, see its title)
   8  a blocked chat: one attempt (403), no retry, webhook 200, other chats served
   9  hot reload: a locale text, a broken flow (old flows serve, the log names the file), a
      restored flow, a deleted step (common.flow_updated, stale buttons)
  11  USER_RATE_LIMIT=5: the 6th quick message gets a notice and is not processed
  12  default per-chat send rate: a burst of replies stays within 1/s (burst 3)
  13  booking in Kazakh on the demo clinic (seed-demo): the ticket, its .ics read back with the
      icalendar package (UTC start, folding, Kazakh texts, alarm, code), the row, a stale confirmation
  14  my appointments in Russian on the demo clinic: a booking listed, moved to another day and
      time (the row moves, the old time is offered again), cancelled after a «no» first (status
      cancelled), then nothing upcoming in the list
  10  last: no payload broke Telegram's limits, every button was answered, /metrics counts

Prints one line per scenario, PASS or FAIL with the reason (and on failure what it measured,
the calls the bot made to the people of that scenario and the tail of each server's log;
-v prints the measurements for passing scenarios too); exits 1 if any scenario failed. Patients created here are left in the database; their Telegram ids and IINs
are random, so a database kept from an earlier run does not get in the way.

Scenarios 13 and 14 run `clinic-bot seed-demo` first (it writes the demo clinic once; a database
that holds a clinic of its own gets no demo, and the scenario fails saying so) and leave their
appointments in the database (14's cancelled). 13 reads the .ics with the icalendar package
(scripts/requirements-test.txt), the only scenario that needs more than the standard library.
14 books and moves only to times at least 2 h 30 min ahead (the clinic's cut-off for changes is
2 h), so it passes at any hour.
"""
import argparse
import base64
import datetime
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "e2e"))

from fake_bot_api import FakeBotAPI  # noqa: E402
from harness import TOKEN, Harness, ScenarioFailure, check, http, post_concurrently  # noqa: E402
from identities import kz_phone, make_patient  # noqa: E402
from locales import contains, long_date, normalize  # noqa: E402

SCENARIOS = []


def scenario(number, title):
    def register(function):
        SCENARIOS.append((str(number), title, function))
        return function
    return register


# ---- the registration dialogue --------------------------------------------------------------

def is_choose_language(h):
    texts = [h.texts(lang, "registration.choose_language") for lang in ("ru", "kk")]
    return lambda body: any(contains(body, text) for text in texts)


def start_registration(person, lang, server=None):
    """/start, the language question, the language button: the person is at first_name."""
    person.send("/start", server=server)
    person.expect(is_choose_language(person.h))
    person.lang = lang
    press = person.press(person.t(f"language.{lang}"), server=server)
    person.expect(person.t("registration.welcome"), person.t("registration.first_name"))
    return press


def wait_reply_keyboard(person, since, condition, what, timeout=3.0):
    """The reply keyboard change after `since` (rows, "removed" or None: see
    Person.keyboard_change) satisfies `condition`; it may come with the question or in a
    message of its own."""
    deadline = time.monotonic() + timeout
    while True:
        keyboard = person.keyboard_change(since)
        if condition(keyboard):
            return keyboard
        check(time.monotonic() < deadline, f"{person}: {what}; the reply keyboard is {keyboard}")
        time.sleep(0.1)


def register(person, patient, *, contact_phone=None, foreign_contact_first=False):
    """The whole registration as a person does it in Telegram; returns (menu message, last press)."""
    t = person.t
    start_registration(person, patient.language)
    person.send(patient.first_name)
    person.expect(t("registration.last_name"))
    person.send(patient.last_name)
    person.expect(t("registration.middle_name"))
    if patient.middle_name:
        person.send(patient.middle_name)
    else:
        person.press(t("registration.no_middle_name"))
    since = person.cursor
    person.expect(t("registration.phone"))
    share = t("registration.share_phone")
    wait_reply_keyboard(person, since, lambda kb: isinstance(kb, list) and any(
        b.get("text") == share and b.get("request_contact") is True for row in kb for b in row),
        f"the phone question shows no reply keyboard button {share!r} with request_contact")
    if foreign_contact_first:
        # Someone else's contact (user_id of another account) is not the person's phone.
        person.share_contact(patient.phone, user_id=person.id + 1)
        person.expect(lambda body: contains(body, t("errors.contact.not_own")) or contains(body, t("errors.phone.not_own")))
    since = person.cursor
    person.share_contact(contact_phone or patient.phone)
    person.expect(t("registration.birth_date"))
    wait_reply_keyboard(person, since, lambda kb: kb == "removed",
                        "the phone keyboard should be removed once the phone is given (birth_date: keyboard: remove)")
    person.send(patient.birth_text)
    person.expect(t("registration.sex"))
    person.press(t("registration.sex_male" if patient.sex == "M" else "registration.sex_female"))
    person.expect(t("registration.iin"))
    person.send(patient.iin)
    person.expect(t("registration.consent_personal_data"))
    person.press(t("registration.agree"))
    person.expect(t("registration.consent_medical"))
    person.press(t("registration.agree"))
    person.expect(t("registration.consent_marketing"))
    last = person.press(t("registration.marketing_yes" if patient.marketing else "registration.marketing_no"))
    person.expect(t("registration.done", name=patient.first_name))
    menu = person.expect(t("menu.title"))
    return menu, last


def check_main_menu(person, menu):
    """The menu message carries the six sections as a reply keyboard, and nothing follows it."""
    labels = [person.t(f"menu.{key}") for key in ("book", "my_appointments", "documents", "payments", "profile", "support")]
    markup = menu.markup if isinstance(menu.markup, dict) else {}
    shown = [b.get("text") if isinstance(b, dict) else b for row in markup.get("keyboard", []) for b in row]
    check(all(label in shown for label in labels),
          f"{person}: the main menu message should carry the reply keyboard {labels}, has {markup or 'no markup'}")
    person.expect_silence(1.0, "message after the main menu")


def patient_row(h, user_id):
    return h.sql("SELECT p.first_name, p.last_name, COALESCE(p.middle_name, ''), p.birth_date, p.sex, p.language, "
                 "p.consent_marketing FROM patients p JOIN patient_telegram_links l ON l.patient_id = p.id "
                 f"WHERE l.telegram_user_id = {int(user_id)} AND l.is_active")


def expected_row(patient):
    return "|".join([patient.first_name, patient.last_name, patient.middle_name or "", f"{patient.birth_date:%Y-%m-%d}",
                     patient.sex, patient.language, "t" if patient.marketing else "f"])


def check_patient_stored(h, person, patient):
    row = patient_row(h, person.id)
    check(row == expected_row(patient), f"patient row for {person}: {row!r}, expected {expected_row(patient)!r}")


def check_no_clear_pii(h, patient):
    """Neither the IIN nor the phone, in any usual form, in any column of patients (bytea read
    both as escaped text and as hex), nor in the audit or link tables."""
    columns = [line.split("|") for line in h.sql(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'patients' AND table_schema = current_schema() ORDER BY ordinal_position").splitlines()]
    check(columns, "no patients table in the database")
    readable = ", ".join(f"encode(\"{name}\", 'escape')" if kind == "bytea" else f"\"{name}\"::text"
                         for name, kind in columns)
    dumps = [h.sql(f"SELECT concat_ws('|', {readable}) FROM patients"),
             h.sql("SELECT row_to_json(p)::text FROM patients p"),
             h.sql("SELECT row_to_json(l)::text FROM patient_telegram_links l"),
             h.sql("SELECT row_to_json(a)::text FROM bot_audit a")]
    secrets = [patient.iin] + patient.phone_forms
    for secret in secrets:
        for dump in dumps:
            check(secret not in dump, f"{secret[:4]}… (IIN or phone) is stored in clear text")
            check(secret.encode().hex() not in dump, f"{secret[:4]}… (IIN or phone) is stored in clear bytes (hex)")


def check_startup_calls(h, server):
    """Webhook: setWebhook with the URL, secret and update types; polling: deleteWebhook before
    getUpdates. Both: setMyCommands for the default list, kk and ru."""
    since = server.started_at_seq
    if server.webhook:
        call = h.fake.wait_for(lambda c: c.method == "setWebhook", 10, since)
        check(call is not None, f"{server.name}: no setWebhook call at start")
        allowed = call.params.get("allowed_updates")
        allowed = json.loads(allowed) if isinstance(allowed, str) else allowed
        check(call.params.get("url") == server.webhook_url and call.params.get("secret_token") == server.webhook_secret
              and sorted(allowed or []) == ["callback_query", "message", "pre_checkout_query"],
              f"{server.name}: setWebhook({call.params}) should carry url {server.webhook_url}, the secret and "
              "allowed_updates [message, callback_query, pre_checkout_query]")
    else:
        delete = h.fake.wait_for(lambda c: c.method == "deleteWebhook", 10, since)
        check(delete is not None, f"{server.name}: polling mode without deleteWebhook at start")
        poll = h.fake.wait_for(lambda c: c.method == "getUpdates", 10, since)
        check(poll is not None and poll.seq > delete.seq, f"{server.name}: getUpdates before deleteWebhook (or none)")
    deadline = time.monotonic() + 10
    while True:
        lists = {c.params.get("language_code") or "": c for c in h.fake.calls("setMyCommands", since=since)}
        if {"", "kk", "ru"} <= set(lists) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    check({"", "kk", "ru"} <= set(lists), f"{server.name}: setMyCommands for the default list, kk and ru; got {sorted(lists)}")
    for lang in ("kk", "ru"):
        commands = lists[lang].params.get("commands")
        commands = json.loads(commands) if isinstance(commands, str) else commands
        described = {c.get("command"): c.get("description") for c in commands or []}
        check(described.get("start") == h.texts(lang, "commands.start"),
              f"{server.name}: the {lang} command list should describe /start as {h.texts(lang, 'commands.start')!r}: {described}")


def wait_ready(server, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        answer = server.get("/readyz", timeout=5)
        if answer.status == 200:
            return
        check(time.monotonic() < deadline, f"{server.name}: /readyz is {answer} {timeout:.0f}s after Redis came back")
        time.sleep(0.25)


def typed_phone(patient):
    digits = patient.phone.lstrip("+")
    return f"8 {digits[1:4]} {digits[4:7]} {digits[7:9]} {digits[9:11]}"


# ---- scenarios ------------------------------------------------------------------------------

@scenario(1, "registration in Russian through the webhook; patient stored, IIN and phone encrypted")
def registration_ru_webhook(h):
    server = h.start_server("s1-webhook", redis=h.start_redis())
    check_startup_calls(h, server)
    person = h.new_person(server, "Айгерим", "ru")
    patient = make_patient("ru", "F", person.id, first_name="Айгерим", last_name="Сапарова", marketing=False, rng=h.rng)
    # Telegram often gives the own number without "+".
    menu, last = register(person, patient, contact_phone=patient.phone.lstrip("+"), foreign_contact_first=True)
    check_main_menu(person, menu)
    check_patient_stored(h, person, patient)
    check_no_clear_pii(h, patient)
    # A consent button pressed a second time: the stale notice, nothing else.
    again = person.press_again(last)
    answer = person.expect_answer(again)
    check(answer.params.get("text") == person.t("common.stale_button"),
          f"a button pressed twice should be answered {person.t('common.stale_button')!r}, got {answer.params.get('text')!r}")
    person.expect_silence(1.0, "message for a stale button")


@scenario(2, "registration in Kazakh through long polling")
def registration_kk_polling(h):
    server = h.start_server("s2-polling", redis=h.start_redis(), webhook=False)
    check_startup_calls(h, server)
    person = h.new_person(server, "Ерболат", "kk", polling=True)
    patient = make_patient("kk", "M", person.id, first_name="Ерболат", last_name="Серікұлы", middle_name="Нұрланұлы",
                           marketing=True, rng=h.rng)
    menu, _ = register(person, patient, contact_phone=patient.phone)
    check_main_menu(person, menu)
    check_patient_stored(h, person, patient)
    check_no_clear_pii(h, patient)
    # Every update was confirmed: a later getUpdates asked for an offset past them.
    deadline = time.monotonic() + 5
    while h.fake.pending_updates() and time.monotonic() < deadline:
        time.sleep(0.1)
    check(not h.fake.pending_updates(), f"updates never confirmed by getUpdates: {[u['update_id'] for u in h.fake.pending_updates()]}")
    offsets = [int(c.params.get("offset") or 0) for c in h.fake.calls("getUpdates", since=server.started_at_seq)]
    check(offsets == sorted(offsets), f"getUpdates offsets should grow: {offsets}")


@scenario(3, "a wrong or missing webhook secret is a 401 and nothing is processed")
def webhook_secret(h):
    server = h.start_server("s3-secret", redis=h.start_redis())
    person = h.new_person(server)
    update = person.message_update("/start")
    for secret, what in ((server.webhook_secret[:-1] + "x", "a wrong secret"), (None, "no secret header"), ("", "an empty secret")):
        answer = server.post_update(update, secret=secret)
        check(answer.status == 401, f"{what}: the webhook answered {answer}, expected 401")
        check(isinstance(answer.json, dict), f"{what}: the 401 body should be JSON, got {answer.body[:100]!r}")
    call = h.fake.wait_for(lambda c: c.chat_id == person.chat_id, timeout=1.5, since=person.cursor)
    check(call is None, f"a refused update was processed: the bot called {call and call.summary()}")
    # The refused deliveries did not use the update up: with the right secret it is processed.
    person.deliver(update)
    person.expect(is_choose_language(h))


@scenario(4, "the same update delivered twice is processed once")
def duplicate_updates(h):
    server = h.start_server("s4-dedupe", redis=h.start_redis())
    person = h.new_person(server)
    start = person.message_update("/start")
    for _ in range(2):
        answer = server.post_update(start)
        check(answer.status is not None and 200 <= answer.status < 300, f"/start delivered again: {answer}")
    sent = h.fake.wait_quiet(lambda c: c.method == "sendMessage" and c.chat_id == person.chat_id, quiet=1.5,
                             since=person.cursor)
    check(len(sent) == 1, f"/start posted twice: {len(sent)} messages, expected 1: {[c.summary() for c in sent]}")
    person.expect(is_choose_language(h))
    # A button press delivered twice at the same moment (to the same server).
    message_id, data = person.find_button(person.t("language.ru"))
    press, query_id = person.callback_update(message_id, data)
    answers = post_concurrently([(server, press, 0.0), (server, press, 0.0)])
    check(all(a.status is not None and 200 <= a.status < 300 for a in answers), f"a press posted twice: {answers}")
    since = person.cursor
    person.expect(person.t("registration.welcome"), person.t("registration.first_name"))
    h.fake.wait_quiet(lambda c: c.chat_id == person.chat_id, quiet=1.5, since=since)
    welcomes = [c for c in person.delivered(since) if contains(c.text, person.t("registration.welcome"))]
    check(len(welcomes) == 1, f"a press posted twice: the welcome was sent {len(welcomes)} times")
    answered = h.fake.calls("answerCallbackQuery")
    answered = [c for c in answered if str(c.params.get("callback_query_id")) == query_id]
    check(len(answered) == 1, f"a press posted twice was answered {len(answered)} times")
    # A text answer delivered three times, one after the other.
    text = person.message_update("Айгерим")
    for _ in range(3):
        answer = server.post_update(text)
        check(answer.status is not None and 200 <= answer.status < 300, f"a text delivered again: {answer}")
    since = person.cursor
    person.expect(person.t("registration.last_name"))
    h.fake.wait_quiet(lambda c: c.chat_id == person.chat_id, quiet=1.5, since=since)
    sent = person.delivered(since)
    check(len(sent) == 1, f"a text posted three times: {len(sent)} messages: {[c.summary() for c in sent]}")


@scenario(5, "two servers on one Redis: one chat's updates alternate and overlap, applied in order")
def two_instances(h):
    redis = h.start_redis()
    a = h.start_server("s5-a", redis=redis)
    b = h.start_server("s5-b", redis=redis)
    person = h.new_person(a, "Данияр", "ru")
    patient = make_patient("ru", "M", person.id, first_name="Данияр", last_name="Ахметов", middle_name="Серикович",
                           marketing=True, rng=h.rng)
    t = person.t
    person.send("/start", server=a)
    person.expect(is_choose_language(h))
    person.lang = "ru"
    person.press(t("language.ru"), server=b)
    person.expect(t("registration.welcome"), t("registration.first_name"))
    # Five answers, each posted before the previous one was answered, alternating servers;
    # the first also to both at once (a redelivery racing the original).
    answers = [patient.first_name, patient.last_name, patient.middle_name, typed_phone(patient), patient.birth_text]
    updates = [person.message_update(text) for text in answers]
    jobs = [(a, updates[0], 0.0), (b, updates[0], 0.0)] + [
        ((b, a)[n % 2], update, 0.1 * n) for n, update in enumerate(updates[1:], start=1)]
    since = person.cursor
    responses = post_concurrently(jobs)
    check(all(r is not None and r.status == 200 for r in responses),
          "overlapping webhook posts: " + ", ".join(str(r) for r in responses))
    expected = ["registration.last_name", "registration.middle_name", "registration.phone", "registration.birth_date",
                "registration.sex"]
    person.expect(*[t(key) for key in expected], timeout=10)
    h.fake.wait_quiet(lambda c: c.chat_id == person.chat_id, quiet=1.0, since=since)
    said = [h.texts.classify("ru", c.text) for c in person.delivered(since)]
    said = [key for key in said if key and (key.startswith("registration.") or key.startswith("errors."))]
    check(said == expected, f"after the overlapping answers the bot said {said}, expected {expected}")
    person.skip()
    person.press(t("registration.sex_male"), server=a)
    person.expect(t("registration.iin"))
    person.send(patient.iin, server=b)
    person.expect(t("registration.consent_personal_data"))
    person.press(t("registration.agree"), server=a)
    person.expect(t("registration.consent_medical"))
    person.press(t("registration.agree"), server=b)
    person.expect(t("registration.consent_marketing"))
    person.press(t("registration.marketing_yes"), server=a)
    person.expect(t("registration.done", name=patient.first_name), t("menu.title"))
    check_patient_stored(h, person, patient)


@scenario(6, "Redis down: the webhook answers 5xx with Retry-After; the redelivered update completes the step")
def redis_down(h):
    redis = h.start_redis()
    server = h.start_server("s6-redis", redis=redis)
    person = h.new_person(server, "Айгерим", "ru")
    start_registration(person, "ru")
    t = person.t

    # Paused (SIGSTOP): no answers from Redis, but its data survives.
    update = person.message_update("Айгерим")
    redis.pause()
    try:
        ready = server.get("/readyz", timeout=30)
        h.note(f"Redis paused: /readyz {ready.status} after {ready.elapsed:.1f}s")
        check(ready.status == 503, f"/readyz with Redis paused: {ready}, expected 503")
        answer = server.post_update(update, timeout=60)
        h.note(f"Redis paused: webhook {answer.status} after {answer.elapsed:.1f}s, Retry-After {answer.headers.get('retry-after')!r}")
    finally:
        redis.resume()
    check(answer.status is not None and answer.status >= 500, f"an update with Redis paused: {answer}, expected 5xx")
    check(answer.headers.get("retry-after", "").strip(), f"the 5xx should carry Retry-After, headers: {answer.headers}")
    wait_ready(server)
    since = person.cursor
    person.deliver(update)  # Telegram delivers it again
    person.expect(t("registration.last_name"))
    h.fake.wait_quiet(lambda c: c.chat_id == person.chat_id, quiet=1.0, since=since)
    asked = [c for c in person.delivered(since) if contains(c.text, t("registration.last_name"))]
    check(len(asked) == 1, f"the redelivered update was answered {len(asked)} times")

    # Stopped for real and restarted empty: the session is gone, the bot still answers.
    person.send("Сапарова")
    person.expect(t("registration.middle_name"))
    update = person.message_update("Маратовна")
    redis.stop()
    ready = server.get("/readyz", timeout=30)
    check(ready.status == 503, f"/readyz with Redis stopped: {ready}, expected 503")
    answer = server.post_update(update, timeout=60)
    h.note(f"Redis stopped: webhook {answer.status} after {answer.elapsed:.1f}s")
    check(answer.status is not None and answer.status >= 500 and "retry-after" in answer.headers,
          f"an update with Redis stopped: {answer} (headers {answer.headers}), expected 5xx with Retry-After")
    redis.start()
    wait_ready(server)
    answer = person.deliver(update, expect_status=None)
    check(answer.status == 200, f"the redelivered update after Redis came back (empty): {answer}, expected 200")
    reply = person.expect_any_message()
    h.note(f"session lost: the bot answered {reply.text[:70]!r}")
    person.send("/start")
    person.expect(is_choose_language(h))


@scenario(7, "a 429 from the Bot API: retry_after is honoured")
def flood_wait(h):
    server = h.start_server("s7-429", redis=h.start_redis())
    person = h.new_person(server, "Айгерим", "ru")
    start_registration(person, "ru")
    h.fake.fail_next("sendMessage", 429, retry_after=1, chat_id=person.chat_id)
    since = person.cursor
    person.send("Айгерим")
    refused = h.fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == person.chat_id and c.status == 429,
                              timeout=5, since=since)
    check(refused is not None, "the bot sent no message to receive the 429")
    retry = h.fake.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == person.chat_id, timeout=10,
                            since=refused.seq + 1)
    check(retry is not None, "the message refused with 429 was never sent again")
    waited = retry.t - refused.t
    h.note(f"sent again {waited:.2f}s after the 429 (retry_after 1)")
    check(waited >= 0.99, f"the bot tried again {waited:.2f}s after a 429 with retry_after=1")
    person.expect(person.t("registration.last_name"), timeout=10)


@scenario("7b", "a 500 from the Bot API is retried (assumption: 5xx is transient)")
def server_error(h):
    server = h.start_server("s7b-500", redis=h.start_redis())
    person = h.new_person(server, "Айгерим", "ru")
    start_registration(person, "ru")
    h.fake.fail_next("sendMessage", 500, chat_id=person.chat_id)
    person.send("Айгерим")
    person.expect(person.t("registration.last_name"), timeout=15)
    attempts = h.fake.calls("sendMessage", chat_id=person.chat_id)
    h.note(f"{len([c for c in attempts if c.status == 500])} answer(s) 500, then delivered")


@scenario(8, "a blocked user: one attempt (403, no retry), webhook 200, other chats still served")
def blocked_user(h):
    server = h.start_server("s8-blocked", redis=h.start_redis())
    blocked = h.new_person(server, "Айгерим", "ru")
    other = h.new_person(server, "Данияр", "ru")
    h.fake.block_chat(blocked.chat_id)
    since = blocked.cursor
    blocked.send("/start")  # checks the webhook answered 200
    attempts = h.fake.wait_quiet(lambda c: c.method == "sendMessage" and c.chat_id == blocked.chat_id, quiet=2.0,
                                 timeout=10, since=since)
    check(len(attempts) == 1 and attempts[0].status == 403,
          f"a blocked chat should get exactly one attempt (403): {[c.summary() for c in attempts]}")
    other.send("/start")
    other.expect(is_choose_language(h))
    since = h.fake.mark()
    blocked.send("/menu")
    attempts = h.fake.wait_quiet(lambda c: c.method == "sendMessage" and c.chat_id == blocked.chat_id, quiet=2.0,
                                 timeout=10, since=since)
    check(len(attempts) <= 1, f"a later update of the blocked person: {len(attempts)} attempts")
    other.press(other.t("language.ru"))
    other.lang = "ru"
    other.expect(other.t("registration.welcome"), other.t("registration.first_name"))
    check(server.running, "the server exited")


def replace_file(server, path, text):
    """Writes a file of the server's copy atomically (the reload never sees half a file)."""
    scratch = server.dir / ("." + path.name + ".new")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)


def validated(h, server, flows_text):
    """Checks, with `clinic-bot validate` on a scratch copy, that a flow edit of the test itself
    is valid, so that a refused reload is the server's fault and not the test's."""
    scratch = server.dir / "validate"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(server.flows, scratch / "flows")
    shutil.copytree(server.locales, scratch / "locales")
    (scratch / "flows" / "registration.yaml").write_text(flows_text, encoding="utf-8")
    code, output = h.validate(scratch / "flows", scratch / "locales")
    check(code == 0, f"test bug: the edited registration.yaml does not validate: {output[-500:]}")
    return flows_text


def probe(h, server, until, what, make, timeout=12.0):
    """New people (made by `make`) start registration until `until(person, language question)`
    is true: the reload has been picked up. A probe caught by the reload itself (its button
    went stale under it) is retried with another person."""
    deadline = time.monotonic() + timeout
    while True:
        person = make("Проба")
        try:
            person.send("/start")
            choose = person.expect(is_choose_language(h))
            if until(person, choose):
                return person
            problem = "the old behaviour"
        except ScenarioFailure as failure:
            problem = str(failure)
        check(time.monotonic() < deadline, f"not picked up within {timeout:.0f}s: {what}; last probe: {problem}")
        time.sleep(0.3)


@scenario(9, "hot reload: a changed text, a broken flow (old flows keep serving), a deleted step")
def hot_reload(h):
    server = h.start_server("s9-reload", redis=h.start_redis())
    changed = {}  # texts changed on this server: key → new text

    def new_person(name):
        person = h.new_person(server, name, "ru")
        person.overrides = changed
        return person

    def t(key, **args):
        return changed.get(key) or h.texts("ru", key, **args)

    registration = server.flows / "registration.yaml"
    original = registration.read_text(encoding="utf-8")

    # 1. A text changes in locales/ru.yaml; someone at that very step goes on.
    waiting = new_person("Айгерим")
    start_registration(waiting, "ru")
    old_text, new_text = t("registration.first_name"), "Как вас зовут? Напишите имя, как в удостоверении (e2e)."
    ru = server.locales / "ru.yaml"
    content = ru.read_text(encoding="utf-8")
    check(f'"{old_text}"' in content, "test bug: registration.first_name not found in ru.yaml")
    replace_file(server, ru, content.replace(f'"{old_text}"', f'"{new_text}"', 1))

    def asks_new_text(person, choose):
        person.lang = "ru"
        person.press(t("language.ru"))
        person.expect(t("registration.welcome"))
        asked = person.expect(lambda body: contains(body, new_text) or contains(body, old_text))
        return contains(asked.text, new_text)
    probe(h, server, asks_new_text, "the changed text registration.first_name", new_person)
    changed["registration.first_name"] = new_text
    waiting.send("Айгерим")
    waiting.expect(t("registration.last_name"))

    # 2. registration.yaml broken: the old flows keep serving, the log names the file.
    mark = server.log_mark()
    replace_file(server, registration, "flow: registration\nsteps: [ this is not: valid yaml\n  entry: : :\n")
    deadline = time.monotonic() + 8
    while "registration.yaml" not in server.log_since(mark):
        check(time.monotonic() < deadline, "the server log does not mention registration.yaml after it was broken")
        time.sleep(0.2)
    h.note("broken flow logged as: " + next(line for line in server.log_since(mark).splitlines()
                                              if "registration.yaml" in line)[:160])
    waiting.send("Сапарова")
    waiting.expect(t("registration.middle_name"))
    start_registration(new_person("Ерлан"), "ru")

    # 3. A valid registration.yaml again, visibly different: the language buttons one per row.
    one_column = original.replace("    columns: 2\n", "    columns: 1\n", 1)
    check(one_column != original, "test bug: no 'columns: 2' in registration.yaml")
    replace_file(server, registration, validated(h, server, one_column))
    probe(h, server, lambda person, choose: len((choose.markup or {}).get("inline_keyboard", [])) == 2,
          "the restored registration.yaml (language buttons in one column)", new_person)

    # 4. A reload deletes the step people are at (middle_name).
    at_middle, pressing, at_last = new_person("Айгерим"), new_person("Дана"), new_person("Ерлан")
    for person in (at_middle, pressing):
        start_registration(person, "ru")
        person.send(person.user["first_name"])
        person.expect(t("registration.last_name"))
        person.send("Сапарова")
        person.expect(t("registration.middle_name"))
    start_registration(at_last, "ru")
    at_last.send("Ерлан")
    at_last.expect(t("registration.last_name"))
    old_no_middle = {p.id: p.find_button(t("registration.no_middle_name")) for p in (at_middle, pressing)}
    old_back = at_last.find_button(t("common.back"))
    replace_file(server, registration, validated(h, server, without_middle_name(one_column)))

    def skips_middle_name(person, choose):
        person.lang = "ru"
        person.press(t("language.ru"))
        person.expect(t("registration.first_name"))
        person.send("Проба")
        person.expect(t("registration.last_name"))
        person.send("Пробова")
        after = person.expect(lambda body: contains(body, t("registration.phone")) or contains(body, t("registration.middle_name")))
        return contains(after.text, t("registration.phone"))
    probe(h, server, skips_middle_name, "registration.yaml without the middle_name step", new_person)

    # Someone at the deleted step answers it: told politely, the answer is not applied.
    since = at_middle.cursor
    at_middle.send("Маратовна")
    at_middle.expect(t("common.flow_updated"))
    h.fake.wait_quiet(lambda c: c.chat_id == at_middle.chat_id, quiet=1.0, since=since)
    said = [c.text for c in at_middle.delivered(since)]
    check(not any(contains(text, t("registration.phone")) for text in said),
          f"the answer to a deleted step was applied: {said}")
    h.note("after common.flow_updated the bot said: " + " | ".join(text[:40] for text in said[1:]))
    # …then presses the old "no middle name" button: the stale notice, nothing else.
    at_middle.skip()
    answer = press_old_button(h, at_middle, old_no_middle[at_middle.id])
    check(answer.params.get("text") == t("common.stale_button"),
          f"an old button after the reload was answered {answer.params.get('text')!r}, expected the stale notice")
    at_middle.expect_silence(1.0, "message for an old button")

    # Someone at the deleted step presses its button first: answered, never taken as an answer.
    since = pressing.cursor
    answer = press_old_button(h, pressing, old_no_middle[pressing.id])
    h.fake.wait_quiet(lambda c: c.chat_id == pressing.chat_id, quiet=1.0, since=since)
    said = [c.text for c in pressing.delivered(since)]
    check(answer.params.get("text") == t("common.stale_button") or any(contains(text, t("common.flow_updated")) for text in said),
          f"the old button of a deleted step: answered {answer.params.get('text')!r}, messages {said}; expected the "
          "stale notice or common.flow_updated")
    check(not any(contains(text, t("registration.phone")) for text in said), f"the old button was taken as an answer: {said}")

    # Someone whose step still exists: old buttons are stale, typing goes on in the new flow.
    answer = press_old_button(h, at_last, old_back)
    check(answer.params.get("text") == t("common.stale_button"),
          f"an old back button after the reload was answered {answer.params.get('text')!r}, expected the stale notice")
    at_last.expect_silence(1.0, "message for an old back button")
    at_last.send("Ахметов")
    at_last.expect(t("registration.phone"))


def without_middle_name(flow):
    """registration.yaml without its middle_name step: last_name goes on to phone, and the
    patient is created with no middle name."""
    edited = re.sub(r"\n  middle_name:\n(?:    .*\n|\n)*?(?=  phone:)", "\n", flow)
    edited = edited.replace("    next: middle_name\n", "    next: phone\n")
    edited = edited.replace("      middle_name: answers.middle_name\n", "      middle_name: null\n")
    check("  middle_name:\n    ask" not in edited and "next: middle_name" not in edited,
          "test bug: the middle_name step was not removed")
    return edited


def press_old_button(h, person, button):
    """Presses a button (message_id, callback_data) seen before; returns the answerCallbackQuery."""
    update, query_id = person.callback_update(*button)
    person.deliver(update)
    answer = h.fake.wait_for(lambda c: c.method == "answerCallbackQuery"
                             and str(c.params.get("callback_query_id")) == query_id, timeout=5)
    check(answer is not None, f"{person}: an old button {button} was not answered with answerCallbackQuery")
    return answer


@scenario(11, "per-user rate limit: the 6th quick message with USER_RATE_LIMIT=5 is refused politely")
def user_rate_limit(h):
    server = h.start_server("s11-ratelimit", redis=h.start_redis(), env={"USER_RATE_LIMIT": "5"})
    person = h.new_person(server, "Айгерим", "ru")
    # The limit counts in fixed one-minute windows: six messages that straddle a minute's turn
    # are two windows' worth. Start early in a minute so all six fall in one.
    into_minute = time.time() % 60
    if into_minute > 40:
        time.sleep(60.5 - into_minute)
    for _ in range(5):
        person.send("/start")
        person.expect(is_choose_language(h))
    since = person.cursor
    person.send("/start")
    reply = person.expect_any_message()
    h.note(f"6th message answered {reply.text[:80]!r}")
    check(not is_choose_language(h)(reply.text), "the 6th message within a minute was processed normally")
    h.fake.wait_quiet(lambda c: c.chat_id == person.chat_id, quiet=1.5, since=since)
    said = [c.text for c in person.delivered(since)]
    check(len(said) == 1, f"the 6th message: {len(said)} messages, expected one notice: {said}")


@scenario(12, "per-chat send rate at the defaults (1/s, burst 3): a burst of replies is spread out")
def chat_send_rate(h):
    server = h.start_server("s12-sendrate", redis=h.start_redis(), env={"TELEGRAM_CHAT_SEND_RATE": None})
    person = h.new_person(server, "Айгерим", "ru")  # the fake checks this chat's rate (server.fast is false)
    start_registration(person, "ru")
    since = person.cursor
    for _ in range(8):
        person.send("12345")  # not a name: each gets errors.name.characters
    for _ in range(8):
        person.expect(person.t("errors.name.characters"), timeout=20)
    sends = person.delivered(0)
    spread = sends[-1].t - sends[0].t
    h.note(f"{len(sends)} messages over {spread:.1f}s")
    mine = [v for v in h.fake.violations if v["chat_id"] == person.chat_id]
    check(not mine, f"per-chat send rate exceeded: {mine[:3]}")
    check(len(person.delivered(since)) == 8, f"{len(person.delivered(since))} replies to 8 messages")


# ---- booking ---------------------------------------------------------------------------------

# The clinic's zone (CLINIC_TIMEZONE, by default Asia/Almaty): UTC+5 all year since 2024-03-01.
CLINIC_UTC_OFFSET = datetime.timezone(datetime.timedelta(hours=5))
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# UTF-8 read wrongly: Cyrillic lead bytes 0xD0-0xD3 as Latin-1 (Ð Ñ Ò Ó), or as cp1251 (Р С Т У)
# followed by a continuation byte shown as punctuation or a rare letter; and U+FFFD.
MOJIBAKE = re.compile("[\ufffdÃÂÐÑÒÓ]|[РСТУ][ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—™љ›њќћџЎўЈ¤Ґ¦§©Є«¬®Ї°±ґµ¶·№є»јЅѕї]")


def ensure_demo_clinic(h):
    """`clinic-bot seed-demo` with the harness's DATABASE_URL and PII_ENCRYPTION_KEY: writes the
    demo clinic once, adds nothing when it is there. A database holding a clinic of its own
    gets no demo: this scenario then cannot know what it books, so it stops here."""
    done = h.run_bin("seed-demo")
    output = (done.stdout + done.stderr).strip()
    check(done.returncode == 0, f"clinic-bot seed-demo exited {done.returncode}: {output[-500:]}")
    h.note("seed-demo: " + (output.splitlines() or ["(no output)"])[0][:120])
    check(h.sql("SELECT count(*) FROM bot_audit WHERE action = 'demo.seed'") != "0",
          "the database holds a clinic of its own, so seed-demo added no demo clinic; this scenario needs "
          f"the demo (run it on a fresh database). seed-demo said: {output[-200:]}")


def question(person, key, timeout=5.0):
    """Waits for the question `key` (any values in its placeholders); returns (call, fields)."""
    lang = person.lang
    try:
        call = person.expect(lambda body: person.h.texts.fields(lang, key, body) is not None, timeout=timeout)
    except ScenarioFailure as failure:
        raise ScenarioFailure(f"waiting for {key} ({lang}): {failure}") from None
    return call, person.h.texts.fields(lang, key, call.text)


def sql_text(value):
    return "'" + str(value).replace("'", "''") + "'"


def check_raw_ics(raw):
    """The bytes of the .ics as RFC 5545 wants them: UTF-8, CRLF line ends only, every physical
    line at most 75 octets (folding never cuts a UTF-8 character: the strict decode fails if it does)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        check(False, f"the .ics is not UTF-8: {error}")
    check(raw.endswith(b"\r\n"), f"the .ics does not end with CRLF: …{raw[-20:]!r}")
    lines = raw[:-2].split(b"\r\n")
    for number, line in enumerate(lines, 1):
        check(b"\n" not in line and b"\r" not in line, f".ics line {number} has a bare LF or CR: {line[:80]!r}")
        check(len(line) <= 75, f".ics line {number} is {len(line)} octets (at most 75): {line[:90]!r}")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            check(False, f".ics line {number} was folded inside a UTF-8 character: {line!r}")
    return lines


def check_kazakh_text(name, value, shown):
    """A text of the event: Kazakh letters, no mojibake, and the words the ticket message showed."""
    check(isinstance(value, str) and value, f"the event has no {name}")
    check(KAZAKH_LETTERS & set(value), f"{name} has no Kazakh letters: {value!r}")
    check(not MOJIBAKE.search(value), f"{name} looks like mojibake: {value!r}")
    for word in shown:
        check(word in value, f"{name} {value!r} should contain {word!r}, as the ticket message says")


@scenario(13, "booking in Kazakh through the webhook: the ticket and its .ics (parsed with icalendar)")
def booking_kk_ticket(h):
    try:
        import icalendar
    except ImportError:
        check(False, "the Python package icalendar is missing: pip install -r scripts/requirements-test.txt")
    ensure_demo_clinic(h)
    server = h.start_server("s13-booking", redis=h.start_redis())
    person = h.new_person(server, "Әйгерім", "kk")
    patient = make_patient("kk", "F", person.id, first_name="Әйгерім", last_name="Құрманғалиева",
                           middle_name="Серікқызы", marketing=False, rng=h.rng)
    register(person, patient)
    t = person.t

    person.send(t("menu.book"))
    branches, _ = question(person, "booking.choose_branch")
    branch = person.press_first(branches.message_id)
    services, shown = question(person, "booking.choose_service")
    check(shown["branch"] == branch.label, f"choose_service names the branch {shown['branch']!r}, pressed {branch.label!r}")
    service = person.press_first(services.message_id, skip=[t("common.back")])
    doctors, _ = question(person, "booking.choose_doctor")
    doctor = person.press_first(doctors.message_id, skip=[t("common.back")])
    days, _ = question(person, "booking.choose_day")
    day, _ = person.press_calendar_day(days.message_id)
    times, shown = question(person, "booking.choose_time")
    check(shown["day"] == long_date(day, "kk"),
          f"the calendar's {day} was pressed, the times are for {shown['day']!r} (expected {long_date(day, 'kk')!r})")
    chosen = person.press_first(times.message_id, skip=[t("common.back")])
    check(re.fullmatch(r"\d\d:\d\d", chosen.label or ""), f"the first time button is {chosen.label!r}, not HH:MM")
    hour, minute = map(int, chosen.label.split(":"))
    start = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CLINIC_UTC_OFFSET)
    start_utc = start.astimezone(datetime.timezone.utc)
    h.note(f"booked: {branch.label} / {service.label} / {doctor.label} / {day} {chosen.label} (UTC {start_utc:%H:%M})")
    question(person, "booking.confirm")
    confirm = person.press(t("booking.confirm_yes"))

    ticket = person.expect(lambda body: normalize(body).startswith("Сіз жазылдыңыз!")
                           and h.texts.fields("kk", "booking.ticket", body) is not None, timeout=10)
    said = h.texts.fields("kk", "booking.ticket", ticket.text)
    code = said["code"].strip()
    check(said["date"] == long_date(day, "kk") and said["time"] == chosen.label,
          f"the ticket says {said['date']!r} {said['time']!r}, booked {long_date(day, 'kk')!r} {chosen.label!r}")
    document = person.expect_document(timeout=10)
    check(document.seq > ticket.seq, "the .ics came before the ticket message")
    upload = document.upload
    check(upload is not None, f"sendDocument without a file part named document: {document.params}")
    h.note(f"ticket {code}: {upload['filename']} ({upload['content_type']}, {upload['size']} bytes)")
    check(upload["filename"].endswith(".ics"), f"the document is named {upload['filename']!r}, expected *.ics")
    check(upload["content_type"] == "text/calendar", f"the document's Content-Type is {upload['content_type']!r}")
    person.expect(t("menu.title"))  # the booking is over: back at the main menu

    raw = upload["bytes"]
    lines = check_raw_ics(raw)
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except Exception as error:  # noqa: BLE001 - any parse error is the finding
        check(False, f"icalendar cannot read the .ics: {type(error).__name__}: {error}")
    events = calendar.walk("VEVENT")
    check(len(events) == 1, f"the .ics holds {len(events)} VEVENTs, expected 1")
    event = events[0]
    check("DTSTART" in event and "DTEND" in event, "the VEVENT lacks DTSTART or DTEND")
    dtstart, dtend = event.decoded("DTSTART"), event.decoded("DTEND")
    check(isinstance(dtstart, datetime.datetime) and dtstart.tzinfo is not None
          and dtstart.utcoffset() == datetime.timedelta(0),
          f"DTSTART {dtstart!r} should be a UTC date-time (…Z)")
    check(dtstart == start_utc, f"DTSTART is {dtstart.isoformat()}, the button {chosen.label} on {day} in Almaty "
                                f"is {start_utc.isoformat()}")
    check(isinstance(dtend, datetime.datetime) and dtend > dtstart, f"DTEND {dtend!r} is not after DTSTART {dtstart!r}")
    check(str(event.get("UID") or "").strip(), "the VEVENT has no UID")
    check_kazakh_text("SUMMARY", str(event.get("SUMMARY") or ""), [said["doctor"], said["service"]])
    check_kazakh_text("LOCATION", str(event.get("LOCATION") or ""), [said["branch"], said["address"]])
    description = str(event.get("DESCRIPTION") or "")
    check(code in description, f"DESCRIPTION {description!r} does not hold the appointment code {code!r}")
    triggers = []
    for alarm in event.walk("VALARM"):
        if "TRIGGER" in alarm:
            trigger = alarm.decoded("TRIGGER")
            triggers.append(trigger)
    check(triggers, "the VEVENT has no VALARM with a TRIGGER")
    check(any((isinstance(tr, datetime.timedelta) and tr < datetime.timedelta(0))
              or (isinstance(tr, datetime.datetime) and tr < dtstart) for tr in triggers),
          f"no VALARM rings before the start: triggers {triggers}")
    h.note(f"DTSTART {dtstart.isoformat()}, DTEND {dtend.isoformat()}, TRIGGER {triggers}, {len(lines)} lines")

    row = h.sql("SELECT extract(epoch FROM a.starts_at)::bigint, a.status FROM appointments a "
                "JOIN patient_telegram_links l ON l.patient_id = a.patient_id "
                f"WHERE a.code = {sql_text(code)} AND l.telegram_user_id = {int(person.id)}")
    check(row, f"no appointment {code!r} of this person in the appointments table")
    epoch, status = row.split("|")
    check(int(epoch) == int(start_utc.timestamp()),
          f"appointment {code}: starts_at {datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)}, "
          f"booked {start_utc}")
    check(status == "booked", f"appointment {code} has status {status!r}, expected booked")

    # The confirmation pressed once more: the stale notice, no second booking, no second ticket.
    h.fake.wait_quiet(lambda c: c.chat_id == person.chat_id, quiet=0.5, since=person.cursor)
    since = h.fake.mark()
    again = person.press_again(confirm)
    answer = person.expect_answer(again)
    check(answer.params.get("text") == t("common.stale_button"),
          f"the confirmation pressed again was answered {answer.params.get('text')!r}, expected {t('common.stale_button')!r}")
    h.fake.wait_quiet(lambda c: c.chat_id == person.chat_id, quiet=1.0, since=since)
    after = [c.summary(80) for c in h.fake.calls(chat_id=person.chat_id, since=since)
             if c.method in ("sendMessage", "sendDocument")]
    check(not after, f"the stale confirmation made the bot send: {after}")
    booked = h.sql("SELECT count(*) FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id "
                   f"WHERE l.telegram_user_id = {int(person.id)}")
    check(booked == "1", f"{booked} appointments for this person after the stale confirmation, expected 1")


# ---- my appointments ---------------------------------------------------------------------------

# The clinic's cut-off (ClinicPolicy.cancellationCutoff, 2 h by default): closer to the visit the
# bot refuses to move or cancel it. Scenario 14 books and moves only to times at least this far
# ahead, so it passes at any hour of the day.
CHANGEABLE_AHEAD = datetime.timedelta(hours=2, minutes=30)
# Appointment statuses as ClinicView.statusText writes them in Russian (not in locales/).
STATUS_RU = {"booked": "Запланирована", "confirmed": "Подтверждена", "cancelled": "Отменена"}
LIST_FORMS = ("one", "few", "many", "other")


def local_start(day, label):
    """A day and an "HH:MM" button → the moment in the clinic's zone."""
    hour, minute = map(int, label.split(":"))
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CLINIC_UTC_OFFSET)


def buttons_of(person, message_id):
    return [b for row in person.inline_rows(message_id) for b in row]


def time_pages(person, message_id, timeout=5.0):
    """The HH:MM buttons of a times question, page by page: yields each page's buttons, then
    turns with ▶ while the "k/n" page counter says there are more (the message is edited)."""
    while True:
        buttons = buttons_of(person, message_id)
        yield [b for b in buttons if re.fullmatch(r"\d\d:\d\d", b.get("text") or "")]
        counter = next((b.get("text") for b in buttons if re.fullmatch(r"\d+/\d+", b.get("text") or "")), None)
        if counter is None or counter.split("/")[0] == counter.split("/")[1]:
            return
        person.press_button(message_id, next(b for b in buttons if b.get("text") == "▶"))
        deadline = time.monotonic() + timeout
        while counter in [b.get("text") for b in buttons_of(person, message_id)]:
            check(time.monotonic() < deadline, f"{person}: ▶ did not turn the times past page {counter}")
            time.sleep(0.05)


def choose_day_and_time(person, day_key, *, avoid_day=None, avoid_start=None, tries=4):
    """At the calendar question `day_key`: presses a pressable day (not `avoid_day` unless it is
    the only one), then the first time at least CHANGEABLE_AHEAD from now that is not
    `avoid_start`; a day without such a time: ◀ Назад to the calendar and the next day.
    Returns (the calendar's fields, the day, the time's Press, the local start)."""
    h, t = person.h, person.t
    avoid = set() if avoid_day is None else {avoid_day}
    for _ in range(tries):
        calendar, asked = question(person, day_key)
        day, _ = person.press_calendar_day(calendar.message_id, avoid=avoid)
        times, shown = question(person, "booking.choose_time")
        check(shown["day"] == long_date(day, person.lang),
              f"the calendar's {day} was pressed, the times are for {shown['day']!r} (expected {long_date(day, person.lang)!r})")
        not_before = datetime.datetime.now(datetime.timezone.utc) + CHANGEABLE_AHEAD
        seen = []
        for page in time_pages(person, times.message_id):
            seen += [b["text"] for b in page]
            for button in page:
                start = local_start(day, button["text"])
                if start >= not_before and start != avoid_start:
                    return asked, day, person.press_button(times.message_id, button), start
        check(seen, f"the times question for {day} shows no HH:MM button: {buttons_of(person, times.message_id)}")
        h.note(f"{day}: no time from {not_before.astimezone(CLINIC_UTC_OFFSET):%H:%M} on other than the booked one "
               f"(shown {seen}); back to the calendar")
        person.press(t("common.back"))
        avoid.add(day)
    check(False, f"no day with a time at least {CHANGEABLE_AHEAD} ahead after {tries} days tried: {sorted(avoid)}")


def appointment_row(h, person, code):
    """(id, starts_at, ends_at as UTC datetimes, doctor_id, status) of this person's appointment."""
    row = h.sql("SELECT a.id, extract(epoch FROM a.starts_at)::bigint, extract(epoch FROM a.ends_at)::bigint, a.doctor_id, a.status "
                "FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id "
                f"WHERE a.code = {sql_text(code)} AND l.telegram_user_id = {int(person.id)}")
    check(row, f"no appointment {code!r} of {person} in the appointments table")
    ident, starts, ends, doctor, status = row.split("|")
    utc = datetime.timezone.utc
    return (int(ident), datetime.datetime.fromtimestamp(int(starts), utc), datetime.datetime.fromtimestamp(int(ends), utc),
            int(doctor), status)


def appointment_list(person):
    """Waits for appointments.list (any plural form), appointments.past_only (no upcoming ones:
    count 0) or appointments.none; returns (call, the count said as an int, or None for the
    none-text)."""
    h, lang = person.h, person.lang
    forms = [f"appointments.list.{form}" for form in LIST_FORMS]
    none = h.texts(lang, "appointments.none")
    past_only = h.texts(lang, "appointments.past_only")
    call = person.expect(lambda body: contains(body, none) or contains(body, past_only)
                         or any(h.texts.fields(lang, k, body) for k in forms))
    if contains(call.text, none):
        return call, None
    if contains(call.text, past_only):
        return call, 0
    fields = next(h.texts.fields(lang, k, call.text) for k in forms if h.texts.fields(lang, k, call.text))
    check(fields["count"].isdigit(), f"appointments.list says the count {fields['count']!r}")
    return call, int(fields["count"])


@scenario(14, "my appointments in Russian through the webhook: the booking is listed, moved to another day and time, "
              "then cancelled")
def my_appointments_ru(h):
    ensure_demo_clinic(h)
    server = h.start_server("s14-appointments", redis=h.start_redis())
    person = h.new_person(server, "Дана", "ru")
    patient = make_patient("ru", "F", person.id, first_name="Дана", last_name="Ким", middle_name="Сергеевна",
                           marketing=False, rng=h.rng)
    register(person, patient)
    t = person.t
    utc = datetime.timezone.utc

    # 1. A booking: the first branch, service, doctor; the first day and time far enough ahead.
    person.send(t("menu.book"))
    branches, _ = question(person, "booking.choose_branch")
    branch = person.press_first(branches.message_id)
    services, _ = question(person, "booking.choose_service")
    service = person.press_first(services.message_id, skip=[t("common.back")])
    doctors, _ = question(person, "booking.choose_doctor")
    doctor = person.press_first(doctors.message_id, skip=[t("common.back")])
    _, day, chosen, start = choose_day_and_time(person, "booking.choose_day")
    _, shown = question(person, "booking.confirm")
    check(shown["start"] == f"{long_date(day, 'ru')}, {chosen.label}",
          f"booking.confirm says {shown['start']!r}, chosen {long_date(day, 'ru')}, {chosen.label}")
    person.press(t("booking.confirm_yes"))
    _, said = question(person, "booking.ticket", timeout=10)
    code = said["code"].strip()
    check(said["date"] == long_date(day, "ru") and said["time"] == chosen.label,
          f"the ticket says {said['date']!r} {said['time']!r}, booked {long_date(day, 'ru')!r} {chosen.label!r}")
    document = person.expect_document(timeout=10)
    check(document.upload and document.upload["filename"].endswith(".ics"),
          f"the ticket's document is not an .ics: {document.upload and document.upload['filename']}")
    person.expect(t("menu.title"))
    h.note(f"booked {code}: {branch.label} / {service.label} / {doctor.label} / {day} {chosen.label} "
           f"(UTC {start.astimezone(utc):%H:%M})")
    ident, old_start, old_end, doctor_id, status = appointment_row(h, person, code)
    check(old_start == start and status == "booked",
          f"appointment {code}: starts_at {old_start}, status {status}; booked {start.astimezone(utc)}")

    # 2. «📋 Мои записи»: one upcoming, with its button; its details.
    person.send(t("menu.my_appointments"))
    listing, count = appointment_list(person)
    check(count == 1, f"the list after booking says {'appointments.none' if count is None else count}, expected 1 upcoming")
    check(contains(listing.text, t("appointments.list.one", count=1)), f"the list's text is not the singular form: {listing.text!r}")
    prefix = f"{day:%d.%m.%Y} {chosen.label}"
    label = f"{prefix} · {said['service']} · {STATUS_RU['booked']}"
    labels = [b.get("text") for b in buttons_of(person, listing.message_id)]
    check([x for x in labels if x.startswith(prefix)] == [label],
          f"the list should have one button {label!r}; its buttons: {labels}")
    person.press(label)
    details, shown = question(person, "appointments.details")
    expected = {"code": code, "status": STATUS_RU["booked"], "date": long_date(day, "ru"), "time": chosen.label,
                "doctor": said["doctor"], "service": said["service"]}
    wrong = {k: (shown[k], v) for k, v in expected.items() if shown[k] != v}
    check(not wrong, f"appointments.details says (shown, expected): {wrong}")
    labels = [b.get("text") for b in buttons_of(person, details.message_id)]
    check(labels == [t("appointments.reschedule"), t("appointments.cancel"), t("common.back")],
          f"the details' buttons are {labels}")

    # 3. Moved to another day (when there is one) and another time.
    person.press(t("appointments.reschedule"))
    asked, new_day, new_time, new_start = choose_day_and_time(person, "appointments.new_day", avoid_day=day, avoid_start=start)
    check(asked["doctor"] == said["doctor"], f"appointments.new_day names the doctor {asked['doctor']!r}, booked {said['doctor']!r}")
    confirm, shown = question(person, "appointments.confirm_move")
    check(shown["old"] == f"{long_date(day, 'ru')}, {chosen.label}" and shown["new"] == f"{long_date(new_day, 'ru')}, {new_time.label}",
          f"appointments.confirm_move says from {shown['old']!r} to {shown['new']!r}; expected "
          f"{long_date(day, 'ru')}, {chosen.label} → {long_date(new_day, 'ru')}, {new_time.label}")
    labels = [b.get("text") for b in buttons_of(person, confirm.message_id)]
    check(labels == [t("appointments.move_yes"), t("appointments.move_no"), t("common.back")],
          f"the move confirmation's buttons are {labels}")
    person.press(t("appointments.move_yes"))
    _, moved = question(person, "appointments.moved", timeout=10)
    check(moved["code"].strip() == code and moved["date"] == long_date(new_day, "ru") and moved["time"] == new_time.label,
          f"appointments.moved says {moved['code']!r} {moved['date']!r} {moved['time']!r}; expected {code} "
          f"{long_date(new_day, 'ru')} {new_time.label}")
    person.expect(t("menu.title"))
    h.note(f"moved {code}: {day} {chosen.label} → {new_day} {new_time.label} (UTC {new_start.astimezone(utc):%H:%M})"
           + (" (the same day: no other day offered)" if new_day == day else ""))
    moved_id, moved_start, _, _, status = appointment_row(h, person, code)
    check(moved_id == ident and moved_start == new_start and status == "booked",
          f"after the move appointment {code} starts {moved_start} with status {status}; expected {new_start.astimezone(utc)}, booked")
    total = h.sql("SELECT count(*) FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id "
                  f"WHERE l.telegram_user_id = {int(person.id)}")
    check(total == "1", f"{total} appointments for this person after the move, expected 1 (moved, not copied)")
    # The old time is free again: no live visit of that doctor on it, and the bot offers it.
    overlapping = h.sql(f"SELECT string_agg(code || ' ' || status, ', ') FROM appointments WHERE doctor_id = {doctor_id} "
                        "AND status <> 'cancelled' AND tstzrange(starts_at, busy_until) && "
                        f"tstzrange(to_timestamp({int(old_start.timestamp())}), to_timestamp({int(old_end.timestamp())}))")
    check(not overlapping, f"the old time {day} {chosen.label} is still held by {overlapping}")
    person.send(t("menu.book"))
    question(person, "booking.choose_branch")
    person.press(branch.label)
    question(person, "booking.choose_service")
    person.press(service.label)
    question(person, "booking.choose_doctor")
    person.press(doctor.label)
    calendar, _ = question(person, "booking.choose_day")
    person.press_calendar_day(calendar.message_id, day=day)
    times, _ = question(person, "booking.choose_time")
    offered = []
    for page in time_pages(person, times.message_id):
        offered += [b["text"] for b in page]
        if chosen.label in offered:
            break
    check(chosen.label in offered, f"after the move the bot does not offer the old time {chosen.label} on {day}: {offered}")
    person.press(chosen.label)
    question(person, "booking.confirm")
    person.press(t("booking.confirm_no"))
    person.expect(t("booking.dropped"), t("menu.title"))

    # 4. Cancelled: «Нет, оставить» first, then «Да, отменить».
    person.send(t("menu.my_appointments"))
    listing, count = appointment_list(person)
    check(count == 1, f"the list after the move says {'appointments.none' if count is None else count}, expected 1 upcoming")
    label = f"{new_day:%d.%m.%Y} {new_time.label} · {said['service']} · {STATUS_RU['booked']}"
    labels = [b.get("text") for b in buttons_of(person, listing.message_id)]
    check(label in labels, f"the list after the move should have the button {label!r}; its buttons: {labels}")
    person.press(label)
    _, shown = question(person, "appointments.details")
    check(shown["code"] == code and shown["date"] == long_date(new_day, "ru") and shown["time"] == new_time.label,
          f"the details after the move say {shown['code']!r} {shown['date']!r} {shown['time']!r}")
    person.press(t("appointments.cancel"))
    _, shown = question(person, "appointments.confirm_cancel")
    check(shown["date"] == long_date(new_day, "ru") and shown["time"] == new_time.label and shown["doctor"] == said["doctor"],
          f"appointments.confirm_cancel asks about {shown}")
    person.press(t("appointments.cancel_no"))
    _, shown = question(person, "appointments.details")
    check(shown["code"] == code, f"«{t('appointments.cancel_no')}» led to the details of {shown['code']!r}, expected {code}")
    check(appointment_row(h, person, code)[4] == "booked", f"«{t('appointments.cancel_no')}» changed the status of {code}")
    person.press(t("appointments.cancel"))
    question(person, "appointments.confirm_cancel")
    person.press(t("appointments.cancel_yes"))
    _, shown = question(person, "appointments.cancelled", timeout=10)
    check(shown["date"] == long_date(new_day, "ru") and shown["time"] == new_time.label,
          f"appointments.cancelled says {shown['date']!r} {shown['time']!r}")
    person.expect(t("menu.title"))
    status = appointment_row(h, person, code)[4]
    check(status == "cancelled", f"after «{t('appointments.cancel_yes')}» appointment {code} has status {status!r}")

    # 5. The list once more: nothing upcoming; the visit, if listed, as cancelled.
    person.send(t("menu.my_appointments"))
    listing, count = appointment_list(person)
    labels = [b.get("text") for b in buttons_of(person, listing.message_id)]
    check(count in (None, 0), f"after the cancellation the list says {count} upcoming, expected 0 (or appointments.none)")
    live = [x for x in labels if x.endswith((f" · {STATUS_RU['booked']}", f" · {STATUS_RU['confirmed']}"))]
    check(not live, f"after the cancellation the list still offers {live}")
    if count == 0:
        label = f"{new_day:%d.%m.%Y} {new_time.label} · {said['service']} · {STATUS_RU['cancelled']}"
        check(label in labels, f"the list should show the cancelled visit as {label!r}; its buttons: {labels}")
    h.note("the list after cancelling: " + ("appointments.none" if count is None else f"0 upcoming, buttons {labels}"))


@scenario(15, "a reminder survives kill -9: an appointment booked at the registry desk (the REST API) is planned, "
              "serve is killed while the reminder sleeps, and after the restart it arrives once, in the patient's language")
def reminder_after_kill(h):
    ensure_demo_clinic(h)
    redis = h.start_redis()
    server = h.start_server("s15-reminder", redis=redis)
    person = h.new_person(server, "Айгерім", "kk")
    patient = make_patient("kk", "F", person.id, first_name="Айгерім", last_name="Сапарова", middle_name=None,
                           marketing=False, rng=h.rng)
    register(person, patient)
    auth = {"Authorization": f"Bearer {server.api_secret}"}

    # 1. The registry desk books a visit within the next two days (the planner's horizon).
    now = datetime.datetime.now(datetime.timezone.utc)
    pairs = h.sql("SELECT doctor_id || ',' || service_id FROM doctor_services ORDER BY 1").splitlines()
    booked = None
    for pair in pairs:
        doctor_id, service_id = pair.split(",")
        for days in (0, 1, 2):
            day = (now + datetime.timedelta(days=days)).astimezone(datetime.timezone(datetime.timedelta(hours=5))).date()
            answer = server.get(f"/api/bot/slots/?doctor_id={doctor_id}&service_id={service_id}&date={day}", headers=auth)
            check(answer.status == 200, f"GET /api/bot/slots/ answered {answer}")
            soon = [slot for slot in answer.json
                    if datetime.datetime.fromisoformat(slot["start"].replace("Z", "+00:00")) < now + datetime.timedelta(hours=46)]
            if soon:
                body = {"telegram_user_id": person.id, "doctor_id": int(doctor_id), "service_id": int(service_id), "start": soon[0]["start"]}
                answer = http("POST", server.url + "/api/bot/appointments/", body=json.dumps(body).encode(),
                              headers={**auth, "Content-Type": "application/json"})
                check(answer.status == 201, f"POST /api/bot/appointments/ answered {answer}")
                booked = answer.json
                break
        if booked:
            break
    check(booked is not None, "no free slot in the next two days in the demo clinic")
    h.note(f"booked {booked['code']} at the desk for {booked['start']}")

    # 2. kill -9, restart: the planner's first pass plans the visit's messages. First the
    # registration's last replies must be marked sent: a chat whose sender is killed mid-way
    # waits for its next messages until that sender's heartbeat lapses (30 s).
    deadline = time.monotonic() + 10
    while redis.command("EXISTS", f"clinic-bot:out-owner:{person.chat_id}") != "0":
        check(time.monotonic() < deadline, "the registration's replies are still not marked sent after 10 s")
        time.sleep(0.05)
    server.process.kill()
    server.process.wait()
    server.start()
    pending = lambda: h.sql(f"SELECT count(*) FROM flow_jobs WHERE state = 'pending' AND origin LIKE 'plan:{booked['id']}:%'")
    deadline = time.monotonic() + 20
    while pending() == "0":
        check(time.monotonic() < deadline, "the planner made no job for the appointment within 20 s of the restart")
        time.sleep(0.2)
    job = h.sql(f"SELECT id || ',' || flow FROM flow_jobs WHERE state = 'pending' AND origin LIKE 'plan:{booked['id']}:%' "
                "ORDER BY (flow = 'reminder') DESC, due_at LIMIT 1").split(",")
    h.note(f"planned: {pending()} job(s); making job {job[0]} ({job[1]}) due in 3 s")

    # 3. Its moment comes while serve is dead: it fires once after the restart.
    h.sql(f"UPDATE flow_jobs SET due_at = now() + interval '3 seconds' WHERE id = {job[0]}")
    server.process.kill()
    server.process.wait()
    time.sleep(4)
    person.skip()
    server.start()
    key = {"reminder": "reminder.text", "arrival_check": "arrival.question", "rating": "rating.question"}[job[1]]
    message, _ = question(person, key, timeout=20)
    check(booked["doctor_name"]["kk"] in message.text, f"the reminder does not name the doctor {booked['doctor_name']['kk']!r}: {message.text!r}")
    person.expect_silence(2.0, "second copy of the reminder")
    deadline = time.monotonic() + 10
    while h.sql(f"SELECT state FROM flow_jobs WHERE id = {job[0]}") != "done":
        check(time.monotonic() < deadline, f"job {job[0]} is not done after it fired")
        time.sleep(0.2)
    if job[1] == "reminder":
        person.press(person.t("reminder.coming"))
        person.expect(person.t("reminder.see_you"))


@scenario(16, "serve killed (-9) while Telegram has not yet answered a reply: the next start sends it, once more at most")
def outbox_after_kill(h):
    redis = h.start_redis()
    server = h.start_server("s16-outbox", redis=redis)
    person = h.new_person(server, "Ерлан", "ru")
    # Telegram takes the reply and never answers: the bot is killed while waiting for it.
    h.fake.hold_chat(person.chat_id)
    person.send("/start")
    deadline = time.monotonic() + 10
    while h.fake.held_calls == 0:
        check(time.monotonic() < deadline, "the bot sent no reply to /start within 10 s")
        time.sleep(0.05)
    server.process.kill()
    server.process.wait()
    h.fake.release_chat(person.chat_id)
    person.skip()
    h.note("killed with the reply to /start in flight; starting again")
    server.start()
    # The restarted process is a new instance: it takes over once the old one's heartbeat has
    # lapsed (30 s).
    person.expect(is_choose_language(h), timeout=60)
    person.expect_silence(2.0, "second copy of the reply")
    metrics = server.get("/metrics").body.decode("utf-8", "replace")
    counted = [float(line.rsplit(None, 1)[-1]) for line in metrics.splitlines() if line.startswith("bot_outbox_possible_duplicates_total")]
    check(counted and sum(counted) == 1, f"bot_outbox_possible_duplicates_total should count the one chat taken over: {counted}")
    person.press(person.t("language.ru"))
    person.expect(person.t("registration.welcome"))


def redis_dump(redis):
    """Every key in Redis with its value, whatever its type, as one text."""
    parts = []
    for key in redis.command("KEYS", "*").splitlines():
        kind = redis.command("TYPE", key)
        value = {"string": ("GET", key), "list": ("LRANGE", key, 0, -1), "zset": ("ZRANGE", key, 0, -1),
                 "set": ("SMEMBERS", key), "hash": ("HGETALL", key)}.get(kind)
        parts.append(key + " " + (redis.command(*value) if value else kind))
    return "\n".join(parts)


def typed_until_sex(person, first_name, last_name, phone, birth_text):
    """A Russian registration typed up to the sex question: names, no middle name, the phone
    typed (not shared), the birth date."""
    t = person.t
    start_registration(person, "ru")
    for answer, nxt in ((first_name, "registration.last_name"), (last_name, "registration.middle_name")):
        person.send(answer)
        person.expect(t(nxt))
    person.press(t("registration.no_middle_name"))
    person.expect(t("registration.phone"))
    person.send(phone)
    person.expect(t("registration.birth_date"))
    person.send(birth_text)
    person.expect(t("registration.sex"))


@scenario(17, "a card is not taken over by its IIN: a typed phone and someone else's number are refused alike; "
              "/cancel mid-registration leaves nothing of the answers in Redis")
def trust(h):
    redis = h.start_redis()
    server = h.start_server("s17-trust", redis=redis)
    owner = h.new_person(server, "Гүлнар", "kk")
    patient = make_patient("kk", "F", owner.id, first_name="Гүлнар", last_name="Омарова", marketing=False, rng=h.rng)
    register(owner, patient, contact_phone=patient.phone)
    # The owner unlinks: the card stays at the clinic, with no Telegram account.
    owner.send(owner.t("menu.profile"))
    owner.expect(lambda body: "Омарова Гүлнар" in body)
    owner.press(owner.t("profile.unlink"))
    owner.expect(owner.t("profile.confirm_unlink"))
    owner.press(owner.t("profile.unlink_yes"))
    owner.expect(owner.t("profile.unlinked"))
    card = h.sql(f"SELECT id, first_name, encode(phone_cipher, 'hex'), updated_at FROM patients "
                 f"WHERE id = (SELECT patient_id FROM patient_telegram_links WHERE telegram_user_id = {owner.id})")

    # Someone who knows her IIN and her phone number types them in.
    attacker = h.new_person(server, "Чужой", "ru")
    fake = make_patient("ru", "F", attacker.id, first_name="Чужая", last_name="Иванова", marketing=False, rng=h.rng)
    t = attacker.t
    typed_until_sex(attacker, fake.first_name, fake.last_name, typed_phone(patient), patient.birth_text)
    attacker.press(t("registration.sex_female"))
    attacker.expect(t("registration.iin"))
    attacker.send(patient.iin)
    for key in ("registration.consent_personal_data", "registration.consent_medical"):
        attacker.expect(t(key))
        attacker.press(t("registration.agree"))
    attacker.expect(t("registration.consent_marketing"))
    attacker.press(t("registration.marketing_no"))
    refused = t("registration.refused")
    attacker.expect(refused)
    # Their own contact, another number: the very same words.
    attacker.press(t("registration.retry_phone"))
    attacker.expect(t("registration.phone"))
    attacker.share_contact(kz_phone(attacker.id))
    attacker.expect(refused)
    check(patient_row(h, attacker.id) == "", "the attacker was linked to the card")
    # The refused attempt leaves nothing behind once abandoned: no IIN, phone or name in Redis.
    attacker.send("/cancel")
    attacker.expect(t("common.cancelled_unregistered"))
    time.sleep(0.5)
    dump = redis_dump(redis)
    for secret in [patient.iin, "Иванова"] + patient.phone_forms:
        check(secret not in dump, f"{secret[:3]}… is still in Redis after the refused registration was cancelled")
    after = h.sql(f"SELECT id, first_name, encode(phone_cipher, 'hex'), updated_at FROM patients WHERE id = {card.split('|')[0]}")
    check(after == card, f"the card changed under a refused registration: {card!r} → {after!r}")

    # The owner comes back: her own contact, the card's number, links it again.
    register(owner, patient, contact_phone=patient.phone)
    check(patient_row(h, owner.id).startswith("Гүлнар|Омарова"), "the owner could not link her card with her own contact")

    # Half a registration, then /cancel: nothing of it in Redis, in any key.
    walker = h.new_person(server, "Дана", "ru")
    other = make_patient("ru", "F", walker.id, first_name="Даналия", last_name="Жумабекова", marketing=False, rng=h.rng)
    t = walker.t
    typed_until_sex(walker, other.first_name, other.last_name, typed_phone(other), other.birth_text)
    before = redis_dump(redis)
    check("Жумабекова" in before, "the answers should be in the session while the registration runs")
    walker.send("/cancel")
    walker.expect(t("common.cancelled_unregistered"))
    time.sleep(0.5)
    dump = redis_dump(redis)
    for secret in [other.first_name, other.last_name, other.birth_text, f"{other.birth_date:%Y-%m-%d}"] + other.phone_forms:
        check(secret not in dump, f"{secret[:3]}… is still in Redis after /cancel")


@scenario(18, "a lab result posted through the API reaches the patient in Kazakh with its PDF (read back by pdftotext); "
              "its download link opens without the API's token, an altered one is a 403")
def lab_result(h):
    redis = h.start_redis()
    server = h.start_server("s18-documents", redis=redis, env={"PUBLIC_BASE_URL": "https://bot.clinic.test"})
    person = h.new_person(server, "Әсем", "kk")
    patient = make_patient("kk", "F", person.id, first_name="Әсем", last_name="Құдайбергенова", marketing=False, rng=h.rng)
    register(person, patient)
    auth = {"Authorization": f"Bearer {server.api_secret}", "Content-Type": "application/json"}

    # The laboratory posts the result: a document made here, in the language of her card.
    body = {"telegram_user_id": person.id, "type": "analysis", "title": "Жалпы қан талдауы",
            "fields": [{"label": "Гемоглобин", "value": "128 г/л"}],
            "paragraphs": ["Көрсеткіштер қалыпты шекте. Қосымша тексеру қажет емес."]}
    answer = http("POST", server.url + "/api/bot/documents/generate/", body=json.dumps(body).encode(), headers=auth)
    check(answer.status == 201, f"POST /api/bot/documents/generate/ answered {answer}")
    document = answer.json
    h.note(f"document {document['number']}: {document['file_name']} ({document['size']} bytes)")

    # She is told, in Kazakh, and asks for the PDF.
    person.expect(lambda text: "Нәтиже дайын: Жалпы қан талдауы" in text, timeout=20)
    person.press(person.t("documents.get_pdf"))
    sent = person.expect_document(timeout=10)
    upload = sent.upload
    check(upload is not None and upload["bytes"].startswith(b"%PDF-"), f"sendDocument did not carry a PDF: {sent.params}")
    check(upload["content_type"] == "application/pdf", f"the document's Content-Type is {upload['content_type']!r}")
    text = pdf_text(h, upload["bytes"])
    for words in ("Жалпы қан талдауы", "Құдайбергенова Әсем", document["number"], "Гемоглобин", "Көрсеткіштер қалыпты шекте."):
        check(words in text, f"the PDF does not say {words!r}; pdftotext read: {text[:300]!r}")
    # The result had interrupted the main menu: it is shown again, and nothing more comes.
    person.expect(person.t("menu.title"))
    person.expect_silence(1.5, "a second copy of the result")

    # A link for her browser: no bearer needed with its token; an altered token reveals nothing.
    link = server.get(f"/api/bot/documents/{document['id']}/download/?telegram_user_id={person.id}",
                      headers={"Authorization": auth["Authorization"]})
    check(link.status == 200 and link.json["url"].startswith("https://bot.clinic.test/api/bot/documents/"), f"the link answer: {link}")
    token = link.json["token"]
    opened = server.get(f"/api/bot/documents/{document['id']}/download/?token={token}")
    check(opened.status == 200 and opened.body == upload["bytes"], f"the link did not give the same PDF: {opened.status}")
    check(opened.headers.get("cache-control") == "no-store", f"Cache-Control: {opened.headers.get('cache-control')!r}")
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    refused = server.get(f"/api/bot/documents/{document['id']}/download/?token={altered}")
    check(refused.status == 403 and refused.json["error"]["code"] == "link_invalid", f"an altered token: {refused}")
    audited = h.sql(f"SELECT count(*) FROM bot_audit WHERE action = 'document.download' AND object_id = '{document['id']}'")
    check(audited == "2", f"{audited} downloads audited, expected 2 (the chat and the link)")


@scenario(19, "a visit paid with Telegram Payments: the invoice from the clinic's API, the patient's payment section, "
              "sendInvoice, the pre-checkout answered (a changed amount refused), the payment recorded once however often it comes")
def telegram_payment(h):
    redis = h.start_redis()
    server = h.start_server("s19-payments", redis=redis, env={"TELEGRAM_PAYMENT_PROVIDER_TOKEN": "381764678:TEST:e2e-provider"})
    person = h.new_person(server, "Дина", "ru")
    patient = make_patient("ru", "F", person.id, first_name="Дина", last_name="Касымова", marketing=False, rng=h.rng)
    register(person, patient)
    t = person.t
    auth = {"Authorization": f"Bearer {server.api_secret}", "Content-Type": "application/json"}

    body = {"telegram_user_id": person.id, "amount_tiyn": 1500050, "description": "УЗИ брюшной полости"}
    answer = http("POST", server.url + "/api/bot/payments/invoice/", body=json.dumps(body).encode(), headers=auth)
    check(answer.status == 201 and answer.json["provider"] == "telegram" and answer.json["pay_url"] is None, f"the invoice: {answer}")
    invoice = answer.json

    person.send(t("menu.payments"))
    label = "15\u00a0000,50\u00a0₸ · УЗИ брюшной полости"
    person.expect(lambda text: "К оплате: 15\u00a0000,50\u00a0₸" in text)
    person.press(label)
    person.expect(lambda text: text.startswith(f"Счёт № {invoice['number']}"))
    sent = h.fake.wait_for(lambda c: c.method == "sendInvoice" and c.chat_id == person.chat_id, timeout=5, since=person.cursor)
    check(sent is not None and sent.ok, "no sendInvoice reached the chat")
    prices = json.loads(sent.params["prices"]) if isinstance(sent.params["prices"], str) else sent.params["prices"]
    check(sent.params["currency"] == "KZT" and prices == [{"label": "УЗИ брюшной полости", "amount": 1500050}]
          and sent.params["provider_token"] == "381764678:TEST:e2e-provider", f"sendInvoice said {sent.params}")
    payload = sent.params["payload"]
    check(payload not in (str(invoice["id"]), invoice["number"]) and len(payload) >= 16, "the payload names the invoice guessably")
    person.expect(t("menu.title"))

    def pre_checkout(amount):
        query_id = f"pcq-{h.next_update_id()}"
        update = {"update_id": h.next_update_id(), "pre_checkout_query": {
            "id": query_id, "from": person.user, "currency": "KZT", "total_amount": amount, "invoice_payload": payload}}
        person.deliver(update)
        call = h.fake.wait_for(lambda c: c.method == "answerPreCheckoutQuery" and c.params.get("pre_checkout_query_id") == query_id, timeout=5)
        check(call is not None, f"the pre-checkout query {query_id} was not answered")
        return call.params

    check(pre_checkout(1500050).get("ok") is True, "the right amount was refused at checkout")
    refused = pre_checkout(150005)
    check(refused.get("ok") is False and refused.get("error_message") == t("payments.refused_changed"), f"a changed amount: {refused}")

    def paid(charge):
        message = {"message_id": h.fake.user_message(person.chat_id, None), "from": person.user,
                   "chat": {"id": person.chat_id, "first_name": person.user["first_name"], "type": "private"},
                   "date": int(time.time()), "successful_payment": {
                       "currency": "KZT", "total_amount": 1500050, "invoice_payload": payload,
                       "telegram_payment_charge_id": charge, "provider_payment_charge_id": f"prov-{charge}"}}
        person.deliver({"update_id": h.next_update_id(), "message": message})

    paid("tg-charge-1")
    paid("tg-charge-1")
    person.expect(lambda text: text.startswith("✅ Оплата получена: 15\u00a0000,50\u00a0₸ — УЗИ брюшной полости"), timeout=15)
    person.expect(t("menu.title"))  # the main menu the news interrupted, again
    person.expect_silence(2.0, "a second 'payment received'")
    status = server.get(f"/api/bot/payments/{invoice['id']}/status/", headers={"Authorization": auth["Authorization"]})
    check(status.status == 200 and status.json["status"] == "paid", f"the invoice after payment: {status}")
    check(h.sql(f"SELECT count(*) FROM bot_payments WHERE invoice_id = {invoice['id']}") == "1", "the payment was recorded more than once")
    check(pre_checkout(1500050).get("error_message") == t("payments.refused_paid"), "a paid invoice was offered again at checkout")


@scenario(20, "a prepaid visit booked in the chat: the time held and its invoice sent, the pre-checkout answered, "
              "the payment recorded once, then the ticket with its .ics and the visit booked")
def prepaid_visit(h):
    ensure_demo_clinic(h)
    server = h.start_server("s20-prepaid", redis=h.start_redis(),
                            env={"TELEGRAM_PAYMENT_PROVIDER_TOKEN": "381764678:TEST:e2e-provider"})
    person = h.new_person(server, "Ерлан", "ru")
    patient = make_patient("ru", "M", person.id, first_name="Ерлан", last_name="Жумабаев", marketing=False, rng=h.rng)
    register(person, patient)
    t = person.t
    row = h.sql("SELECT b.name_ru || '|' || s.name_ru FROM services s JOIN branches b ON b.id = s.branch_id "
                "WHERE s.prepayment_required AND s.is_active AND s.online_booking AND s.price_tenge > 0 ORDER BY s.id LIMIT 1")
    check(row, "the demo clinic has no prepaid service")
    branch_name, service_name = row.split("|")

    person.send(t("menu.book"))
    question(person, "booking.choose_branch")
    person.press(branch_name)
    services, _ = question(person, "booking.choose_service")
    press_on_pages(person, services.message_id, lambda label: label.startswith(normalize(service_name) + " ·"))
    doctors, _ = question(person, "booking.choose_doctor")
    person.press_first(doctors.message_id, skip=[t("common.back")])
    days, _ = question(person, "booking.choose_day")
    day, _ = person.press_calendar_day(days.message_id)
    times, _ = question(person, "booking.choose_time")
    chosen = person.press_first(times.message_id, skip=[t("common.back")])
    question(person, "booking.confirm")
    person.press(t("booking.confirm_yes"))

    _, said = question(person, "booking.prepay_invoice", timeout=10)
    check(said["service"] == service_name and said["time"] == chosen.label and said["date"] == long_date(day, "ru"),
          f"the hold names {said}, booked {service_name!r} {long_date(day, 'ru')} {chosen.label}")
    sent = h.fake.wait_for(lambda c: c.method == "sendInvoice" and c.chat_id == person.chat_id, timeout=5, since=person.cursor)
    check(sent is not None and sent.ok, "no sendInvoice reached the chat")
    prices = json.loads(sent.params["prices"]) if isinstance(sent.params["prices"], str) else sent.params["prices"]
    payload, amount = sent.params["payload"], prices[0]["amount"]
    person.expect(t("menu.title"))
    held = h.sql("SELECT a.status || '|' || a.code || '|' || i.amount_tiyn || '|' || (a.price_tenge * 100) "
                 f"FROM bot_invoices i JOIN appointments a ON a.id = i.appointment_id WHERE i.reference = {sql_text(payload)}")
    check(held, "the invoice sent is not a visit's prepayment")
    status, code, invoiced, price = held.split("|")
    check(status == "held" and int(invoiced) == amount == int(price), f"before payment: {held} (sent {amount} tiyn)")
    h.note(f"held {code}: {service_name} {day} {chosen.label}, {amount} tiyn until {said['until']}")

    query_id = f"pcq-{h.next_update_id()}"
    person.deliver({"update_id": h.next_update_id(), "pre_checkout_query": {
        "id": query_id, "from": person.user, "currency": "KZT", "total_amount": amount, "invoice_payload": payload}})
    answer = h.fake.wait_for(lambda c: c.method == "answerPreCheckoutQuery" and c.params.get("pre_checkout_query_id") == query_id, timeout=5)
    check(answer is not None and answer.params.get("ok") is True, f"the pre-checkout: {answer and answer.params}")
    for _ in range(2):
        message = {"message_id": h.fake.user_message(person.chat_id, None), "from": person.user,
                   "chat": {"id": person.chat_id, "first_name": person.user["first_name"], "type": "private"},
                   "date": int(time.time()), "successful_payment": {
                       "currency": "KZT", "total_amount": amount, "invoice_payload": payload,
                       "telegram_payment_charge_id": "tg-prepaid-1", "provider_payment_charge_id": "prov-prepaid-1"}}
        person.deliver({"update_id": h.next_update_id(), "message": message})

    person.expect(lambda text: text.startswith("✅ Оплата получена:"), timeout=15)
    ticket = person.expect(lambda body: h.texts.fields("ru", "payments.ticket", body) is not None, timeout=10)
    told = h.texts.fields("ru", "payments.ticket", ticket.text)
    check(told["code"].strip() == code and told["time"] == chosen.label and told["service"] == service_name,
          f"the ticket says {told}, the visit is {code} at {chosen.label}")
    document = person.expect_document(timeout=10)
    check(document.upload is not None and document.upload["filename"].endswith(".ics"), f"the ticket's file: {document.params}")
    person.expect(t("menu.title"))
    person.expect_silence(2.0, "a second 'payment received' or ticket")
    check(h.sql(f"SELECT status FROM appointments WHERE code = {sql_text(code)}") == "booked", "the paid visit is not booked")
    check(h.sql(f"SELECT count(*) FROM bot_payments p JOIN bot_invoices i ON i.id = p.invoice_id WHERE i.reference = {sql_text(payload)}") == "1",
          "the prepayment was not recorded exactly once")


def press_on_pages(person, message_id, wanted, timeout=5.0):
    """Presses the first button whose label `wanted` accepts, turning the pages with ▶."""
    for _ in range(30):
        buttons = buttons_of(person, message_id)
        for button in buttons:
            if wanted(normalize(button.get("text") or "")):
                return person.press_button(message_id, button)
        arrow = next((b for b in buttons if b.get("text") == "▶"), None)
        check(arrow is not None, f"no wanted button among {[b.get('text') for b in buttons]}")
        before = [b.get("text") for b in buttons]
        person.press_button(message_id, arrow)
        deadline = time.monotonic() + timeout
        while [b.get("text") for b in buttons_of(person, message_id)] == before:
            check(time.monotonic() < deadline, "▶ did not turn the page")
            time.sleep(0.05)
    check(False, "the wanted button is on no page")


def pdf_text(h, pdf):
    """The text of a PDF as poppler reads it (an independent reader), words single-spaced."""
    path = h.tmp / f"document-{time.monotonic_ns()}.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False)
    check(result.returncode == 0, f"pdftotext failed: {result.stderr[:200]!r}")
    return " ".join(result.stdout.decode("utf-8").split())


@scenario(10, "Telegram limits over all scenarios; every button answered; /metrics counters")
def limits_and_metrics(h):
    problems = []
    try:
        server = h.start_server("s10-metrics", redis=h.start_redis())
        person = h.new_person(server)
        person.send("/start")
        person.expect(is_choose_language(h))
        metrics = server.get("/metrics")
        check(metrics.status == 200, f"GET /metrics: {metrics}")
        text = metrics.body.decode("utf-8", "replace")
        for name in ("bot_updates_total", "telegram_api_calls_total"):
            values = [float(line.rsplit(None, 1)[-1]) for line in text.splitlines() if re.match(rf"{name}(\{{|\s)", line)]
            if not values or sum(values) <= 0:
                problems.append(f"/metrics: no non-zero {name} (values {values})")
    except ScenarioFailure as failure:
        problems.append(str(failure))

    violations = h.fake.violations
    if violations:
        problems.insert(0, f"{len(violations)} payload(s) break Telegram's limits: " + "; ".join(
            f"#{v['seq']} {v['method']} chat {v['chat_id']}: {v['problem']}" for v in violations[:8]))
    lost = [c.summary() for c in h.fake.calls("editMessageText") if c.description == "Bad Request: message to edit not found"]
    if lost:
        problems.append(f"edits of messages that do not exist: {lost[:5]}")
    unanswered = h.fake.unanswered_callbacks()
    if unanswered:
        problems.append(f"{len(unanswered)} button press(es) never answered with answerCallbackQuery")
    refused_edits = [c for c in h.fake.calls("editMessageText") if c.status == 400]
    if refused_edits:
        h.note(f"{len(refused_edits)} edit(s) answered 400, e.g. {refused_edits[0].description}")
    check(not problems, " | ".join(problems))


# Scenario 10 reads what all the others did, so it runs last.
ORDER = ["1", "2", "3", "4", "5", "6", "7", "7b", "8", "9", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "10"]


# ---- running --------------------------------------------------------------------------------

def run_scenario(h, number, title, function, verbose=False):
    h.begin_scenario()
    started = time.monotonic()
    reason, details = None, ""
    try:
        function(h)
        crashed = [s.name for s in h.scenario_servers if not s.running]
        check(not crashed, f"server(s) exited during the scenario: {crashed}")
    except ScenarioFailure as failure:
        reason = str(failure)
    except Exception as error:  # a bug in the test or an unexpected answer: still a failure
        reason = f"{type(error).__name__}: {error}"
        details = traceback.format_exc()
    finally:
        h.end_scenario()
    elapsed = time.monotonic() - started
    print(f"{'PASS' if reason is None else 'FAIL'}  {number}. {title} ({elapsed:.1f}s)"
          + ("" if reason is None else f": {reason}"), flush=True)
    if verbose or reason is not None:
        for note in h.notes:
            print(f"      · {note}".replace("\n", " ⏎ "))
    if reason is not None:
        if details:
            print("      " + details.strip().replace("\n", "\n      "))
        for person in h.scenario_people[:6]:
            recent = person.recent()
            if recent:
                print(f"      calls for {person}:")
                for line in recent:
                    print(f"        {line}")
        for server in h.scenario_servers:
            print("      " + server.log_tail(40).replace("\n", "\n      "))
        sys.stdout.flush()
    return reason is None


def main():
    parser = argparse.ArgumentParser(description="clinic-bot serve end to end against a fake Telegram Bot API")
    parser.add_argument("bin", help="path to the clinic-bot executable")
    parser.add_argument("--only", help="comma-separated scenario numbers, e.g. 1,5,9")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, flow copies)")
    parser.add_argument("--seed", type=int, help="random seed for ids and IINs")
    parser.add_argument("-v", "--verbose", action="store_true", help="print what each scenario measured")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not database_url:
        sys.exit("e2e_telegram: set DATABASE_URL (a running PostgreSQL)")
    pii_key = os.environ.get("PII_ENCRYPTION_KEY")
    if not pii_key:
        pii_key = base64.b64encode(os.urandom(32)).decode()
        print("e2e_telegram: PII_ENCRYPTION_KEY not set, using a random key", file=sys.stderr)
    # A scenario written but left out of the default run would never be run by the test command.
    forgotten = [number for number, _, _ in SCENARIOS if number not in ORDER]
    if forgotten:
        sys.exit(f"e2e_telegram: scenarios {forgotten} are not in ORDER")
    chosen = [n.strip() for n in args.only.split(",")] if args.only else ORDER
    scenarios = {number: (title, function) for number, title, function in SCENARIOS}
    unknown = [n for n in chosen if n not in scenarios]
    if unknown:
        sys.exit(f"e2e_telegram: no scenario {unknown}; there are {ORDER}")

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="clinic-bot-e2e-telegram."))
    fake = FakeBotAPI(TOKEN, strict_callbacks=True).start()
    h = Harness(args.bin, fake, tmp, database_url, pii_key, seed=args.seed)
    # SIGTERM (a CI timeout) stops the processes too: cleanup runs in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    passed = failed = 0
    try:
        migrated = h.run_bin("migrate")
        if migrated.returncode != 0:
            print(f"FAIL  clinic-bot migrate exited {migrated.returncode}: {(migrated.stdout + migrated.stderr)[-800:]}")
            return 1
        for number in chosen:
            title, function = scenarios[number]
            if run_scenario(h, number, title, function, args.verbose):
                passed += 1
            else:
                failed += 1
    finally:
        h.cleanup()
        fake.stop()
        if args.keep or failed:
            print(f"logs and flow copies kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"Telegram end-to-end: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
