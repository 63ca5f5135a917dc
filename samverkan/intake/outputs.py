"""A round's processed tables: the result types, the contract's column order and dtypes, and
writing and reading ``data/processed/<round>/`` (every file atomically, every CSV through
:func:`samverkan.io.write_csv`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from samverkan.intake import codebook
from samverkan.intake.contract import (
    CODING_ISSUE_COLUMNS,
    LEDGER_COLUMNS,
    LEDGER_STATUSES,
    REJECT_COLUMNS,
    TABLES,
    columns,
    keyword_columns,
    table_fields,
)
from samverkan.io import read_csv, write_csv, write_parquet
from samverkan.paths import processed_dir, project_root
from samverkan.rounds import DEFAULT_ROUND, ROUNDS

# --------------------------------------------------------------------------------- the result


@dataclass
class Processed:
    """A round's processed tables (see notes/MODEL.md for the columns)."""

    projects: pd.DataFrame
    allocations: pd.DataFrame
    board: pd.DataFrame
    rejects: pd.DataFrame
    ledger: pd.DataFrame
    coding_issues: pd.DataFrame

    @property
    def ok(self) -> bool:
        """Nothing rejected."""
        return self.rejects.empty


@dataclass
class CleanResult(Processed):
    """What :func:`clean_round` made, with the seconds each phase took."""

    report_round: int = DEFAULT_ROUND
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self, reasons: int = 5) -> str:
        """A few lines for the terminal (Swedish, for the county official): the round's counts,
        then every file or sheet that was not read whole with up to ``reasons`` of its reject
        reasons (row, field, reason, check code)."""
        ledger = self.ledger
        lines = [
            f"Omgång {self.report_round}: {ledger['file'].nunique()} filer, "
            f"{int(ledger['rows_read'].sum())} rader lästa, "
            f"{int(ledger['rows_accepted'].sum())} godtagna, "
            f"{int(ledger['rows_rejected'].sum())} avvisade; {len(self.projects)} projekt, "
            f"{len(self.allocations)} rader om medel, {len(self.board)} svar från "
            f"länsstyrelserna; {len(self.coding_issues)} avvikelser i kodningen."
        ]
        bad = ledger[ledger["status"] != "ok"]
        for row in bad.itertuples(index=False):
            where = f"{row.file} {row.sheet}" if row.sheet else f"{row.file} (hela filen)"
            label = LEDGER_STATUSES.get(row.status, row.status)
            lines.append(f"  {label}: {where} — {row.rows_rejected} av {row.rows_read} rader "
                         f"avvisade. {row.message}".rstrip())
            if row.status != "rows_rejected":
                continue
            mine = self.rejects[(self.rejects["file"] == row.file)
                                & (self.rejects["sheet"] == row.sheet)]
            for reject in mine.head(reasons).itertuples(index=False):
                lines.append(f"    rad {reject.row}, {reject.column}: {reject.reason} "
                             f"[{reject.check}]")
            if len(mine) > reasons:
                lines.append(f"    … och {len(mine) - reasons} till i rejects.csv")
        return "\n".join(lines)


def empty_table(table: str) -> pd.DataFrame:
    return typed_output(pd.DataFrame(columns=list(columns(table))), table)


def typed_output(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table in contract column order and dtypes."""
    sheet = {v: k for k, v in TABLES.items()}[table]
    out = pd.DataFrame(index=frame.index)
    types = {f.name: f for f in table_fields(sheet)}
    for name in columns(table):
        series = frame[name] if name in frame.columns else pd.Series(index=frame.index,
                                                                      dtype=object)
        f = types.get(name)
        if name in {"report_round", "source_row"} or (f and f.type in {"amount", "year",
                                                                      "integer"}):
            out[name] = series.astype("int64")
        elif f and f.type == "checkbox" or name in keyword_columns():
            out[name] = series.fillna(False).astype(bool)
        elif f and f.type == "date":
            out[name] = pd.to_datetime(series).astype("datetime64[ms]")
        else:
            out[name] = series.fillna("").astype("str")
    return out.reset_index(drop=True)


def sort_key(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------------- outputs

OUTPUT_FILES = ("projects.parquet", "projects.csv", "allocations.parquet", "allocations.csv",
                "board.parquet", "board.csv", "rejects.csv", "ledger.csv", "coding_issues.csv")
"""Every file :func:`write_outputs` may write."""


def clear_outputs(out_dir: Path) -> None:
    """Remove the round's outputs before it is cleaned again, so that a clean that fails part
    way leaves missing files (which every reader notices), never the last run's looking current."""
    for name in OUTPUT_FILES:
        (out_dir / name).unlink(missing_ok=True)


def remove_leftovers(out_dir: Path) -> None:
    """Remove the temporary files a killed write left beside the outputs (samverkan.io's
    ``.<name>.<random>.tmp``)."""
    if out_dir.is_dir():
        for name in OUTPUT_FILES:
            for tmp in out_dir.glob(f".{name}.*.tmp"):
                tmp.unlink(missing_ok=True)


def write_outputs(result: CleanResult, out_dir: Path) -> None:
    """Every output of a round, each written atomically (``board`` only in the rounds that
    have the sheet; one left from before is removed). The CSV files, for people, go through
    the project's one CSV writer."""
    for table in ("projects", "allocations", "board"):
        frame = getattr(result, table)
        if table == "board" and result.report_round not in codebook.sheet_rounds("Länsstyrelsen"):
            for name in ("board.parquet", "board.csv"):
                (out_dir / name).unlink(missing_ok=True)
            continue
        write_parquet(out_dir / f"{table}.parquet", frame)
        write_csv(out_dir / f"{table}.csv", frame)
    write_csv(out_dir / "rejects.csv", result.rejects)
    write_csv(out_dir / "ledger.csv", result.ledger)
    write_csv(out_dir / "coding_issues.csv", result.coding_issues)


def read_processed(out_dir: Path) -> Processed:
    """The tables written by :func:`write_outputs` in ``out_dir``."""
    def csv(name: str, cols: tuple[str, ...]) -> pd.DataFrame:
        return read_csv(out_dir / name).reindex(columns=list(cols), fill_value="")

    board = out_dir / "board.parquet"
    return Processed(
        projects=pd.read_parquet(out_dir / "projects.parquet"),
        allocations=pd.read_parquet(out_dir / "allocations.parquet"),
        board=pd.read_parquet(board) if board.is_file() else empty_table("board"),
        rejects=csv("rejects.csv", REJECT_COLUMNS),
        ledger=_ledger_types(csv("ledger.csv", LEDGER_COLUMNS)),
        coding_issues=csv("coding_issues.csv", CODING_ISSUE_COLUMNS),
    )


def _ledger_types(ledger: pd.DataFrame) -> pd.DataFrame:
    for name in ("rows_read", "rows_accepted", "rows_rejected", "rows_blank",
                 "personal_columns_dropped", "personal_data_redacted"):
        ledger[name] = ledger[name].astype("int64")
    return ledger


# ------------------------------------------------------------------- reading the project's round


class MissingProcessedData(FileNotFoundError):
    """A round's processed data is not there: the pipeline has not cleaned it yet."""


REQUIRED_FILES = ("projects.parquet", "allocations.parquet", "rejects.csv", "ledger.csv",
                "coding_issues.csv")
"""What :func:`read_processed` needs in a round's processed folder."""


def require_processed(report_round: int, wanted_by: str) -> None:
    """Raise :class:`MissingProcessedData` naming ``wanted_by`` and the command to run when the
    round's processed tables are not all there."""
    out = processed_dir(report_round)
    missing = [name for name in REQUIRED_FILES if not (out / name).is_file()]
    if missing:
        where = out.relative_to(project_root()) if out.is_relative_to(project_root()) else out
        raise MissingProcessedData(
            f"{wanted_by}: {where}/{missing[0]} is missing: the round {report_round} has not been "
            "cleaned. Run `python -m samverkan run` (or `python -m samverkan clean --round "
            f"{report_round}`)."
        )


def load_processed(report_round: int = DEFAULT_ROUND) -> Processed:
    """The round's processed tables as written by :func:`run`; a round before the first (e.g.
    the round before 2010) has no data: empty tables. Raises :class:`MissingProcessedData`
    naming the command to run when they are not there; never builds them."""
    if report_round < min(ROUNDS):
        return Processed(projects=empty_table("projects"), allocations=empty_table("allocations"),
                         board=empty_table("board"), rejects=pd.DataFrame(columns=REJECT_COLUMNS),
                         ledger=pd.DataFrame(columns=LEDGER_COLUMNS),
                         coding_issues=pd.DataFrame(columns=CODING_ISSUE_COLUMNS))
    if report_round not in ROUNDS:
        raise ValueError(f"No report round {report_round}: rounds are {ROUNDS}.")
    require_processed(report_round, "reading the processed data")
    return read_processed(processed_dir(report_round))
