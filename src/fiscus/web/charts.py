"""Server-side SVG charts: a line chart and a bar chart, as markup ready for a template.

No chart library and no JavaScript: the page's Content-Security-Policy forbids inline
scripts and styles, there is no build step, and a chart must work without JS. So the
SVG carries only geometry, presentation attributes and CSS classes (colours live in
`static/app.css`: `.chart-series-N`, `.chart-bar`, `.chart-bar-negative`, ...). It has a
`viewBox` and no fixed size, so it scales to its container; `role="img"` with a
`<title>` and a `<desc>` summary for screen readers, and a `<title>` on every point or
bar (the browser shows it as a tooltip).

Values are Decimals; they become floats only as pixel coordinates. Every label is
escaped. Empty data draws a labelled "no data" frame; a single point is drawn as a dot;
negative values extend below a zero line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from markupsafe import Markup, escape

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SERIES_CLASSES = 6  # .chart-series-0 .. -5 in app.css; more series reuse them in turn
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 12, 16, 28
_LEGEND = 18  # extra top room when a legend is drawn
_MAX_X_LABELS = 6


@dataclass(frozen=True)
class Series:
    """One line: a name and (label, value) points in drawing order."""

    name: str
    points: list[tuple[str, Decimal]]


@dataclass(frozen=True)
class _Frame:
    """The plot area inside the margins, and the value range it maps."""

    width: int
    height: int
    top: int
    low: Decimal
    high: Decimal
    step: Decimal

    @property
    def left(self) -> int:
        return _LEFT

    @property
    def right(self) -> int:
        return self.width - _RIGHT

    @property
    def bottom(self) -> int:
        return self.height - _BOTTOM

    def y(self, value: Decimal) -> float:
        span = self.high - self.low
        share = (value - self.low) / span if span else Decimal("0.5")
        return self.bottom - float(share) * (self.bottom - self.top)

    def x(self, index: int, count: int) -> float:
        if count <= 1:
            return (self.left + self.right) / 2
        return self.left + index * (self.right - self.left) / (count - 1)


def line_chart(series: list[Series], *, title: str, width: int = 640, height: int = 240) -> Markup:
    """Lines over shared x labels (the union of all series' labels, in first-seen order)."""
    labels = _labels(series)
    values = [value for s in series for _, value in s.points]
    uid = _uid("line", title, [(s.name, s.points) for s in series])
    if not values:
        return _empty(uid, title, width, height)
    top = _TOP + (_LEGEND if len(series) > 1 else 0)
    frame = _frame(values, width, height, top)
    parts = _grid(frame)
    parts += _x_labels(frame, labels, lambda i: frame.x(i, len(labels)), edges=True)
    position = {label: i for i, label in enumerate(labels)}
    for number, one in enumerate(series):
        parts += _line(frame, one, number, position, len(labels))
    if len(series) > 1:
        parts += _legend(series, width)
    desc = " ".join(_describe(s) for s in series)
    return _svg(uid, title, desc, width, height, "chart-line-chart", parts)


def bar_chart(
    bars: list[tuple[str, Decimal]], *, title: str, width: int = 640, height: int = 240
) -> Markup:
    """One bar per (label, value); negative bars hang below the zero line."""
    uid = _uid("bar", title, bars)
    if not bars:
        return _empty(uid, title, width, height)
    frame = _frame([value for _, value in bars], width, height, _TOP)
    slot = (frame.right - frame.left) / len(bars)
    parts = _grid(frame)
    parts += _x_labels(frame, [label for label, _ in bars], lambda i: frame.left + slot * (i + 0.5))
    zero = frame.y(Decimal(0))
    for index, (label, value) in enumerate(bars):
        y = frame.y(value)
        kind = "chart-bar-negative" if value < 0 else "chart-bar"
        parts.append(
            f'<rect class="{kind}" x="{_n(frame.left + slot * index + slot * 0.15)}" '
            f'y="{_n(min(y, zero))}" width="{_n(slot * 0.7)}" height="{_n(abs(zero - y))}">'
            f"<title>{_text(label)}: {_amount(value)}</title></rect>"
        )
    desc = ", ".join(f"{label}: {_amount(value)}" for label, value in bars) + "."
    return _svg(uid, title, desc, width, height, "chart-bar-chart", parts)


# ---- building blocks ----


def _labels(series: Iterable[Series]) -> list[str]:
    seen: dict[str, None] = {}
    for one in series:
        for label, _ in one.points:
            seen.setdefault(label)
    return list(seen)


def _frame(values: Sequence[Decimal], width: int, height: int, top: int) -> _Frame:
    """A frame whose range includes zero and ends on 'nice' tick values."""
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(0))
    step = _nice_step(high - low)
    low = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    high = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    if low == high:
        high = low + step
    return _Frame(width=width, height=height, top=top, low=low, high=high, step=step)


def _nice_step(span: Decimal, ticks: int = 4) -> Decimal:
    """1, 2 or 5 times a power of ten, so that about `ticks` steps cover `span`."""
    if span <= 0:
        return Decimal(1)
    raw = span / ticks
    power = Decimal(10) ** raw.adjusted()
    for factor in (1, 2, 5, 10):
        if raw <= power * factor:
            return power * factor
    return power * 10  # pragma: no cover - the loop always returns


def _grid(frame: _Frame) -> list[str]:
    parts = []
    tick = frame.low
    while tick <= frame.high:
        y = _n(frame.y(tick))
        kind = "chart-zero" if tick == 0 else "chart-grid"
        parts.append(
            f'<line class="{kind}" x1="{frame.left}" y1="{y}" x2="{frame.right}" y2="{y}"/>'
            f'<text class="chart-axis" x="{frame.left - 6}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{_compact(tick)}</text>'
        )
        tick += frame.step
    return parts


def _x_labels(
    frame: _Frame, labels: list[str], x_of: Callable[[int], float], *, edges: bool = False
) -> list[str]:
    """At most `_MAX_X_LABELS` labels, evenly picked, always including the last one.

    With `edges` (points on the plot's edges) the first and last labels are aligned
    inwards, so they are not cut off by the viewBox."""
    count = len(labels)
    every = max(1, -(-count // _MAX_X_LABELS))
    picked = [i for i in range(count) if i % every == 0]
    if picked[-1] != count - 1:
        if len(picked) > 1 and count - 1 - picked[-1] < every:
            picked.pop()  # too close to the last label, which is always shown
        picked.append(count - 1)
    # Every other label (never the last) is "minor": narrow screens hide it (app.css).
    minor = {i for n, i in enumerate(picked) if n % 2 and i != count - 1}
    return [
        f'<text class="chart-axis{" chart-axis-minor" if i in minor else ""}" '
        f'x="{_n(x_of(i))}" y="{frame.bottom + 18}" '
        f'text-anchor="{_anchor(i, count, edges)}">{_text(labels[i])}</text>'
        for i in picked
    ]


def _anchor(index: int, count: int, edges: bool) -> str:
    if edges and count > 1 and index == 0:
        return "start"
    if edges and count > 1 and index == count - 1:
        return "end"
    return "middle"


def _line(
    frame: _Frame, series: Series, number: int, position: dict[str, int], count: int
) -> list[str]:
    kind = f"chart-series-{number % SERIES_CLASSES}"
    coords = [
        (frame.x(position[label], count), frame.y(value), label, value)
        for label, value in series.points
    ]
    parts = []
    if len(coords) > 1:
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y, _, _ in coords)
        parts.append(f'<polyline class="chart-line {kind}" fill="none" points="{points}"/>')
    name = _text(series.name)
    for x, y, label, value in coords:
        parts.append(
            f'<circle class="chart-point {kind}" cx="{_n(x)}" cy="{_n(y)}" r="3">'
            f"<title>{name}, {_text(label)}: {_amount(value)}</title></circle>"
        )
    return parts


def _legend(series: list[Series], width: int) -> list[str]:
    parts = []
    x = _LEFT
    for number, one in enumerate(series):
        kind = f"chart-series-{number % SERIES_CLASSES}"
        parts.append(
            f'<rect class="chart-swatch {kind}" x="{x}" y="6" width="10" height="10"/>'
            f'<text class="chart-legend" x="{x + 14}" y="15">{_text(one.name)}</text>'
        )
        x += 24 + 7 * len(one.name)
        if x > width - _RIGHT:
            break
    return parts


def _describe(series: Series) -> str:
    name = series.name
    if not series.points:
        return f"{name}: no data."
    values = [value for _, value in series.points]
    first, last = series.points[0][0], series.points[-1][0]
    if len(values) == 1:
        return f"{name}: {first} {_amount(values[0])}."
    return (
        f"{name}: {len(values)} points from {first} to {last}; "
        f"lowest {_amount(min(values))}, highest {_amount(max(values))}, "
        f"latest {_amount(values[-1])}."
    )


def _empty(uid: str, title: str, width: int, height: int) -> Markup:
    parts = [
        f'<rect class="chart-empty-frame" x="1" y="1" width="{width - 2}" '
        f'height="{height - 2}" rx="6"/>',
        f'<text class="chart-empty" x="{width // 2}" y="{height // 2}" text-anchor="middle" '
        f'dominant-baseline="middle">No data yet</text>',
    ]
    return _svg(uid, title, "No data yet.", width, height, "chart-no-data", parts)


def _svg(
    uid: str, title: str, desc: str, width: int, height: int, kind: str, parts: list[str]
) -> Markup:
    # Every text interpolated into `parts` went through `escape`; numbers and classes are ours.
    return Markup(  # noqa: S704
        f'<svg class="chart {kind}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{uid}-title">{_text(title)}</title>'
        f'<desc id="{uid}-desc">{_text(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def _text(value: str) -> Markup:
    """Escaped, without the control characters XML forbids (a browser's SVG would choke)."""
    return escape(_CONTROL.sub("", value))


def _uid(kind: str, title: str, data: object) -> str:
    """A stable id for the title/desc references (same chart, same id)."""
    digest = hashlib.sha256(f"{kind}|{title}|{data!r}".encode()).hexdigest()[:10]
    return f"chart-{digest}"


def _n(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing '.0'."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _amount(value: Decimal) -> str:
    """1234.5 as '1,234.50': at least two places, finer amounts stay exact."""
    places = max(2, -int(value.normalize().as_tuple().exponent))
    return f"{value:,.{places}f}"


def _compact(value: Decimal) -> str:
    """Axis ticks: 1500 as '1.5k', 2000000 as '2M'."""
    magnitude = abs(value)
    for limit, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(1000), "k")):
        if magnitude >= limit:
            scaled = (value / limit).quantize(Decimal("0.1")).normalize()
            return f"{scaled:f}{suffix}"
    return f"{value.normalize():f}" if value != value.to_integral() else f"{int(value)}"
