"""The input of every result: a round's processed tables (projects, allocations, board), typed
for counting, and the county rows every per-county table has.

The columns and keys are described in ``notes/MODEL.md``. The functions here are pure: each
returns a new frame and leaves its input untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from samverkan.intake import codebook

NATIONAL = "00"
"""``lan_code`` of a national figure (as in ``data/reference/published.csv``)."""

NOT_STARTED = "ej_startad"
YES_PARTLY = ("ja", "delvis")

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
    """A checkbox or flag column as bool: True, "true", "1" or "1.0" are ticked."""
    if column.dtype == bool:
        return column
    if pd.api.types.is_bool_dtype(column):
        return column.fillna(False).astype(bool)
    text = column.astype("string").str.strip().str.lower()
    return text.isin(["true", "ja", "1", "1.0"]).fillna(False).astype(bool)


def prepare_projects(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed copy of a projects table: codes as two-digit text, flags as bool, coding values
    as text ("" when uncoded), amounts and years as integers. Accepts the processed parquet and
    the all-text CSV alike; a column that already has its type is taken over as it is."""
    columns: dict[str, Any] = {}
    n = len(frame)
    for name in ("lan_code", "diarienummer", "status"):
        columns[name] = _text(frame[name])
    columns["lan_code"] = columns["lan_code"].str.zfill(2)
    for name in bool_columns():
        columns[name] = _as_bool(frame[name]) if name in frame else pd.Series(
            False, index=frame.index)
    for name in coding_columns():
        columns[name] = (_text(frame[name].fillna("")).str.strip() if name in frame
                         else pd.Series([""] * n, index=frame.index, dtype=str))
    for name in ("granted_sek", "granted_year"):
        columns[name] = _int(frame[name])
    rest = frame.drop(columns=[c for c in columns if c in frame])
    out = pd.concat([rest, pd.DataFrame(columns, index=frame.index)], axis=1)
    return out.loc[:, [*frame.columns, *(c for c in columns if c not in frame)]]


def _text(column: pd.Series) -> pd.Series:
    """``column`` as text (itself when it already is)."""
    return column if pd.api.types.is_string_dtype(column) else column.astype(str)


def _int(column: pd.Series) -> pd.Series:
    """``column`` as int64 (itself when it already is)."""
    if column.dtype == "int64":
        return column
    return pd.to_numeric(column).astype("int64")


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



def county_name(lan_code: str) -> str:
    """The county's short name for tables and charts; ``Riket`` for the national row."""
    from samverkan.registry import county_name as registry_name

    return "Riket" if lan_code == NATIONAL else registry_name(lan_code, form="short")


