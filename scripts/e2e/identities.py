"""Test people: valid Kazakhstan IINs for a birth date and sex, phone numbers, names.

An IIN is YYMMDD, a century-and-sex digit (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd male,
even female), a 4-digit serial and a check digit (weights 1..11, mod 11; if that gives 10,
weights 3..11,1,2; if that gives 10 too, no IIN starts with these digits). The serial is
random, so runs against a database that keeps earlier patients do not collide on the IIN
(which is unique).
"""
import datetime
import random
from dataclasses import dataclass
from typing import Optional


def iin_check_digit(first11):
    first = sum(d * (i + 1) for i, d in enumerate(first11)) % 11
    if first != 10:
        return first
    second = sum(d * ((i + 2) % 11 + 1) for i, d in enumerate(first11)) % 11
    return None if second == 10 else second


def make_iin(birth_date, sex, serial=None, rng=random):
    """A valid IIN for this birth date and sex ("M"/"F"); `serial` fixes digits 8-11."""
    century = {18: 1, 19: 3, 20: 5}[birth_date.year // 100] + (0 if sex == "M" else 1)
    while True:
        serial_digits = serial if serial is not None else f"{rng.randrange(10000):04d}"
        first11 = f"{birth_date:%y%m%d}{century}{serial_digits}"
        check = iin_check_digit([int(c) for c in first11])
        if check is not None:
            return first11 + str(check)
        if serial is not None:
            raise ValueError(f"no IIN starts with {first11}")


def kz_phone(n):
    """A Kazakhstan mobile number (+7 701 …) made from a number."""
    return f"+7701{(n % 10**7):07d}"


@dataclass
class Patient:
    """What a person answers during registration."""
    first_name: str
    last_name: str
    middle_name: Optional[str]
    phone: str                 # E.164, +77…
    birth_date: datetime.date
    sex: str                   # "M" or "F"
    iin: str
    marketing: bool
    language: str              # "ru" or "kk"

    @property
    def birth_text(self):
        return f"{self.birth_date:%d.%m.%Y}"

    @property
    def phone_forms(self):
        """The phone as it could appear if stored in clear: +77…, 77…, 87…, 7…"""
        digits = self.phone.lstrip("+")
        return [self.phone, digits, "8" + digits[1:], digits[1:]]


def make_patient(language, sex, number, *, first_name, last_name, middle_name=None, marketing=False,
                 birth_date=None, rng=random):
    birth_date = birth_date or datetime.date(1960 + number % 45, 1 + number % 12, 1 + number % 28)
    return Patient(first_name=first_name, last_name=last_name, middle_name=middle_name, phone=kz_phone(number),
                   birth_date=birth_date, sex=sex, iin=make_iin(birth_date, sex, rng=rng), marketing=marketing,
                   language=language)
