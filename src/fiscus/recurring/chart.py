"""The forecast as a server-side SVG line chart (fiscus.web.charts): the projected total
with the low and high edges of its band, for the dashboard and the recurring page."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from fiscus.recurring.schemas import Forecast, ForecastPoint
from fiscus.web import charts

MAX_POINTS = 60  # a point a day for three months would crowd the chart; thin it evenly


def _thin(points: list[ForecastPoint]) -> list[ForecastPoint]:
    if len(points) <= MAX_POINTS:
        return points
    every = -(-len(points) // MAX_POINTS)
    chosen = points[::every]
    return chosen if chosen[-1] is points[-1] else [*chosen, points[-1]]


def forecast_chart(forecast: Forecast) -> Markup:
    points = _thin(forecast.total.points)

    def line(name: str, pick: str) -> charts.Series:
        return charts.Series(
            name, [(p.date.strftime("%-d %b %Y"), Decimal(getattr(p, pick))) for p in points]
        )

    title = f"Projected balance ({forecast.base_currency}), next {forecast.months} months"
    return charts.line_chart(
        [line("Projected", "balance"), line("Low", "low"), line("High", "high")], title=title
    )
