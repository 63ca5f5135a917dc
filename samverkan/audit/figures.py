"""The report's figures as the rules see them: an index by measure, period and county, the value
of a measure however the report gives it (printed, as the sum of the counties or the years, or
from an identity), and the checks the rules make."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from samverkan.audit.declared import (
    ADDITIVE_UNITS,
    IDENTITIES,
    PERIOD_SPLITS,
    Identity,
    Marked,
)
from samverkan.audit.text import NATIONAL, label
from samverkan.reference import in_base_units
from samverkan.rounds import PERIOD_YEARS

DATA_TABLES: frozenset[str] = frozenset({"projects", "allocations"})
"""Tables of :func:`samverkan.audit.compare.submission_figures` computed from the project and
allocation rows."""


def _primacy(table: str, source: str) -> int:
    """Which printing of a figure stands for it: a table body or computed data (0) before a
    table's bullets and footnotes (1) before prose and the boards' own sheet (2)."""
    if table in DATA_TABLES or re.fullmatch(r"Tabell \d+", source):
        return 0
    if re.fullmatch(r"t\d+", table):
        return 1
    return 2


def figures(frame: pd.DataFrame) -> pd.DataFrame:
    """The figures in base units (msek → sek), with file ``order`` and ``primacy``; ``value`` as
    float. ``frame`` has the columns of ``published.csv``."""
    result = in_base_units(frame).reset_index(drop=True)
    text = [c for c in result.columns if c != "value"]
    result[text] = result[text].astype(object)  # plain str: the rules iterate rows often
    result["value"] = result["value"].astype("float64")
    result["order"] = range(len(result))
    result["primacy"] = [_primacy(t, s) for t, s in zip(result["table"], result["source"],
                                                        strict=True)]
    return result


@dataclass(frozen=True)
class Fig:
    """One printed figure."""

    key: str
    source: str
    table: str
    lan_code: str
    measure: str
    period: str
    value: float
    unit: str
    text: str


@dataclass(frozen=True)
class Resolved:
    """A measure's value for a period and county, and the printed figures it comes from."""

    value: float
    keys: tuple[str, ...]
    unit: str
    how: str
    """``printed``, ``counties`` (national sum of county figures), ``years`` (period as the sum
    of its years), ``derived`` (from an identity) or ``marked`` (marked cells)."""
    signs: tuple[int, ...] = ()
    """Per key, how the value moves when the key's figure grows (+1, or −1 through a minus)."""


Term = tuple[int, str, str, Resolved]
"""A resolved term of an identity: sign, Swedish name, measure, value."""


@dataclass
class Check:
    """One comparison of printed figures. ``stated`` is the first key's figure (or what the
    first keys give), ``expected`` what the others give. ``kind``: ``equal``, ``atmost``
    (stated ≤ expected), ``atleast`` or ``other``; ``signs`` (for ``equal``): per key, 0 for the
    stated figure and ±1 for a term of the expected value, so a single figure's value that would
    make the check hold can be solved for."""

    rule: str
    source: str
    keys: tuple[str, ...]
    stated: float
    expected: float
    unit: str
    finding: bool
    detail: str
    kind: str = "equal"
    signs: tuple[int, ...] = ()
    severity: str = ""
    tolerance: str = ""


@dataclass
class Book:
    """Index over the figures, resolver of a measure's value, and collector of checks."""

    frame: pd.DataFrame
    counties: tuple[str, ...]
    checks: list[Check] = field(default_factory=list)
    nesting: list[tuple[Fig, Fig]] = field(default_factory=list)
    _seen: set[frozenset[str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        ordered = self.frame.sort_values(["primacy", "order"])
        self.rows: dict[tuple[str, str, str], list[Fig]] = {}
        for r in ordered.itertuples(index=False):
            fig = Fig(r.key, r.source, r.table, r.lan_code, r.measure, r.period, r.value, r.unit,
                      r.text)
            self.rows.setdefault((r.measure, r.period, r.lan_code), []).append(fig)
        self.by_key = {f.key: f for figs in self.rows.values() for f in figs}

    def add(self, check: Check) -> None:
        """Keep the check unless the same set of figures was checked already."""
        keys = frozenset(check.keys)
        if keys in self._seen:
            return
        self._seen.add(keys)
        self.checks.append(check)

    def printed(self, measure: str, period: str, lan: str,
                prefer: str | None = None) -> Fig | None:
        """The printing that stands for a figure (in table ``prefer`` when it has one)."""
        figs = self.rows.get((measure, period, lan), [])
        if not figs:
            return None
        if prefer is not None:
            preferred = [f for f in figs if f.table == prefer]
            if preferred:
                return preferred[0]
        return figs[0]

    def resolve(self, term: str | Marked, period: str, lan: str, prefer: str | None = None,
                depth: int = 0) -> Resolved | None:
        """The value of a measure (or marked cells) for a period and county: as printed, else
        as the sum of the counties (national), the sum of its years, or from an identity."""
        if isinstance(term, Marked):
            return self._marked(term, period, lan)
        fig = self.printed(term, period, lan, prefer)
        if fig is not None:
            return Resolved(fig.value, (fig.key,), fig.unit, "printed", (1,))
        if depth >= 2:
            return None
        if lan == NATIONAL:
            parts = [self.printed(term, period, c, prefer) for c in self.counties]
            parts = [p for p in parts if p is not None]
            if parts and parts[0].unit in ADDITIVE_UNITS:
                return Resolved(sum(p.value for p in parts), tuple(p.key for p in parts),
                                parts[0].unit, "counties", (1,) * len(parts))
        for whole, pieces in PERIOD_SPLITS:
            if whole != period:
                continue
            resolved = [self.resolve(term, p, lan, prefer, depth + 1) for p in pieces]
            if all(r is not None for r in resolved) and resolved[0].unit in ADDITIVE_UNITS:
                return Resolved(sum(r.value for r in resolved),
                                tuple(k for r in resolved for k in r.keys), resolved[0].unit,
                                "years", tuple(s for r in resolved for s in r.signs))
        for ident in IDENTITIES:
            if ident.lhs == term:
                value = self.evaluate(ident, period, lan, prefer, depth + 1)
                if value is not None:
                    total, keys, unit, terms = value
                    signs = tuple(sign * s for sign, _, _, r in terms for s in r.signs)
                    return Resolved(total, keys, unit, "derived", signs)
        return None

    def _marked(self, term: Marked, period: str, lan: str) -> Resolved | None:
        frame = self.frame
        in_table = frame[(frame["table"] == term.table) & (frame["measure"] == term.measure)]
        if in_table.empty:
            return None
        years = PERIOD_YEARS.get(period, frozenset())
        cells = in_table[(in_table["marker"] == term.marker)
                         & in_table["period"].map(lambda p: len(PERIOD_YEARS.get(p, ())) == 1
                                                  and PERIOD_YEARS[p] <= years)]
        if lan != NATIONAL:
            cells = cells[cells["lan_code"] == lan]
        unit = in_table["unit"].iloc[0]
        return Resolved(float(cells["value"].sum()), tuple(cells["key"]), unit, "marked",
                        (1,) * len(cells))

    def evaluate(self, ident: Identity, period: str, lan: str, prefer: str | None,
                 depth: int = 0) -> tuple[float, tuple[str, ...], str, list[Term]] | None:
        """``sum(plus) - sum(minus)`` with each term resolved: (value, keys, unit, terms), or
        None when a term cannot be resolved or the units differ."""
        terms: list[Term] = []
        for sign, group in ((1, ident.plus), (-1, ident.minus)):
            for term in group:
                resolved = self.resolve(term, period, lan, prefer, depth)
                if resolved is None:
                    return None
                name = term.label if isinstance(term, Marked) else label(term)
                terms.append((sign, name, term if isinstance(term, str) else term.measure,
                              resolved))
        if len({t[3].unit for t in terms}) != 1:
            return None
        total = sum(sign * r.value for sign, _, _, r in terms)
        return total, tuple(k for *_, r in terms for k in r.keys), terms[0][3].unit, terms

    def prefer_table(self, measures: list[str], period: str, lan: str) -> str | None:
        """The table in which most of the measures are printed for this period and county (a
        numbered table before the prose on a tie), so that related figures come from one
        place."""
        tables = [t for m in measures for t in {f.table for f in self.rows.get((m, period, lan),
                                                                                 [])}]
        if not tables:
            return None
        return min(sorted(set(tables)), key=lambda t: (-tables.count(t), t == "prose"))
