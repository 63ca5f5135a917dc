"""Weighing a date printed two ways: which printing the report's other dates contradict.

When two printings of one date disagree (the foreword's 2011-08-31 against the method's
2010-08-31 as the end of the final report period), each printed value is held against every
other date of the same period that it relates to: the orders of
:data:`~samverkan.audit.declared.DATE_ORDER` and the readings of
:data:`~samverkan.audit.declared.DATE_SUPPORT` (the extension of the deadline, the time between a
period's end and its report). A relation that holds for one value and fails for the other is
evidence against the other; the printing with more evidence against it is the suspect, and the
dates that decided are named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from samverkan.audit.declared import DATE_ORDER, DATE_SUPPORT
from samverkan.audit.text import label, source_label, value_text


@dataclass(frozen=True)
class Relation:
    """``earlier`` ≤ ``later`` (and at most ``within_days`` apart), with why, in Swedish."""

    earlier: str
    later: str
    reason: str
    within_days: int | None = None


def relations() -> tuple[Relation, ...]:
    """Every relation between two dates the audit knows: orders first, then readings."""
    return (*(Relation(o.earlier, o.later, o.reason) for o in DATE_ORDER),
            *(Relation(s.earlier, s.later, s.reason, s.within_days) for s in DATE_SUPPORT))


def as_date(value: float) -> date:
    """A printed date (``20110831`` as a number) as a date."""
    number = int(value)
    return date(number // 10000, number // 100 % 100, number % 100)


def holds(relation: Relation, earlier: float, later: float) -> bool:
    """Whether the two dates (printed numbers) keep ``relation``."""
    first, second = as_date(earlier), as_date(later)
    if first > second:
        return False
    return relation.within_days is None or (second - first).days <= relation.within_days


@dataclass(frozen=True)
class Witness:
    """Another printed date that keeps a relation with one of two values and not the other."""

    key: str
    supports: str
    """The key of the printing it agrees with."""
    reason: str


def witnesses(figs: pd.DataFrame, keys: tuple[str, str]) -> list[Witness]:
    """The other dates of the period that tell the two printings ``keys`` of one date apart
    (``figs``: figures indexed by key). A date printed several times counts once."""
    first, second = (figs.loc[k] for k in keys)
    measure, period = first["measure"], first["period"]
    out: list[Witness] = []
    seen: set[tuple[str, float, str]] = set()
    others = figs[(figs["unit"] == "date") & ~figs.index.isin(list(keys))
                  & ((figs["period"] == period) | (figs["period"] == "") | (period == ""))]
    for relation in relations():
        if measure not in (relation.earlier, relation.later):
            continue
        other_measure = relation.later if measure == relation.earlier else relation.earlier
        for key, other in others[others["measure"] == other_measure].iterrows():
            if (other_measure, other["value"], relation.reason) in seen:
                continue
            seen.add((other_measure, other["value"], relation.reason))
            verdicts = []
            for printed in (first, second):
                pair = ((printed["value"], other["value"]) if measure == relation.earlier
                        else (other["value"], printed["value"]))
                verdicts.append(holds(relation, *pair))
            if verdicts[0] != verdicts[1]:
                out.append(Witness(str(key), keys[0] if verdicts[0] else keys[1],
                                   relation.reason))
    return out


def date_suspect(figs: pd.DataFrame, keys: tuple[str, str]) -> tuple[str, str]:
    """(suspect key, Swedish sentence naming the dates that decided) for two disagreeing
    printings of one date; ("", sentence) when the other dates do not tell them apart."""
    found = witnesses(figs, keys)
    against = {k: sum(1 for w in found if w.supports != k) for k in keys}
    if not found:
        return "", "Inga andra datum i rapporten skiljer de två uppgifterna åt."
    parts = []
    for k in keys:
        backing = [w for w in found if w.supports == k]
        if backing:
            dates = ", ".join(
                f"{value_text(figs.at[w.key, 'value'], 'date')} ({label(figs.at[w.key, 'measure'])}"
                f", {source_label(figs.at[w.key, 'source'])}: {w.reason})" for w in backing)
            parts.append(f"för {value_text(figs.at[k, 'value'], 'date')} talar {dates}")
    said = "; ".join(parts)
    if against[keys[0]] == against[keys[1]]:
        return "", f"De andra datumen väger jämnt: {said}."
    suspect = max(keys, key=lambda k: against[k])
    return suspect, f"Avgörande var rapportens andra datum: {said}."
