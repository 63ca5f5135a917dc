"""The consistency rules: what the report's own figures say about each other. Generic rules read
the structure of the reference data (``parent``, ``measure``, ``period``, ``lan_code``,
``marker``) and the relations declared in :mod:`samverkan.audit.declared`; every rule family
has its own test on a small synthetic report (``tests/test_audit_rules.py``)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from functools import cache

import pandas as pd

from samverkan import fmt
from samverkan.audit.declared import (
    ADDITIVE_UNITS,
    CONTRADICTION,
    COVERAGE,
    DATE_ORDER,
    EXTREMES,
    FORM_COUNTS,
    IDENTITIES,
    PARTITIONS,
    PERIOD_SPLITS,
    POSSIBLE,
    QUESTION_READINGS,
    SHARES,
    Identity,
)
from samverkan.audit.figures import Book, Check, Fig, figures
from samverkan.audit.text import (
    NATIONAL,
    bare,
    capital,
    county_label,
    difference,
    label,
    source_label,
    stated_interval,
    value_text,
    within,
)
from samverkan.rounds import PERIOD_YEARS, period_label

RULES: dict[str, str] = {
    "sum_of_parts": "Delar med samma mått summerar till sin tryckta summa (kolumnsummor, "
                    "summor i texten)",
    "period_sum": "Åren summerar till perioden (radsummor, 2008–2009 + 2010 = 2008–2010)",
    "partition": "Kategorier som delar upp projekten summerar till helheten",
    "identity": "Ekonomiska samband (kostnader, återbetalning, rekvirerade medel)",
    "same_figure": "Samma uppgift tryckt på flera ställen har samma värde",
    "subcount": "En delmängd är inte större än det den är en del av",
    "period_nesting": "En kortare period är inte större än den längre perioden",
    "coverage": "Delar som tillsammans ska täcka helheten (strukturtyper, målgrupper)",
    "date_order": "Datum som hör ihop kommer i rätt ordning",
    "share": "En tryckt andel stämmer med antalen den bygger på",
    "extreme": "Ett tryckt minsta eller största värde per län stämmer med tabellen, och med "
               "raden för det län texten nämner",
    "stated_count": "Antal som texten anger (år med medel, länsstyrelser, sista år för "
                    "medlen) stämmer med tabellerna och perioden de beskriver",
    "form_count": "Antalet frågor som texten anger stämmer med blanketterna i bilagan",
}
"""The rules, in the order they run, with a Swedish description for the audit chapter."""

CHECK_COLUMNS: tuple[str, ...] = (
    "source", "rule", "severity", "expected", "stated", "difference", "unit", "keys", "tolerance",
    "detail", "finding", "kind", "signs",
)


def _but(finding: bool) -> str:
    """The conjunction of a detail sentence: the figures disagree (men) or agree (och)."""
    return "men" if finding else "och"


def _exceeds(finding: bool) -> str:
    return "är fler än" if finding else "är inte fler än"


def _where(fig: Fig) -> str:
    """Where a figure is printed, at the start of a sentence."""
    county = county_label(fig.lan_code)
    where = capital(source_label(fig.source))
    return f"{where}, {county}" if county and fig.lan_code != NATIONAL else where


def _part_name(part: Fig, whole: Fig) -> str:
    if part.lan_code != whole.lan_code:
        return county_label(part.lan_code)
    return period_label(part.period)


def _rule_sum_of_parts(book: Book) -> None:
    """Children with the same measure as their parent are its disjoint parts: they add up to it
    (Tabell 1 and 2 columns → Summa, 6 + 7 + 10 miljoner → 23, 69 + 82 → 151, 32 + 24 → 55)."""
    frame = book.frame
    children = frame[frame["parent"] != ""]
    for parent_key, group in children.groupby("parent", sort=False):
        parent = book.by_key.get(parent_key)
        if parent is None:
            continue
        parts = [book.by_key[k] for k in group["key"] if book.by_key[k].measure == parent.measure]
        if not parts or parent.unit not in ADDITIVE_UNITS:
            continue
        expected = sum(p.value for p in parts)
        finding = expected != parent.value
        if len(parts) <= 4:
            terms = " + ".join(f"{bare(p.value, p.unit)} ({_part_name(p, parent)})"
                               for p in parts)
            parts_text = f"delarna {terms} summerar till {value_text(expected, parent.unit)}"
        else:
            kind = ("länens värden" if len({p.lan_code for p in parts}) == len(parts)
                    else "delarnas värden")
            parts_text = (f"de {len(parts)} delarna ({kind}) summerar till "
                          f"{value_text(expected, parent.unit)}")
        detail = (f"{_where(parent)}: {label(parent.measure)} {period_label(parent.period)} "
                  f"anges till {value_text(parent.value, parent.unit)}, {_but(finding)} "
                  f"{parts_text}.")
        book.add(Check("sum_of_parts", parent.source, (parent.key, *(p.key for p in parts)),
                       parent.value, expected, parent.unit, finding, detail,
                       signs=(0, *(1 for _ in parts))))


def _group_key(fig: Fig) -> str:
    return fig.source if fig.table == "prose" else fig.table


def _rule_periods(book: Book) -> None:
    """Within one table (or one prose section), a county's years add up to the period they make
    up (Tabell 1's S:a tre år; 69 + 82 = 151), and a shorter period never exceeds the longer one
    that contains it (projects by 2009 ≤ projects by 2010; 18 → 34 church projects)."""
    groups: dict[tuple[str, str, str], dict[str, Fig]] = {}
    for (measure, period, lan), figs in book.rows.items():
        for fig in figs:
            if fig.unit not in ADDITIVE_UNITS or period not in PERIOD_YEARS:
                continue
            groups.setdefault((_group_key(fig), lan, measure), {}).setdefault(period, fig)
    for by_period in groups.values():
        covered: set[frozenset[str]] = set()
        for whole, pieces in PERIOD_SPLITS:
            if whole not in by_period or not all(p in by_period for p in pieces):
                continue
            total = by_period[whole]
            parts = [by_period[p] for p in pieces]
            expected = sum(p.value for p in parts)
            names = " + ".join(period_label(p.period) for p in parts)
            terms = " + ".join(bare(p.value, p.unit) for p in parts)
            finding = expected != total.value
            detail = (f"{_where(total)}: {label(total.measure)} för "
                      f"{period_label(total.period)} anges till "
                      f"{value_text(total.value, total.unit)}, {_but(finding)} {names} = {terms} "
                      f"= {value_text(expected, total.unit)}.")
            book.add(Check("period_sum", total.source, (total.key, *(p.key for p in parts)),
                           total.value, expected, total.unit, finding, detail,
                           signs=(0, *(1 for _ in parts))))
            covered.update(frozenset({total.period, p.period}) for p in parts)
        for short, long in ((a, b) for a in by_period for b in by_period
                            if PERIOD_YEARS[a] < PERIOD_YEARS[b]):
            if frozenset({short, long}) not in covered:
                book.nesting.append((by_period[short], by_period[long]))


def _rule_nesting(book: Book) -> None:
    for short, long in book.nesting:
        finding = short.value > long.value
        detail = (f"{_where(short)}: {label(short.measure)} {period_label(short.period)} "
                  f"({value_text(short.value, short.unit)}) {_exceeds(finding)} för hela "
                  f"{period_label(long.period)} ({value_text(long.value, long.unit)}, "
                  f"{source_label(long.source)}).")
        book.add(Check("period_nesting", short.source, (short.key, long.key), short.value,
                       long.value, short.unit, finding, detail, kind="atmost"))


def _rule_identities(book: Book, identities: Sequence[Identity]) -> None:
    """``lhs = plus − minus`` wherever the left-hand side is printed and every term can be
    resolved (partitions: ongoing + finished = started; accounting: granted + administration =
    costs, requisitioned − costs = repayment, allocated − not requisitioned = requisitioned).
    A partition whose parts may overlap (:attr:`Identity.overlap`) and add up to more than the
    whole is a possible deviation, not a contradiction."""
    for ident in identities:
        wheres = sorted({(period, lan) for (measure, period, lan) in book.rows
                         if measure == ident.lhs})
        for period, lan in wheres:
            names = [ident.lhs, *(t for t in (*ident.plus, *ident.minus) if isinstance(t, str))]
            prefer = book.prefer_table(names, period, lan)
            lhs = book.printed(ident.lhs, period, lan, prefer)
            value = book.evaluate(ident, period, lan, prefer)
            if lhs is None or value is None or value[2] != lhs.unit:
                continue
            expected, keys, unit, terms = value
            signs = tuple(sign * s for sign, _, _, r in terms for s in r.signs)
            finding = not math.isclose(expected, lhs.value, abs_tol=0.5)
            expression = " ".join(
                f"{'+' if sign > 0 else '−'} {name} {bare(r.value, unit)}"
                for sign, name, _, r in terms).lstrip("+ ")
            severity, tolerance = CONTRADICTION, ""
            if ident.rule == "partition":
                detail = (f"{_where(lhs)}: {expression} = {value_text(expected, unit)}, "
                          f"{_but(finding)} "
                          f"{label(ident.lhs)} {period_label(period)} anges till "
                          f"{value_text(lhs.value, unit)}.")
                if finding and ident.overlap and expected > lhs.value:
                    severity = POSSIBLE
                    tolerance = (f"kategorierna kan överlappa ({ident.overlap}): "
                                 f"{value_text(expected - lhs.value, unit)} i mer än en")
            else:
                detail = (f"{_where(lhs)}: {label(ident.lhs)} anges till "
                          f"{value_text(lhs.value, unit)}, {_but(finding)} {expression} = "
                          f"{value_text(expected, unit)}.")
            book.add(Check(ident.rule, lhs.source, (lhs.key, *keys), lhs.value, expected, unit,
                           finding, detail, signs=(0, *signs), severity=severity,
                           tolerance=tolerance))


def _rule_same_figure(book: Book) -> None:
    """Every printing of one measure for one period and county has the same value; each is
    compared with the printing that stands for the figure (a table before its bullets before
    the prose). Which of two disagreeing printings is wrong is for the evidence to weigh
    (:mod:`samverkan.audit.evidence`), not this rule."""
    for figs in book.rows.values():
        if len(figs) < 2:
            continue
        reference = figs[0]
        for fig in figs[1:]:
            if fig.unit != reference.unit:
                continue
            finding = fig.value != reference.value
            detail = (f"{_where(fig)} anger {label(fig.measure)} {period_label(fig.period)} "
                      f"till {value_text(fig.value, fig.unit)} (”{fig.text}”), {_but(finding)} "
                      f"{source_label(reference.source)} anger "
                      f"{value_text(reference.value, reference.unit)}.")
            book.add(Check("same_figure", fig.source, (fig.key, reference.key), fig.value,
                           reference.value, fig.unit, finding, detail, signs=(0, 1)))


def _rule_subcounts(book: Book) -> None:
    """A child with a different measure than its parent is a subset of the parent's projects or
    money: never larger. Lifted to the counties where both have county parts (a county's new
    structures ≤ its projects)."""
    frame = book.frame
    parts_by_parent: dict[str, dict[str, Fig]] = {}
    for r in frame[frame["parent"] != ""].itertuples(index=False):
        parent = book.by_key.get(r.parent)
        child = book.by_key[r.key]
        if parent is not None and parent.measure == child.measure:
            parts_by_parent.setdefault(parent.key, {}).setdefault(child.lan_code, child)
    for r in frame[frame["parent"] != ""].itertuples(index=False):
        child, parent = book.by_key[r.key], book.by_key.get(r.parent)
        if parent is None or parent.measure == child.measure or parent.unit != child.unit:
            continue
        if child.unit not in ADDITIVE_UNITS:
            continue
        pairs = [(child, parent)]
        child_parts = parts_by_parent.get(child.key, {})
        parent_parts = parts_by_parent.get(parent.key, {})
        pairs += [(child_parts[lan], parent_parts[lan])
                  for lan in sorted(set(child_parts) & set(parent_parts))]
        for small, big in pairs:
            finding = small.value > big.value
            detail = (f"{_where(small)}: {label(small.measure)} "
                      f"({value_text(small.value, small.unit)}) {_exceeds(finding)} "
                      f"{label(big.measure)} ({value_text(big.value, big.unit)}), som de är en "
                      f"del av.")
            book.add(Check("subcount", small.source, (small.key, big.key), small.value,
                           big.value, small.unit, finding, detail, kind="atmost"))


def _rule_coverage(book: Book) -> None:
    """Parts that must cover a whole (:data:`~samverkan.audit.declared.COVERAGE`): wherever the
    whole and every part are given for a period and county, the parts add up to at least the
    whole. It holds only under the declared reading, so a failure is a possible deviation."""
    for cover in COVERAGE:
        wheres = sorted({(p, lan) for (m, p, lan) in book.rows if m == cover.whole})
        for period, lan in wheres:
            prefer = book.prefer_table([cover.whole, *cover.parts], period, lan)
            whole = book.printed(cover.whole, period, lan, prefer)
            parts = [book.resolve(p, period, lan, prefer) for p in cover.parts]
            if whole is None or any(p is None or p.unit != whole.unit for p in parts):
                continue
            total = sum(p.value for p in parts if p is not None)
            keys = tuple(k for p in parts if p is not None for k in p.keys)
            finding = total < whole.value
            terms = " + ".join(f"{label(m)} {bare(p.value, whole.unit)}"
                               for m, p in zip(cover.parts, parts, strict=True) if p is not None)
            detail = (f"{_where(whole)}: {terms} = {value_text(total, whole.unit)}, "
                      f"{'färre än' if finding else 'minst lika många som'} "
                      f"{label(cover.whole)} {period_label(period)} "
                      f"({value_text(whole.value, whole.unit)}).")
            book.add(Check("coverage", whole.source, (*keys, whole.key), total, whole.value,
                           whole.unit, finding, detail, kind="atleast",
                           severity=POSSIBLE if finding else "",
                           tolerance=f"gäller om {cover.reading}" if finding else ""))


def _rule_date_order(book: Book) -> None:
    """Dates the report states in relation come in order (:data:`~samverkan.audit.declared.
    DATE_ORDER`): every printing of the earlier date against every printing of the later one in
    the same period (a date without a period, such as the government's decision, against all)."""
    for order in DATE_ORDER:
        earlier = [(p, f) for (m, p, _), figs in sorted(book.rows.items()) if m == order.earlier
                   for f in figs]
        later = [(p, f) for (m, p, _), figs in sorted(book.rows.items()) if m == order.later
                 for f in figs]
        for p1, first in earlier:
            for p2, second in later:
                if p1 and p2 and p1 != p2:
                    continue
                if first.unit != "date" or second.unit != "date":
                    continue
                finding = first.value > second.value
                period = f" {period_label(p1 or p2)}" if (p1 or p2) else ""
                detail = (f"{_where(first)}: {label(order.earlier)}{period} "
                          f"({value_text(first.value, 'date')}) "
                          f"{'är senare än' if finding else 'är inte senare än'} "
                          f"{label(order.later)} ({value_text(second.value, 'date')}, "
                          f"{source_label(second.source)}); väntat är att {order.reason}.")
                book.add(Check("date_order", first.source, (first.key, second.key),
                               first.value, second.value, "date", finding, detail,
                               kind="atmost", severity=order.severity if finding else ""))


def _rule_shares(book: Book) -> None:
    """A printed percentage against the counts or amounts it is a share of, for each
    denominator the text could mean. It holds when one denominator gives the printed value to
    one decimal, or a value within the tolerance its printing allows (``5%``: 4,5–5,5 %,
    ``knappt 40 procent``: 35–40 %, ``drygt 37 procent``: 37–37,5 %): a hedged share that its
    own wording covers is no finding. Outside the tolerance it is a contradiction."""
    for share in SHARES:
        for (measure, period, lan), figs in sorted(book.rows.items()):
            if measure != share.measure:
                continue
            fig = figs[0]
            where_lan = lan or NATIONAL
            prefer = book.prefer_table([share.numerator], period, where_lan)
            numerator = book.resolve(share.numerator, period, where_lan, prefer)
            if numerator is None:
                continue
            interval = stated_interval(fig.value, fig.text, fig.unit)
            computed: list[tuple[float, str, tuple[str, ...], float]] = []
            for name in share.denominators:
                denominator = book.resolve(name, period, where_lan, prefer)
                if denominator is None or not denominator.value:
                    continue
                computed.append((round(100 * numerator.value / denominator.value, 2), name,
                                 denominator.keys, denominator.value))
            if not computed:
                continue
            best = min(computed, key=lambda c: abs(c[0] - fig.value))
            exact = abs(best[0] - fig.value) < 0.05 + 1e-9
            inside = within(best[0], interval)
            finding = not (exact or inside)
            tolerance = (f"{fmt.num(interval[0], 1)}–{fmt.num(interval[1], 1)}{fmt.NBSP}% "
                         f"(”{fig.text}”)")
            ratios = "; ".join(f"{label(share.numerator)} / {label(name)} = "
                               f"{bare(numerator.value, numerator.unit)} / {bare(value, 'sek')} = "
                               f"{fmt.num(c, 1)}{fmt.NBSP}%"
                               for c, name, _, value in computed)
            verdict = ("det tryckta värdet" if exact else
                       "inom toleransen" if inside else "utanför toleransen")
            detail = (f"{_where(fig)}: {label(share.measure)} anges som ”{fig.text}”, "
                      f"{_but(finding)} {ratios}; närmast är {fmt.num(best[0], 1)}{fmt.NBSP}%, "
                      f"{verdict}.")
            book.add(Check("share", fig.source, (fig.key, *numerator.keys, *best[2]),
                           fig.value, best[0], "percent", finding, detail, kind="other",
                           severity=CONTRADICTION if finding else "",
                           tolerance=tolerance if finding or not exact else ""))


_NAMED_COUNTY = re.compile(r"\bi ((?:[A-ZÅÄÖ][\wåäö-]*)(?: [A-ZÅÄÖ][\wåäö-]*)*(?: län)?)")


def named_counties(text: str) -> list[str]:
    """The länskoder of the counties a printed text binds its figure to (``till 13 i Västra
    Götaland`` → ``["14"]``); none for ``i några län``."""
    from samverkan import registry

    out = []
    for name in _NAMED_COUNTY.findall(text):
        try:
            out.append(registry.county_code(name))
        except registry.UnknownCountyError:
            continue
    return out


def _rule_extremes(book: Book) -> None:
    """A printed smallest or largest county value against the county values of the table; and
    when the text names the county (``till 13 i Västra Götaland``), against that county's row:
    the text binds the figure to it, whatever the column's extreme is."""
    for (measure, period, _lan), figs in sorted(book.rows.items()):
        if measure not in EXTREMES:
            continue
        base, how = EXTREMES[measure]
        for fig in figs:
            counties = [book.printed(base, period, c, fig.table) for c in book.counties]
            counties = [c for c in counties if c is not None]
            if len(counties) < 2:
                continue
            pick = min if how == "min" else max
            expected = pick(c.value for c in counties)
            at = [c for c in counties if c.value == expected]
            names = ", ".join(county_label(c.lan_code) for c in at)
            word = "minsta" if how == "min" else "största"
            finding = fig.value != expected
            detail = (f"{_where(fig)}: det {word} antalet per län {period_label(period)} anges "
                      f"till {fmt.num(fig.value)} (”{fig.text}”), {_but(finding)} "
                      f"{source_label(at[0].source)} har {fmt.num(expected)} för {names}.")
            single = len(at) == 1  # then the printed extreme is that county's figure
            book.add(Check("extreme", fig.source, (fig.key, *(c.key for c in at)), fig.value,
                           expected, fig.unit, finding, detail,
                           kind="equal" if single else "other", signs=(0, 1) if single else ()))
            for lan in named_counties(fig.text):
                row = book.printed(base, period, lan, fig.table)
                if row is None:
                    continue
                finding = fig.value != row.value
                detail = (f"{_where(fig)}: texten binder {fmt.num(fig.value)} (”{fig.text}”) "
                          f"till {county_label(lan)}, {_but(finding)} {source_label(row.source)} "
                          f"har {fmt.num(row.value)} för {county_label(lan)} "
                          f"{period_label(period)}.")
                book.add(Check("extreme", fig.source, (fig.key, row.key), fig.value, row.value,
                               fig.unit, finding, detail, signs=(0, 1)))


STATED_COUNTS: dict[str, str] = {"funding_years": "years", "county_boards": "counties",
                                 "funds_use_period_end": "last_year"}
"""Measures that state a count or a year about the tables (what each is compared with)."""


def _rule_stated_counts(book: Book) -> None:
    """A count or year the text states against what it describes: the years with allocations
    in Tabell 1 within the period (``tre år``), the counties with allocations (``De 21
    länsstyrelserna``), and the last year the funds could be used (not before the period's
    last grant year)."""
    allocations = [f for figs in book.rows.values() for f in figs
                   if f.measure == "allocated_sek" and f.table != "prose"]
    for (measure, period, _lan), figs in sorted(book.rows.items()):
        what = STATED_COUNTS.get(measure)
        if what is None or period not in PERIOD_YEARS:
            continue
        years = PERIOD_YEARS[period]
        for fig in figs:
            if what == "years":
                cells = {f.period: f for f in allocations if f.period in PERIOD_YEARS
                         and len(PERIOD_YEARS[f.period]) == 1
                         and PERIOD_YEARS[f.period] <= years and f.lan_code == NATIONAL}
                if not cells:
                    continue
                expected = float(len(cells))
                keys = tuple(cells[p].key for p in sorted(cells))
                described = (f"{source_label(next(iter(cells.values())).source)} har medel för "
                             f"{len(cells)} år ({', '.join(sorted(cells))})")
                kind = "other"
            elif what == "counties":
                counties = {f.lan_code: f for f in allocations if f.period == period
                            and f.lan_code not in (NATIONAL, "")}
                if not counties:
                    continue
                expected, keys, kind = float(len(counties)), (), "other"
                described = (f"{source_label(next(iter(counties.values())).source)} har "
                             f"{len(counties)} län med medel {period_label(period)}")
            else:
                expected, keys, kind = float(max(years)), (), "atmost"
                described = f"periodens sista år med beviljade medel är {max(years)}"
            finding = (fig.value < expected) if what == "last_year" else fig.value != expected
            shown = str(int(fig.value)) if what == "last_year" else fmt.num(fig.value)
            detail = (f"{_where(fig)}: {label(fig.measure)} anges till {shown} "
                      f"(”{fig.text}”), {_but(finding)} {described}.")
            if what == "last_year":
                book.add(Check("stated_count", fig.source, (fig.key,), expected, fig.value,
                               "count", finding, detail, kind=kind))
            else:
                book.add(Check("stated_count", fig.source, (fig.key, *keys), fig.value,
                               expected, "count", finding, detail, kind=kind))


@cache
def appendix_forms() -> dict[str, tuple[str, ...]]:
    """The questions of each form in the appendix *Blanketterna* (from the codebook): form →
    question ids (``1``, ``2a``, ``2a-kryss``, ``huvud`` …)."""
    from samverkan.intake.forms import FORMS, form_questions

    questions = form_questions()
    return {form: tuple(dict.fromkeys(q for q, _ in questions[form])) for form in FORMS}


def question_counts(questions: Sequence[str]) -> dict[str, int]:
    """How many questions a form has under each reading of :data:`QUESTION_READINGS`: the
    numbered questions (1, 2, 3 …) or every question and sub-question (1, 1a, 2 …)."""
    items = {q for q in questions if re.fullmatch(r"\d+[a-z]?", q)}
    return {"numbered": len({re.match(r"\d+", q).group(0) for q in items}),  # type: ignore[union-attr]
            "items": len(items)}


def _rule_form_counts(book: Book, forms: Mapping[str, Sequence[str]]) -> None:
    """The number of questions the text states about a form against the form in the appendix
    (:data:`~samverkan.audit.declared.FORM_COUNTS`). A count no reading gives is a
    contradiction; counts that each hold only under a different reading of what a question is
    are a possible deviation."""
    matched: list[tuple[Fig, set[str], dict[str, int], str]] = []
    for (measure, period, _lan), figs in sorted(book.rows.items()):
        form = FORM_COUNTS.get(period)
        if measure != "form_questions" or form is None or form not in forms:
            continue
        counts = question_counts(forms[form])
        for fig in figs:
            readings = {r for r, n in counts.items() if n == fig.value}
            closest = min(counts.values(), key=lambda n: abs(n - fig.value))
            finding = not readings
            described = ", ".join(f"{n} räknat som {QUESTION_READINGS[r]}"
                                  for r, n in counts.items())
            detail = (f"{_where(fig)}: blanketten för {period_label(period)} anges ha "
                      f"{fmt.num(fig.value)} frågor (”{fig.text}”), {_but(finding)} blanketten "
                      f"i bilagan har {described}.")
            book.add(Check("form_count", fig.source, (fig.key,), fig.value,
                           float(next((counts[r] for r in sorted(readings)), closest)),
                           "count", finding, detail, kind="other"))
            if readings:
                matched.append((fig, readings, counts, period))
    if len(matched) >= 2 and not set.intersection(*(m[1] for m in matched)):
        parts = [f"{source_label(f.source)} ({fmt.num(f.value)} frågor för "
                 f"{period_label(p)}) räknar "
                 + " eller ".join(QUESTION_READINGS[r] for r in sorted(rs))
                 for f, rs, _, p in matched]
        first, _, first_counts, _ = matched[0]
        # what the first figure would be under the reading of the next one: the two stated
        # counts differ by how they count, so the finding never reads "6 against 6"
        other_reading = sorted(matched[1][1])[0]
        detail = (f"{capital('; '.join(parts))}: texten räknar frågorna på olika sätt, så "
                  f"antalen kan inte jämföras med varandra.")
        book.add(Check("form_count", first.source, tuple(m[0].key for m in matched),
                       first.value, float(first_counts[other_reading]), "count", True, detail,
                       kind="other",
                       severity=POSSIBLE,
                       tolerance="vad som räknas som en fråga (numrerade frågor eller delfrågor)"))


def checks(frame: pd.DataFrame, forms: Mapping[str, Sequence[str]] | None = None,
           counties: Sequence[str] | None = None) -> pd.DataFrame:
    """Every consistency check the rules make on ``frame`` (columns of ``published.csv``), passed
    or not: :data:`CHECK_COLUMNS`, ``finding`` True where the figures disagree, with its
    ``severity``. A set of figures is checked once, by the first rule in :data:`RULES` that
    relates them. ``forms`` (form → question ids) defaults to the appendix's forms, ``counties``
    to the registry's."""
    if counties is None:
        from samverkan.registry import county_codes

        counties = county_codes()
    book = Book(figures(frame), tuple(sorted(counties)))
    _rule_sum_of_parts(book)
    _rule_periods(book)
    _rule_identities(book, PARTITIONS)
    _rule_identities(book, IDENTITIES)
    _rule_same_figure(book)
    _rule_subcounts(book)
    _rule_nesting(book)
    _rule_coverage(book)
    _rule_date_order(book)
    _rule_shares(book)
    _rule_extremes(book)
    _rule_stated_counts(book)
    _rule_form_counts(book, appendix_forms() if forms is None else forms)
    rows = [{"source": c.source, "rule": c.rule,
             "severity": (c.severity or CONTRADICTION) if c.finding else "",
             "expected": c.expected, "stated": c.stated,
             "difference": difference(c.stated, c.expected, c.unit), "unit": c.unit,
             "keys": ";".join(c.keys), "tolerance": c.tolerance, "detail": c.detail,
             "finding": c.finding, "kind": c.kind,
             "signs": ";".join(str(s) for s in c.signs)}
            for c in book.checks]
    result = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    return result.astype({"finding": bool})
