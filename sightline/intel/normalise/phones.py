"""Phone numbers: UK numbers in any common written form to E.164 (`+447700900123`), read with
`phonenumbers`, and shown back in the national form. Pure functions, no database."""

from __future__ import annotations

import re

import phonenumbers

PHONE_RE = re.compile(
    r"(?<![\d+])(?:\+44\s?\(?0?\)?|0044\s?|0|(?<=\b)(?=7\d{3}\s?\d{3}\s?\d{3}\b))"
    r"(?:\d[\s\-]?){9,10}(?!\d)"
)


def normalise_phone(value: str) -> str:
    """A phone number in any written form to E.164, read with `phonenumbers` (Google's
    libphonenumber) with the UK as the default region: '07700 900123', '+44 7700 900123',
    '0044 7700 900123', '7700 900123' (the leading 0 left off) and international numbers.
    '' when it is not a possible number."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 9 or len(digits) > 15:
        return ""
    if not raw.startswith(("+", "0")) and len(digits) == 10 and digits[0] in "1237":
        raw = "0" + digits  # a UK number written without its leading 0
    elif not raw.startswith("+") and digits.startswith("44") and len(digits) in (11, 12):
        raw = "+" + digits
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164.startswith("+44") and (len(e164) not in (12, 13) or e164[3] not in "123578"):
        return ""
    return e164


def display_phone(e164: str) -> str:
    if e164.startswith("+44") and len(e164) == 13:
        national = "0" + e164[3:]
        return f"{national[:5]} {national[5:]}"
    return e164
