"""One county's profile (the appendix chapters made from ``notebooks/county.ipynb``): everything
the chapter shows, computed here from the processed data.

:func:`county_report` returns display-ready pieces (tables with Swedish headers and Swedish
number formatting, the figures the prose states); the notebook only arranges them. Because the
notebook shows nothing else, the results stage writes the profile of each county to a file of its
own (:func:`write_slices`), and the chapter reads that file only (:func:`read_slice`): a
correction in another county's file reruns this county only if it moves a national figure or this
county's rank.

No personal data: contact fields never reach the processed tables, and the free texts shown (the
county board's answers) have anything shaped like an e-mail address or phone number removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from samverkan import fmt, provenance, registry
from samverkan.book.markup import literal
from samverkan.intake import codebook, quality
from samverkan.intake.outputs import Processed, load_processed
from samverkan.privacy import redact
from samverkan.results import examples as exm
from samverkan.results import frames
from samverkan.results import indicators as ind
from samverkan.results import report_tables as rt
from samverkan.rounds import DEFAULT_ROUND, PERIOD_BY_ROUND

GOAL_LABELS: dict[str, str] = {"ja": "Ja", "delvis": "Delvis", "nej": "Nej",
                               "ej_bedömt": "Ej bedömt", "": "Ej kodat"}
"""The evaluator's coding of goal_met → Swedish."""

STATUS_LABELS: dict[str, str] = codebook.value_labels("Projekt", "status")

BOARD_TEXTS: tuple[str, ...] = ("prerequisites_text", "board_other_text")
"""The county board's free-text answers (Länsstyrelsen sheet), in form order."""



class CountyDataError(ValueError):
    """The county's submission is missing or was rejected: its profile cannot be made."""


# ------------------------------------------------------------------------------ the county's data


def _own_file(file: str, lan_code: str) -> bool:
    return str(file).startswith(f"{lan_code}-")


def county_subset(processed: Processed, lan_code: str) -> Processed:
    """The rows of ``processed`` that belong to one county: its projects, allocations and board
    row, and the ledger, rejects and coding issues of its files and projects."""
    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty or "lan_code" not in frame:
            return frame.iloc[0:0]
        return frame[frame["lan_code"].astype(str).str.zfill(2) == lan_code]

    return Processed(
        projects=rows(processed.projects),
        allocations=rows(processed.allocations),
        board=rows(processed.board),
        rejects=processed.rejects[[_own_file(f, lan_code) for f in processed.rejects["file"]]],
        ledger=processed.ledger[[_own_file(f, lan_code) for f in processed.ledger["file"]]],
        coding_issues=rows(processed.coding_issues),
    )


def check_submission(own: Processed, lan_code: str, report_round: int) -> None:
    """Raise :class:`CountyDataError` when the county sent nothing or a file was rejected."""
    name = registry.county_name(lan_code)
    raw = f"data/raw/{report_round}/"
    if own.ledger.empty:
        raise CountyDataError(
            f"{name} ({lan_code}): ingen inlämning för {report_round} i {raw}. Lägg länets fil "
            f"där ({lan_code}-<län>.xlsx eller CSV-filer) och kör igen."
        )
    rejected = own.ledger[own.ledger["status"] == "file_rejected"]
    if not rejected.empty:
        problems = "; ".join(
            f"{row.file} ({row.sheet or 'hela filen'}): {row.message.rstrip('.')}"
            for row in rejected.itertuples(index=False)
        )
        raise CountyDataError(
            f"{name} ({lan_code}): inlämningen avvisades och länsprofilen kan inte göras: "
            f"{problems}. Rätta filen i {raw} och kör igen; se kapitlet Datakvalitet."
        )


# ------------------------------------------------------------------------------------ the tables


def _municipalities(codes: str) -> str:
    return ", ".join(registry.municipality_name(c) for c in str(codes).split(";") if c)


def _cooperation(row: pd.Series) -> str:
    kinds = [label for column, label in exm.COOPERATION_TYPES.items() if bool(row[column])]
    if str(row.get("coop_other_text", "")).strip():
        kinds.append("Annan samverkan")
    return "; ".join(kinds) or "–"


def projects_table(own: Processed) -> pd.DataFrame:
    """One row per project: diarienummer (index), title, municipalities, cooperation type,
    status, goal met (the evaluator's coding)."""
    p = frames.prepare_projects(own.projects).sort_values("diarienummer")
    frame = pd.DataFrame({
        "Diarienummer": p["diarienummer"],
        "Projekt": p["title"].astype(str),
        "Kommuner": p["municipality_codes"].map(_municipalities),
        "Samverkan": [_cooperation(row) for _, row in p.iterrows()],
        "Status": p["status"].map(STATUS_LABELS),
        "Målen nådda": p["goal_met"].map(lambda v: GOAL_LABELS.get(v, v)),
    })
    return frame.set_index("Diarienummer")


def funds_frame(own: Processed) -> pd.DataFrame:
    """Per year (numbers): allocated, requisitioned, granted to started projects (by the year
    of the grant) and uptake = requisitioned / allocated."""
    alloc = frames.prepare_allocations(own.allocations)
    p = frames.prepare_projects(own.projects)
    started = p[p["status"] != frames.NOT_STARTED]
    years = sorted(set(alloc["year"]) | set(started["granted_year"]))
    per_year = alloc.groupby("year")[["allocated_sek", "requisitioned_sek"]].sum()
    granted = started.groupby("granted_year")["granted_sek"].sum()
    frame = pd.DataFrame({
        "year": years,
        "allocated_sek": [int(per_year["allocated_sek"].get(y, 0)) for y in years],
        "requisitioned_sek": [int(per_year["requisitioned_sek"].get(y, 0)) for y in years],
        "granted_sek": [int(granted.get(y, 0)) for y in years],
    })
    frame["uptake"] = frame["requisitioned_sek"] / frame["allocated_sek"].where(
        frame["allocated_sek"] > 0)
    return frame


def funds_table(funds: pd.DataFrame) -> pd.DataFrame:
    """:func:`funds_frame` for display, one row per kind of money and one column per year plus
    the total. Allocations and requisitions belong to a year; a grant is decided once per
    project for one or more years and is shown under the year of the decision, so only the
    totals compare (the row label says so)."""
    years = [str(y) for y in funds["year"]]
    allocated, requisitioned = funds["allocated_sek"], funds["requisitioned_sek"]
    uptake = [*funds["uptake"], requisitioned.sum() / allocated.sum() if allocated.sum() else None]

    def money(values: pd.Series) -> list[str]:
        return [fmt.num(v) for v in [*values, values.sum()]]

    rows = {
        "Fördelade medel (kr)": money(allocated),
        "Rekvirerade medel (kr)": money(requisitioned),
        "Nyttjandegrad": [fmt.pct(u) if u is not None and pd.notna(u) else "–" for u in uptake],
        "Beviljat till startade projekt (kr), efter beslutsår": money(funds["granted_sek"]),
    }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[*years, "Totalt"])
    frame.index.name = "Medel"
    return frame


def _ordered(counts: pd.DataFrame) -> list[pd.Series]:
    """Main rows in report order, each followed by its sub-counts."""
    rows = []
    for _, row in counts[counts["parent"] == ""].iterrows():
        rows.append(row)
        rows += [sub for _, sub in counts[counts["parent"] == row["measure"]].iterrows()]
    return rows


def count_comparison(own: Processed, nation: pd.DataFrame, table: str, first: str
                     ) -> pd.DataFrame:
    """Table 3 (``t3``, partners) or 4 (``t4``, areas and target groups) for the county beside
    the nation (``nation``: the national ``count_table`` of the same table): started projects
    counted, their share in the county and in the nation."""
    county = rt.count_table(own, table).set_index("measure") if not own.projects.empty \
        else None
    out = []
    for row in _ordered(nation):
        n = int(county.at[row["measure"], "count"]) if county is not None else 0
        share = county.at[row["measure"], "share"] if county is not None else float("nan")
        label = row["label"] if row["parent"] == "" else f"– {row['label']}"
        out.append({first: label, "Projekt i länet": fmt.num(n),
                    "Andel i länet": fmt.pct(share) if pd.notna(share) else "–",
                    "Andel i riket": fmt.pct(row["share"]) if pd.notna(row["share"]) else "–"})
    return pd.DataFrame(out).set_index(first)


def board_answers(own: Processed) -> list[tuple[str, str]]:
    """The county board's own answers: (question label, text) for each free-text field."""
    if own.board.empty:
        return []
    row = own.board.iloc[0]
    answers = []
    for name in BOARD_TEXTS:
        label = codebook.field_by_name("Länsstyrelsen", name).label
        text = redact(str(row.get(name, "") or "").strip())
        answers.append((label, text))
    return answers


ANSWER_LIMIT = 3000
"""Characters of one board answer shown in the reports; a longer answer is cut with a note
(markup.TRUNCATED)."""


def answers_markdown(board: list[tuple[str, str]]) -> str:
    """The board's answers (:func:`board_answers`) as Markdown paragraphs: the question in bold,
    then the answer as literal text (markup.literal, at most :data:`ANSWER_LIMIT` characters)."""
    return "\n\n".join(
        f"**{literal(question)}.** "
        + (literal(answer, ANSWER_LIMIT, paragraphs=True) or "*Inget svar.*")
        for question, answer in board
    )


# ------------------------------------------------------------------------------------ the report


@dataclass(frozen=True)
class CountyReport:
    """Everything one county's chapter shows."""

    lan_code: str
    report_round: int
    name: str
    board_name: str
    source: str
    """Whether the county's files are the reconstruction or its own (one Swedish sentence)."""
    facts: dict[str, Any]
    funds: pd.DataFrame = field(repr=False)
    funds_display: pd.DataFrame = field(repr=False)
    projects: pd.DataFrame = field(repr=False)
    partners: pd.DataFrame = field(repr=False)
    target_groups: pd.DataFrame = field(repr=False)
    indicators: pd.DataFrame = field(repr=False)
    board: list[tuple[str, str]] = field(repr=False)
    ledger: pd.DataFrame = field(repr=False)
    rejects: pd.DataFrame = field(repr=False)
    coding: pd.DataFrame = field(repr=False)
    audit: pd.DataFrame = field(repr=False)
    """What the audit found about the county (:func:`samverkan.audit.present.county_findings`)."""
    provenance: dict[str, Any] = field(repr=False)
    """The run's source facts (:func:`samverkan.book.sources.facts`): the source lines of the
    profile's tables and charts are made from them."""


def _facts(own: Processed, funds: pd.DataFrame) -> dict[str, Any]:
    p = frames.prepare_projects(own.projects)
    started = p[p["status"] != frames.NOT_STARTED]
    board = frames.prepare_board(own.board)
    allocated = int(funds["allocated_sek"].sum())
    requisitioned = int(funds["requisitioned_sek"].sum())
    municipalities = {c for codes in p["municipality_codes"] for c in str(codes).split(";") if c}
    facts: dict[str, Any] = {
        "projects": len(p),
        "started": len(started),
        "not_started": int((p["status"] == frames.NOT_STARTED).sum()),
        "ongoing": int((p["status"] == "pagar").sum()),
        "finished": int((p["status"] == "avslutad").sum()),
        "municipalities": len(municipalities),
        "goal_met": int(started["goal_met"].isin(frames.YES_PARTLY).sum()),
        "goal_coded": int(started["goal_met"].isin(["ja", "delvis", "nej"]).sum()),
        "allocated_sek": allocated,
        "requisitioned_sek": requisitioned,
        "uptake": requisitioned / allocated if allocated else None,
        "granted_sek": int(started["granted_sek"].sum()),
        "first_year": int(funds["year"].min()) if len(funds) else None,
        "last_year": int(funds["year"].max()) if len(funds) else None,
        "board": not board.empty,
    }
    if not board.empty:
        row = board.iloc[0]
        facts.update(reported_projects=int(row["reported_projects"]),
                     administration_sek=int(row["administration_sek"]),
                     repayment_sek=int(row["repayment_sek"]))
    issues = own.coding_issues
    facts.update(rows_rejected=len(own.rejects), files=int(own.ledger["file"].nunique()),
                 coding_issues=int((issues["issue"] != "link_not_checked").sum()))
    return facts


def _indexed(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` indexed by ``column`` (the book shows the index as the first column)."""
    return frame.set_index(column) if column in frame.columns else frame


@dataclass(frozen=True)
class NationalFigures:
    """What every county's profile compares itself with, computed once per round: the
    indicator values of all counties and the nation, and the national Tables 3 and 4."""

    indicator_values: pd.DataFrame
    partners: pd.DataFrame
    target_groups: pd.DataFrame


def national_figures(processed: Processed, previous: Processed | None) -> NationalFigures:
    """The national figures the county profiles of ``processed``'s round show beside their own."""
    return NationalFigures(indicator_values=ind.indicator_values(processed, previous),
                           partners=rt.count_table(processed, "t3"),
                           target_groups=rt.count_table(processed, "t4"))


def county_report(lan_code: str, report_round: int = DEFAULT_ROUND,
                  processed: Processed | None = None,
                  previous: Processed | None = None,
                  national: NationalFigures | None = None,
                  audit: Any = None,
                  county_sources: dict[str, str] | None = None,
                  run_facts: dict[str, Any] | None = None) -> CountyReport:
    """The profile of one county (code or any registered name). ``national`` is computed from
    ``processed`` and ``previous`` when not given (pass it when making many profiles). Raises
    :class:`~samverkan.registry.UnknownCountyError` for an unknown county or a path-like value
    and :class:`CountyDataError` when its submission is missing or was rejected. ``audit`` is
    the round's :class:`~samverkan.audit.stage.AuditResult`, ``county_sources`` whose files each
    county has (:func:`samverkan.provenance.county_sources`) and ``run_facts`` the run's source
    facts (:func:`samverkan.book.sources.facts`): each computed when not given."""
    from samverkan.audit import present, stage
    from samverkan.book import sources

    code = registry.county_code(lan_code)
    processed = processed if processed is not None else load_processed(report_round)
    own = county_subset(processed, code)
    check_submission(own, code, report_round)
    national = national if national is not None else national_figures(processed, previous)
    funds = funds_frame(own)
    audit = audit if audit is not None else stage.compute(report_round)
    if county_sources is None:
        county_sources = provenance.county_sources(report_round)
    if run_facts is None:
        by_round = {**provenance.round_sources(report_round), report_round: county_sources}
        run_facts = sources.facts(audit.audit, audit.published, by_round, report_round)
    return CountyReport(
        lan_code=code,
        report_round=report_round,
        name=registry.county_name(code),
        board_name=registry.county_name(code, form="board"),
        source=provenance.county_sentence(code, report_round, sources=county_sources),
        facts=_facts(own, funds),
        funds=funds,
        funds_display=funds_table(funds),
        projects=projects_table(own),
        partners=count_comparison(own, national.partners, "t3", "Samverkanspart"),
        target_groups=count_comparison(own, national.target_groups, "t4",
                                       "Område och målgrupp"),
        indicators=ind.county_indicators(code, processed, previous,
                                         values=national.indicator_values
                                         ).set_index("indikator"),
        board=board_answers(own),
        ledger=_indexed(quality.ledger_table(own), "Fil"),
        rejects=_indexed(quality.rejects_table(own), "Fil"),
        coding=_indexed(quality.coding_table(own), "Avvikelse"),
        audit=_indexed(present.county_findings(audit.audit, audit.published, audit.consistency,
                                               code), "Vad"),
        provenance=sources.county_facts(run_facts, code),
    )


# ----------------------------------------------------------------------------------- the slices


def _frame_json(frame: pd.DataFrame) -> dict[str, Any]:
    return {"index_name": frame.index.name, "index": frame.index.tolist(),
            "columns": frame.columns.tolist(), "dtypes": [str(t) for t in frame.dtypes],
            "data": frame.to_numpy(dtype=object).tolist()}


def _frame_from_json(data: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(data["data"], columns=data["columns"], dtype=object)
    frame = frame.astype(dict(zip(data["columns"], data["dtypes"], strict=True)))
    frame.index = pd.Index(data["index"], name=data["index_name"])
    return frame


def slice_json(report: CountyReport) -> str:
    """The profile as JSON text (deterministic: the same data gives the same bytes)."""
    import json

    payload = {}
    for f in fields(report):
        value = getattr(report, f.name)
        payload[f.name] = _frame_json(value) if isinstance(value, pd.DataFrame) else value
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=0, default=int) + "\n"


def report_from_json(text: str) -> CountyReport:
    """:func:`slice_json` back into the profile; raises :class:`CountyDataError` for a county
    whose submission could not be used."""
    import json

    payload = json.loads(text)
    if "error" in payload:
        raise CountyDataError(payload["error"])
    values = {}
    for f in fields(CountyReport):
        value = payload[f.name]
        if isinstance(value, dict) and "dtypes" in value:
            value = _frame_from_json(value)
        elif f.name == "board":
            value = [tuple(pair) for pair in value]
        values[f.name] = value
    return CountyReport(**values)


def slice_path(lan_code: str, report_round: int) -> Any:
    from samverkan.paths import processed_dir

    return processed_dir(report_round) / "counties" / f"{lan_code}.json"


def facts_path(report_round: int) -> Any:
    """``data/processed/<round>/counties/provenance.json``: the run's source facts
    (:func:`samverkan.book.sources.facts`), which the national chapters' source lines read."""
    from samverkan.paths import processed_dir

    return processed_dir(report_round) / "counties" / "provenance.json"


def write_slices(report_round: int = DEFAULT_ROUND) -> list[Any]:
    """One file per registered county, ``data/processed/<round>/counties/<lan_code>.json``: all
    its profile shows, or why it cannot be made. Each county's chapter reads only its file, so
    the runner reruns it exactly when its file changed."""
    import json

    from samverkan.audit import stage
    from samverkan.book import sources
    from samverkan.io import write_text

    processed = load_processed(report_round)
    previous = load_processed(report_round - 1)
    national = national_figures(processed, previous)
    audit = stage.compute(report_round)
    by_round = provenance.round_sources(report_round)
    county_sources = by_round[report_round]
    facts = sources.facts(audit.audit, audit.published, by_round, report_round)
    paths = [write_text(facts_path(report_round), sources.facts_json(facts))]
    for code in registry.county_codes():
        try:
            text = slice_json(county_report(code, report_round, processed, previous, national,
                                            audit, county_sources, facts))
        except CountyDataError as exc:
            text = json.dumps({"lan_code": code, "error": str(exc)}, ensure_ascii=False) + "\n"
        paths.append(write_text(slice_path(code, report_round), text))
    return paths


def read_slice(lan_code: str, report_round: int = DEFAULT_ROUND) -> CountyReport:
    """One county's profile (code or any registered name) from its slice."""
    code = registry.county_code(lan_code)
    path = slice_path(code, report_round)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m samverkan run`.")
    return report_from_json(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------ the chart


def funds_chart(report: CountyReport) -> Any:
    """Grouped bars per year: allocated, requisitioned and granted to started projects (kr).
    Returns the matplotlib figure; the notebook shows it with ``plt.show()``."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from samverkan.results.charts import DPI, OKABE_ITO, STYLE

    funds = report.funds
    series = (("Fördelade medel", "allocated_sek", OKABE_ITO[4]),
              ("Rekvirerade medel", "requisitioned_sek", OKABE_ITO[1]),
              ("Beviljat till startade projekt (efter beslutsår)", "granted_sek", OKABE_ITO[0]))
    width = 0.26
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8.0, 4.5), dpi=DPI, layout="constrained")
        positions = list(range(len(funds)))
        for i, (label, column, colour) in enumerate(series):
            ax.bar([x + (i - 1) * width for x in positions], funds[column], width,
                   label=label, color=colour)
        ax.set_xticks(positions, [str(y) for y in funds["year"]])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.num(v)))
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.8)
        ax.set_ylabel("Kronor")
        ax.set_title(f"Medel per år, {report.name}")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)
    return fig


def audit_text(report: CountyReport) -> str:
    """The county's audit in one paragraph (Swedish): how many findings, pointing to the
    table, or that the audit found nothing."""
    from samverkan.audit.present import NO_COUNTY_FINDINGS

    n = len(report.audit)
    if not n:
        return NO_COUNTY_FINDINGS
    what = "ett fynd" if n == 1 else f"{fmt.num(n)} fynd"
    return (f"Granskningen av Rapport 2011:39 (@sec-granskning) gjorde {what} som gäller länet "
            f"(@tbl-granskning-{report.lan_code}): länets tryckta siffror som inte stämmer med "
            "beräkningen, rapportens motsägelser där en av länets siffror pekas ut och "
            "motsägelser i länets egna filer.")


def _projects(n: int) -> str:
    return f"{fmt.num(n)} projekt"


def summary_markdown(report: CountyReport) -> str:
    """The profile's opening paragraph (Swedish Markdown). Figures that Rapport 2011:39 does
    not print for the county carry the reconstruction's mark while the county's files are the
    reconstruction, with the legend after the paragraph; the allocation and the numbers of
    projects (Tables 1 and 2) carry it only when the run does not reproduce the report's
    figure (the audit's record: Halland's printed allocation differs, and the report prints
    the started projects of no county)."""
    from samverkan.book import sources

    f = report.facts
    period = PERIOD_BY_ROUND[report.report_round]
    def m(text: str) -> str:
        return sources.mark(text, report.provenance, report.lan_code)

    def printed(text: str, measure: str) -> str:
        return sources.mark_unless_reproduced(text, report.provenance, report.lan_code,
                                              measure, period)
    n_mun = f["municipalities"]
    text = (
        f"Länet fick {printed(fmt.kr(f['allocated_sek']), 'allocated_sek')} i "
        "utvecklingsmedel att fördela under "
        f"{f['first_year']}–{f['last_year']}. {report.board_name} rekvirerade "
        f"{m(fmt.kr(f['requisitioned_sek']))} av dem från Kammarkollegiet, vilket ger en "
        f"nyttjandegrad på {m(fmt.pct(f['uptake']))}. I redovisningen {report.report_round} "
        f"finns {printed(_projects(f['projects']), 'projects_granted')} i "
        f"{m(fmt.num(n_mun))} "
        f"{'kommun' if n_mun == 1 else 'kommuner'}. "
    )
    if f["not_started"]:
        text += (f"Av dem startade {printed(fmt.num(f['started']), 'projects_started')}; "
                 f"{printed(_projects(f['not_started']), 'projects_not_started')} kom aldrig "
                 "igång. ")
    else:
        text += "Alla startade. "
    if f["ongoing"]:
        text += (f"Vid redovisningen var {m(fmt.num(f['finished']))} avslutade och "
                 f"{m(fmt.num(f['ongoing']))} pågick fortfarande. ")
    else:
        text += "Vid redovisningen var alla avslutade. "
    text += (
        f"De startade projekten hade beviljats sammanlagt {m(fmt.kr(f['granted_sek']))}. "
        f"Utvärderaren bedömer att {m(fmt.num(f['goal_met']))} av de "
        f"{printed(fmt.num(f['started']), 'projects_started')} startade projekten helt eller "
        "delvis nådde sina mål."
    )
    if m(""):
        text += f"\n\n{sources.MARK_LEGEND}."
    return text


def board_markdown(report: CountyReport) -> str:
    """The county board's own figures and answers (Swedish Markdown). While the county's files
    are the reconstruction, they are said to be the generator's invented illustration, never
    the board's words."""
    from samverkan.book import sources

    f = report.facts
    if not report.board:
        return ("Frågorna till länsstyrelserna ställdes bara i slutredovisningen 2011; i "
                f"redovisningen {report.report_round} finns inga svar från länsstyrelsen.")
    invented = bool(sources.mark("", report.provenance, report.lan_code))
    def m(text: str) -> str:
        return sources.mark(text, report.provenance, report.lan_code)
    if invented:
        lead = (f"I det rekonstruerade underlaget har länsstyrelsens blad följande uppgifter, "
                "påhittade av generatorn: medel beviljade till "
                f"{m(_projects(f['reported_projects']))}, "
                f"administration {m(fmt.kr(f['administration_sek']))} och "
                f"{m(fmt.kr(f['repayment_sek']))} att betala tillbaka till Kammarkollegiet. "
                "Svaren nedan är påhittade exempel, inte länsstyrelsens egna ord:")
    else:
        lead = (f"{report.board_name} uppgav att länet beviljat medel till "
                f"{_projects(f['reported_projects'])}, att administrationen kostade "
                f"{fmt.kr(f['administration_sek'])} och att {fmt.kr(f['repayment_sek'])} ska "
                "betalas tillbaka till Kammarkollegiet. Länsstyrelsen svarade så här på de två "
                "frågorna till länsstyrelserna:")
    lines = [lead, "", answers_markdown(report.board), ""]  # the answers are literal text
    if invented:
        lines.append(f"{sources.MARK_LEGEND}.")
    return "\n".join(lines).rstrip()
