"""Swedish number formatting for tables, prose and chart labels: ``1 260 000 kr``, ``37,2 %``."""

from __future__ import annotations

import datetime as dt
import math

NBSP = "\u00a0"
"""Thousands separator: a non-breaking space, so a number never wraps across lines."""


def num(value: float | int | None, decimals: int = 0) -> str:
    """``1260000`` → ``1 260 000``; ``3.14159, 1`` → ``3,1``; missing → ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",").replace("-", "−")


def kr(value: float | int | None, decimals: int = 0) -> str:
    """``1260000`` → ``1 260 000 kr``."""
    return "–" if num(value) == "–" else f"{num(value, decimals)}{NBSP}kr"


def pct(share: float | None, decimals: int = 1) -> str:
    """A share (0–1) as a Swedish percentage: ``0.372`` → ``37,2 %``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{num(share * 100, decimals)}{NBSP}%"


MONTHS: tuple[str, ...] = ("januari", "februari", "mars", "april", "maj", "juni", "juli",
                           "augusti", "september", "oktober", "november", "december")


def month_year(day: dt.date) -> str:
    """A date as the month and year a Swedish report is dated with: ``december 2026``."""
    return f"{MONTHS[day.month - 1]} {day.year}"
