"""Weighing the evidence: which figure of a contradiction is the suspect, and which single
misprint would explain findings.

A finding relates several printed figures, and every relation a figure takes part in counts for
or against it. A figure that also takes part in an equality that *holds* (a column sum, a
repeated printing, an accounting identity) is corroborated: changing it by any amount alone
would break that check. A share, an extreme or a stated count that holds counts for a figure
through the trials below (a correction that would break it creates a new finding). The suspect
is the one figure of a finding that no other check corroborates. When several are free, each is
set to the value the finding implies and the rules run again: the one whose correction resolves
the most findings without creating a new one is the suspect, if it is the only one; a tie goes
to the figure in the most contradictions when that is two or more (where a row and a column
cross). With more free figures than can be tried, only figures in two or more contradictions are
tried, and one is named only when its correction alone resolves the most findings, at least
two: a figure left unconfirmed by a known error elsewhere is never named for that alone. A date
printed two ways is weighed against the report's other dates (:mod:`samverkan.audit.dates`).
When none is free and the finding rests on marked cells (Tabell 1's stars), the markers are the
odd one out. Otherwise no suspect is named.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from samverkan.audit.dates import date_suspect
from samverkan.audit.declared import CONTRADICTION, IDENTITIES, Marked
from samverkan.audit.figures import figures
from samverkan.audit.text import (
    capital,
    county_label,
    label,
    source_label,
    value_text,
)
from samverkan.rounds import period_label

Checker = Callable[[pd.DataFrame], pd.DataFrame]
"""Runs every rule on a frame of figures (:func:`samverkan.audit.rules.checks`)."""

MAX_TRIALS = 4
"""Free figures of one finding tried one by one; with more, no suspect is named."""

MARKER_PREFIX = "marker:"
"""A suspect that is a set of markers, not a figure: ``marker:t1:*``."""

WEIGHED_COLUMNS: tuple[str, ...] = ("suspect", "candidates", "suspect_value", "assessment")


def _marked_terms() -> list[Marked]:
    return [t for ident in IDENTITIES for t in (*ident.plus, *ident.minus)
            if isinstance(t, Marked)]


def _implied(row: Any, key: str, values: pd.Series) -> float | None:
    """The value of ``key`` (base units) that would make the check of ``row`` hold with every
    other figure as printed; None when the check does not say."""
    keys = row.keys.split(";")
    i = keys.index(key)
    if row.kind == "atmost" and len(keys) == 2:
        return float(row.expected if i == 0 else row.stated)
    if row.kind != "equal" or not row.signs:
        return None
    signs = [int(s) for s in row.signs.split(";")]
    if len(keys) == 2 and signs == [0, 1]:
        return float(row.expected if i == 0 else row.stated)
    if row.unit == "date":
        return None
    residual = float(row.stated) - float(row.expected)
    sign = signs[i]
    return float(values[key]) - residual if sign == 0 else float(values[key]) + sign * residual


def _mutated(frame: pd.DataFrame, key: str, value: float) -> pd.DataFrame:
    """``frame`` with one figure set to ``value`` (given in base units)."""
    out = frame.copy()
    out["value"] = out["value"].astype("float64")
    at = out["key"] == key
    if (out.loc[at, "unit"] == "msek").any():
        value = value / 1_000_000
    out.loc[at, "value"] = value
    return out


def _signature(all_checks: pd.DataFrame) -> set[tuple[str, str]]:
    found = all_checks[all_checks["finding"]]
    return set(zip(found["rule"], found["keys"], strict=True))


def _score(frame: pd.DataFrame, key: str, value: float, before: set[tuple[str, str]],
           check: Checker) -> tuple[int, set[tuple[str, str]]]:
    """How many findings setting ``key`` to ``value`` resolves (−1 when it creates a new one),
    and which."""
    after = _signature(check(_mutated(frame, key, value)))
    if after - before:
        return -1, set()
    return len(before - after), before - after


def _trials(candidates: list[str], row: Any, values: pd.Series,
            tried: dict[tuple[str, float], int], frame: pd.DataFrame,
            before: set[tuple[str, str]], check: Checker
            ) -> tuple[dict[str, tuple[int, float]], int, list[str]]:
    """Each candidate set to the value its relation implies: key → (findings resolved, implied
    value), the best score and the candidates that reach it. ``tried`` keeps the scores of the
    corrections already tried for the other findings."""
    scores = {}
    for k in candidates:
        implied = _implied(row, k, values)
        if implied is not None:
            if (k, implied) not in tried:
                tried[k, implied] = _score(frame, k, implied, before, check)[0]
            scores[k] = (tried[k, implied], implied)
    best = max((score for score, _ in scores.values()), default=0)
    return scores, best, [k for k, (score, _) in scores.items() if score == best]


def _describe(fig: Any) -> str:
    where = source_label(fig.source)
    county = county_label(fig.lan_code)
    county = f", {county}" if county and county != "riket" else ""
    return (f"{label(fig.measure)} {period_label(fig.period)}{county} i {where} "
            f"({value_text(fig.value, fig.unit)})").replace("  ", " ")


CONFIRMING_KINDS: frozenset[str] = frozenset({"equal", "other"})
"""Checks that confirm every figure they relate when they hold: equalities (sums, repeated
printings, identities) and the exact comparisons of shares, extremes and form counts. An
inequality that holds (a sub-count below its whole) confirms nothing."""


def relation_counts(all_checks: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Per figure key: the confirming checks that hold, and the contradictions it is in."""
    holds: dict[str, int] = {}
    fails: dict[str, int] = {}
    for keys, finding, kind, severity in zip(all_checks["keys"], all_checks["finding"],
                                             all_checks["kind"], all_checks["severity"],
                                             strict=True):
        if finding and severity == CONTRADICTION:
            target = fails
        elif not finding and kind in CONFIRMING_KINDS:
            target = holds
        else:
            continue
        for k in set(keys.split(";")):
            target[k] = target.get(k, 0) + 1
    return holds, fails


def weigh(frame: pd.DataFrame, all_checks: pd.DataFrame, check: Checker) -> pd.DataFrame:
    """The findings of ``all_checks`` (from ``check(frame)``) with :data:`WEIGHED_COLUMNS`:
    ``suspect`` (a key, a ``marker:`` set, or empty), ``candidates`` (the free figures),
    ``suspect_value`` (what the suspect would be if the others are right; NaN when not
    known) and ``assessment``, a Swedish sentence saying which figure the evidence points to."""
    figs = figures(frame).set_index("key")
    values = figs["value"]
    _, fails = relation_counts(all_checks)
    passing = all_checks[~all_checks["finding"] & (all_checks["kind"] == "equal")]
    corroborated = {k for keys in passing["keys"] for k in keys.split(";")}
    before = _signature(all_checks)
    found = all_checks[all_checks["finding"]].reset_index(drop=True)
    tried: dict[tuple[str, float], int] = {}
    rows = []
    for row in found.itertuples(index=False):
        keys = list(dict.fromkeys(row.keys.split(";")))
        free = [k for k in keys if k not in corroborated]
        suspect, value, dated = "", math.nan, ""
        if row.unit == "date" and row.rule == "same_figure" and len(keys) == 2:
            suspect, dated = date_suspect(figs, (keys[0], keys[1]))
            if suspect:
                other = keys[1] if suspect == keys[0] else keys[0]
                value = float(values[other])
        if suspect:
            pass
        elif row.kind == "atleast":
            free = []  # parts that fall short of a whole: no single figure is implied
        elif len(free) == 1:
            suspect = free[0]
            implied = _implied(row, suspect, values)
            value = math.nan if implied is None else implied
        elif 2 <= len(free) <= MAX_TRIALS:
            scores, best, winners = _trials(free, row, values, tried, frame, before, check)
            if best >= 1 and len(winners) > 1:
                winners = _most_failing(winners, fails)
            if best >= 1 and len(winners) == 1:
                suspect, value = winners[0], scores[winners[0]][1]
        elif len(free) > MAX_TRIALS:
            crossing = [k for k in free if fails.get(k, 0) >= 2][:MAX_TRIALS]
            scores, best, winners = _trials(crossing, row, values, tried, frame, before, check)
            if best >= 2 and len(winners) == 1:
                suspect, value = winners[0], scores[winners[0]][1]
        elif not free:
            for term in _marked_terms():
                marked = [k for k in keys if k in figs.index and figs.at[k, "table"] == term.table
                          and figs.at[k, "marker"] == term.marker]
                if marked and row.rule == "identity":
                    suspect = f"{MARKER_PREFIX}{term.table}:{term.marker}"
                    break
        assessment = _assessment(suspect, free, value, figs, row)
        if dated:
            assessment = f"{assessment} {dated}"
        rows.append({"suspect": suspect, "candidates": ";".join(free), "suspect_value": value,
                     "assessment": assessment})
    weighed = pd.DataFrame(rows, columns=list(WEIGHED_COLUMNS), index=found.index)
    return pd.concat([found, weighed], axis=1)


def _most_failing(keys: list[str], fails: dict[str, int]) -> list[str]:
    """The keys in the most contradictions, when that is more than one: a figure in two failing
    relations (a row and a column) is where they cross."""
    most = max(fails.get(k, 0) for k in keys)
    return [k for k in keys if fails.get(k, 0) == most] if most >= 2 else keys


def _assessment(suspect: str, free: list[str], value: float, figs: pd.DataFrame,
                row: Any) -> str:
    if suspect.startswith(MARKER_PREFIX):
        term = next(t for t in _marked_terms()
                    if suspect == f"{MARKER_PREFIX}{t.table}:{t.marker}")
        return (f"Misstänkt: {term.label}. Varje siffra i sambandet bekräftas av en annan "
                f"kontroll som går ihop, men markeringarna gör det inte.")
    if suspect:
        fig = figs.loc[suspect]
        fix = ("" if math.isnan(value) or row.unit == "percent" else
               f"; de övriga siffrorna ger {value_text(value, fig.unit)}")
        return f"Misstänkt: {_describe(fig)}{fix}."
    if row.kind == "atleast":
        return ("Ingen enskild siffra pekas ut: delarna räcker inte till helheten, och vilken "
                "som är för liten säger inga andra siffror.")
    if not free:
        return "Ingen enskild siffra kan pekas ut: var och en bekräftas av en annan kontroll."
    if len(free) > MAX_TRIALS:
        return (f"Ingen enskild siffra kan pekas ut: {len(free)} av siffrorna bekräftas inte av "
                f"någon annan kontroll.")
    names = " eller ".join(_describe(figs.loc[k]) for k in free)
    return capital(f"ingen enskild siffra kan pekas ut: felet kan ligga i {names}.")


def corrections(frame: pd.DataFrame, weighed: pd.DataFrame, check: Checker) -> pd.DataFrame:
    """Single printed figures whose correction explains findings, offered only when unique:
    the figure is the named suspect of each finding it is in, every such finding implies the
    same value, and setting it resolves them all without creating a new finding. Columns key,
    source, printed, corrected, resolves (number of findings)."""
    figs = figures(frame).set_index("key")
    before = {(r.rule, r.keys) for r in weighed.itertuples(index=False)}
    rows = []
    named = weighed[(weighed["suspect"] != "") & ~weighed["suspect"].str.startswith(MARKER_PREFIX)]
    for key, group in named.groupby("suspect", sort=True):
        implied = set(group["suspect_value"].dropna())
        others = weighed[weighed["keys"].str.split(";").map(lambda ks, k=key: k in ks)
                         & (weighed["suspect"] != key)]
        if len(implied) != 1 or len(group) != group["suspect_value"].notna().sum() \
                or not others.empty:
            continue
        value = implied.pop()
        resolved = _score(frame, str(key), value, before, check)
        if resolved[0] < len(group):
            continue
        rows.append({"key": key, "source": figs.at[key, "source"],
                     "printed": figs.at[key, "value"], "corrected": value,
                     "resolves": resolved[0]})
    return pd.DataFrame(rows, columns=["key", "source", "printed", "corrected", "resolves"])
