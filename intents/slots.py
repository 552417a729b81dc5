"""Parse slot values the way people (and Alexa) say them: numbers, times of day, minutes."""

from __future__ import annotations

import re
from datetime import time

from intents.normalize import normalize

_UNITS = {
    "zero": 0,
    "oh": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a": 1,
    "an": 1,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINAL_ONLY = {"a", "an", "oh"}
_SAY_UNITS = {n: w for w, n in _UNITS.items() if w not in _ORDINAL_ONLY}
_SAY_TENS = {n: w for w, n in _TENS.items()}


def number_words(n: int) -> str:
    """0 to 99 in words, as read aloud: 7 -> "seven", 45 -> "forty five"."""
    if not 0 <= n < 100:
        raise ValueError(f"{n} is outside 0 to 99")
    if n in _SAY_UNITS:
        return _SAY_UNITS[n]
    tens, units = divmod(n, 10)
    return _SAY_TENS[tens * 10] + (f" {_SAY_UNITS[units]}" if units else "")


MAX_NUMBER = 10_000


def parse_number(text: str) -> int | None:
    """A whole number from digits or English words ("twenty five", "a hundred and twenty").

    Negative numbers are not whole numbers of anything we count: "-1" and "minus one" are None
    (normalising would otherwise drop the sign and read a one).
    """
    if text.strip().startswith("-"):
        return None
    words = normalize(text.replace(",", "")).split()  # "1,000": normalising makes it "1 000"
    words = [w for w in words if w not in ("and", "about", "around", "like")]
    if len(words) == 1 and words[0].isdigit():
        value = int(words[0])
        return value if value <= MAX_NUMBER else None
    total = current = 0
    seen = False
    for word in words:
        if word in _UNITS and not (word in _ORDINAL_ONLY and len(words) == 1):
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
        seen = True
    value = total + current
    return value if seen and value <= MAX_NUMBER else None


def parse_rating(text: str) -> int | None:
    """A one-to-five rating, or None when it is anything else."""
    value = parse_number(text)
    return value if value is not None and 1 <= value <= 5 else None


_ISO_DURATION = re.compile(r"^pt(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_minutes(text: str) -> int | None:
    """Minutes from "20", "twenty", "an hour", "half an hour" or an ISO duration (PT20M)."""
    if text.strip().startswith("-"):
        return None
    t = normalize(text)
    iso = _ISO_DURATION.match(t.replace(" ", ""))
    if iso and any(iso.groups()):
        h, m, s = (int(g or 0) for g in iso.groups())
        value = h * 60 + m + (1 if s >= 30 else 0)
    elif t in ("half an hour", "half hour", "a half hour"):
        value = 30
    elif t in ("an hour", "one hour", "a hour"):
        value = 60
    else:
        t = re.sub(r"\s*(minutes?|mins?)$", "", t)
        value = parse_number(t) if t else None
    return value if value is not None and 1 <= value <= 24 * 60 else None


_MERIDIEM = {
    "am": "am",
    "a m": "am",
    "in the morning": "am",
    "morning": "am",
    "pm": "pm",
    "p m": "pm",
    "in the evening": "pm",
    "at night": "night",
    "night": "night",
    "tonight": "pm",
    "evening": "pm",
    "in the afternoon": "pm",
    "afternoon": "pm",
}
NIGHT_ENDS = 4
"""Up to four o'clock "at night" is after midnight; from five it is the evening before."""
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


def parse_time(text: str) -> time | None:
    """A time of day from Alexa's "21:00" or speech such as "nine thirty pm" or "half past nine".

    One rule for every source: without am or pm, 1 to 11 o'clock is the evening, because these
    reminders are for putting phones away at night. Alexa's AMAZON.TIME cannot tell "nine" from
    "nine in the morning" (both arrive as "09:00"), so "09:00" is 21:00 too, and the reply says
    the time back ("every night at 9 PM"). "Nine in the morning" said to the chat or the voice loop
    keeps its "am". Times read back from the database are machine values: time.fromisoformat.
    """
    t = normalize(text)  # "p.m." arrives as "p m", one of the _MERIDIEM phrases
    t = re.sub(r"\b(at|around|about|by|every night|every day|every evening|each night)\b", " ", t)
    t = " ".join(t.split())
    t = t.removeprefix("a ") if t.startswith("a quarter ") else t  # "a quarter past nine"
    if t in ("noon", "midday"):
        return time(12, 0)
    if t == "midnight":
        return time(0, 0)
    meridiem = None
    for phrase, value in sorted(_MERIDIEM.items(), key=lambda kv: -len(kv[0])):
        if t.endswith(" " + phrase) or t == phrase:
            meridiem = value
            t = t[: -len(phrase)].strip()
            break
    t = t.replace("o'clock", "").replace("oclock", "").strip()
    hm = _hour_minute(t)
    if hm is None:
        return None
    hour, minute = hm
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    if meridiem in ("am", "pm", "night") and hour > 12:
        return None
    if meridiem == "night":  # "eleven at night" is 23:00, "one at night" 01:00, "twelve" 00:00
        meridiem = "am" if hour == 12 or hour <= NIGHT_ENDS else "pm"
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif meridiem is None and 1 <= hour <= 11:
        hour += 12
    return time(hour, minute)


def _hour_minute(t: str) -> tuple[int, int] | None:
    clock = _CLOCK.match(t)
    if clock:
        return int(clock.group(1)), int(clock.group(2) or 0)
    for prefix, offset in (("half past ", 30), ("quarter past ", 15), ("quarter after ", 15)):
        if t.startswith(prefix):
            hour = parse_number(t[len(prefix) :])
            return (hour, offset) if hour is not None else None
    if t.startswith("half ") and (hour := parse_number(t[5:])) is not None:
        return hour, 30  # British "half nine": half past nine
    for prefix in ("quarter to ", "quarter till ", "quarter of "):
        if t.startswith(prefix):
            hour = parse_number(t[len(prefix) :])
            return ((hour - 1) % 24, 45) if hour is not None else None
    words = t.split()
    if not words:
        return None
    # "nine", "nine thirty", "ten oh five", "eleven forty five": the hour is the first word.
    for split in (1, 2):
        hour = parse_number(" ".join(words[:split]))
        rest = words[split:]
        if hour is None or hour > 23:
            continue
        if not rest:
            return hour, 0
        if len(rest) == 2 and rest[0] not in _TENS and rest[0] != "oh":
            continue  # "twenty one thirty" is 21:30, not 20:31
        minute = parse_number(" ".join(rest))
        if minute is not None and minute < 60:
            return hour, minute
    return None
