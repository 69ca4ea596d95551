"""Accuracy and speed of the per-tenant categorisation model (fiscus.insights).

Accuracy: builds a synthetic but realistic labelled set — two years of one household
with a sole-trader side business, Australian merchants written the way bank statements
write them (EFTPOS/VISA prefixes, card and store numbers, suburbs, dates, PayPal/Square
wrappers), several merchants per category, amounts with a realistic spread per merchant,
a few merchants that only appear in the second year, and ~2 % of labels the user got
"wrong" (inconsistent) — with a fixed seed. Trains on the first 60 % in time order,
incrementally, exactly as confirmations feed the model, and measures top-1 and top-3 on
the later 40 %, against two rules-only baselines on the same split: exact-payee memory
(the category last used for the same normalised text) and keyword rules a user would
write (one `contains` rule per merchant word seen at least twice, most frequent first).
Also prints the precision and coverage of auto-apply at confidence thresholds.

Speed: `--speed N` categorises N fresh lines through the model in memory (features and
scoring only). `--db N --backend postgres|sqlite` does it for real: a migrated database
(`fiscus_bench_categorise` on PostgreSQL, dropped first, or a temporary SQLite file), the
labelled history booked into its categories with the ledger's `bulk_post` (learned at
commit, as hand-categorised entries are), then N fresh lines booked on Uncategorised as
an import books them (timed, for the ratio), then `categorise` on all N ids in one unit
of work, commit included, as the import's commit job calls it.

    .venv/bin/python bench/bench_categorise.py [--seed 7] [--speed 100000]
    .venv/bin/python bench/bench_categorise.py --db 100000 --backend postgres
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fiscus.insights import features as ft
from fiscus.insights.model import ClassStats, Model

# category -> [(merchant raw names, typical amount, spread factor, visits per month)]
MERCHANTS: dict[str, list[tuple[list[str], float, float, float]]] = {
    "Groceries": [
        (["WOOLWORTHS", "WOOLWORTHS METRO"], 85, 0.6, 5),
        (["COLES", "COLES SUPERMARKETS"], 70, 0.6, 4),
        (["ALDI STORES", "ALDI"], 55, 0.5, 2),
        (["IGA X-PRESS", "IGA"], 25, 0.6, 1),
        (["HARRIS FARM MARKETS"], 45, 0.5, 0.7),
    ],
    "Dining out": [
        (["MCDONALDS", "MCDONALD'S"], 14, 0.5, 2),
        (["GUZMAN Y GOMEZ", "GYG"], 19, 0.3, 1),
        (["SQ *THE GROUNDS CAFE", "SQ *BEAN THERE COFFEE"], 9, 0.4, 4),
        (["UBER *EATS", "UBER EATS"], 38, 0.4, 1.5),
        (["DOMINOS PIZZA", "DOMINO'S"], 28, 0.3, 0.8),
        (["GRILL'D", "GRILLD"], 26, 0.3, 0.5),
    ],
    "Fuel": [
        (["BP", "BP EXPRESS"], 70, 0.3, 1.2),
        (["SHELL COLES EXPRESS", "COLES EXPRESS"], 68, 0.3, 1),
        (["AMPOL", "CALTEX"], 72, 0.3, 0.8),
        (["7-ELEVEN", "7 ELEVEN"], 60, 0.4, 0.6),
    ],
    "Transport": [
        (["TRANSPORTFORNSW OPAL", "OPAL TRAVEL"], 20, 0.4, 3),
        (["UBER *TRIP", "UBER TRIP HELP.UBER.COM"], 24, 0.5, 1),
        (["LINKT SYDNEY", "LINKT TOLLS"], 30, 0.4, 1),
        (["SECURE PARKING", "WILSON PARKING"], 18, 0.5, 0.6),
    ],
    "Utilities": [
        (["AGL SALES PTY LTD", "AGL ENERGY"], 180, 0.25, 0.33),
        (["ORIGIN ENERGY"], 95, 0.25, 0.33),
        (["SYDNEY WATER"], 120, 0.2, 0.33),
    ],
    "Phone & internet": [
        (["TELSTRA", "TELSTRA CORP"], 89, 0.05, 1),
        (["AUSSIE BROADBAND"], 99, 0.02, 1),
        (["OPTUS MOBILE", "OPTUS"], 45, 0.05, 1),
    ],
    "Subscriptions": [
        (["NETFLIX.COM", "PAYPAL *NETFLIX"], 22.99, 0.0, 1),
        (["SPOTIFY P1", "SPOTIFY"], 13.99, 0.0, 1),
        (["APPLE.COM/BILL", "APPLE.COM BILL"], 4.49, 0.5, 1),
        (["STAN.COM.AU", "STAN"], 12, 0.0, 1),
        (["DISNEY PLUS", "DISNEYPLUS"], 13.99, 0.0, 1),
    ],
    "Health": [
        (["CHEMIST WAREHOUSE"], 32, 0.6, 1),
        (["PRICELINE PHARMACY"], 24, 0.5, 0.4),
        (["BONDI JUNCTION MEDICAL", "HEALTHENGINE *DR"], 85, 0.3, 0.3),
        (["SMILE DENTAL CARE"], 220, 0.4, 0.1),
    ],
    "Insurance": [
        (["NRMA INSURANCE"], 110, 0.05, 1),
        (["MEDIBANK PRIVATE", "MEDIBANK"], 240, 0.02, 1),
        (["AAMI INSURANCE"], 65, 0.05, 1),
    ],
    "Shopping": [
        (["KMART", "KMART AUSTRALIA"], 45, 0.7, 1),
        (["TARGET AUSTRALIA", "TARGET"], 60, 0.6, 0.4),
        (["BIG W"], 50, 0.6, 0.4),
        (["JB HI FI", "JB HI-FI"], 140, 0.8, 0.3),
        (["AMAZON AU", "AMAZON MKTPLC"], 48, 0.7, 1),
        (["UNIQLO", "COTTON ON"], 60, 0.5, 0.4),
    ],
    "Home & garden": [
        (["BUNNINGS WAREHOUSE", "BUNNINGS"], 65, 0.8, 1),
        (["IKEA TEMPE", "IKEA"], 150, 0.7, 0.2),
        (["PETBARN"], 55, 0.4, 0.5),
    ],
    "Alcohol": [
        (["BWS", "BWS LIQUOR"], 38, 0.5, 1),
        (["DAN MURPHYS", "DAN MURPHY'S"], 65, 0.5, 0.6),
    ],
    "Fitness": [(["ANYTIME FITNESS"], 34.95, 0.0, 2), (["F45 TRAINING"], 65, 0.0, 0.5)],
    "Rent": [(["RAY WHITE RENTALS", "RENT RAY WHITE"], 1250, 0.0, 2.17)],
    "Bank fees": [(["MONTHLY ACCOUNT FEE", "INTL TRANSACTION FEE"], 5, 0.3, 1)],
    "Business software": [
        (["XERO AUSTRALIA", "XERO"], 65, 0.0, 1),
        (["ADOBE *CREATIVE CLOUD", "ADOBE SYSTEMS"], 79.99, 0.0, 1),
        (["GOOGLE *GSUITE", "GOOGLE WORKSPACE"], 18, 0.1, 1),
        (["CANVA PTY LTD", "CANVA"], 17.99, 0.0, 1),
    ],
    "Business supplies": [
        (["OFFICEWORKS"], 55, 0.7, 0.8),
        (["AUSTRALIA POST", "AUSPOST"], 14, 0.6, 1),
    ],
    "Business travel": [
        (["QANTAS AIRWAYS", "QANTAS"], 320, 0.5, 0.2),
        (["VIRGIN AUSTRALIA"], 260, 0.5, 0.15),
    ],
    "Salary": [(["SALARY ACME LOGISTICS PTY", "PAY ACME LOGISTICS"], 3400, 0.02, 2.17)],
    "Business income": [
        (["STRIPE PAYMENTS AUSTRALIA", "STRIPE TRANSFER"], 900, 0.6, 2),
        (["SQUARE AU PAYOUT", "SQ PAYOUT"], 450, 0.6, 2),
        (["TFR FROM BLUEGUM DESIGN", "BLUEGUM DESIGN INV"], 2200, 0.3, 0.5),
    ],
    "Interest": [(["INTEREST CREDIT", "CREDIT INTEREST"], 4, 0.5, 1)],
}
INCOME = {"Salary", "Business income", "Interest"}
ACCOUNTS = ("everyday.bank", "card.bank", "business.bank")
# merchants first seen in year two: the model has never seen them (new shops happen)
LATE = {"HARRIS FARM MARKETS", "GRILL'D", "7-ELEVEN", "SMILE DENTAL CARE", "VIRGIN AUSTRALIA"}
SUBURBS = ["SYDNEY", "BONDI JUNCTION", "PARRAMATTA", "NEWTOWN", "CHATSWOOD", "SURRY HILLS"]
FORMATS = [
    "EFTPOS {m} {store} {suburb} NSW AUS",
    "VISA DEBIT PURCHASE CARD {card} {m} {suburb}",
    "{m} {store} {suburb} {dd}/{mm}",
    "{m} {suburb} AU",
    "POS {m} {store} CARD XX{card}",
]
DIRECT = ["DIRECT DEBIT {ref} {m}", "{m} {ref}", "BPAY {m} REF {ref}"]


@dataclass(frozen=True, slots=True)
class Line:
    on: date
    description: str
    amount: int  # minor units, + money in
    account: uuid.UUID
    category: str


def _raw(rng: random.Random, names: list[str], on: date, category: str) -> str:
    name = rng.choice(names)
    if category in INCOME or category in ("Rent", "Utilities", "Insurance", "Subscriptions"):
        template = rng.choice(DIRECT)
    elif category == "Bank fees":
        return name
    else:
        template = rng.choice(FORMATS)
    return template.format(
        m=name,
        store=rng.randint(10, 9999),
        suburb=rng.choice(SUBURBS),
        card=rng.randint(1000, 9999),
        dd=f"{on.day:02}",
        mm=f"{on.month:02}",
        ref=rng.randint(100000, 99999999),
    )


def build_set(seed: int, start: date = date(2024, 1, 1), days: int = 730) -> list[Line]:
    rng = random.Random(seed)
    everyday, card, business = (uuid.uuid5(uuid.NAMESPACE_DNS, n) for n in ACCOUNTS)
    names = list(MERCHANTS)
    lines: list[Line] = []
    for offset in range(days):
        on = start + timedelta(days=offset)
        for category, merchants in MERCHANTS.items():
            for raw_names, typical, spread, per_month in merchants:
                if raw_names[0] in LATE and offset < days // 2:
                    continue
                if rng.random() >= per_month / 30.4:
                    continue
                amount = max(0.5, rng.lognormvariate(0, spread) * typical) if spread else typical
                account = (
                    business if category.startswith("Business") else rng.choice((everyday, card))
                )
                label = category
                if rng.random() < 0.02:  # the user is not perfectly consistent
                    label = rng.choice(names)
                sign = 1 if category in INCOME else -1
                description = _raw(rng, raw_names, on, category)
                lines.append(Line(on, description, sign * round(amount * 100), account, label))
    return lines


def _ids(lines: list[Line]) -> dict[str, uuid.UUID]:
    return {name: uuid.uuid5(uuid.NAMESPACE_DNS, name) for name in {x.category for x in lines}}


def train(lines: list[Line], ids: dict[str, uuid.UUID]) -> Model:
    examples: Counter[uuid.UUID] = Counter()
    totals: Counter[uuid.UUID] = Counter()
    counts: Counter[tuple[uuid.UUID, int]] = Counter()
    for x in lines:
        text, meta = ft.features(None, x.description, x.amount, x.on, x.account)
        c = ids[x.category]
        examples[c] += 1
        totals[c] += len(text) + len(meta)
        for feature in (*text, *meta):
            counts[(c, feature)] += 1
    classes = {c: ClassStats(examples[c], totals[c]) for c in examples}
    return Model(classes, ((c, f, n) for (c, f), n in counts.items()))


def evaluate(model: Model, test: list[Line], ids: dict[str, uuid.UUID]) -> dict[str, float]:
    top1 = top3 = 0
    by_threshold: dict[float, list[int]] = {t: [0, 0] for t in (0.5, 0.7, 0.8, 0.9, 0.95)}
    for x in test:
        ranked = model.predict(*ft.features(None, x.description, x.amount, x.on, x.account))
        wanted = ids[x.category]
        hit = bool(ranked) and ranked[0][0] == wanted
        top1 += hit
        top3 += wanted in [c for c, _ in ranked[:3]]
        for threshold, tally in by_threshold.items():
            if ranked and ranked[0][1] >= threshold:
                tally[0] += 1
                tally[1] += hit
    n = len(test)
    result = {"top1": top1 / n, "top3": top3 / n}
    for threshold, (applied, right) in by_threshold.items():
        result[f"coverage@{threshold}"] = applied / n
        result[f"precision@{threshold}"] = right / applied if applied else 0.0
    return result


def exact_memory(train_set: list[Line], test: list[Line]) -> float:
    memory = {ft.normalise(x.description): x.category for x in train_set}
    return sum(memory.get(ft.normalise(x.description)) == x.category for x in test) / len(test)


def keyword_rules(train_set: list[Line], test: list[Line]) -> float:
    """One `contains <word>` rule per merchant word seen twice, most used first."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for x in train_set:
        for word in set(ft.normalise(x.description).split()):
            if len(word) > 2 and not word.isdigit() and word != "0":
                seen[word][x.category] += 1
    prefixes = {w for f in (*FORMATS, *DIRECT) for w in ft.normalise(f).split()}
    rules = sorted(
        (
            (sum(c.values()), word, c.most_common(1)[0][0])
            for word, c in seen.items()
            if sum(c.values()) >= 2
            and word not in prefixes
            and word not in _SUBURB_WORDS
            # a user writes a rule for a word that means one thing
            and c.most_common(1)[0][1] / sum(c.values()) > 0.8
        ),
        reverse=True,
    )
    right = 0
    for x in test:
        words = set(ft.normalise(x.description).split())
        guess = next((cat for _, word, cat in rules if word in words), None)
        right += guess == x.category
    return right / len(test)


_SUBURB_WORDS = {w for s in SUBURBS for w in ft.normalise(s).split()} | {"nsw", "aus", "au"}


def accuracy(seed: int) -> None:
    lines = build_set(seed)
    cut = int(len(lines) * 0.6)
    train_set, test = lines[:cut], lines[cut:]
    ids = _ids(lines)
    model = train(train_set, ids)
    result = evaluate(model, test, ids)
    print(f"labelled set: {len(lines)} lines, {len(ids)} categories, seed {seed}")
    print(f"train {len(train_set)} (to {train_set[-1].on}), test {len(test)} (later lines)")
    print(f"model: top-1 {result['top1']:.1%}, top-3 {result['top3']:.1%}")
    print(f"baseline exact-payee memory: top-1 {exact_memory(train_set, test):.1%}")
    print(f"baseline keyword rules: top-1 {keyword_rules(train_set, test):.1%}")
    for t in (0.5, 0.7, 0.8, 0.9, 0.95):
        print(
            f"auto-apply at confidence >= {t}: covers {result[f'coverage@{t}']:.1%} "
            f"of lines, {result[f'precision@{t}']:.1%} of those right"
        )


def speed(n: int, seed: int) -> None:
    lines = build_set(seed)
    ids = _ids(lines)
    t0 = time.perf_counter()
    model = train(lines, ids)
    t1 = time.perf_counter()
    fresh = fresh_lines(n, seed)
    ft.text_features.cache_clear()
    t2, c2 = time.perf_counter(), time.process_time()
    found = [ft.features(None, x.description, x.amount, x.on, x.account) for x in fresh]
    c3 = time.process_time()
    for text, meta in found:
        model.predict(text, meta)
    t4, c4 = time.perf_counter(), time.process_time()
    print(f"model built from {len(lines)} examples in {t1 - t0:.2f} s")
    print(
        f"categorised {len(fresh)} lines in memory: {t4 - t2:.2f} s wall, CPU {c4 - c2:.2f} s "
        f"(features {c3 - c2:.2f} s, scoring {c4 - c3:.2f} s)"
    )


def fresh_lines(n: int, seed: int) -> list[Line]:
    """N lines of later years (same household, new noise), for the speed runs."""
    found: list[Line] = []
    year = 2026
    while len(found) < n:
        found.extend(build_set(seed + year, start=date(year, 1, 1), days=365))
        year += 1
    return found[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--speed", type=int, default=0)
    parser.add_argument("--db", type=int, default=0)
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    args = parser.parse_args()
    if args.db:
        from bench_categorise_db import run  # the database part: only when asked for

        run(args.db, args.backend, build_set(args.seed), fresh_lines(args.db, args.seed))
        return
    accuracy(args.seed)
    if args.speed:
        speed(args.speed, args.seed)


if __name__ == "__main__":
    main()
