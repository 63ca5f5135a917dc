"""Report rounds and the periods they cover: the one home of these facts.

The county boards reported twice: the partial report (*delredovisning*) in 2010 on the grants of
2008–2009, and the final report (*slutredovisning*) in 2011 on all grants 2008–2010. A figure of
Rapport 2011:39 belongs to a *period*: one grant year (``"2009"``) or a span (``"2008-2010"``,
written with a hyphen in data and an en dash in text).
"""

from __future__ import annotations

GRANT_YEARS: dict[int, tuple[int, ...]] = {2010: (2008, 2009), 2011: (2008, 2009, 2010)}
"""Report round → the years whose grants it reports on."""

ROUNDS: tuple[int, ...] = tuple(GRANT_YEARS)
"""Report rounds: 2010 = partial report (delredovisning), 2011 = final report (slutredovisning)."""

PARTIAL, FINAL = ROUNDS
DEFAULT_ROUND = FINAL

REPORT_TYPES: dict[int, str] = {PARTIAL: "delredovisning", FINAL: "slutredovisning"}
"""The form's name of each round's report (its ``report_type`` value)."""

ROUND_NAMES: dict[int, str] = {r: f"{name}en" for r, name in REPORT_TYPES.items()}
"""The round's report in running Swedish text (``slutredovisningen``)."""


def period_of(years: tuple[int, ...]) -> str:
    """The period code of consecutive grant years: ``(2008, 2009)`` → ``"2008-2009"``,
    ``(2010,)`` → ``"2010"``."""
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


PERIOD_BY_ROUND: dict[int, str] = {r: period_of(years) for r, years in GRANT_YEARS.items()}
"""The ``period`` of the reference that a report round's projects stand for: the partial report
of 2010 covers grants 2008–2009, the final report of 2011 all grants 2008–2010."""

ALL_YEARS: tuple[int, ...] = GRANT_YEARS[FINAL]

PERIOD_YEARS: dict[str, frozenset[int]] = {
    **{str(year): frozenset({year}) for year in ALL_YEARS},
    **{period_of(years): frozenset(years) for years in GRANT_YEARS.values()},
}
"""Every period a figure can belong to → the grant years it covers."""

PERIODS: tuple[str, ...] = ("", *PERIOD_YEARS)
"""The periods of ``data/reference/published.csv`` (``""``: a figure without a period)."""


def year_range(report_round: int) -> tuple[int, int]:
    """First and last grant year a round reports on (2008–2009 in 2010, 2008–2010 in 2011)."""
    years = GRANT_YEARS[report_round]
    return years[0], years[-1]


def period_label(period: str) -> str:
    """``2008-2010`` → ``2008–2010`` (en dash, as printed)."""
    return period.replace("-", "–")


def check_round(report_round: int) -> int:
    """``report_round`` itself when it is a round, else a ValueError naming the rounds."""
    if report_round not in ROUNDS:
        raise ValueError(f"No report round {report_round}: rounds are {ROUNDS}.")
    return report_round
