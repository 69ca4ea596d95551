"""The SVG chart module: well-formed, accessible, escaped, and inside its viewBox."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from fiscus.web.charts import Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))  # noqa: S314 - our own output


def find_all(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(SVG + tag))


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in find_all(root, "text")]


def test_line_chart_is_an_accessible_scalable_image() -> None:
    chart = line_chart(
        [Series("Net worth", [("Jan", Decimal("100")), ("Feb", Decimal("250.50"))])],
        title="Net worth, last 12 months",
    )
    root = parse(chart)
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 640 240"
    assert root.get("width") is None
    assert root.get("height") is None
    assert root.get("style") is None
    assert "style=" not in chart
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title is not None
    assert desc is not None
    assert title.text == "Net worth, last 12 months"
    assert desc.text == (
        "Net worth: 2 points from Jan to Feb; lowest 100.00, highest 250.50, latest 250.50."
    )
    labelled_by = (root.get("aria-labelledby") or "").split()
    assert labelled_by == [title.get("id"), desc.get("id")]
    assert "Jan" in texts(root)
    assert "Feb" in texts(root)
    assert len(find_all(root, "polyline")) == 1
    tooltips = [c.findtext(SVG + "title") for c in find_all(root, "circle")]
    assert tooltips == ["Net worth, Jan: 100.00", "Net worth, Feb: 250.50"]


def test_higher_values_are_drawn_higher() -> None:
    root = parse(
        line_chart(
            [Series("x", [("a", Decimal(1)), ("b", Decimal(5)), ("c", Decimal(3))])], title="t"
        )
    )
    ys = [float(c.get("cy") or 0) for c in find_all(root, "circle")]
    assert ys[1] < ys[2] < ys[0]  # SVG y grows downwards
    xs = [float(c.get("cx") or 0) for c in find_all(root, "circle")]
    assert xs == sorted(xs)


def test_empty_data_says_so() -> None:
    for chart in (
        line_chart([], title="Empty"),
        line_chart([Series("a", [])], title="E"),
        bar_chart([], title="Empty bars"),
    ):
        root = parse(chart)
        assert root.get("role") == "img"
        assert "No data yet" in texts(root)
        assert not find_all(root, "circle")
        assert not find_all(root, "polyline")


def test_a_single_point_is_a_dot_in_the_middle() -> None:
    root = parse(line_chart([Series("Only", [("Mar", Decimal("42"))])], title="One"))
    assert not find_all(root, "polyline")  # a one-point line would draw nothing
    (dot,) = find_all(root, "circle")
    assert float(dot.get("cx") or 0) == (64 + 640 - 12) / 2
    assert root.findtext(SVG + "desc") == "Only: Mar 42.00."


def test_negative_values_go_below_a_zero_line() -> None:
    root = parse(
        bar_chart([("Income", Decimal("300")), ("Loss", Decimal("-120.25"))], title="Cash flow")
    )
    (zero,) = [line for line in find_all(root, "line") if line.get("class") == "chart-zero"]
    zero_y = float(zero.get("y1") or 0)
    up, down = find_all(root, "rect")
    assert up.get("class") == "chart-bar"
    assert down.get("class") == "chart-bar-negative"
    assert float(up.get("y") or 0) + float(up.get("height") or 0) == zero_y
    assert float(down.get("y") or 0) == zero_y
    assert down.findtext(SVG + "title") == "Loss: -120.25"
    axis = texts(root)
    assert "0" in axis
    assert any(t.startswith("-") for t in axis)


def test_labels_and_titles_are_escaped() -> None:
    evil = '<script>alert("x")</script> & co'
    chart = line_chart([Series(evil, [(evil, Decimal(1)), ("b", Decimal(2))])], title=evil)
    assert "<script>" not in chart
    root = parse(chart)  # still well-formed XML
    assert root.findtext(SVG + "title") == evil
    assert evil in texts(root)
    bars = bar_chart([(evil, Decimal(1))], title=evil)
    assert "<script>" not in bars
    assert parse(bars).findtext(SVG + "title") == evil


def test_several_series_get_their_own_class_and_a_legend() -> None:
    root = parse(
        line_chart(
            [
                Series("Assets", [("Jan", Decimal(10)), ("Feb", Decimal(20))]),
                Series("Debts", [("Jan", Decimal(5)), ("Feb", Decimal(4))]),
            ],
            title="Two",
        )
    )
    classes = [p.get("class") for p in find_all(root, "polyline")]
    assert classes == ["chart-line chart-series-0", "chart-line chart-series-1"]
    assert "Assets" in texts(root)
    assert "Debts" in texts(root)


def test_many_labels_are_thinned_but_the_last_is_kept() -> None:
    points = [(f"d{i:02}", Decimal(i)) for i in range(31)]
    axis = texts(parse(line_chart([Series("Days", points)], title="Month")))
    shown = [t for t in axis if t.startswith("d")]
    assert 2 <= len(shown) <= 7
    assert shown[0] == "d00"
    assert shown[-1] == "d30"


def test_axis_ticks_are_compact() -> None:
    axis = texts(parse(bar_chart([("a", Decimal("2500000"))], title="Big")))
    assert "2.5M" in axis or "2M" in axis or "3M" in axis
    assert "0" in axis


amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
)
labels = st.text(min_size=0, max_size=12)


@given(st.lists(st.lists(st.tuples(labels, amounts), max_size=40), max_size=4))
def test_any_data_draws_inside_the_viewbox(data: list[list[tuple[str, Decimal]]]) -> None:
    series = [Series(f"s{i}", points) for i, points in enumerate(data)]
    root = parse(line_chart(series, title="Any", width=500, height=200))
    for circle in find_all(root, "circle"):
        assert 0 <= float(circle.get("cx") or -1) <= 500
        assert 0 <= float(circle.get("cy") or -1) <= 200
    drawn = sum(len(s.points) for s in series)
    assert len(find_all(root, "circle")) == drawn


@given(st.lists(st.tuples(labels, amounts), max_size=40))
def test_any_bars_stay_inside_the_viewbox(bars: list[tuple[str, Decimal]]) -> None:
    root = parse(bar_chart(bars, title="Any", width=500, height=200))
    rects = [r for r in find_all(root, "rect") if r.get("class", "").startswith("chart-bar")]
    assert len(rects) == len(bars)
    for rect in rects:
        y, height = float(rect.get("y") or -1), float(rect.get("height") or -1)
        assert y >= 0
        assert height >= 0
        assert y + height <= 200
