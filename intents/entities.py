"""Slot values found in free speech, by slot type: numbers, durations, times, names, kinds, depths.

The classifier says what was asked; these finders say with what. Each returns a canonical value
(minutes "20", rating "4", time "21:30", names in lower case, a kind or depth from the catalog) or
None when the sentence does not state one. They are pure functions of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time

from intents.catalog import Catalog
from intents.normalize import normalize
from intents.slots import _TENS, _UNITS, parse_minutes, parse_number, parse_rating, parse_time

_NUMBER_WORDS = (set(_UNITS) - {"a", "an", "oh"}) | set(_TENS) | {"hundred"}
_SCALE = re.compile(
    r"\b(?:on a scale (?:of|from) )?(?:one|1) (?:to|through|out of) (?:five|5)\b"
    r"|\bout of (?:five|5)\b"
)
_GLUED = re.compile(r"(\d)(am|pm|mins?|minutes)\b")
_HOURS = re.compile(
    r"\b(?:(?P<count>an|a|one|two|three|\d+) )?(?:and a half )?hours?(?: and a half)?\b"
)
_MINUTE_UNIT = re.compile(r"^(?:minutes?|mins?)$")
_TIME_LEAD = {"at", "for", "by", "till", "until", "around", "about", "the", "from", "to"}
_TIME_MARKERS = ("pm", "am", "p m", "a m", "o'clock", "oclock", "half past", "quarter", ":")
_NOT_NAMES = {
    "a",
    "an",
    "the",
    "i",
    "we",
    "you",
    "me",
    "us",
    "both",
    "together",
    "fans",
    "done",
    "tired",
    "ready",
    "here",
    "good",
    "fine",
    "okay",
    "ok",
    "not",
    "so",
    "very",
    "really",
    "just",
    "back",
    "going",
    "home",
    "friends",
    "married",
    "partners",
    "couple",
    "in",
    "on",
    "at",
    "to",
    "for",
    "my",
    "our",
    "your",
    "his",
    "her",
    "their",
    "this",
    "that",
    "it",
    "is",
    "are",
    "was",
    "and",
}
_FILLERS = re.compile(r"^(?:(?:um|uh|erm|hey|hi|hello|so|okay|ok|well|alexa|right|just) )+")
_LEAD = re.compile(
    r"\b(?:we're|we are|(?:our )?names?(?: are| is| to| as)?|this is|it's|its|call (?:me|us)|"
    r"i'm(?: called)?|i am(?: called)?|im|my name is|my name's|me|(?:we )?go by|are|it is|"
    r"(?:put|save|write) us (?:down )?as)(?= )"
)
_CONNECTOR = re.compile(
    r"^(?:(?:my|our|her|his|their) (?:best |lovely |dear )?[a-z]+(?:'s name| name)?"
    r"(?: is| is called| called|'s|'s called)?"
    r"|(?:she|he|they)(?:'s| is| are)(?: called)?|they're|this is|that's|that is|here's"
    r"|call (?:her|him|them)"
    r"|i'm|i am|me|(?:his|her|their) name(?: is|'s))$"
)
_TRAILING = re.compile(
    r"(?: (?:here|please|tonight|by the way|hi|hello|thanks|thank you|now|then|"
    r"nice to meet you|pleased to meet you))+$"
)


def _unambiguous(at: time) -> str:
    """ "21:30", "00:15", or "11:00 am": read back the same by parse_time, whose bare 1 to 11
    o'clock means the evening."""
    if at.hour == 0 or at.hour >= 12:
        return f"{at.hour:02d}:{at.minute:02d}"
    return f"{at.hour}:{at.minute:02d} am"


def find_names(text: str, common: frozenset[str] = frozenset()) -> tuple[str, str | None] | None:
    """First names from "we're sam and alex", "i'm jo and my partner is kim", "call me ben".

    The second name is None when only one is given. Words the companion knows from elsewhere
    (`common`) are not names, so "we are tom and jerry fans" gives nothing.
    """
    t = _FILLERS.sub("", _clean(text))
    t = _TRAILING.sub("", t)
    stop = _NOT_NAMES | common
    for lead in _LEAD.finditer(t):
        rest = t[lead.end() :].split()
        if not rest or rest[0] in stop:
            continue
        first = rest[0]
        tail = rest[1:]
        if tail and tail[0] == "here":
            tail = tail[1:]
        if not tail:
            return first, None
        if tail[0] not in ("and", "&", "with") or len(tail) < 2:
            continue
        second = tail[-1]
        connector = " ".join(tail[1:-1])
        if second in stop:
            continue
        if connector and not _CONNECTOR.match(connector):
            continue
        return first, second
    return None


_APPRECIATION_LEAD = re.compile(
    r"(?i)"
    r"^(?:.*?\b)?(?:i|we) (?:really |just |truly )?(?:appreciated?|loved|am grateful|'m grateful|"
    r"was grateful|am thankful|'m thankful)(?: (?:it|that|how|when|you for|for))?\b|"
    r"^(?:.*?\b)?(?:thank you|thanks|thank u) (?:so much |for )?"
)


def _clean(text: str) -> str:
    return _GLUED.sub(r"\1 \2", normalize(text))


def _number_spans(words: list[str]) -> list[tuple[int, int, int]]:
    """(start, end, value) of each run of number words or digits."""
    spans: list[tuple[int, int, int]] = []
    i = 0
    while i < len(words):
        if words[i].isdigit() or words[i] in _NUMBER_WORDS:
            j = i + 1
            while j < len(words) and (
                words[j] in _NUMBER_WORDS
                or (words[j] == "and" and j + 1 < len(words) and words[j + 1] in _NUMBER_WORDS)
            ):
                if words[j - 1].isdigit():
                    break
                j += 1
            value = parse_number(" ".join(words[i:j]))
            if value is not None:
                spans.append((i, j, value))
            i = j
        else:
            i += 1
    return spans


def find_rating(text: str) -> str | None:
    """The first number from one to five, leaving out "on a scale of one to five"."""
    words = _SCALE.sub(" ", _clean(text)).split()
    for _, _, value in _number_spans(words):
        return str(value) if 1 <= value <= 5 else None
    return None


_NOT_A_COUPLE = re.compile(
    r"\b(?:not|aren't|arent|never been|no longer) (?:a couple|together|partners|dating|an item)\b"
)
_COUPLE_WORDS = re.compile(
    r"\b(?:wife|husband|partner|girlfriend|boyfriend|fiance|fiancee|spouse|other half|couple|"
    r"married|engaged|dating|newlyweds|in a relationship|lovers|my love|my darling)\b"
)
_FRIEND_WORDS = re.compile(
    r"\b(?:friends?|mates?|pals?|buddy|buddies|besties?|bff|flatmates?|housemates?|roommates?|"
    r"roomies?|platonic)\b"
)
_SOLO_WORDS = re.compile(
    r"\b(?:just me|only me|me alone|on my own|by myself|just myself|myself|solo|one of us|"
    r"no one else|nobody else|alone|single)\b"
)


def find_audience(text: str) -> str | None:
    """Who is here, from the people named: a partner word means a couple, a friend word friends
    ("we're not a couple, we're flatmates" too), and only then "just me" means someone alone."""
    t = _clean(text)
    if _NOT_A_COUPLE.search(t):
        return "friends"
    if _COUPLE_WORDS.search(t):
        return "couple"
    if _FRIEND_WORDS.search(t):
        return "friends"
    if _SOLO_WORDS.search(t):
        return "solo"
    return None


def find_minutes(text: str) -> str | None:
    """A duration: "twenty minutes", "half an hour", "an hour and a half", or a bare number."""
    t = _clean(text)
    if re.search(r"\bhalf (?:an |a )?hour\b", t):
        return "30"
    if re.search(r"\bquarter (?:of )?(?:an |a )?hour\b", t):
        return "15"
    words = t.split()
    spans = _number_spans(words)
    for _start, end, value in spans:
        if end < len(words) and _MINUTE_UNIT.match(words[end]):
            return str(value) if 1 <= value <= 24 * 60 else None
    hours = _HOURS.search(t)
    if hours:
        count = hours.group("count")
        whole = 1 if count in (None, "a", "an") else parse_number(count) or 1
        half = "and a half" in hours.group(0)
        return str(whole * 60 + (30 if half else 0))
    for _start, end, value in spans:
        after = words[end] if end < len(words) else ""
        if after in ("pm", "am", "o'clock", "oclock", "p", "a"):
            continue
        return str(value) if 1 <= value <= 24 * 60 else None
    return None


def find_time(text: str) -> str | None:
    """A time of day ("ten pm", "half past nine", "the ten o'clock one") as HH:MM."""
    words = _clean(text).split()
    best: tuple[int, int, str] | None = None
    for start in range(len(words)):
        first = words[start]
        if not (
            first.isdigit()
            or first in _NUMBER_WORDS
            or first in ("half", "quarter", "noon", "midnight", "midday")
            or re.match(r"^\d{1,2}:\d{2}$", first)
        ):
            continue
        for end in range(min(len(words), start + 6), start, -1):
            span = " ".join(words[start:end])
            if end < len(words) and re.match(r"^(?:minutes?|mins?|hours?)$", words[end]):
                continue
            at = parse_time(span)
            if at is None:
                continue
            score = (end - start) * 2
            if any(marker in span for marker in _TIME_MARKERS):
                score += 4
            if start > 0 and words[start - 1] in _TIME_LEAD:
                score += 3
            if best is None or score > best[0]:
                best = (score, start, _unambiguous(at))
            break
    return best[2] if best else None


def find_appreciation(text: str) -> str | None:
    """What was appreciated, without "thank you for" in front."""
    said = " ".join(text.replace("\u2019", "'").split())  # kept as said, capitals and all
    rest = _APPRECIATION_LEAD.sub("", said, count=1).strip(" ,.!")
    return rest or None


_VALUE_READERS: dict[str, Callable[[str], object]] = {
    "minutes": parse_minutes,
    "time": parse_time,
    "rating": parse_rating,
}
"""How the handlers read a slot's value once it is found (Alexa's "PT20M", "21:00", "4")."""


class SlotFinder:
    """Finds every slot an intent takes, using the catalog's lists for kinds and depths."""

    def __init__(self, catalog: Catalog, common: frozenset[str] = frozenset()) -> None:
        self.catalog = catalog
        self.common = common
        """Words seen in sentences about anything but names: never taken as a name."""
        self._lists: dict[str, list[tuple[str, str]]] = {}
        for name, slot_type in catalog.slot_types.items():
            phrases = [
                (normalize(spoken), value.value)
                for value in slot_type.values
                for spoken in (value.value, *value.synonyms)
            ]
            self._lists[name] = sorted(phrases, key=lambda p: -len(p[0]))
        self._finders: dict[str, Callable[[str], str | None]] = {
            "rating": find_rating,
            "minutes": find_minutes,
            "time": find_time,
            "appreciation": find_appreciation,
            "audience": find_audience,
        }

    def canonical(self, slot: str, said: str) -> str | None:
        """A list slot's value for what was said ("more personal" -> "deeper"), None if unknown;
        other slots pass through."""
        if not self._lists.get(slot):
            return said
        spoken = normalize(said)
        return next((value for phrase, value in self._lists[slot] if phrase == spoken), None)

    def understands(self, slot: str, said: str) -> bool:
        """Whether a value sent for a slot means something here: a known list value, a duration,
        a time or a rating that reads as one (names and free text always do)."""
        if self._lists.get(slot):
            return self.canonical(slot, said) is not None
        read = _VALUE_READERS.get(slot)
        return read is None or read(said) is not None

    def find(self, intent: str, text: str) -> dict[str, str]:
        slots: dict[str, str] = {}
        wanted = self.catalog.slots_of(intent)
        clean = f" {_clean(text)} "
        for name in wanted:
            if name in ("name", "other_name"):
                continue
            if name in self._finders and (value := self._finders[name](text)) is not None:
                slots[name] = value
            elif name in self._lists and self._lists[name]:
                for phrase, value in self._lists[name]:
                    if f" {phrase} " in clean:
                        slots[name] = value
                        break
            elif name in self._finders:
                value = self._finders[name](text)
                if value is not None:
                    slots[name] = value
        if "name" in wanted:
            names = find_names(text, self.common)
            if names:
                slots["name"] = names[0]
                if names[1]:
                    slots["other_name"] = names[1]
        return slots
