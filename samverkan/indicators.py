"""Results from processed data: the figures of Rapport 2011:39 recomputed per county and
nationally, the tables, the change from the partial report (2010) to the final report (2011), and
follow-up indicators for local cooperation with their definition cards.

Every count is defined once, in :data:`PROJECT_MEASURES` (a per-project flag and the base it
counts over); the tables, :func:`measures` (the audit's input) and the indicators all read it.
Definitions follow the last section of the data contract (``MODEL.md``): Tables 3–5 count over
started projects (status other than ``ej_startad``), Table 2 over every project of the round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from samverkan import codebook

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

    directory = Path(directory)
    read = lambda name: pd.read_csv(directory / name, dtype=str, keep_default_na=False)  # noqa: E731
    board = read("board.csv") if (directory / "board.csv").is_file() else pd.DataFrame()
    return Tables(read("projects.csv"), read("allocations.csv"), board)


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
    return text.isin(["true", "1", "1.0"]).fillna(False).astype(bool)


def prepare_projects(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed copy of a projects table: codes as two-digit text, flags as bool, coding values
    as text ("" when uncoded), amounts and years as integers. Accepts the processed parquet and
    the all-text CSV alike."""
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


def _counties() -> list[str]:
    from samverkan.registry import county_codes

    return list(county_codes())


def _by_county(values: pd.Series) -> dict[str, float]:
    """County code → value for the 21 counties (0 for a county without rows), plus the
    national sum under :data:`NATIONAL`."""
    out = {lan: float(values.get(lan, 0)) for lan in _counties()}
    out[NATIONAL] = float(values.sum())
    return out


def _project_rows(projects: pd.DataFrame, period: str) -> list[dict[str, Any]]:
    flags = project_flags(projects)
    p = prepare_projects(projects)
    counts = flags.drop(columns="diarienummer").groupby("lan_code").sum()
    rows = []
    for m in PROJECT_MEASURES:
        for lan, value in _by_county(counts[m.name]).items():
            rows.append({"lan_code": lan, "measure": m.name, "period": period, "value": value})
    started = p[p["status"] != NOT_STARTED]
    granted = started.groupby("lan_code")["granted_sek"].sum()
    for lan, value in _by_county(granted).items():
        rows.append({"lan_code": lan, "measure": "granted_sek", "period": period, "value": value})
    family = counts["family_perspective"]
    base = counts["projects_started"]
    shares = {lan: 100 * family.get(lan, 0) / base[lan] for lan in base.index if base[lan]}
    shares[NATIONAL] = 100 * family.sum() / base.sum() if base.sum() else float("nan")
    rows += [{"lan_code": lan, "measure": "family_perspective_share", "period": period,
              "value": float(v)} for lan, v in shares.items()]
    per_county = counts["projects_granted"].reindex(_counties(), fill_value=0)
    rows.append({"lan_code": "", "measure": "projects_granted_county_min", "period": period,
                 "value": float(per_county.min())})
    return rows


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


def round_measures(processed: ProcessedLike, period: str | None = None) -> pd.DataFrame:
    """The measures of one report round (columns lan_code, measure, period, value): every
    project count of :data:`PROJECT_MEASURES`, granted funds and the family-perspective share
    over the round's projects (``period`` = :data:`PERIOD_BY_ROUND`), the same counts over the
    projects granted in the round's last year (period ``"2010"`` in round 2011), and money per
    county and year."""
    report_round = report_round_of(processed)
    period = period or PERIOD_BY_ROUND[report_round]
    projects = prepare_projects(processed.projects)
    rows = _project_rows(projects, period)
    granted = {r["lan_code"]: r["value"] for r in rows if r["measure"] == "granted_sek"}
    last_year = int(period[-4:])
    if "-" in period:  # the grants of the round's last year on their own (the 82 of 2010)
        rows += _project_rows(projects[projects["granted_year"] == last_year], str(last_year))
    rows += _money_rows(processed, period, granted)
    counties = set(projects["lan_code"]) | set(prepare_allocations(processed.allocations)
                                               ["lan_code"])
    rows.append({"lan_code": "", "measure": "county_boards", "period": period,
                 "value": float(len(counties))})
    frame = pd.DataFrame(rows, columns=["lan_code", "measure", "period", "value"])
    return frame.drop_duplicates(["lan_code", "measure", "period"], keep="first")


def measures(p2011: ProcessedLike, p2010: ProcessedLike | None = None) -> pd.DataFrame:
    """Every figure of ``data/reference/published.csv`` that processed data can recompute, keyed
    as the reference keys it: columns ``lan_code`` (``"00"`` national, ``""`` for figures the
    reference keeps without county), ``measure``, ``period``, ``value`` (float).

    ``p2011`` gives the final report (period ``2008-2010``, its grants of ``2010`` and the money
    per year); ``p2010`` the partial report (period ``2008-2009``). Rows are sorted by measure,
    period and county."""
    frames = [round_measures(p2011)]
    if p2010 is not None:
        previous = round_measures(p2010)
        previous = previous[previous["period"] == PERIOD_BY_ROUND[report_round_of(p2010)]]
        frames.append(previous)
    result = pd.concat(frames, ignore_index=True)
    result = result.drop_duplicates(["lan_code", "measure", "period"], keep="first")
    return result.sort_values(["measure", "period", "lan_code"], ignore_index=True)
