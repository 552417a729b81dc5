"""Make typed or recognised text look alike: lower case, no punctuation, single spaces."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_NOT_WORD = re.compile(r"[^\w':]+|(?<!\w)'|'(?!\w)|(?<!\d):|:(?!\d)")


def normalize(text: str) -> str:
    """Lower case, apostrophes unified, punctuation dropped (keeping 9:30), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = text.replace("_", " ").replace("-", " ")
    return " ".join(_NOT_WORD.sub(" ", text).split())
