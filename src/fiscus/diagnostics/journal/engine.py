"""Journal-entry testing: every test over the entries, the flagged entries scored, the
summary per test and the population's statistics. Pure Python on the lines read; the
answer is a dict of Decimals, dates and strings (rendered by `schemas.dumps`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fiscus.diagnostics.journal import amounts, integrity, patterns, timing
from fiscus.diagnostics.journal.benford import benford
from fiscus.diagnostics.journal.holidays import holidays_for
from fiscus.diagnostics.journal.lines import ZERO, Entry, JournalLine, group_entries
from fiscus.diagnostics.journal.options import JournalOptions
from fiscus.diagnostics.journal.page import EntriesPage
from fiscus.diagnostics.journal.scoring import TESTS, Flag, flag, score, strongest

Found = list[tuple[Entry, Flag]]
_CENT = Decimal("0.01")
_LABELS = {
    "unbalanced_entry": "Unbalanced entry",
    "weekend_posting": "Weekend posting",
    "public_holiday_posting": "Public-holiday posting",
    "after_hours_posting": "After-hours posting",
    "round_amount": "Round amount",
    "just_below_threshold": "Just below the approval threshold",
    "duplicate_lines": "Duplicate lines",
    "duplicate_amount_description": "Duplicate amount and description",
    "rare_account": "Rarely used account",
    "post_period_end": "After the period end",
    "suspicious_keyword": "Suspicious description",
    "material_amount": "Material amount",
}


def _holidays(lines: Sequence[JournalLine], options: JournalOptions) -> dict[date, str]:
    if options.holidays is not None:
        return dict.fromkeys(options.holidays, "Holiday (from the request)")
    return holidays_for(line.date.year for line in lines)


def _run(
    entries: Sequence[Entry], lines: Sequence[JournalLine], options: JournalOptions, has_time: bool
) -> tuple[dict[str, Found | str], list[str], dict[date, str]]:
    """Each test's findings, or the reason it did not run; the rare accounts; the
    holidays used."""
    holidays = _holidays(lines, options)
    rare, rare_accounts = patterns.rare_accounts(entries)
    results: dict[str, Found | str] = {
        "unbalanced_entry": integrity.unbalanced(entries),
        "weekend_posting": timing.weekend(entries),
        "public_holiday_posting": timing.public_holidays(entries, holidays),
        "after_hours_posting": timing.after_hours(entries, options.business_hours)
        if has_time
        else "The file has no posting times.",
        "round_amount": amounts.round_amounts(entries),
        "just_below_threshold": amounts.just_below(entries, options.threshold)
        if options.threshold is not None
        else "No threshold was given.",
        "duplicate_lines": patterns.duplicate_lines(entries),
        "duplicate_amount_description": patterns.duplicate_descriptions(entries),
        "rare_account": rare
        if len(entries) >= patterns.RARE_MIN_POPULATION
        else f"Fewer than {patterns.RARE_MIN_POPULATION} entries: every account would be rare.",
        "post_period_end": timing.post_period_end(entries, options.period_end)
        if options.period_end is not None
        else "No period_end was given.",
        "suspicious_keyword": patterns.keywords(entries),
    }
    return results, rare_accounts, holidays


def _summary(results: dict[str, Found | str]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for code in TESTS:
        found = results[code]
        if isinstance(found, str):
            summary[code] = {
                "status": "not_run",
                "reason": found,
                "entries": 0,
                "lines": 0,
                "amount": ZERO,
            }
            continue
        summary[code] = {
            "status": "run",
            "reason": None,
            "entries": len({entry.number for entry, _ in found}),
            "lines": len({n for _, f in found for n in f.line_nos}),
            "amount": sum((entry.size for entry, _ in found), ZERO),
        }
    return summary


def _line(line: JournalLine) -> dict[str, Any]:
    return {
        "line_no": line.line_no,
        "date": line.date,
        "time": line.time,
        "account": line.account,
        "account_name": line.account_name,
        "description": line.description,
        "debit": line.debit,
        "credit": line.credit,
        "user": line.user,
    }


def _entry(entry: Entry, flags: list[Flag], materiality: Decimal | None) -> dict[str, Any]:
    material = materiality is not None and entry.size >= materiality
    if material:
        flags = [
            *flags,
            flag("material_amount", f"Moves {entry.size}, at least materiality {materiality}."),
        ]
    value = score(flags)
    reasons = " ".join(f"{_LABELS[f.code]} ({f.weight}): {f.detail}" for f in flags)
    return {
        "entry": entry.number,
        "date": entry.date,
        "users": list(entry.users),
        "total_debits": entry.total_debits,
        "total_credits": entry.total_credits,
        "score": value,
        "material": material,
        "flags": [
            {"code": f.code, "weight": f.weight, "detail": f.detail, "line_nos": list(f.line_nos)}
            for f in flags
        ],
        "explanation": f"Score {value}. {reasons}",
        "lines": [_line(line) for line in entry.lines],
    }


def _flagged(results: dict[str, Found | str], options: JournalOptions) -> list[dict[str, Any]]:
    by_entry: dict[str, tuple[Entry, list[Flag]]] = {}
    for found in results.values():
        if isinstance(found, str):
            continue
        for entry, item in found:
            by_entry.setdefault(entry.number, (entry, []))[1].append(item)
    bodies = [_entry(e, strongest(flags), options.materiality) for e, flags in by_entry.values()]
    return sorted(bodies, key=lambda b: (-b["score"], b["date"], b["entry"]))


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return ((ordered[middle - 1] + ordered[middle]) / 2).quantize(_CENT, rounding=ROUND_HALF_UP)


def _population(entries: Sequence[Entry], lines: Sequence[JournalLine]) -> dict[str, Any]:
    debits = sum((line.debit for line in lines), ZERO)
    credits = sum((line.credit for line in lines), ZERO)
    sizes = [line.amount for line in lines]
    users: dict[str, list[int]] = {}
    for entry in entries:
        for user in entry.users:
            users.setdefault(user, [0, 0])[0] += 1
    for line in lines:
        if line.user:
            users[line.user][1] += 1
    return {
        "lines": len(lines),
        "entries": len(entries),
        "accounts": len({line.account for line in lines}),
        "first_date": min(line.date for line in lines),
        "last_date": max(line.date for line in lines),
        "total_debits": debits,
        "total_credits": credits,
        "difference": debits - credits,
        "balanced": debits == credits,
        "line_amounts": {
            "smallest": min(sizes),
            "largest": max(sizes),
            "mean": (sum(sizes, ZERO) / len(sizes)).quantize(_CENT, rounding=ROUND_HALF_UP),
            "median": _median(sizes),
        },
        "lines_per_entry": (Decimal(len(lines)) / len(entries)).quantize(
            _CENT, rounding=ROUND_HALF_UP
        ),
        "users": [
            {"user": user, "entries": counts[0], "lines": counts[1]}
            for user, counts in sorted(users.items(), key=lambda kv: (-kv[1][1], kv[0]))[:50]
        ],
    }


def _totals(flagged: list[dict[str, Any]], entries: Sequence[Entry]) -> dict[str, Any]:
    by_number = {entry.number: entry for entry in entries}
    flagged_amount = sum((by_number[b["entry"]].size for b in flagged), ZERO)
    share = Decimal(len(flagged)) / len(entries)
    return {
        "flagged_entries": len(flagged),
        "flagged_lines": sum(len(b["lines"]) for b in flagged),
        "flagged_amount": flagged_amount,
        "flagged_share": share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        "high_score_entries": sum(1 for b in flagged if b["score"] >= 50),
    }


def run_tests(
    lines: tuple[JournalLine, ...],
    options: JournalOptions,
    *,
    has_time: bool,
    page: EntriesPage = EntriesPage(),
) -> dict[str, Any]:
    """The journal-entry testing answer for `lines` (at least one); `entries[]` is the
    page asked for, everything else is of the whole ledger."""
    entries = group_entries(lines)
    results, rare_accounts, holidays = _run(entries, lines, options, has_time)
    flagged = _flagged(results, options)
    summary = _summary(results)
    gaps = integrity.gaps(entries)
    tests = benford(lines)
    summary["entry_number_gaps"] = {
        "status": gaps["status"],
        "reason": gaps["reason"],
        "missing": gaps["missing"],
    }
    summary["benford"] = {
        "status": tests["first_digit"]["status"],
        "mad": tests["first_digit"]["mad"],
    }
    return {
        "summary": summary,
        "totals": _totals(flagged, entries),
        "population": _population(entries, lines),
        "entries": page.cut(flagged),
        "entries_page": page.describe(len(flagged)),
        "gaps": gaps,
        "benford": tests,
        "rare_accounts": rare_accounts,
        "holidays": [{"date": day, "name": name} for day, name in sorted(holidays.items())],
    }
