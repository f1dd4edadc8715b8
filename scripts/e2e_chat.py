"""The terminal chat end to end: a person registers by typing, in Russian and in Kazakh, and
the patient is in PostgreSQL with IIN and phone encrypted, every write audited; a returning
patient goes straight to the main menu. Uses the real binary, actions and database.

usage: e2e_chat.py PATH/TO/clinic-bot   (TEST_DATABASE_URL and PII_ENCRYPTION_KEY set)
"""
import os
import subprocess
import sys

BIN = sys.argv[1]
# The throwaway database of the test command: its schema is made anew first.
DB = os.environ["TEST_DATABASE_URL"]
ENV = dict(os.environ, DATABASE_URL=DB)
failures = []


def chat(user_id, lines, locale=None):
    args = [BIN, "chat", "--user-id", str(user_id)] + (["--locale", locale] if locale else [])
    done = subprocess.run(args, input="\n".join(lines) + "\n", capture_output=True, text=True, env=ENV, timeout=60)
    if done.returncode != 0:
        failures.append(f"chat for user {user_id} exited {done.returncode}: {done.stderr[-500:]}")
    return done.stdout


def sql(query):
    return subprocess.run(["psql", DB, "-Atc", query], capture_output=True, text=True, check=True).stdout.strip()


def expect(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


# A fresh schema: the consent ledger refuses TRUNCATE, as it refuses any rewrite.
subprocess.run(["psql", DB, "-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"], check=True, capture_output=True)
subprocess.run([BIN, "migrate"], env=ENV, check=True, capture_output=True)

# Russian: typed phone with the 8 prefix, middle name skipped (button 1), female, marketing declined.
ru_iin, ru_phone = "900305401239", "+77011234567"
out = chat(9001, ["1", "Айгерим", "Сапарова", "1", "8 701 123 45 67", "05.03.1990", "2", ru_iin, "1", "1", "2"])
expect("Готово, Айгерим!" in out, "ru: registration completes with the patient's name")
expect("📅 Записаться" in out and "❓ Поддержка" in out, "ru: the main menu shows the spec's items")

# Kazakh: a bad birth date first (re-asked), a middle name typed, male, marketing accepted.
kk_iin = "011114503214"
out = chat(9002, ["2", "Ерболат", "Серікұлы", "Нұрланұлы", "+7 (747) 555-66-77", "31.02.2001", "14.11.2001", "1", kk_iin, "1", "1", "1"])
expect("Дайын, Ерболат! Сіз тіркелдіңіз." in out, "kk: registration completes with the patient's name")
expect("📅 Жазылу" in out and "❓ Көмек" in out, "kk: the main menu is in Kazakh")
expect(out.count("КК.АА.ЖЖЖЖ") >= 1, "kk: the impossible date 31.02 is refused with the format hint")

rows = sql("SELECT first_name, last_name, COALESCE(middle_name, ''), birth_date, sex, p.language, consent_marketing "
           "FROM patients p JOIN patient_telegram_links l ON l.patient_id = p.id "
           "WHERE l.telegram_user_id IN (9001, 9002) ORDER BY l.telegram_user_id").splitlines()
expect(rows == ["Айгерим|Сапарова||1990-03-05|F|ru|f", "Ерболат|Серікұлы|Нұрланұлы|2001-11-14|M|kk|t"],
       f"both patients are stored with their answers: {rows}")

clear = sql(f"SELECT count(*) FROM patients WHERE position('{ru_iin}' in encode(iin_cipher, 'escape')) > 0 "
            f"OR position('{ru_phone}' in encode(phone_cipher, 'escape')) > 0 "
            f"OR position('{kk_iin}' in encode(iin_cipher, 'escape')) > 0")
expect(clear == "0", "IIN and phone are not stored in clear text")
dump = subprocess.run(["psql", DB, "-Atc", "SELECT * FROM patients; SELECT * FROM bot_audit; SELECT * FROM patient_telegram_links"],
                      capture_output=True, text=True, check=True).stdout
expect(ru_iin not in dump and kk_iin not in dump and "7011234567" not in dump and "7475556677" not in dump,
       "no table holds an IIN or a phone number in clear text")
audits = sql("SELECT count(*) FROM bot_audit WHERE action = 'patient.create' AND actor IN ('telegram:9001', 'telegram:9002')")
expect(audits == "2", "each patient write left an audit row")

# A returning patient: /start opens the main menu in their language, no registration.
out = chat(9002, [])
expect("📅 Жазылу" in out and "Тілді таңдаңыз" not in out.split("\n", 2)[-1], "a registered patient goes straight to the Kazakh main menu")

# The same IIN from another Telegram account is refused, and no second patient appears.
out = chat(9003, ["1", "Айгерим", "Сапарова", "1", "+77011234567", "05.03.1990", "2", ru_iin, "1", "1", "2"])
count = sql(f"SELECT count(*) FROM patient_telegram_links WHERE telegram_user_id = 9003")
expect(count == "0", "an IIN registered to another account does not create a second patient")
# The same words as any refusal: nothing tells whether the IIN is a patient here.
expect("Не получилось зарегистрировать вас с этими данными" in out and "привязан" not in out,
       "the person hears the neutral refusal, which does not say the IIN is someone's")

if failures:
    print("terminal chat end-to-end: FAILED")
    sys.exit(1)
print("terminal chat end-to-end: all checks passed")
