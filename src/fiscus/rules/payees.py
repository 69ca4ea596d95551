"""Payee clean-up: a bank's raw line ("EFTPOS WOOLWORTHS 1234 SYDNEY NSW AU 01/07") down
to the merchant's name ("Woolworths").

Pure and deterministic. The text is worked on in upper case, stripped of what banks add
around a merchant — payment-method prefixes (EFTPOS, POS, VISA PURCHASE, CARD PAYMENT
TO, ...), payment processors (`SQ *`, `PAYPAL *`, `TST*`), card numbers (plain or masked),
dates and times, reference and store numbers, web-domain endings, trailing locations
(known cities and suburbs, state and country codes, and the trailing fields of a
fixed-width export) and company suffixes (PTY LTD, LIMITED, INC, ...) — then put in
title case. The steps run until nothing changes, so cleaning a cleaned name changes
nothing; when everything would be stripped, the input itself (spaces collapsed, title
case) is the answer, so a non-empty name never becomes empty.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MONTH = r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|SEPT|OCT|NOV|DEC)[A-Z]*"
# Bank noise found anywhere in the line; each match becomes a space.
_NOISE = re.compile(
    "|".join(
        (
            r"\b\d{4}(?:[ -]?\d{4}){3}\b",  # a full card number
            r"\b\d{4,6}[X*#]{4,8}\d{4}\b",  # 123456******1234
            r"(?<![A-Z0-9])[X*#]{2,}[X*# -]*\d{2,4}\b",  # XXXX-XXXX-XXXX-1234, ****1234
            r"\bCARD\s*(?:NO\.?|NUMBER)?\s*[X*#\d]{0,12}\d{2,4}\b",  # CARD xx1234, CARD 1234
            r"\b\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b",  # 2025-07-01
            r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b",  # 01/07, 01.07.25
            rf"\b\d{{1,2}}\s?{_MONTH}(?:\s?\d{{2,4}})?\b",  # 01 JUL 2025, 01JUL
            rf"\b{_MONTH}\s?\d{{1,2}}(?:,?\s?\d{{4}})?\b",  # JUL 01, 2025
            r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?\b",  # 14:32, 2:05 PM
            r"\b(?:REF|REFERENCE|RECEIPT|RCPT|TXN|TRN|AUTH(?:\s?CODE)?|APPROVAL|INV|INVOICE"
            r"|SEQ|TRACE|ID|NO)\b\.?[:#]?\s*[A-Z0-9/-]*\d[A-Z0-9/-]*",
            r"#\s*\d+",
            r"\bVALUE\s+DATE\b",
        )
    )
)
_PREFIXES = tuple(
    p.split()
    for p in (
        "EFTPOS PURCHASE",
        "EFTPOS",
        "POS PURCHASE",
        "POS DEBIT",
        "POS",
        "VISA DEBIT PURCHASE",
        "VISA PURCHASE",
        "VISA DEBIT",
        "MASTERCARD PURCHASE",
        "DEBIT CARD PURCHASE",
        "DEBIT CARD PAYMENT",
        "DEBIT CARD",
        "CARD PAYMENT TO",
        "CARD PAYMENT",
        "CARD PURCHASE",
        "CONTACTLESS PAYMENT",
        "CONTACTLESS",
        "PURCHASE AUTHORIZED ON",
        "PURCHASE AUTHORISED ON",
        "ONLINE PURCHASE",
        "INTERNATIONAL PURCHASE",
        "PURCHASE",
        "CHECKCARD",
        "CHECK CARD",
        "DIRECT DEBIT PAYMENT TO",
        "DIRECT DEBIT TO",
        "DIRECT DEBIT",
        "DD",
        "RECURRING PAYMENT",
        "RECURRING",
        "PREAUTHORIZED DEBIT",
        "ACH DEBIT",
        "ACH",
        "BILL PAYMENT TO",
        "BILL PAYMENT",
        "BPAY",
        "PAYMENT TO",
        "FASTER PAYMENT TO",
        "STANDING ORDER TO",
        "APPLE PAY",
        "GOOGLE PAY",
        "VISA",
    )
)
_PREFIXES_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _prefix in _PREFIXES:  # longest first under each first word
    _PREFIXES_BY_FIRST[_prefix[0]] = tuple(
        sorted((*_PREFIXES_BY_FIRST.get(_prefix[0], ()), tuple(_prefix)), key=len, reverse=True)
    )
# Payment processors written before the merchant: "SQ *BLUE BOTTLE".
_PROCESSOR = re.compile(
    r"^(?:SQ|SQU|TST|PAYPAL|PP|SP|SMP|ZLR|IZ|IZETTLE|SUMUP|LS|GOOGLE|WPY|PY|FS|EB)\s?\*\s*"
)
_DOMAIN = re.compile(
    r"(?:^|(?<=\s))(?:WWW\.)?((?:[A-Z0-9-]+\.)*?)([A-Z0-9][A-Z0-9-]*)"
    r"\.(?:COM|NET|ORG|CO|IO|TV|APP)(?:\.[A-Z]{2})?(?:/\S*)?(?=\s|$)"
)
_AU_STATES = "NSW VIC QLD SA WA TAS NT ACT"
_US_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
    "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WV WI WY DC"
)
_STATES = frozenset(f"{_AU_STATES} {_US_STATES}".split())
_COUNTRIES = frozenset(
    [
        "AU",
        "AUS",
        "AUSTRALIA",
        "GB",
        "GBR",
        "UK",
        "US",
        "USA",
        "NZ",
        "NZL",
        "IE",
        "IRL",
        "CAN",
        "SG",
        "SGP",
        "HK",
        "DE",
        "DEU",
        "FR",
        "FRA",
        "NL",
        "NLD",
    ]
)
_SUFFIXES = frozenset(
    [
        "PTY",
        "LTD",
        "LTD.",
        "LIMITED",
        "P/L",
        "INC",
        "INC.",
        "LLC",
        "CORP",
        "CORPORATION",
        "PLC",
        "STORE",
    ]
)
_DANGLING = frozenset(["ON", "AT", "TO", "FROM", "VIA", "FOR", "-", "&", "AND"])
_KEEP_BEFORE_PLACE = frozenset(["OF", "&", "AND", "THE"])  # "BANK OF MELBOURNE" stays
_PLACE_NAMES = (
    "SYDNEY|NORTH SYDNEY|MELBOURNE|BRISBANE|PERTH|ADELAIDE|HOBART|DARWIN|CANBERRA|"
    "PARRAMATTA|CHATSWOOD|BONDI|BONDI JUNCTION|SURRY HILLS|NEWTOWN|MOSMAN|MANLY|"
    "ALEXANDRIA|RANDWICK|GLEBE|BALMAIN|PADDINGTON|HAYMARKET|ULTIMO|PYRMONT|RICHMOND|"
    "FITZROY|CARLTON|SOUTH YARRA|ST KILDA|FOOTSCRAY|DOCKLANDS|SOUTHBANK|FORTITUDE VALLEY|"
    "SOUTH BRISBANE|GOLD COAST|SURFERS PARADISE|NEWCASTLE|WOLLONGONG|GEELONG|CAIRNS|"
    "TOWNSVILLE|FREMANTLE|LONDON|MANCHESTER|BIRMINGHAM|LEEDS|GLASGOW|EDINBURGH|BRISTOL|"
    "LIVERPOOL|CARDIFF|NEW YORK|BROOKLYN|SAN FRANCISCO|LOS ANGELES|SEATTLE|CHICAGO|BOSTON|"
    "AUSTIN|DENVER|MIAMI|MINNEAPOLIS|PORTLAND|ATLANTA|HOUSTON|DALLAS|AUCKLAND|WELLINGTON|DUBLIN|"
    "SINGAPORE|HONG KONG"
)
# Longest first, so "NORTH SYDNEY" goes before "SYDNEY" is tried.
_KNOWN_PLACES = tuple(
    sorted((tuple(p.split()) for p in _PLACE_NAMES.split("|")), key=len, reverse=True)
)
_ALIASES = {"AMZN MKTP": "AMAZON MARKETPLACE", "AMZN": "AMAZON", "AMZN PRIME": "AMAZON PRIME"}
# Store, terminal and reference numbers as whole tokens: no letter and a digit, or three
# digits or more (a name such as 7-ELEVEN or 3M keeps its digit).
_NUMBER_LIKE = re.compile(
    r"(?<!\S)(?:[^\sA-Z]*\d[^\sA-Z]*|[^\s\d]*\d[^\s\d]*\d[^\s\d]*\d\S*)(?!\S)"
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_EDGE_PUNCT = "-*#:;,.()[]{}'\"/\\|_+"


def clean_payee(raw: str) -> str:
    """The merchant name in `raw`, in title case (see the module docstring)."""
    # Every step treats all ASCII digits alike, so lines that differ only in their numbers
    # (store, card, date) can share one cleaning: first with every digit masked, which
    # answers when the result holds no digit; else with only the runs of three digits or
    # more masked, which never survive (a token holding them is a number), so the
    # answer is exact while a name such as 7-ELEVEN keeps its own digit.
    masked = raw.translate(_MASK_DIGITS)
    if masked == raw:
        return _clean(raw)
    shared = _clean(masked)
    if "0" not in shared:
        return shared
    exact = _clean(_LONG_NUMBER.sub(lambda m: "0" * len(m[0]), raw))
    return _clean(raw) if "000" in exact else exact  # all noise: the line itself


_MASK_DIGITS = str.maketrans("123456789", "000000000")
_LONG_NUMBER = re.compile(r"[0-9]{3,}")


@lru_cache(maxsize=65_536)
def _clean(raw: str) -> str:
    text = raw
    for _ in range(10):  # a fixpoint, so that cleaning is idempotent
        cleaned = _step(text)
        if cleaned == text:
            break
        text = cleaned
    return text


@lru_cache(maxsize=65_536)
def _step(text: str) -> str:
    upper = text.upper()
    tokens = _strip(upper)
    if not tokens:  # everything was noise: keep the input rather than nothing
        return _title(" ".join(upper.split()))
    return _title(" ".join(tokens))


def _strip(upper: str) -> tuple[str, ...]:
    return _strip_words(_strip_noise(upper))


def _strip_noise(upper: str) -> str:
    """What differs from line to line (numbers, dates, cards): removed by a few regexes,
    so that the word-level work after it is shared by many lines (`_strip_words`)."""
    text = _drop_location_fields(upper)
    text = _PROCESSOR.sub("", text.strip())
    text = _NOISE.sub(" ", text)
    text = _DOMAIN.sub(_domain_name, text)
    text = _asterisks(text)
    return " ".join(t for t in _NUMBER_LIKE.sub(" ", text).split())


@lru_cache(maxsize=65_536)
def _strip_words(text: str) -> tuple[str, ...]:
    tokens = [t.strip(_EDGE_PUNCT) for t in text.split()]
    tokens = [t for t in tokens if t and not _is_number_like(t)]
    tokens = _drop_prefixes(tokens)
    tokens = _drop_trailing(tokens)
    joined = " ".join(tokens)
    return tuple(_ALIASES.get(joined, joined).split())


def _drop_location_fields(upper: str) -> str:
    """Fixed-width exports pad the merchant, city and country into columns: a last column
    that is a state or country code goes, and the city column before it."""
    fields = [f.strip() for f in re.split(r"\s{2,}|\t", upper.strip()) if f.strip()]
    if len(fields) < 2:
        return upper
    last = fields[-1].split()
    if last and (last[-1] in _STATES or last[-1] in _COUNTRIES):
        fields.pop()
        if len(last) == 1 and len(fields) >= 2 and len(fields[-1].split()) <= 3:
            fields.pop()  # the city column before a lone code column
    return " ".join(fields)


def _domain_name(match: re.Match[str]) -> str:
    """A web address names the merchant when it leads the line (NETFLIX.COM); after the
    merchant it is a help address (HELP.UBER.COM) and goes."""
    return match[2] if match.start() == 0 else " "


def _asterisks(text: str) -> str:
    """`MERCHANT*REF123` keeps the merchant; `UBER *EATS` keeps both words."""
    parts = text.split("*")
    kept = [parts[0], *(p for p in parts[1:] if not any(c.isdigit() for c in p))]
    return " ".join(kept)


def _is_number_like(token: str) -> bool:
    """As `_NUMBER_LIKE`, for tokens once their edge punctuation is gone."""
    if token.isalpha():
        return False
    digits = sum(map(str.isdigit, token))
    return digits >= 3 or (digits > 0 and not any(map(str.isalpha, token)))


def _drop_prefixes(tokens: list[str]) -> list[str]:
    while tokens:
        for prefix in _PREFIXES_BY_FIRST.get(tokens[0], ()):
            n = len(prefix)
            if len(tokens) > n and tuple(tokens[:n]) == prefix:
                tokens = tokens[n:]
                break
        else:
            return tokens
    return tokens


def _drop_trailing(tokens: list[str]) -> list[str]:
    """Locations, company suffixes and dangling words at the end, until none is left."""
    while len(tokens) > 1:
        last = tokens[-1]
        if last in _STATES or last in _COUNTRIES or last in _SUFFIXES or last in _DANGLING:
            tokens = tokens[:-1]
            continue
        place = _trailing_place(tokens)
        if place == 0:
            break
        tokens = tokens[:-place]
    while tokens and tokens[-1] in _DANGLING:
        tokens = tokens[:-1]
    return tokens


def _trailing_place(tokens: list[str]) -> int:
    """How many tokens at the end name a known place (0: none), leaving a name before it
    that does not end in "OF", "&", "AND" or "THE"."""
    for place in _KNOWN_PLACES:
        n = len(place)
        fits = len(tokens) > n and tuple(tokens[-n:]) == place
        if fits and tokens[-n - 1] not in _KEEP_BEFORE_PLACE:
            return n
    return 0


def _title(text: str) -> str:
    return _WORD.sub(lambda m: m[0][0].upper() + m[0][1:].lower(), text)
