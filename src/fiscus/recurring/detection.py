"""Finding recurring series in a tenant's movements. Pure: no database, no clock.

1. Movements are grouped by account, currency, direction and *cleaned payee* (lower
   case, digits and bank noise words stripped); payees that are near-identical
   (rapidfuzz token-sort ratio >= 90) share a group.
2. Each group is split into amount bands (amounts within 10 %, at least 1.00, of their
   neighbour), processed oldest band first.
3. In a band, each movement (newest first) is tried as the latest payment of a chain:
   stepping back one period at a time on every cadence, the closest unused movement
   within the cadence's date tolerance extends the chain; the longest chain that has the
   cadence's minimum count wins and its movements are used up.
4. A chain is extended forwards with later movements of the same group at the expected
   dates even when their amount left the band (a price change), as long as the amount
   stays within half to double of the last one.
5. The expected next date comes from the best-fitting anchor (day of month, or day
   offset), the expected amount is the median of the recent payments, or the latest one
   after a price change.

The result does not depend on the order of the input (it is sorted first).
"""

from __future__ import annotations

import re
import statistics
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz import fuzz

from fiscus.recurring.cadence import CADENCES, Cadence, add_months, step

SIMILAR_PAYEE = 90
BAND_PERCENT = 10
BAND_MINIMUM = 100  # minor units
RECENT = 6
FIT = 12
ENDED_AFTER = 3  # periods without a payment after which a series counts as ended
CHANCE = 0.05  # chains likelier than this to arise from the band's noise are refused
_NOISE = frozenset(
    [
        "pos",
        "eftpos",
        "visa",
        "mastercard",
        "mc",
        "debit",
        "credit",
        "card",
        "purchase",
        "payment",
        "ref",
        "txn",
        "direct",
        "dd",
        "tap",
        "contactless",
        "online",
        "www",
        "com",
        "au",
        "aus",
        "pty",
        "ltd",
        "inc",
        "llc",
        "sq",
        "sp",
        "paypal",
    ]
)
_NON_LETTERS = re.compile(r"[^a-z]+")


@dataclass(frozen=True, slots=True)
class Movement:
    """One transaction as seen from its balance-sheet account (money in positive)."""

    id: uuid.UUID
    on: date
    payee: str
    amount: int  # minor units
    account_id: uuid.UUID
    currency: str
    category_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class DetectedSeries:
    payee_key: str
    payee: str
    account_id: uuid.UUID
    currency: str
    category_id: uuid.UUID | None
    cadence: str
    anchor: int | None  # day of month (month-based cadences)
    occurrences: tuple[Movement, ...]  # oldest first
    next_on: date
    amount: int  # expected next amount, minor units, signed
    amount_changed: bool
    previous_amount: int | None
    amount_spread: int  # population standard deviation of recent amounts, minor units
    confidence: Decimal  # 0.00 .. 1.00


def clean_payee(text: str) -> str:
    """'POS 1234 NETFLIX.COM 0423' -> 'netflix'."""
    words = _NON_LETTERS.sub(" ", text.lower()).split()
    return " ".join(w for w in words if w not in _NOISE and len(w) > 1)


def detect(movements: Iterable[Movement], *, as_of: date | None = None) -> list[DetectedSeries]:
    """Every series found among `movements` that is still running on `as_of` (default:
    the latest movement's date), ordered by payee key then account. A series whose last
    payment is more than three periods (plus the tolerance) before `as_of` has ended and
    is not reported: old coincidences in busy shops look like series too."""
    ordered = sorted(movements, key=lambda m: (m.on, str(m.id)))
    if not ordered:
        return []
    now = as_of or ordered[-1].on
    found: list[DetectedSeries] = []
    for group in _payee_groups(ordered):
        found.extend(_series_of_group(group, now))
    return sorted(found, key=lambda s: (s.payee_key, str(s.account_id), s.next_on, s.amount))


def _payee_groups(movements: Sequence[Movement]) -> list[list[Movement]]:
    by_key: dict[tuple[uuid.UUID, str, bool, str], list[Movement]] = {}
    for movement in movements:
        key = clean_payee(movement.payee)
        if key and movement.amount:
            scope = (movement.account_id, movement.currency, movement.amount > 0, key)
            by_key.setdefault(scope, []).append(movement)
    merged: dict[tuple[uuid.UUID, str, bool, str], list[Movement]] = {}
    for scope in sorted(by_key, key=lambda s: (str(s[0]), s[1], s[2], s[3])):
        home = next(
            (
                other
                for other in merged
                if other[:3] == scope[:3]
                and fuzz.token_sort_ratio(other[3], scope[3]) >= SIMILAR_PAYEE
            ),
            scope,
        )
        merged.setdefault(home, []).extend(by_key[scope])
    return [sorted(rows, key=lambda m: (m.on, str(m.id))) for rows in merged.values()]


def in_band(reference: int, amount: int) -> bool:
    """`amount` is within the amount tolerance of `reference` (same sign assumed)."""
    allowed = max(abs(reference) * BAND_PERCENT // 100, BAND_MINIMUM)
    return abs(abs(amount) - abs(reference)) <= allowed


def _bands(group: Sequence[Movement]) -> list[list[Movement]]:
    """Amounts within the tolerance of their band's smallest one (so a band never drifts
    across a wide range of amounts the way neighbour-to-neighbour linking would)."""
    by_size = sorted(group, key=lambda m: (abs(m.amount), m.on, str(m.id)))
    bands: list[list[Movement]] = []
    for movement in by_size:
        if bands and in_band(bands[-1][0].amount, movement.amount):
            bands[-1].append(movement)
        else:
            bands.append([movement])
    for band in bands:
        band.sort(key=lambda m: (m.on, str(m.id)))
    return sorted(bands, key=lambda b: (b[0].on, str(b[0].id)))


class _Pool:
    """Movements sorted by date, searchable by a date window."""

    def __init__(self, movements: list[Movement]) -> None:
        self.movements = movements  # already sorted by (date, id)
        self.dates = [m.on for m in movements]

    def near(self, expected: date, tolerance: int, taken: set[uuid.UUID]) -> Movement | None:
        """The unused movement closest to `expected` within `tolerance` days."""
        low = bisect_left(self.dates, expected - timedelta(days=tolerance))
        high = bisect_right(self.dates, expected + timedelta(days=tolerance))
        near = [m for m in self.movements[low:high] if m.id not in taken]
        if not near:
            return None
        return min(near, key=lambda m: (abs((m.on - expected).days), m.on, str(m.id)))

    def between(self, first: date, last: date) -> int:
        return bisect_right(self.dates, last) - bisect_left(self.dates, first)


def _series_of_group(group: list[Movement], now: date) -> list[DetectedSeries]:
    used: set[uuid.UUID] = set()
    found: list[DetectedSeries] = []
    everything = _Pool(group)
    for band in _bands(group):
        while True:
            pool = _Pool([m for m in band if m.id not in used])
            best = _best_chain(pool, everything)
            if best is None:
                break
            cadence, chain = best
            chain = _extend(cadence, chain, _Pool([m for m in group if m.id not in used]))
            ended = step(cadence, chain[-1].on, ENDED_AFTER) + timedelta(days=cadence.tolerance)
            if now > ended:
                break  # the band's newest series has ended; older chains end earlier still
            used.update(m.id for m in chain)
            found.append(_describe(cadence, chain, group))
    return found


def _best_chain(pool: _Pool, group: _Pool) -> tuple[Cadence, list[Movement]] | None:
    """The longest regular chain ending at the newest movement that has one, unless the
    band's other movements are so frequent that chance alone would make such a chain
    (a café or a supermarket visited every few days is spending, not a series). At a
    payee visited more often than the chain (a shop that also bills a membership), the
    chain's amounts must be identical."""
    for latest in reversed(pool.movements):
        best: tuple[Cadence, list[Movement]] | None = None
        for cadence in CADENCES.values():
            chain = _chain_back(cadence, latest, pool)
            if len(chain) < cadence.min_count or (best is not None and len(chain) <= len(best[1])):
                continue
            busy = group.between(chain[0].on, chain[-1].on) - len(chain) > len(chain)
            if busy and len({m.amount for m in chain}) > 1:
                continue
            if _by_chance(cadence, chain, pool) <= CHANCE:
                best = (cadence, chain)
        if best is not None:
            return best
    return None


def _by_chance(cadence: Cadence, chain: list[Movement], pool: _Pool) -> float:
    """How likely the band's other movements, spread at random over its time span, would
    put one in each of the chain's date windows after the first."""
    others = len(pool.movements) - len(chain)
    if others <= 0:
        return 0.0
    span = (pool.dates[-1] - pool.dates[0]).days + 1
    window = min(1.0, others / span * (2 * cadence.tolerance + 1))
    return float(window ** (len(chain) - 1))


def _chain_back(cadence: Cadence, latest: Movement, pool: _Pool) -> list[Movement]:
    """`latest` and the payments one, two, ... periods before it (stops at a gap)."""
    chain, taken = [latest], {latest.id}
    count = 1
    while True:
        expected = step(cadence, latest.on, -count)
        match = pool.near(expected, cadence.tolerance, taken)
        if match is None or match.on >= chain[0].on:
            return chain
        chain.insert(0, match)
        taken.add(match.id)
        count += 1


def _extend(cadence: Cadence, chain: list[Movement], group: _Pool) -> list[Movement]:
    """Later payments at the expected dates whose amount changed (a price rise or cut):
    within half to double the last amount."""
    chain = list(chain)
    taken = {m.id for m in chain}
    while True:
        last = chain[-1]
        taken_or_off = taken | {
            m.id
            for m in group.movements
            if not abs(last.amount) <= 2 * abs(m.amount) <= 4 * abs(last.amount)
        }
        match = group.near(step(cadence, last.on, 1), cadence.tolerance, taken_or_off)
        if match is None or match.on <= last.on:
            return chain
        chain.append(match)
        taken.add(match.id)


def _describe(cadence: Cadence, chain: list[Movement], group: list[Movement]) -> DetectedSeries:
    anchor, nominal_last = _fit(cadence, chain)
    amounts = [m.amount for m in chain]
    changed, previous = _amount_change(amounts)
    recent = amounts[-RECENT:]
    expected = amounts[-1] if changed else statistics.median_low(recent)
    spread = round(statistics.pstdev(recent)) if len(recent) > 1 else 0
    payees = [m.payee for m in chain]
    categories = [m.category_id for m in chain if m.category_id is not None]
    return DetectedSeries(
        payee_key=clean_payee(chain[-1].payee),
        payee=max(sorted(set(payees)), key=payees.count),
        account_id=chain[-1].account_id,
        currency=chain[-1].currency,
        category_id=_most_common(categories),
        cadence=cadence.name,
        anchor=anchor,
        occurrences=tuple(chain),
        next_on=step(cadence, nominal_last, 1, anchor),
        amount=expected,
        amount_changed=changed,
        previous_amount=previous,
        amount_spread=spread,
        confidence=_confidence(cadence, chain, nominal_last, anchor, amounts),
    )


def _most_common(values: list[uuid.UUID]) -> uuid.UUID | None:
    if not values:
        return None
    return max(sorted(set(values), key=str), key=values.count)


def _fit(cadence: Cadence, chain: list[Movement]) -> tuple[int | None, date]:
    """The schedule that fits the recent payments best: (anchor day, nominal date of the
    latest). Only the last FIT payments count: a schedule may drift over the years."""
    chain = chain[-FIT:]
    last = chain[-1].on
    periods = len(chain) - 1
    if not cadence.months:
        residuals = [
            (m.on + timedelta(days=cadence.days * (periods - i)) - last).days
            for i, m in enumerate(chain)
        ]
        return None, last + timedelta(days=statistics.median_low(residuals))
    best: tuple[int, int, int, date] | None = None  # cost, |shift|, anchor, nominal last
    for shift in (0, -1, 1):
        for anchor in range(1, 32):
            nominal = add_months(last.replace(day=1), shift, anchor)
            cost = sum(
                abs((m.on - step(cadence, nominal, i - periods, anchor)).days)
                for i, m in enumerate(chain)
            )
            candidate = (cost, abs(shift), anchor, nominal)
            if best is None or candidate[:3] < best[:3]:
                best = candidate
    assert best is not None
    return best[2], best[3]


def _amount_change(amounts: list[int]) -> tuple[bool, int | None]:
    """Did the latest amount move away from the stable amount before it?"""
    latest = amounts[-1]
    run = 1
    while run < len(amounts) and amounts[-run - 1] == latest:
        run += 1
    before = amounts[:-run]
    if len(before) >= 2 and len(set(before[-2:])) == 1:
        return True, before[-1]
    if before and not in_band(statistics.median_low(before), latest):
        return True, statistics.median_low(before)
    return False, None


def _confidence(
    cadence: Cadence,
    chain: list[Movement],
    nominal_last: date,
    anchor: int | None,
    amounts: list[int],
) -> Decimal:
    """Half from how many payments there are, a third from how close they fall to the
    schedule, the rest from how steady the amounts are."""
    periods = len(chain) - 1
    errors = [
        abs((m.on - step(cadence, nominal_last, i - periods, anchor)).days)
        for i, m in enumerate(chain)
    ]
    count_part = Decimal(min(len(chain), cadence.min_count + 3)) / (cadence.min_count + 3)
    timing = 1 - Decimal(sum(errors)) / (len(errors) * (cadence.tolerance + 1))
    reference = statistics.median_low(amounts)
    steady = Decimal(sum(1 for a in amounts if in_band(reference, a))) / len(amounts)
    score = count_part / 2 + timing / 3 + steady / 6
    return min(max(score, Decimal(0)), Decimal(1)).quantize(Decimal("0.01"), ROUND_HALF_UP)
