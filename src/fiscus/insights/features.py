"""Turning a transaction into hashed features (pure Python, no framework).

Text: payee and description are normalised (lowercased, every run of digits collapsed
to one `0`, punctuation to spaces), then give word unigrams and bigrams, and character
3-5-grams of each word with boundary markers (fastText style: `<woo`, `orth`, `hs>`),
so that `WOOLWORTHS 1234 SYDNEY` and `WOOLWORTH METRO 88` share most of their features.
Other features: the sign and a half-octave bucket of the amount, the day-of-month
bucket, and the bank account.

Hashes are CRC-32 of a prefixed string (stable across processes, unlike `hash()`), so
counts stored in the database stay meaningful. Word n-gram hashing is cached per word,
because bank lines repeat the same words endlessly; a whole text's features are cached
too, which makes an import of 100k lines cost as many extractions as it has distinct
normalised texts.
"""

from __future__ import annotations

import math
import re
import uuid
import zlib
from datetime import date
from functools import lru_cache
from itertools import pairwise

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_MAX_WORDS = 16  # a bank line's tail (references, card numbers) adds noise, not signal


def _hash(text: str) -> int:
    return zlib.crc32(text.encode())


def normalise(text: str) -> str:
    """Lowercase, digits collapsed, punctuation to single spaces."""
    return _NOT_WORD.sub(" ", _DIGITS.sub("0", text.lower())).strip()


def text_of(payee: str | None, description: str) -> str:
    """The normalised text the model reads: the payee, then the description if it
    says something the payee does not."""
    parts = [normalise(payee or ""), normalise(description)]
    if parts[0] and parts[0] in parts[1]:
        parts = parts[1:]
    elif parts[1] and parts[1] in parts[0]:
        parts = parts[:1]
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=65536)
def _word_features(word: str) -> tuple[int, ...]:
    marked = f"<{word}>"
    grams = {marked[i : i + n] for n in (3, 4, 5) for i in range(len(marked) - n + 1)}
    return (_hash("w:" + word), *(_hash("c:" + g) for g in grams))


@lru_cache(maxsize=65536)
def text_features(text: str) -> frozenset[int]:
    """The hashed features of a normalised text (each counted once: binary NB)."""
    words = [w for w in text.split(" ") if w][:_MAX_WORDS]
    found: set[int] = set()
    for word in words:
        found.update(_word_features(word))
    found.update(_hash(f"b:{a} {b}") for a, b in pairwise(words))
    return frozenset(found)


def amount_bucket(amount_minor: int) -> str:
    """Sign and half-octave of the amount: 9.99 and 10.50 share a bucket, 10 and 40 don't."""
    sign = "in" if amount_minor > 0 else "out"
    size = abs(amount_minor) / 100
    return f"{sign}:{int(2 * math.log2(size + 1))}"


def day_bucket(on: date) -> str:
    """Roughly weekly bands of the month; the last days share one (pay and rent days)."""
    return "end" if on.day >= 28 else str((on.day - 1) // 7)


@lru_cache(maxsize=65536)
def meta_features(amount: str, day: str, account_id: uuid.UUID) -> tuple[int, ...]:
    sign = amount.split(":", 1)[0]
    return (
        _hash("a:" + amount),
        _hash("s:" + sign),
        _hash("d:" + day),
        _hash(f"acct:{account_id}"),
        _hash(f"acct-s:{account_id}:{sign}"),
    )


@lru_cache(maxsize=262_144)  # one import batch reads each line twice (needed counts, then scoring)
def features(
    payee: str | None, description: str, amount_minor: int, on: date, account_id: uuid.UUID
) -> tuple[frozenset[int], tuple[int, ...]]:
    """(text features, other features) of one transaction."""
    text = text_features(text_of(payee, description))
    return text, meta_features(amount_bucket(amount_minor), day_bucket(on), account_id)
