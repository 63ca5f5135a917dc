"""Results from processed data: the figures of Rapport 2011:39 recomputed per county and
nationally, the tables, the change from the partial report (2010) to the final report (2011), and
follow-up indicators for local cooperation with their definition cards.

Every count is defined once, in :data:`PROJECT_MEASURES` (a per-project flag and the base it
counts over); the tables, :func:`measures` (the audit's input) and the indicators all read it.
Definitions follow the last section of the data contract (``MODEL.md``): Tables 3–5 count over
started projects (status other than ``ej_startad``), Table 2 over every project of the round.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from samverkan.intake import codebook
from samverkan.privacy import redact

NATIONAL = "00"
"""``lan_code`` of a national figure (as in ``data/reference/published.csv``)."""

NOT_STARTED = "ej_startad"
YES_PARTLY = ("ja", "delvis")

PERIOD_BY_ROUND: dict[int, str] = {2010: "2008-2009", 2011: "2008-2010"}
"""The ``period`` of the reference that a report round's projects stand for: the partial report
of 2010 covers grants 2008–2009, the final report of 2011 all grants 2008–2010."""

ACTORS: tuple[str, ...] = (
    "actor_municipalities", "actor_health", "actor_justice", "actor_church", "actor_fk",
    "actor_voluntary", "actor_other",
)
AREAS: tuple[str, ...] = (
    "area_women", "area_children", "area_honour", "area_housing", "area_men", "area_vulnerable",
)


class ProcessedLike(Protocol):
    """What the results need of a round's processed data (``clean.Processed`` or the truth
    tables of the generator): the three tables of ``MODEL.md``."""

    projects: pd.DataFrame
    allocations: pd.DataFrame
    board: pd.DataFrame


@dataclass(frozen=True)
class Tables:
    """A minimal :class:`ProcessedLike` built from three frames (tests, truth tables)."""

    projects: pd.DataFrame
    allocations: pd.DataFrame
    board: pd.DataFrame


def read_tables(directory: Any) -> Tables:
    """The processed-format CSV files ``projects.csv``, ``allocations.csv`` and (if present)
    ``board.csv`` of ``directory`` (e.g. ``tests/truth/2011``), with codes kept as text."""
    from pathlib import Path

    from samverkan.io import read_csv

    directory = Path(directory)
    board = directory / "board.csv"
    return Tables(read_csv(directory / "projects.csv"), read_csv(directory / "allocations.csv"),
                  read_csv(board) if board.is_file() else pd.DataFrame())


# ----------------------------------------------------------------------------- preparing input


def bool_columns() -> tuple[str, ...]:
    """The project columns that hold a checkbox or a free-text flag (codebook order)."""
    boxes = tuple(f.name for f in codebook.fields("Projekt") if f.type == "checkbox")
    return boxes + tuple(k.name for k in codebook.taxonomy())


def coding_columns() -> tuple[str, ...]:
    return tuple(f["name"] for f in codebook.coding_fields())


def _as_bool(column: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(column):
        return column.fillna(False).astype(bool)
    text = column.astype("string").str.strip().str.lower()
    return text.isin(["true", "ja", "1", "1.0"]).fillna(False).astype(bool)


_PREPARED = "samverkan.results.indicators.prepared"
"""Marker in ``DataFrame.attrs``: the frame already went through :func:`prepare_projects`."""


def prepare_projects(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed copy of a projects table: codes as two-digit text, flags as bool, coding values
    as text ("" when uncoded), amounts and years as integers. Accepts the processed parquet and
    the all-text CSV alike."""
    if frame.attrs.get(_PREPARED):
        return frame
    out = frame.copy()
    out["lan_code"] = out["lan_code"].astype(str).str.zfill(2)
    out["diarienummer"] = out["diarienummer"].astype(str)
    for name in bool_columns():
        out[name] = _as_bool(out[name]) if name in out else False
    for name in coding_columns():
        out[name] = out[name].fillna("").astype(str).str.strip() if name in out else ""
    out["status"] = out["status"].astype(str)
    out["granted_sek"] = pd.to_numeric(out["granted_sek"]).astype("int64")
    out["granted_year"] = pd.to_numeric(out["granted_year"]).astype("int64")
    out.attrs[_PREPARED] = True
    return out


def prepare_allocations(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if out.empty:
        return pd.DataFrame(columns=["lan_code", "year", "allocated_sek", "requisitioned_sek"])
    out["lan_code"] = out["lan_code"].astype(str).str.zfill(2)
    for name in ("year", "allocated_sek", "requisitioned_sek"):
        out[name] = pd.to_numeric(out[name]).astype("int64")
    return out


def prepare_board(frame: pd.DataFrame | None) -> pd.DataFrame:
    amounts = ("reported_projects", "reported_granted_sek", "administration_sek", "repayment_sek")
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["lan_code", *amounts])
    out = frame.copy()
    out["lan_code"] = out["lan_code"].astype(str).str.zfill(2)
    for name in amounts:
        out[name] = pd.to_numeric(out[name]).astype("int64")
    return out


def report_round_of(processed: ProcessedLike) -> int:
    """The report round of a processed set (its projects' ``report_round``)."""
    rounds = pd.to_numeric(processed.projects["report_round"]).unique()
    if len(rounds) != 1:
        raise ValueError(f"projects hold report rounds {sorted(rounds)}; expected exactly one")
    return int(rounds[0])


# ------------------------------------------------------------------------- per-project measures


@dataclass(frozen=True)
class Measure:
    """A project count: ``flag(projects)`` marks the projects counted; ``started_only`` limits
    the count to started projects (the base of Tables 3–5)."""

    name: str
    label: str
    flag: Callable[[pd.DataFrame], pd.Series]
    started_only: bool
    table: str
    parent: str = ""


def _col(name: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda p: p[name].astype(bool)


def _coded(name: str, values: Iterable[str]) -> Callable[[pd.DataFrame], pd.Series]:
    allowed = tuple(values)
    return lambda p: p[name].isin(allowed)


def _status(value: str, negate: bool = False) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda p: (p["status"] != value) if negate else (p["status"] == value)


def _family(p: pd.DataFrame) -> pd.Series:
    return p["area_women"] & p["area_children"] & p["area_men"]


def _keyword_label(name: str) -> str:
    return next(k.label for k in codebook.taxonomy() if k.name == name)


def _build_measures() -> tuple[Measure, ...]:
    m: list[Measure] = [
        Measure("projects_granted", "Beviljade projekt", lambda p: p["status"].notna(), False,
                "t2"),
        Measure("projects_started", "Startade projekt", _status(NOT_STARTED, negate=True), False,
                "t2"),
        Measure("projects_not_started", "Ej startade projekt", _status(NOT_STARTED), False, "t2"),
        Measure("new_structures", "Nya samverkansstrukturer", _col("coop_new"), False, "t2"),
        Measure("existing_structures", "Befintliga samverkansstrukturer",
                _col("coop_existing"), False, "t2"),
        Measure("evaluated_structures", "Utvärdering av samverkansstruktur",
                _col("coop_evaluate"), False, "t2"),
    ]
    partners = {
        "partner_municipalities": ("actor_municipalities", "Andra kommuner"),
        "partner_health": ("actor_health", "Hälso- och sjukvård"),
        "partner_justice": ("actor_justice", "Rättsväsendet"),
        "partner_prosecutor": ("kw_prosecutor", "Åklagarmyndigheten"),
        "partner_church": ("actor_church", "Kyrkor och samfund"),
        "partner_fk": ("actor_fk", "Försäkringskassan"),
        "partner_voluntary": ("actor_voluntary", "Frivilligorganisationer"),
        "partner_other": ("actor_other", "Övriga aktörer"),
    }
    parent_of_actor = {column: name for name, (column, _) in partners.items()}
    for name, (column, label) in partners.items():
        parent = "partner_justice" if name == "partner_prosecutor" else ""
        m.append(Measure(name, label, _col(column), True, "t3", parent))
    areas = {
        "area_women": "Våldsutsatta kvinnor",
        "area_children": "Barn som upplevt våld",
        "area_honour": "Hedersrelaterat våld",
        "area_housing": "Skyddat boende",
        "area_men": "Män som utövar våld",
        "area_vulnerable": "Särskilt utsatta grupper",
    }
    m += [Measure(name, label, _col(name), True, "t4") for name, label in areas.items()]
    m.append(Measure("family_perspective", "Familjeperspektiv (kvinnor, barn och män)", _family,
                     True, "t4"))
    for keyword in codebook.taxonomy():
        if keyword.name == "kw_prosecutor":
            continue  # printed as its own partner row (partner_prosecutor)
        table = "t4" if keyword.parent.startswith("area_") else "t3"
        parent = parent_of_actor.get(keyword.parent, keyword.parent)
        m.append(Measure(keyword.name, keyword.label, _col(keyword.name), True, table, parent))
    m += [
        Measure("goal_met", "Målen helt eller delvis nådda", _coded("goal_met", YES_PARTLY),
                True, "t5"),
        Measure("integration_done", "Integrerat i ordinarie verksamhet",
                _col("integration_done"), True, "t5"),
        Measure("integration_plan", "Plan för integrering",
                lambda p: p["integration_will"] | p["integration_plan"], True, "t5"),
        Measure("integration_not_relevant", "Ska inte integreras",
                _col("integration_not_relevant"), True, "t5"),
        Measure("real_cooperation", "Reell samverkan helt eller delvis",
                _coded("real_cooperation", YES_PARTLY), True, "t5"),
        Measure("not_cooperation", "Inte samverkansprojekt",
                _coded("real_cooperation", ("nej",)), True, "t5"),
        Measure("contains_training", "Innehåller helt eller delvis utbildning",
                _coded("contains_training", YES_PARTLY), True, "t5"),
        Measure("ongoing", "Pågår", _status("pagar"), True, "t5"),
        Measure("finished", "Avslutade", _status("avslutad"), True, "t5"),
        Measure("temporary_constellation", "Tillfällig samverkanskonstellation",
                _coded("temporary_constellation", ("ja",)), True, "t5"),
        Measure("county_board_active", "Länsstyrelsen aktiv i projektet",
                _coded("county_board_active", ("ja",)), True, "t5"),
    ]
    return tuple(m)


PROJECT_MEASURES: tuple[Measure, ...] = _build_measures()
MEASURE_BY_NAME: dict[str, Measure] = {m.name: m for m in PROJECT_MEASURES}

MONEY_LABELS: dict[str, str] = {
    "allocated_sek": "Fördelade medel",
    "requisitioned_sek": "Rekvirerade medel",
    "granted_sek": "Beviljade medel till startade projekt",
    "administration_sek": "Länsstyrelsens administration",
    "total_costs_sek": "Sammanlagda kostnader",
    "repayment_sek": "Återbetalas till Kammarkollegiet",
    "administration_share": "Administrationens andel av rekvirerade medel (%)",
    "family_perspective_share": "Andel projekt med familjeperspektiv (%)",
}


def label(measure: str) -> str:
    """The Swedish label of a measure (project count or money)."""
    if measure in MEASURE_BY_NAME:
        return MEASURE_BY_NAME[measure].label
    return MONEY_LABELS.get(measure, measure)


def project_flags(projects: pd.DataFrame) -> pd.DataFrame:
    """One bool column per :data:`PROJECT_MEASURES` entry, one row per project (same index):
    True when the project counts towards the measure (started-only measures are False for a
    project that never started)."""
    p = prepare_projects(projects)
    started = p["status"] != NOT_STARTED
    flags = {}
    for m in PROJECT_MEASURES:
        flag = m.flag(p).fillna(False).astype(bool)
        flags[m.name] = (flag & started) if m.started_only else flag
    result = pd.DataFrame(flags, index=p.index)
    result.insert(0, "diarienummer", p["diarienummer"])
    result.insert(0, "lan_code", p["lan_code"])
    return result


# ------------------------------------------------------------------------------------ measures


def counties() -> list[str]:
    """The 21 county codes in SCB order (the rows of every per-county table)."""
    from samverkan.registry import county_codes

    return list(county_codes())


def has_projects(processed: ProcessedLike | None) -> bool:
    """True when ``processed`` holds a round with projects (``load_processed`` gives empty
    tables for the round before the first)."""
    return processed is not None and not processed.projects.empty


def _by_county(values: pd.Series) -> dict[str, float]:
    """County code → value for the 21 counties (0 for a county without rows), plus the
    national sum under :data:`NATIONAL`."""
    out = {lan: float(values.get(lan, 0)) for lan in counties()}
    out[NATIONAL] = float(values.sum())
    return out


def _long(wide: pd.DataFrame, period: str) -> pd.DataFrame:
    """Counties × measures (plus the national sum as row ``00``) → rows of
    lan_code, measure, period, value."""
    wide = wide.reindex(counties(), fill_value=0)
    wide.loc[NATIONAL] = wide.sum()
    long = wide.rename_axis(index="lan_code", columns="measure").stack().rename("value")
    long = long.reset_index()
    long["period"] = period
    long["value"] = long["value"].astype("float64")
    return long.loc[:, ["lan_code", "measure", "period", "value"]]


def _project_rows(projects: pd.DataFrame, period: str) -> pd.DataFrame:
    p = prepare_projects(projects)
    flags = project_flags(p)
    counts = flags.drop(columns="diarienummer").groupby("lan_code").sum()
    counts["granted_sek"] = p[p["status"] != NOT_STARTED].groupby("lan_code")[
        "granted_sek"].sum()
    counts = counts.fillna(0)
    long = _long(counts, period)
    family = counts["family_perspective"].reindex(counties(), fill_value=0)
    base = counts["projects_started"].reindex(counties(), fill_value=0)
    shares = (100 * family / base.where(base > 0)).dropna()
    shares[NATIONAL] = 100 * family.sum() / base.sum() if base.sum() else float("nan")
    extra = [{"lan_code": lan, "measure": "family_perspective_share", "period": period,
              "value": float(v)} for lan, v in shares.items()]
    per_county = counts["projects_granted"].reindex(counties(), fill_value=0)
    for name, value in (("projects_granted_county_min", per_county.min()),
                        ("projects_granted_county_max", per_county.max())):
        extra.append({"lan_code": "", "measure": name, "period": period, "value": float(value)})
    return pd.concat([long, pd.DataFrame(extra)], ignore_index=True)


def _money_rows(processed: ProcessedLike, period: str, granted: dict[str, float]
                ) -> list[dict[str, Any]]:
    alloc = prepare_allocations(processed.allocations)
    board = prepare_board(getattr(processed, "board", None))
    rows: list[dict[str, Any]] = []

    def add(lan: str, measure: str, per: str, value: float) -> None:
        rows.append({"lan_code": lan, "measure": measure, "period": per, "value": float(value)})

    for column in ("allocated_sek", "requisitioned_sek"):
        for year, group in alloc.groupby("year"):
            for lan, value in _by_county(group.groupby("lan_code")[column].sum()).items():
                add(lan, column, str(year), value)
        for lan, value in _by_county(alloc.groupby("lan_code")[column].sum()).items():
            add(lan, column, period, value)
    add("", "funding_years", period, alloc["year"].nunique())
    if board.empty:
        return rows
    requisitioned = _by_county(alloc.groupby("lan_code")["requisitioned_sek"].sum())
    administration = _by_county(board.groupby("lan_code")["administration_sek"].sum())
    for lan, admin in administration.items():
        costs = granted.get(lan, 0.0) + admin
        add(lan, "administration_sek", period, admin)
        add(lan, "total_costs_sek", period, costs)
        add(lan, "repayment_sek", period, requisitioned.get(lan, 0.0) - costs)
        if requisitioned.get(lan):
            share = 100 * admin / requisitioned[lan]
            add("" if lan == NATIONAL else lan, "administration_share", period, share)
    return rows


_MEMO: OrderedDict[tuple[int, ...], tuple[ProcessedLike, pd.DataFrame]] = OrderedDict()
_MEMO_SIZE = 8


def _memoised(function: Callable[[ProcessedLike, str | None], pd.DataFrame]
              ) -> Callable[[ProcessedLike, str | None], pd.DataFrame]:
    """Remember the result for the same processed object and tables (the notebooks ask for the
    same round many times); a copy is returned so a caller cannot change the remembered one."""

    @functools.wraps(function)
    def wrapper(processed: ProcessedLike, period: str | None = None) -> pd.DataFrame:
        key = (id(processed), id(processed.projects), id(processed.allocations),
               id(getattr(processed, "board", None)), hash(period))
        hit = _MEMO.get(key)
        if hit is not None and hit[0] is processed:
            _MEMO.move_to_end(key)
            return hit[1].copy()
        result = function(processed, period)
        _MEMO[key] = (processed, result)
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
        return result.copy()

    return wrapper


@_memoised
def round_measures(processed: ProcessedLike, period: str | None = None) -> pd.DataFrame:
    """The measures of one report round (columns lan_code, measure, period, value): every
    project count of :data:`PROJECT_MEASURES`, granted funds and the family-perspective share
    over the round's projects (``period`` = :data:`PERIOD_BY_ROUND`), the same counts over the
    projects granted in the round's last year (period ``"2010"`` in round 2011), and money per
    county and year."""
    report_round = report_round_of(processed)
    period = period or PERIOD_BY_ROUND[report_round]
    projects = prepare_projects(processed.projects)
    frames = [_project_rows(projects, period)]
    granted_rows = frames[0][frames[0]["measure"] == "granted_sek"]
    granted = dict(zip(granted_rows["lan_code"], granted_rows["value"], strict=True))
    last_year = int(period[-4:])
    if "-" in period:  # the grants of the round's last year on their own (the 82 of 2010)
        frames.append(_project_rows(projects[projects["granted_year"] == last_year],
                                    str(last_year)))
    rows = _money_rows(processed, period, granted)
    reporting = set(projects["lan_code"]) | set(prepare_allocations(processed.allocations)
                                                ["lan_code"])
    rows.append({"lan_code": "", "measure": "county_boards", "period": period,
                 "value": float(len(reporting))})
    frames.append(pd.DataFrame(rows, columns=["lan_code", "measure", "period", "value"]))
    frame = pd.concat(frames, ignore_index=True)
    return frame.drop_duplicates(["lan_code", "measure", "period"], keep="first")


def measure_value(frame: pd.DataFrame, measure: str, period: str, lan_code: str = NATIONAL
                  ) -> float:
    """One value of a :func:`measures` frame (NaN when it is not there)."""
    hit = frame.loc[(frame["measure"] == measure) & (frame["period"] == period)
                    & (frame["lan_code"] == lan_code), "value"]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def measures(p2011: ProcessedLike, p2010: ProcessedLike | None = None) -> pd.DataFrame:
    """Every figure of ``data/reference/published.csv`` that processed data can recompute, keyed
    as the reference keys it: columns ``lan_code`` (``"00"`` national, ``""`` for figures the
    reference keeps without county), ``measure``, ``period``, ``value`` (float).

    ``p2011`` gives the final report (period ``2008-2010``, its grants of ``2010`` and the money
    per year); ``p2010`` the partial report (period ``2008-2009``). Rows are sorted by measure,
    period and county."""
    frames = [round_measures(p2011)]
    if has_projects(p2010):
        previous = round_measures(p2010)
        previous = previous[previous["period"] == PERIOD_BY_ROUND[report_round_of(p2010)]]
        frames.append(previous)
    result = pd.concat(frames, ignore_index=True)
    result = result.drop_duplicates(["lan_code", "measure", "period"], keep="first")
    return result.sort_values(["measure", "period", "lan_code"], ignore_index=True)


# ---------------------------------------------------------------------------------- the tables


def county_name(lan_code: str) -> str:
    """The county's short name for tables and charts; ``Riket`` for the national row."""
    from samverkan.registry import county_name as registry_name

    return "Riket" if lan_code == NATIONAL else registry_name(lan_code, form="short")


def _wide(frame: pd.DataFrame, names: Iterable[str], period: str) -> pd.DataFrame:
    """Measures as columns, counties (then the national row) as rows."""
    names = list(names)
    sub = frame[(frame["period"] == period) & frame["measure"].isin(names)
                & frame["lan_code"].ne("")]
    wide = sub.pivot(index="lan_code", columns="measure", values="value")
    wide = wide.reindex(index=[*counties(), NATIONAL], columns=names)
    return wide.rename_axis(columns=None).reset_index()


def table1(p2011: ProcessedLike) -> pd.DataFrame:
    """Tabell 1 with requisitions: per county and nationally the funds allocated and requisitioned
    each year and in all (columns ``allocated_<year>``, ``allocated_total``, the same for
    ``requisitioned``), what was not requisitioned and the uptake (requisitioned / allocated)."""
    alloc = prepare_allocations(p2011.allocations)
    out = pd.DataFrame({"lan_code": [*counties(), NATIONAL]})
    for column in ("allocated_sek", "requisitioned_sek"):
        short = column.removesuffix("_sek")
        per_year = alloc.pivot_table(index="lan_code", columns="year", values=column,
                                     aggfunc="sum", fill_value=0)
        for year in sorted(alloc["year"].unique()):
            values = per_year[year].reindex(counties(), fill_value=0)
            out[f"{short}_{year}"] = [*values.tolist(), int(values.sum())]
        year_columns = [f"{short}_{y}" for y in sorted(alloc["year"].unique())]
        out[f"{short}_total"] = out[year_columns].sum(axis=1)
    out["not_requisitioned"] = out["allocated_total"] - out["requisitioned_total"]
    out["uptake"] = out["requisitioned_total"] / out["allocated_total"].where(
        out["allocated_total"] > 0)
    return out


def table2(p2011: ProcessedLike, p2010: ProcessedLike | None = None) -> pd.DataFrame:
    """Tabell 2: per county the projects of the partial report (2008–2009) and of the final
    report (2008–2010), how many started, and the new / existing / evaluated cooperation
    structures over all projects of the final report. The national row is the sum of the
    county rows, as every national figure of the audit is."""
    names = ["projects_granted", "projects_started", "projects_not_started", "new_structures",
             "existing_structures", "evaluated_structures"]
    current = _wide(round_measures(p2011), names, PERIOD_BY_ROUND[report_round_of(p2011)])
    out = current.rename(columns={"projects_granted": "projects_2008_2010"})
    if has_projects(p2010):
        previous = _wide(round_measures(p2010), ["projects_granted"],
                         PERIOD_BY_ROUND[report_round_of(p2010)])
        out.insert(1, "projects_2008_2009", previous["projects_granted"].to_numpy())
    values = [c for c in out.columns if c != "lan_code"]
    national = out["lan_code"] == NATIONAL
    out.loc[national, values] = out.loc[~national, values].sum().to_numpy()
    return out.astype({c: "int64" for c in values})


def count_table(processed: ProcessedLike, table: str) -> pd.DataFrame:
    """Tabell 3, 4 or 5 (``table`` = ``"t3"``, ``"t4"``, ``"t5"``) nationally: one row per
    measure in report order with its Swedish label, its parent (for a sub-count), the number of
    started projects counted and the share of the started projects."""
    flags = project_flags(processed.projects)
    started = int(flags["projects_started"].sum())
    rows = []
    for m in PROJECT_MEASURES:
        if m.table != table:
            continue
        count = int(flags[m.name].sum())
        rows.append({"measure": m.name, "label": m.label, "parent": m.parent, "count": count,
                     "share": count / started if started else float("nan")})
    return pd.DataFrame(rows, columns=["measure", "label", "parent", "count", "share"])


def table3(processed: ProcessedLike) -> pd.DataFrame:
    """Tabell 3: partners and their free-text sub-counts (see :func:`count_table`)."""
    return count_table(processed, "t3")


def table4(processed: ProcessedLike) -> pd.DataFrame:
    """Tabell 4: areas and target groups, family perspective, vulnerable groups."""
    return count_table(processed, "t4")


def table5(processed: ProcessedLike) -> pd.DataFrame:
    """Tabell 5: goal fulfilment, integration, cooperation, training, status, constellation."""
    return count_table(processed, "t5")


def counts_by_county(processed: ProcessedLike, table: str, main_only: bool = True
                     ) -> pd.DataFrame:
    """The counts of Tabell 3, 4 or 5 per county (rows) and nationally, with the number of
    started projects first; ``main_only`` leaves out the sub-counts."""
    names = [m.name for m in PROJECT_MEASURES
             if m.table == table and (not main_only or not m.parent)]
    frame = round_measures(processed)
    period = PERIOD_BY_ROUND[report_round_of(processed)]
    out = _wide(frame, ["projects_started", *names], period)
    return out.astype({c: "int64" for c in out.columns if c != "lan_code"})


def table6(p2011: ProcessedLike) -> pd.DataFrame:
    """Tabell 6 per county and nationally: allocated, requisitioned, granted to started
    projects, administration, total costs (granted + administration), repayment (requisitioned
    − costs), the administration's share of the requisitioned funds, and the repayment the
    county board itself reported."""
    names = ["allocated_sek", "requisitioned_sek", "granted_sek", "administration_sek",
             "total_costs_sek", "repayment_sek"]
    period = PERIOD_BY_ROUND[report_round_of(p2011)]
    out = _wide(round_measures(p2011), names, period)
    out["administration_share"] = out["administration_sek"] / out["requisitioned_sek"].where(
        out["requisitioned_sek"] > 0)
    board = prepare_board(p2011.board).groupby("lan_code")["repayment_sek"].sum()
    reported = board.reindex(counties())
    out["reported_repayment_sek"] = [*reported.tolist(), reported.sum(min_count=1)]
    return out


# ------------------------------------------------------------------ change 2010 → 2011


def change_by_measure(p2011: ProcessedLike, p2010: ProcessedLike) -> pd.DataFrame:
    """Every project measure at the partial report (2010, grants 2008–2009) and at the final
    report (2011, grants 2008–2010), per county and nationally: columns measure, label,
    lan_code, value_2010, value_2011, change."""
    both = measures(p2011, p2010)
    before, after = PERIOD_BY_ROUND[2010], PERIOD_BY_ROUND[2011]
    names = [m.name for m in PROJECT_MEASURES]
    wide = both[both["measure"].isin(names) & both["period"].isin([before, after])
                & both["lan_code"].ne("")]
    wide = wide.pivot_table(index=["measure", "lan_code"], columns="period", values="value")
    wide = wide.reindex(columns=[before, after]).reset_index()
    wide.columns = ["measure", "lan_code", "value_2010", "value_2011"]
    wide["change"] = wide["value_2011"] - wide["value_2010"]
    order = {name: i for i, name in enumerate(names)}
    wide = wide.sort_values(["measure", "lan_code"], key=lambda s: s.map(order)
                            if s.name == "measure" else s, ignore_index=True)
    wide.insert(1, "label", wide["measure"].map(label))
    return wide


def project_changes(p2011: ProcessedLike, p2010: ProcessedLike) -> pd.DataFrame:
    """Per project (diarienummer, the key across rounds): in which reports it appears, its
    status in each, and the measures it gained and lost between them (names joined by ";",
    in :data:`PROJECT_MEASURES` order; only for projects in both reports)."""
    names = [m.name for m in PROJECT_MEASURES if m.name != "projects_granted"]
    after = project_flags(p2011.projects).set_index("diarienummer")
    before = project_flags(p2010.projects).set_index("diarienummer")
    status_after = prepare_projects(p2011.projects).set_index("diarienummer")["status"]
    status_before = prepare_projects(p2010.projects).set_index("diarienummer")["status"]
    ids = sorted(set(after.index) | set(before.index))
    both = sorted(set(after.index) & set(before.index))
    a, b = after.loc[both, names], before.loc[both, names]

    def joined(mask: pd.DataFrame) -> pd.Series:
        return pd.Series([";".join(mask.columns[row]) for row in mask.to_numpy()],
                         index=mask.index, dtype=object)

    gained, lost = joined(a & ~b), joined(b & ~a)
    lan = after["lan_code"].combine_first(before["lan_code"])
    out = pd.DataFrame({
        "diarienummer": ids,
        "lan_code": lan.reindex(ids).to_numpy(),
        "in_2010": [i in before.index for i in ids],
        "in_2011": [i in after.index for i in ids],
        "status_2010": status_before.reindex(ids).fillna("").to_numpy(),
        "status_2011": status_after.reindex(ids).fillna("").to_numpy(),
        "gained": gained.reindex(ids).fillna("").to_numpy(),
        "lost": lost.reindex(ids).fillna("").to_numpy(),
    })
    return out


def status_transitions(p2011: ProcessedLike, p2010: ProcessedLike) -> pd.DataFrame:
    """Projects by status at the partial report (rows, ``saknas`` = not in that report) and at
    the final report (columns)."""
    changes = project_changes(p2011, p2010)
    before = changes["status_2010"].replace("", "saknas")
    after = changes["status_2011"].replace("", "saknas")
    return pd.crosstab(before, after).rename_axis(index="status_2010", columns="status_2011")


def flag_changes(p2011: ProcessedLike, p2010: ProcessedLike) -> pd.DataFrame:
    """Per measure, among the projects in both reports: how many gained and how many lost it
    (columns measure, label, gained, lost, net)."""
    changes = project_changes(p2011, p2010)
    both = changes[changes["in_2010"] & changes["in_2011"]]
    rows = []
    for m in PROJECT_MEASURES:
        if m.name == "projects_granted":
            continue
        gained = int(both["gained"].str.split(";").apply(lambda xs, n=m.name: n in xs).sum())
        lost = int(both["lost"].str.split(";").apply(lambda xs, n=m.name: n in xs).sum())
        rows.append({"measure": m.name, "label": m.label, "gained": gained, "lost": lost,
                     "net": gained - lost})
    return pd.DataFrame(rows, columns=["measure", "label", "gained", "lost", "net"])


# ------------------------------------------------------------------------ follow-up indicators

POPULATION_YEAR = 2010
"""Population on 31 December of this year is the denominator of the per-inhabitant
indicators (the last year of the grants; the registry holds 2009 and 2010)."""


@dataclass(frozen=True)
class Indicator:
    """A definition card: the single source of truth for an indicator's meaning. ``unit`` is
    ``andel`` (0–1), ``kr``, ``antal`` (a count per unit), ``kvot`` or ``korrelation``."""

    key: str
    title: str
    numerator: str
    denominator: str
    source: str
    caveats: str
    unit: str
    scope: str = "län och riket"
    decimals: int | None = None
    """Decimals when formatted; default by unit (andel 1, kr 0, antal 1, kvot and korrelation 2)."""


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "reell_samverkan", "Andel projekt med reell samverkan",
        "Startade projekt som utvärderaren bedömt ha reell samverkan mellan olika parter, helt "
        "eller delvis (kodningen reell samverkan = ja eller delvis).",
        "Startade projekt (status pågår eller avslutad).",
        "Utvärderarens kodningsblad (data/coding/2011.csv för slutredovisningen), fältet Reell "
        "samverkan, som bygger på svaren på slutredovisningens fråga 2 (mål och insatser) och 4 "
        "(aktörer).",
        "Bedömningen görs av en person och det fanns ingen gemensam definition av samverkan när "
        "medlen utlystes. Stockholms stads ansökan föreslår att samverkan kräver att varje part "
        "tillför egna resurser till en gemensam uppgift; ren information och erfarenhetsutbyte "
        "räknas då inte. Projekt som saknas i kodningsbladet räknas inte i täljaren.",
        "andel"),
    Indicator(
        "integrerad", "Andel projekt integrerade i ordinarie verksamhet",
        "Startade projekt där rutan Har integrerats är ikryssad.",
        "Startade projekt.",
        "Slutredovisningen, fråga 7 (Har integrerats).",
        "Frågan ställdes bara i slutredovisningen 2011. Projekt som fortfarande pågår har ofta "
        "inte hunnit integreras. Uppgiften lämnas av projektet självt.",
        "andel"),
    Indicator(
        "integrerad_eller_plan", "Andel projekt integrerade eller med plan för integrering",
        "Startade projekt som har integrerats, ska integreras eller har en konkret plan för "
        "integrering (minst en av de tre rutorna).",
        "Startade projekt.",
        "Slutredovisningen, fråga 7 (Har integrerats, Ska integreras, Konkret plan).",
        "En avsikt att integrera är ingen garanti för att det sker. Projekt som enbart bestått "
        "av utbildning ska ofta inte integreras och sänker andelen utan att vara misslyckanden.",
        "andel"),
    Indicator(
        "samverkansbredd", "Samverkansbredd: antal typer av aktörer per projekt",
        "Summan över startade projekt av antalet ikryssade aktörstyper (andra kommuner, "
        "hälso- och sjukvård, rättsväsendet, kyrkor och samfund, Försäkringskassan, frivilliga "
        "organisationer, andra aktörer; högst sju per projekt).",
        "Startade projekt.",
        "Slutredovisningen, fråga 4 (delredovisningen fråga 3): kryssrutorna för aktörer.",
        "En ikryssad ruta säger inget om hur djup samverkan är. Åklagare ingår i rättsväsendet "
        "och räknas inte som en egen typ.",
        "antal"),
    Indicator(
        "familjeperspektiv", "Andel projekt med familjeperspektiv",
        "Startade projekt som riktar sig både till våldsutsatta kvinnor, till barn som upplevt "
        "våld och till män som utövar våld.",
        "Startade projekt.",
        "Slutredovisningen, fråga 5 (delredovisningen fråga 4): kryssrutorna för områden.",
        "Att alla tre grupperna är ikryssade visar inte att insatserna hänger ihop.",
        "andel"),
    Indicator(
        "maluppfyllelse", "Andel projekt som helt eller delvis nått målen",
        "Startade projekt som utvärderaren bedömt ha nått målen helt eller delvis (kodningen "
        "Målen nådda = ja eller delvis).",
        "Startade projekt.",
        "Utvärderarens kodningsblad, fältet Målen nådda, grundat på slutredovisningens fråga 6 "
        "(Måluppfyllelse).",
        "Pågående projekt kan sällan bedömas fullt ut, vilket drar ned andelen. Projekt som inte "
        "bedömts räknas inte i täljaren.",
        "andel"),
    Indicator(
        "medel_per_projekt", "Beviljade medel per startat projekt",
        "Beviljade medel (kr) till startade projekt.",
        "Startade projekt.",
        "Slutredovisningen, fråga 3 (Beviljade medel), och projektets status.",
        "Projekten varierar från enstaka seminarier till flerårig verksamhet; ett medelvärde "
        "döljer den spridningen.",
        "kr"),
    Indicator(
        "nyttjandegrad", "Nyttjandegrad: rekvirerade medel av fördelade",
        "Medel som länsstyrelsen rekvirerat från Kammarkollegiet 2008–2010 (kr).",
        "Medel som fördelats till länet 2008–2010 (kr).",
        "Länsstyrelsens blad Medel (Fördelade medel, Rekvirerade medel), jfr Rapport 2011:39, "
        "tabell 1 och 6.",
        "Rekvirerade medel är inte förbrukade medel: det som inte används betalas tillbaka.",
        "andel"),
    Indicator(
        "medel_per_invanare", "Fördelade medel per invånare",
        "Medel som fördelats till länet 2008–2010 (kr).",
        f"Folkmängd den 31 december {POPULATION_YEAR} (SCB).",
        "Länsstyrelsens blad Medel (Fördelade medel) och länsregistret "
        "(data/reference/counties.csv).",
        "Saknas folkmängden för ett län redovisas inget värde (ingen skattning). Riket kräver "
        "folkmängd för alla 21 län.",
        "kr", decimals=2),
    Indicator(
        "projekt_per_100000", "Projekt per 100 000 invånare",
        "Beviljade projekt 2008–2010 (även de som inte startat) × 100 000.",
        f"Folkmängd den 31 december {POPULATION_YEAR} (SCB).",
        "Projektbladets rader i slutredovisningen och länsregistret "
        "(data/reference/counties.csv).",
        "Ett projekt kan omfatta flera kommuner och vara litet eller stort. Saknas folkmängden "
        "redovisas inget värde.",
        "antal"),
    Indicator(
        "medel_mot_befolkning", "Länets andel av medlen i förhållande till andel av befolkningen",
        "Länets andel av de fördelade medlen 2008–2010.",
        f"Länets andel av rikets folkmängd den 31 december {POPULATION_YEAR}.",
        "Länsstyrelsens blad Medel och länsregistret (data/reference/counties.csv).",
        "1 betyder medel i proportion till folkmängden, över 1 mer än proportionellt. Kräver "
        "folkmängd för alla 21 län; annars redovisas inget värde. För riket är kvoten 1.",
        "kvot"),
    Indicator(
        "korrelation_medel_befolkning", "Samband mellan fördelade medel och folkmängd",
        "Pearsons korrelationskoefficient mellan länens fördelade medel 2008–2010 och deras "
        f"folkmängd den 31 december {POPULATION_YEAR}.",
        "Län med känd folkmängd (antalet anges).",
        "Länsstyrelsens blad Medel och länsregistret (data/reference/counties.csv).",
        "Beräknas bara för riket och bara när minst tre län har känd folkmängd. Ett högt värde "
        "betyder att medlen följer folkmängden, inte att de räcker lika långt i alla län.",
        "korrelation", scope="riket", decimals=3),
)
INDICATOR_BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}

VALUE_COLUMNS = ("indicator", "title", "lan_code", "value", "numerator", "denominator", "rank",
                 "note")


def _populations() -> pd.Series:
    from samverkan.registry import population

    return pd.Series({lan: population(lan, POPULATION_YEAR) for lan in counties()},
                     dtype="float64")


def _ratio_rows(key: str, numerator: pd.Series, denominator: pd.Series, scale: float = 1.0,
                missing_note: str = "") -> list[dict[str, Any]]:
    """Rows for the 21 counties and the nation: value = scale × numerator / denominator;
    NaN with ``missing_note`` (or a note on a zero denominator) when it cannot be computed."""
    rows = []
    complete = denominator.notna().all()
    for lan in [*counties(), NATIONAL]:
        if lan == NATIONAL:
            num = float(numerator.sum())
            den = float(denominator.sum()) if complete else float("nan")
        else:
            num, den = float(numerator.get(lan, 0)), float(denominator.get(lan, float("nan")))
        note = ""
        if pd.isna(den):
            value = float("nan")
            note = missing_note if lan != NATIONAL else (
                f"{missing_note} för {int(denominator.isna().sum())} av 21 län")
        elif den == 0:
            value, note = float("nan"), "nämnaren är 0"
        else:
            value = scale * num / den
        rows.append({"indicator": key, "lan_code": lan, "value": value, "numerator": num,
                     "denominator": den, "note": note})
    return rows


def indicator_values(p2011: ProcessedLike, p2010: ProcessedLike | None = None
                     ) -> pd.DataFrame:
    """Every indicator of :data:`INDICATORS` for the 21 counties and the nation (``lan_code``
    ``"00"``): columns indicator, title, lan_code, value, numerator, denominator, rank (among
    the counties with a value, 1 = highest, ties share the best rank), note (why a value is
    missing). ``p2010`` is accepted for symmetry with :func:`measures` and not needed."""
    del p2010
    projects = prepare_projects(p2011.projects)
    started = projects[projects["status"] != NOT_STARTED]
    flags = project_flags(p2011.projects)
    flags = flags[flags["projects_started"]]
    by = flags.groupby("lan_code")
    n_started = by["projects_started"].sum().reindex(counties(), fill_value=0)
    alloc = prepare_allocations(p2011.allocations).groupby("lan_code")
    allocated, requisitioned = alloc["allocated_sek"].sum(), alloc["requisitioned_sek"].sum()
    pop = _populations()
    no_pop = f"folkmängd {POPULATION_YEAR} saknas i länsregistret"
    rows: list[dict[str, Any]] = []
    rows += _ratio_rows("reell_samverkan", by["real_cooperation"].sum(), n_started)
    rows += _ratio_rows("integrerad", by["integration_done"].sum(), n_started)
    planned = started.assign(any_=started["integration_done"] | started["integration_will"]
                             | started["integration_plan"]).groupby("lan_code")["any_"].sum()
    rows += _ratio_rows("integrerad_eller_plan", planned, n_started)
    breadth = started.assign(n=started[list(ACTORS)].sum(axis=1)).groupby("lan_code")["n"].sum()
    rows += _ratio_rows("samverkansbredd", breadth, n_started)
    rows += _ratio_rows("familjeperspektiv", by["family_perspective"].sum(), n_started)
    rows += _ratio_rows("maluppfyllelse", by["goal_met"].sum(), n_started)
    rows += _ratio_rows("medel_per_projekt", started.groupby("lan_code")["granted_sek"].sum(),
                        n_started)
    rows += _ratio_rows("nyttjandegrad", requisitioned, allocated.reindex(counties()).fillna(0))
    rows += _ratio_rows("medel_per_invanare", allocated, pop, missing_note=no_pop)
    granted_projects = projects.groupby("lan_code").size()
    rows += _ratio_rows("projekt_per_100000", granted_projects, pop, scale=100_000,
                        missing_note=no_pop)
    rows += _share_ratio_rows(allocated, pop, no_pop)
    rows += _correlation_rows(allocated, pop, no_pop)
    frame = pd.DataFrame(rows)
    frame["title"] = frame["indicator"].map(lambda k: INDICATOR_BY_KEY[k].title)
    is_county = frame["lan_code"] != NATIONAL
    frame["rank"] = (frame["value"].where(is_county).groupby(frame["indicator"])
                     .rank(method="min", ascending=False).astype("Int64"))
    return frame.loc[:, list(VALUE_COLUMNS)].reset_index(drop=True)


def _share_ratio_rows(allocated: pd.Series, pop: pd.Series, no_pop: str) -> list[dict[str, Any]]:
    """Allocation share ÷ population share per county (1 for the nation) — only when every
    county's population is known (the national total is their sum)."""
    alloc = allocated.reindex(counties()).fillna(0)
    complete = bool(pop.notna().all())
    rows = []
    for lan in [*counties(), NATIONAL]:
        alloc_share = 1.0 if lan == NATIONAL else alloc[lan] / alloc.sum()
        pop_share = (1.0 if lan == NATIONAL else pop[lan] / pop.sum()) if complete else None
        if pop_share is None:
            missing = int(pop.isna().sum())
            rows.append({"indicator": "medel_mot_befolkning", "lan_code": lan,
                         "value": float("nan"), "numerator": float(alloc_share),
                         "denominator": float("nan"),
                         "note": f"{no_pop} för {missing} av 21 län: rikets folkmängd okänd"})
            continue
        rows.append({"indicator": "medel_mot_befolkning", "lan_code": lan,
                     "value": float(alloc_share / pop_share), "numerator": float(alloc_share),
                     "denominator": float(pop_share), "note": ""})
    return rows


def _correlation_rows(allocated: pd.Series, pop: pd.Series, no_pop: str
                      ) -> list[dict[str, Any]]:
    known = pop.dropna()
    pairs = pd.DataFrame({"alloc": allocated.reindex(known.index).fillna(0), "pop": known})
    rows = [{"indicator": "korrelation_medel_befolkning", "lan_code": lan, "value": float("nan"),
             "numerator": float("nan"), "denominator": float("nan"),
             "note": "beräknas bara för riket"} for lan in counties()]
    note = f"{len(pairs)} av 21 län med känd folkmängd"
    if len(pairs) < 3:
        value, note = float("nan"), f"{note}; minst tre behövs ({no_pop} för övriga)"
    else:
        value = float(pairs["alloc"].corr(pairs["pop"]))
    rows.append({"indicator": "korrelation_medel_befolkning", "lan_code": NATIONAL,
                 "value": value, "numerator": float("nan"), "denominator": float(len(pairs)),
                 "note": note})
    return rows


def format_indicator(key: str, value: float | None) -> str:
    """An indicator value in Swedish notation for its unit."""
    from samverkan import fmt

    card = INDICATOR_BY_KEY[key]
    decimals = card.decimals if card.decimals is not None else {
        "andel": 1, "kr": 0, "antal": 1}.get(card.unit, 2)
    if card.unit == "andel":
        return fmt.pct(value, decimals)
    if card.unit == "kr":
        return fmt.kr(value, decimals)
    return fmt.num(value, decimals)


def county_indicators(lan_code: str, p2011: ProcessedLike, p2010: ProcessedLike | None = None
                      ) -> pd.DataFrame:
    """One county's indicators beside the nation's, formatted for display: columns indikator,
    län, riket, rang (``"3 av 21"``: rank among the counties with a value; ``–`` when the
    county has no value, with the reason in the län column)."""
    from samverkan.registry import county_code

    lan = county_code(lan_code)
    values = indicator_values(p2011, p2010)
    rows = []
    for card in INDICATORS:
        own = values[(values["indicator"] == card.key) & (values["lan_code"] == lan)].iloc[0]
        nation = values[(values["indicator"] == card.key)
                        & (values["lan_code"] == NATIONAL)].iloc[0]
        ranked = values[(values["indicator"] == card.key) & (values["lan_code"] != NATIONAL)]
        n_ranked = int(ranked["value"].notna().sum())
        county_text = format_indicator(card.key, own["value"])
        if pd.isna(own["value"]) and own["note"]:
            county_text = f"– ({own['note']})"
        nation_text = format_indicator(card.key, nation["value"])
        if pd.isna(nation["value"]) and nation["note"]:
            nation_text = f"– ({nation['note']})"
        rank = "–" if pd.isna(own["rank"]) else f"{int(own['rank'])} av {n_ranked}"
        rows.append({"indikator": card.title, "län": county_text, "riket": nation_text,
                     "rang": rank})
    return pd.DataFrame(rows, columns=["indikator", "län", "riket", "rang"])


def indicator_definitions_markdown() -> str:
    """The chapter *Indikatorer*: one definition card per indicator, from :data:`INDICATORS`."""
    lines = [
        "# Indikatorer för uppföljning av lokal samverkan {#sec-indikatorer}",
        "",
        "Rapport 2011:39 redovisar antal projekt men inga mått som går att följa över tid eller "
        "jämföra mellan län. Stockholms stads ansökan om utvecklingsmedel hade som ett av sina "
        "mål att ta fram ett uppföljningsbart mål eller en indikator för lokal samverkan. "
        "Indikatorerna nedan är ett förslag som kan beräknas direkt ur redovisningarna. Varje "
        "indikator beräknas för varje län och för riket; länen rangordnas så att 1 är det "
        "högsta värdet. Där en uppgift saknas redovisas inget värde, aldrig en skattning.",
        "",
    ]
    units = {"andel": "andel i procent", "kr": "kronor", "antal": "antal",
             "kvot": "kvot", "korrelation": "korrelationskoefficient (−1 till 1)"}
    for card in INDICATORS:
        lines += [
            f"## {card.title}",
            "",
            f"- **Enhet:** {units[card.unit]}",
            f"- **Täljare:** {card.numerator}",
            f"- **Nämnare:** {card.denominator}",
            f"- **Källa:** {card.source}",
            f"- **Redovisas för:** {card.scope}",
            f"- **Att tänka på:** {card.caveats}",
            "",
        ]
    return "\n".join(lines)


def write_indicator_definitions(path: Any = None) -> Any:
    """Write :func:`indicator_definitions_markdown` atomically to ``path`` (default
    ``report/_generated/indikatorer.md``) and return the path."""
    from samverkan.io import write_text
    from samverkan.paths import generated_dir

    target = path if path is not None else generated_dir() / "indikatorer.md"
    return write_text(target, indicator_definitions_markdown())


# ------------------------------------------------------------------------------------ examples

COOPERATION_TYPES: dict[str, str] = {
    "coop_new": "Ny samverkansstruktur",
    "coop_existing": "Befintlig samverkansstruktur utvecklas",
    "coop_evaluate": "Befintlig samverkansstruktur utvärderas",
}
EXAMPLE_RULE = (
    "För varje typ av samverkan (ny struktur, befintlig struktur som utvecklas, utvärdering) "
    "väljs bland de startade projekten av den typen det som samverkar med flest typer av "
    "aktörer och som både nått sina mål (bedömning ja) och integrerats i ordinarie verksamhet. "
    "Finns inget sådant projekt räcker att målen nåtts helt eller delvis, och därefter att "
    "projektet startat. Vid lika bredd väljs det lägsta diarienumret. Ett projekt visas bara "
    "en gång."
)


def examples(p2011: ProcessedLike) -> pd.DataFrame:
    """One example project per cooperation type chosen by :data:`EXAMPLE_RULE`: columns
    cooperation_type, criterion, diarienummer, lan_code, county, municipalities, title,
    breadth, partners, goal_text, activities_text, goal_fulfilment_text, integration_text."""
    from samverkan.registry import municipality_name

    p = prepare_projects(p2011.projects)
    p = p[p["status"] != NOT_STARTED].copy()
    p["breadth"] = p[list(ACTORS)].sum(axis=1)
    tiers = (
        ("målen nådda och integrerat", (p["goal_met"] == "ja") & p["integration_done"]),
        ("målen helt eller delvis nådda", p["goal_met"].isin(YES_PARTLY)),
        ("startat", pd.Series(True, index=p.index)),
    )
    partner_labels = {actor: MEASURE_BY_NAME["partner_" + actor.removeprefix("actor_")].label
                      for actor in ACTORS}
    chosen: list[str] = []
    rows = []
    for column, type_label in COOPERATION_TYPES.items():
        pools = [(c, p[p[column] & ok & ~p["diarienummer"].isin(chosen)]) for c, ok in tiers]
        found = next(((c, pool) for c, pool in pools if not pool.empty), None)
        if found is None:
            continue
        criterion, pool = found
        best = pool.sort_values(["breadth", "diarienummer"], ascending=[False, True]).iloc[0]
        chosen.append(best["diarienummer"])
        codes = [c for c in str(best["municipality_codes"]).split(";") if c]
        rows.append({
            "cooperation_type": type_label, "criterion": criterion,
            "diarienummer": best["diarienummer"], "lan_code": best["lan_code"],
            "county": county_name(best["lan_code"]),
            "municipalities": ", ".join(municipality_name(c) for c in codes),
            "title": redact(best["title"]), "breadth": int(best["breadth"]),
            "partners": ", ".join(partner_labels[a] for a in partner_labels if best[a]),
            **{f: redact(str(best.get(f, ""))) for f in
               ("goal_text", "activities_text", "goal_fulfilment_text", "integration_text")},
        })
    return pd.DataFrame(rows)
