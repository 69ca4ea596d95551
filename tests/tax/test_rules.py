"""Every figure of every year carries a source; provisional years say which items."""

from __future__ import annotations

import dataclasses

import pytest

from fiscus.tax.rules import YEARS
from fiscus.tax.rules.base import Source, YearRules


def sources_of(rules: YearRules) -> dict[str, Source]:
    found: dict[str, Source] = {}
    for field in dataclasses.fields(rules):
        value = getattr(rules, field.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if dataclasses.is_dataclass(item) and hasattr(item, "source"):
                found[f"{field.name}:{getattr(item, 'name', '')}"] = item.source
    return found


@pytest.mark.parametrize("year", list(YEARS))
def test_every_item_cites_its_source(year: str) -> None:
    rules = YEARS[year]
    cited = sources_of(rules)
    expected = {
        "resident",
        "foreign",
        "whm",
        "part_year",
        "medicare",
        "surcharge",
        "lito",
        "sapto",
        "sbito",
        "help",
        "cgt",
        "franking",
        "work_from_home",
    }
    assert {name.split(":")[0] for name in cited} >= expected
    for name, source in cited.items():
        assert source.title.strip(), name
        assert source.url.startswith("https://www.ato.gov.au/"), name


def test_lmito_only_to_2021_22() -> None:
    assert [y for y, r in YEARS.items() if r.lmito is not None] == ["2019-20", "2020-21", "2021-22"]


def test_provisional_years_name_their_items() -> None:
    provisional = {y: r.provisional_notes for y, r in YEARS.items() if r.provisional}
    assert set(provisional) == {"2021-22", "2025-26", "2026-27"}
    assert {note.split(":")[0] for note in provisional["2026-27"]} == {
        "medicare",
        "surcharge",
        "help",
        "whm",
    }
    assert {note.split(":")[0] for note in provisional["2025-26"]} == {"medicare"}


def test_work_from_home_rates_by_period() -> None:
    rates = {
        y: sorted((m.name, m.cents_per_hour) for m in r.work_from_home if m.cents_per_hour)
        for y, r in YEARS.items()
    }
    assert [c for _, c in rates["2019-20"]] == [52, 80]
    assert [c for _, c in rates["2021-22"]] == [52, 80]
    assert [c for _, c in rates["2022-23"]] == [67]
    assert [c for _, c in rates["2023-24"]] == [67]
    assert [c for _, c in rates["2024-25"]] == [70]
    assert [c for _, c in rates["2026-27"]] == [70]
