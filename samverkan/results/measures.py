"""Every count of Rapport 2011:39 defined once, and the measures of a round computed from it.

A :class:`Measure` is a per-project flag and the base it counts over; :data:`PROJECT_MEASURES`
lists them in report order. :func:`round_measures` counts them per county and nationally and adds
the money; :func:`measures` is the audit's input, keyed like ``data/reference/published.csv``.
Definitions follow the data model (``notes/MODEL.md``): Tables 3–5 count over started projects
(status other than ``ej_startad``), Table 2 over every project of the round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from samverkan.intake import codebook
from samverkan.results.frames import (
    NATIONAL,
    NOT_STARTED,
    YES_PARTLY,
    ProcessedLike,
    counties,
    has_projects,
    prepare_allocations,
    prepare_board,
    prepare_projects,
    report_round_of,
)
from samverkan.rounds import PERIOD_BY_ROUND

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
    # pragma: no mutate block (runs at import: see tests/mutation/equivalent.md)
    return lambda p: p[name]


def _coded(name: str, values: Iterable[str]) -> Callable[[pd.DataFrame], pd.Series]:
    # pragma: no mutate block (runs at import: see tests/mutation/equivalent.md)
    allowed = tuple(values)
    return lambda p: p[name].isin(allowed)


def _status(value: str, negate: bool = False  # pragma: no mutate
            ) -> Callable[[pd.DataFrame], pd.Series]:
    # pragma: no mutate block (runs at import: see tests/mutation/equivalent.md)
    return lambda p: (p["status"] != value) if negate else (p["status"] == value)


def _family(p: pd.DataFrame) -> pd.Series:
    return p["area_women"] & p["area_children"] & p["area_men"]


def _build_measures() -> tuple[Measure, ...]:
    # pragma: no mutate block (runs at import: see tests/mutation/equivalent.md)
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
    return flags_of(prepare_projects(projects))


def flags_of(p: pd.DataFrame) -> pd.DataFrame:
    """:func:`project_flags` of a projects table already typed by ``prepare_projects``."""
    flags = pd.DataFrame(_flag_matrix(p), index=p.index,
                         columns=[m.name for m in PROJECT_MEASURES])
    flags.insert(0, "diarienummer", p["diarienummer"])
    flags.insert(0, "lan_code", p["lan_code"])
    return flags


def _flag_matrix(p: pd.DataFrame) -> np.ndarray:
    """Projects × :data:`PROJECT_MEASURES` as a bool array (see :func:`project_flags`)."""
    started = (p["status"] != NOT_STARTED).to_numpy(dtype=bool, na_value=True)
    matrix = np.empty((len(p), len(PROJECT_MEASURES)), dtype=bool)
    for i, m in enumerate(PROJECT_MEASURES):
        flag = m.flag(p).to_numpy(dtype=bool, na_value=False)
        matrix[:, i] = (flag & started) if m.started_only else flag
    return matrix


# ------------------------------------------------------------------------------------ counting


def _county_totals(lan_codes: Iterable[str], values: np.ndarray) -> np.ndarray:
    """Column sums of ``values`` (one row per record) per county in :func:`counties` order,
    then the national sum (of the counties) as the last row. A county without records sums
    to 0; a record whose code is not a county is left out."""
    codes = counties()
    position = {code: i for i, code in enumerate(codes)}
    at = np.array([position.get(code, -1) for code in lan_codes], dtype=np.int64)
    values = np.asarray(values, dtype="float64")
    values = values[:, None] if values.ndim == 1 else values
    totals = np.zeros((len(codes), values.shape[1]))
    np.add.at(totals, at[at >= 0], values[at >= 0])
    return np.vstack([totals, totals.sum(axis=0)])


Row = tuple[str, str, str, float]
"""One measure: lan_code, measure, period, value."""


def _long(totals: np.ndarray, names: list[str], period: str) -> list[Row]:
    """:func:`_county_totals` rows × ``names`` columns → rows of lan_code, measure, period,
    value."""
    return [(lan, name, period, float(value))
            for lan, row in zip([*counties(), NATIONAL], totals.tolist(), strict=True)
            for name, value in zip(names, row, strict=True)]


def _project_rows(p: pd.DataFrame, period: str) -> list[Row]:
    """Every project measure and the granted funds of prepared projects ``p`` per county and
    nationally, the family-perspective share, the smallest and the largest county's number of
    projects."""
    names = [m.name for m in PROJECT_MEASURES]
    started = (p["status"] != NOT_STARTED).to_numpy(dtype=bool)
    granted = np.where(started, p["granted_sek"].to_numpy(dtype="float64"), 0.0)
    values = np.column_stack([_flag_matrix(p), granted])
    totals = _county_totals(p["lan_code"].tolist(), values)
    rows = _long(totals, [*names, "granted_sek"], period)
    column = {name: i for i, name in enumerate(names)}
    family, base = totals[:, column["family_perspective"]], totals[:, column["projects_started"]]
    for lan, f, b in zip([*counties(), NATIONAL], family, base, strict=True):
        if b or lan == NATIONAL:
            rows.append((lan, "family_perspective_share", period,
                         float(100 * f / b) if b else float("nan")))
    per_county = totals[:-1, column["projects_granted"]]
    rows += [("", "projects_granted_county_min", period, float(per_county.min())),
             ("", "projects_granted_county_max", period, float(per_county.max()))]
    return rows


def _money_rows(processed: ProcessedLike, period: str, granted: np.ndarray) -> list[Row]:
    """Allocated and requisitioned funds per county and year and over ``period``, the number of
    funding years, and (with the county boards' sheet) administration, total costs (``granted``
    per county and nationally + administration), repayment and the administration's share."""
    alloc = prepare_allocations(processed.allocations)
    board = prepare_board(getattr(processed, "board", None))
    money = ["allocated_sek", "requisitioned_sek"]
    lan, years = alloc["lan_code"].tolist(), alloc["year"].to_numpy()
    amounts = alloc[money].to_numpy(dtype="float64")
    rows: list[Row] = []
    for year in sorted(set(years.tolist())):
        in_year = [c for c, y in zip(lan, years, strict=True) if y == year]
        rows += _long(_county_totals(in_year, amounts[years == year]), money, str(year))
    total = _county_totals(lan, amounts)
    rows += _long(total, money, period)
    rows.append(("", "funding_years", period, float(len(set(years.tolist())))))
    if board.empty:
        return rows
    requisitioned = total[:, 1]
    admin = _county_totals(board["lan_code"].tolist(),
                           board["administration_sek"].to_numpy())[:, 0]
    costs = granted + admin
    rows += _long(np.column_stack([admin, costs, requisitioned - costs]),
                  ["administration_sek", "total_costs_sek", "repayment_sek"], period)
    for code, a, r in zip([*counties(), NATIONAL], admin, requisitioned, strict=True):
        if r:
            rows.append(("" if code == NATIONAL else code, "administration_share", period,
                         float(100 * a / r)))
    return rows


def county_counts(projects: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """Project measures ``names`` counted per county (rows in registry order, then the national
    sum as ``00``): columns lan_code and one int64 column per name."""
    names = list(names)
    p = prepare_projects(projects)
    at = [i for i, m in enumerate(PROJECT_MEASURES) for name in names if m.name == name]
    totals = _county_totals(p["lan_code"].tolist(), _flag_matrix(p)[:, at])
    out = pd.DataFrame(totals.astype("int64"), columns=names)
    out.insert(0, "lan_code", [*counties(), NATIONAL])
    return out


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
    granted = np.array([value for _, measure, _, value in rows if measure == "granted_sek"])
    last_year = int(period[-4:])
    if "-" in period:  # the grants of the round's last year on their own (the 82 of 2010)
        rows += _project_rows(projects[projects["granted_year"] == last_year], str(last_year))
    rows += _money_rows(processed, period, granted)
    reporting = set(projects["lan_code"]) | set(prepare_allocations(processed.allocations)
                                                ["lan_code"])
    rows.append(("", "county_boards", period, float(len(reporting))))
    first = {row[:3]: row for row in reversed(rows)}  # the first row of each key wins
    ordered = [first[key] for key in dict.fromkeys(row[:3] for row in rows)]
    return pd.DataFrame(ordered, columns=["lan_code", "measure", "period", "value"])


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





STRUCTURES: tuple[str, ...] = ("new_structures", "existing_structures", "evaluated_structures")
"""The structure measures, which Table 2 counts over every granted project."""


def started_structures(processed: ProcessedLike) -> dict[str, int]:
    """The structure measures counted over the *started* projects only (Table 2 counts the
    granted ones: a project that never started may have ticked a structure), so that a
    sentence or a share about started projects uses a count of started projects."""
    flags = project_flags(processed.projects)
    started = flags["projects_started"]
    return {name: int(flags.loc[started, name].sum()) for name in STRUCTURES}
