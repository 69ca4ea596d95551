"""Pattern tests: duplicates, rarely used accounts and suspicious descriptions.

- Duplicate lines: lines of different entries with the same account, the same signed
  amount and the same date; every entry involved is flagged.
- Duplicate amount and description: lines of different entries with the same signed
  amount and the same description (case, spacing and punctuation ignored; blank
  descriptions never match), dated at most 7 days apart (a re-keyed entry; the same
  monthly charge a month later is not one).
- Rare account: an account used by at most 2 entries, or by fewer than 0.1 % of the
  lines; run only on a population of at least 50 entries (in a smaller file every
  account is rare).
- Suspicious keyword: a line description containing a word of an adjustment or an
  override (`KEYWORDS`, whole words, case ignored).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from decimal import Decimal

from fiscus.diagnostics.journal.lines import Entry, JournalLine
from fiscus.diagnostics.journal.scoring import Flag, flag

DUPLICATE_WINDOW_DAYS = 7
RARE_MAX_ENTRIES = 2
RARE_LINE_SHARE = Decimal("0.001")
RARE_MIN_POPULATION = 50
KEYWORDS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "adjust": r"\badjust(?:s|ed|ing|ments?)?\b",
        "reverse": r"\brevers(?:e|ed|es|ing|als?)\b",
        "plug": r"\bplug(?:s|ged|ging)?\b",
        "write off": r"\b(?:write|writes|writing|written|wrote)[\s-]?offs?\b|\bw/o\b",
        "per executive": r"\bper\s+(?:the\s+)?(?:ceo|cfo|coo|md|managing director|director|"
        r"owner|boss|chairman|partner|president)\b",
        "error": r"\berrors?\b|\berroneous\b|\bmistakes?\b",
        "correction": r"\bcorrect(?:s|ed|ing|ions?)\b",
        "manual": r"\bmanual(?:ly)?\b",
        "override": r"\boverrid(?:e|es|den|ing)\b",
        "top-side": r"\btop[\s-]?side\b",
        "balancing": r"\bto balance\b|\bbalancing (?:entry|figure|item)\b",
    }.items()
}
_ANY_KEYWORD = re.compile("|".join(f"(?:{p.pattern})" for p in KEYWORDS.values()), re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")


def _entries_by(lines: dict[tuple[object, ...], list[JournalLine]]) -> list[list[JournalLine]]:
    return [group for group in lines.values() if len({line.entry for line in group}) > 1]


def duplicate_lines(entries: Sequence[Entry]) -> list[tuple[Entry, Flag]]:
    groups: dict[tuple[object, ...], list[JournalLine]] = {}
    for entry in entries:
        for line in entry.lines:
            groups.setdefault((line.account, line.net, line.date), []).append(line)
    return _flag_groups(entries, _entries_by(groups), "duplicate_lines", "account, amount and date")


def _normal(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


def duplicate_descriptions(entries: Sequence[Entry]) -> list[tuple[Entry, Flag]]:
    groups: dict[tuple[object, ...], list[JournalLine]] = {}
    for entry in entries:
        for line in entry.lines:
            text = _normal(line.description)
            if text:
                groups.setdefault((text, line.net), []).append(line)
    close = []
    for group in _entries_by(groups):
        near = _near_another_entry(group)
        if len({line.entry for line in near}) > 1:
            close.append(near)
    return _flag_groups(entries, close, "duplicate_amount_description", "amount and description")


def _near_another_entry(group: list[JournalLine]) -> list[JournalLine]:
    """The lines with a line of another entry at most the window's days away: the lines
    sorted by date, each one's window found by bisection (a monthly charge repeated all
    year is one group of hundreds of lines, never compared pair by pair)."""
    ordered = sorted(group, key=lambda line: line.date)
    days = [line.date.toordinal() for line in ordered]
    per_entry: dict[str, int] = {}
    for line in ordered:
        per_entry[line.entry] = per_entry.get(line.entry, 0) + 1
    near = []
    for line, day in zip(ordered, days, strict=True):
        lo = bisect.bisect_left(days, day - DUPLICATE_WINDOW_DAYS)
        hi = bisect.bisect_right(days, day + DUPLICATE_WINDOW_DAYS)
        # More lines in the window than the entry has at all: another entry is there.
        if hi - lo > per_entry[line.entry] or any(
            other.entry != line.entry for other in ordered[lo:hi]
        ):
            near.append(line)
    return near


def _flag_groups(
    entries: Sequence[Entry], groups: list[list[JournalLine]], code: str, what: str
) -> list[tuple[Entry, Flag]]:
    by_number = {entry.number: entry for entry in entries}
    hits: dict[str, list[tuple[JournalLine, list[str]]]] = {}
    for group in groups:
        numbers = list(dict.fromkeys(line.entry for line in group))
        for line in group:
            others = [n for n in numbers if n != line.entry]
            hits.setdefault(line.entry, []).append((line, others))
    found = []
    for number, matches in hits.items():
        others = sorted({o for _, ns in matches for o in ns})
        line = matches[0][0]
        detail = (
            f"Same {what} as entr{'ies' if len(others) > 1 else 'y'} {', '.join(others[:10])}"
            f" (account {line.account}, {line.amount} on {line.date.isoformat()})."
        )
        found.append((by_number[number], flag(code, detail, (m.line_no for m, _ in matches))))
    return found


def rare_accounts(entries: Sequence[Entry]) -> tuple[list[tuple[Entry, Flag]], list[str]]:
    """The flags, and the rare accounts."""
    if len(entries) < RARE_MIN_POPULATION:
        return [], []
    users: dict[str, set[str]] = {}
    line_counts: dict[str, int] = {}
    total_lines = 0
    for entry in entries:
        for line in entry.lines:
            users.setdefault(line.account, set()).add(entry.number)
            line_counts[line.account] = line_counts.get(line.account, 0) + 1
            total_lines += 1
    rare = {
        account
        for account, used_by in users.items()
        if len(used_by) <= RARE_MAX_ENTRIES
        or Decimal(line_counts[account]) < RARE_LINE_SHARE * total_lines
    }
    found = []
    for entry in entries:
        lines = [line for line in entry.lines if line.account in rare]
        if lines:
            named = ", ".join(
                f"{line.account_name} (used by {len(users[line.account])} entr"
                f"{'ies' if len(users[line.account]) > 1 else 'y'})"
                for line in {line.account: line for line in lines}.values()
            )
            found.append(
                (
                    entry,
                    flag(
                        "rare_account",
                        f"Rarely used account: {named}.",
                        (ln.line_no for ln in lines),
                    ),
                )
            )
    return found, sorted(rare)


def _keywords_of(text: str) -> list[str]:
    if not _ANY_KEYWORD.search(text):  # one search rules out most descriptions
        return []
    return [name for name, pattern in KEYWORDS.items() if pattern.search(text)]


def keywords(entries: Sequence[Entry]) -> list[tuple[Entry, Flag]]:
    found = []
    seen: dict[str, list[str]] = {}
    for entry in entries:
        words: dict[str, None] = {}
        lines = []
        for line in entry.lines:
            hits = seen.get(line.description)
            if hits is None:
                hits = seen[line.description] = _keywords_of(line.description)
            if hits:
                words.update(dict.fromkeys(hits))
                lines.append(line.line_no)
        if words:
            detail = f"Description names {', '.join(repr(w) for w in words)}."
            found.append((entry, flag("suspicious_keyword", detail, lines)))
    return found
