"""The audit for a reader: tables with Swedish headers, the numbered list of findings, the
chart of statuses, and sentences about corrections. Rapport 2011:39's tables are always named
"rapportens tabell N", apart from the book's own numbered tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from samverkan import fmt
from samverkan.audit.compare import STATUSES, figure_name
from samverkan.audit.declared import CONTRADICTION, POSSIBLE, SEVERITIES
from samverkan.audit.figures import figures
from samverkan.audit.rules import RULES
from samverkan.audit.text import capital, signed, source_label, value_text

STATUS_LABELS: dict[str, str] = {"match": "Stämmer", "differs": "Avviker",
                                 "not_recomputable": "Kan inte beräknas"}
TABLE_LABELS: dict[str, str] = {**{f"t{n}": f"Rapportens tabell {n}" for n in range(1, 7)},
                                "prose": "Rapportens löptext"}

RULE_NAMES: dict[str, str] = {
    "sum_of_parts": "Delar mot summa", "period_sum": "År mot period",
    "partition": "Uppdelning av projekten", "identity": "Ekonomiskt samband",
    "same_figure": "Samma uppgift på flera ställen", "subcount": "Delmängd mot helhet",
    "period_nesting": "Kortare mot längre period", "coverage": "Delar som täcker helheten",
    "date_order": "Datumens ordning", "share": "Andel mot antal",
    "extreme": "Minsta/största län", "form_count": "Frågor i blanketten",
    "stated_count": "Antal och år i texten",
}
"""Short Swedish names of the rules, for table cells."""


def status_table(audit_frame: pd.DataFrame, published_frame: pd.DataFrame) -> pd.DataFrame:
    """Counts of audit statuses per part of the report (rows Rapportens tabell 1–6, Rapportens
    löptext, Totalt), Swedish headers."""
    tables = published_frame.set_index("key")["table"]
    frame = audit_frame.assign(table=audit_frame["key"].map(tables).map(TABLE_LABELS))
    counts = pd.crosstab(frame["table"], frame["status"]).reindex(
        index=[t for t in TABLE_LABELS.values() if t in set(frame["table"])],
        columns=list(STATUSES), fill_value=0)
    counts.loc["Totalt"] = counts.sum()
    counts["Totalt"] = counts.sum(axis=1)
    counts = counts.rename(columns=STATUS_LABELS)
    counts.index.name = "Del av rapporten"
    counts.columns.name = None
    return counts


def rules_table(all_checks: pd.DataFrame) -> pd.DataFrame:
    """Per rule: what it checks, how many checks it made, and how many found a contradiction
    or a possible deviation."""
    rows = []
    for rule, what in RULES.items():
        mine = all_checks[all_checks["rule"] == rule]
        found = mine[mine["finding"]]
        rows.append({"Regel": RULE_NAMES[rule], "Vad som kontrolleras": what,
                     "Kontroller": len(mine),
                     "Motsägelser": int((found["severity"] == CONTRADICTION).sum()),
                     "Möjliga avvikelser": int((found["severity"] == POSSIBLE).sum())})
    return pd.DataFrame(rows)


def severity_counts(findings: pd.DataFrame) -> dict[str, int]:
    """Number of findings per severity, both severities present."""
    counts = findings["severity"].value_counts()
    return {s: int(counts.get(s, 0)) for s in SEVERITIES}


def checks_phrase(n: int) -> str:
    """``1 kontroll visar`` / ``5 kontroller visar`` (the number in Swedish)."""
    return f"{fmt.num(n)} {'kontroll' if n == 1 else 'kontroller'} visar"


def findings_markdown(findings: pd.DataFrame) -> str:
    """The findings as a numbered Markdown list (the numbers ``audit.csv`` and the differences
    refer to): severity, the arithmetic, the tolerance where one was used, and the suspect."""
    lines = []
    for n, f in enumerate(findings.itertuples(index=False), start=1):
        tolerance = f" Tolerans: {f.tolerance}." if f.tolerance else ""
        lines.append(f"{n}. **{f.severity}.** {f.detail}{tolerance} {f.assessment}")
    return "\n".join(lines)


def findings_table(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings with Swedish headers and formatted numbers, numbered as in the list."""
    rows = [{"Nr": n, "Var i rapporten": capital(source_label(f.source)),
             "Regel": RULE_NAMES[f.rule], "Bedömning": f.severity,
             "Angivet": value_text(f.stated, f.unit), "Förväntat": value_text(f.expected, f.unit),
             "Skillnad": signed(f.difference, f.unit) if f.difference else "–"}
            for n, f in enumerate(findings.itertuples(index=False), start=1)]
    return pd.DataFrame(rows, columns=["Nr", "Var i rapporten", "Regel", "Bedömning", "Angivet",
                                       "Förväntat", "Skillnad"])


def differences_table(explained: pd.DataFrame, published_frame: pd.DataFrame) -> pd.DataFrame:
    """The ``differs`` rows (from :func:`~samverkan.audit.compare.explain_differences`) with
    Swedish headers."""
    figs = figures(published_frame).set_index("key")
    rows = []
    for d in explained.itertuples(index=False):
        fig = figs.loc[d.key]
        rows.append({"Var i rapporten": capital(source_label(d.source)),
                     "Uppgift": figure_name(fig),
                     "Publicerat": value_text(d.published, fig.unit),
                     "Beräknat": value_text(d.recomputed, fig.unit),
                     "Förklaras av rapporten": "ja" if d.explained else "nej"})
    return pd.DataFrame(rows, columns=["Var i rapporten", "Uppgift", "Publicerat", "Beräknat",
                                       "Förklaras av rapporten"])


def not_recomputable_table(audit_frame: pd.DataFrame, published_frame: pd.DataFrame
                           ) -> pd.DataFrame:
    """The figures that cannot be recomputed, one row per measure: what, where, how many."""
    from samverkan.audit.text import label

    figs = figures(published_frame).set_index("key")
    keys = audit_frame.loc[audit_frame["status"] == "not_recomputable", "key"]
    rows = figs.loc[list(keys)]
    grouped = rows.groupby("measure", sort=False).agg(
        sources=("source", lambda s: ", ".join(dict.fromkeys(source_label(x) for x in s))),
        n=("source", "size"))
    return pd.DataFrame({"Uppgift": [capital(label(m)) for m in grouped.index],
                         "Var i rapporten": grouped["sources"].tolist(),
                         "Antal": grouped["n"].tolist()})


def describe_correction(correction: Any, published_frame: pd.DataFrame) -> str:
    """A Swedish sentence for one row of :func:`samverkan.audit.stage.corrections`."""
    fig = figures(published_frame).set_index("key").loc[correction.key]
    many = correction.resolves > 1
    return (f"Om {figure_name(fig)} i {source_label(fig.source)} i stället vore "
            f"{value_text(correction.corrected, fig.unit)} (tryckt: "
            f"{value_text(correction.printed, fig.unit)}) skulle "
            + (f"{correction.resolves} av motsägelserna försvinna utan att någon ny uppstår: "
               f"ett enda tryckfel förklarar dem, och ingen annan enskild siffra gör det."
               if many else
               "motsägelsen försvinna utan att någon ny uppstår, och ingen annan enskild siffra "
               "förklarar den."))


def status_chart(table: pd.DataFrame) -> Any:
    """Horizontal stacked bars of :func:`status_table` (without its totals): a
    :class:`samverkan.results.charts.Chart` with title, alt text and data, colour-blind-safe
    colours (Okabe–Ito), Swedish labels."""
    import matplotlib.pyplot as plt

    from samverkan.results.charts import Chart

    data = table.drop(index="Totalt", columns="Totalt").iloc[::-1]
    colours = {"Stämmer": "#009E73", "Avviker": "#D55E00", "Kan inte beräknas": "#999999"}
    fig, ax = plt.subplots(figsize=(7, 3.4), layout="constrained")
    left = pd.Series(0, index=data.index)
    for column in data.columns:
        ax.barh(data.index, data[column], left=left, color=colours[column], label=column)
        left = left + data[column]
    ax.set_xlabel("Antal tryckta siffror")
    ax.set_title("Rapportens tryckta siffror mot de beräknade")
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    parts = "; ".join(f"{part}: " + ", ".join(f"{fmt.num(row[c])} {c.lower()}"
                                              for c in data.columns)
                      for part, row in table.drop(index="Totalt").iterrows())
    alt = (f"Liggande staplar, en per del av rapporten, uppdelade på siffror som stämmer, "
           f"avviker och inte kan beräknas. {parts}.")
    return Chart("granskning_status", fig, alt, "Rapportens tryckta siffror mot de beräknade",
                 table.reset_index())
