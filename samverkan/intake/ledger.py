"""Accounting for every row: rejects.csv rows as they are found, and the ledger row of each
(file, sheet) with rows read = rows accepted + rows rejected."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from samverkan.intake.contract import REJECT_COLUMNS
from samverkan.intake.normalise import raw_text
from samverkan.intake.sheets import SheetOutcome
from samverkan.privacy import redact

REDACTION_WORDS = {"email": "e-postadress", "phone": "telefonnummer",
                   "personnummer": "personnummer"}


@dataclass
class Rejects:
    """rejects.csv rows collected while cleaning, and notes for the ledger of a (file, sheet)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, file: str, sheet: str, row: int | str, column: str, value: object,
            check: str, reason: str) -> None:
        self.rows.append({"file": file, "sheet": sheet, "row": row, "column": column,
                          "value": redact(raw_text(value))[:200], "reason": redact(reason),
                          "check": check})

    def note(self, file: str, sheet: str, text: str) -> None:
        """A finding that rejects nothing but belongs in the ledger message of (file, sheet)."""
        self.notes.setdefault((file, sheet), []).append(text)

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=list(REJECT_COLUMNS))
        frame["row"] = frame["row"].astype(str)
        order = frame.assign(_row=pd.to_numeric(frame["row"], errors="coerce").fillna(0))
        order = order.sort_values(["file", "sheet", "_row", "column", "check"], kind="stable")
        return order.drop(columns="_row").reset_index(drop=True)


def ledger_row(outcome: SheetOutcome, **values: Any) -> dict[str, Any]:
    row = {"file": outcome.file, "sheet": outcome.sheet, "sheet_name": outcome.sheet_name,
           "lan_code": outcome.lan_code, "status": "ok", "check": "", "rows_read": 0,
           "rows_accepted": 0, "rows_rejected": 0, "rows_blank": 0, "header_row": "",
           "personal_columns_dropped": 0, "personal_data_redacted": 0, "unknown_columns": "",
           "message": ""}
    row.update(values)
    return row


def redaction_note(counts: Counter[str]) -> str:
    """``personuppgifter borttagna ur fritext: 2 e-postadress, 1 telefonnummer`` or ""."""
    if not counts:
        return ""
    parts = ", ".join(f"{n} {REDACTION_WORDS[k]}" for k, n in sorted(counts.items()))
    return f"personuppgifter borttagna ur fritext: {parts}"


def ledger_for(outcome: SheetOutcome, typed: dict[str, pd.DataFrame],
               rejected_rows: dict[str, set[int]], rejects: Rejects) -> dict[str, Any]:
    """The ledger row of one (file, sheet): a file rejected whole counts the data rows it held
    as read and rejected; an identical copy is set aside and counts nothing."""
    if outcome.copy_of:
        return ledger_row(outcome, status="copy", check="file_copy", message=(
            f"{outcome.file} är en identisk kopia av {outcome.copy_of}; raderna lästes från "
            f"{outcome.copy_of}. Ta bort kopian."))
    if outcome.error is not None:
        error = outcome.error
        rejects.add(outcome.file, outcome.sheet, "", error.column, "", error.check, error.message)
        return ledger_row(outcome, status="file_rejected", check=error.check,
                          rows_read=error.rows_read, rows_rejected=error.rows_read,
                          message=error.message)
    table = outcome.table
    assert table is not None
    frame = typed[outcome.sheet]
    mine = frame.index[frame["source_file"].eq(table.file)] if len(frame) else []
    rejected = len(set(mine) & rejected_rows[outcome.sheet])
    notes = [*table.notes, redaction_note(table.redacted),
             *rejects.notes.get((table.file, outcome.sheet), [])]
    values = dict(rows_read=table.rows_read, rows_accepted=table.rows_read - rejected,
                  rows_rejected=rejected, rows_blank=table.blank_rows,
                  header_row=table.header_row, personal_columns_dropped=table.personal_columns,
                  personal_data_redacted=sum(table.redacted.values()),
                  unknown_columns="; ".join(table.unknown_columns),
                  message=redact("; ".join(n for n in notes if n)))
    if table.rows_read == 0 and outcome.sheet != "Projekt":
        message = (f"{table.file}: inga rader under rubrikraden i tabellen {outcome.sheet}; "
                   "fyll i tabellen")
        rejects.add(table.file, outcome.sheet, "", "", "", "sheet_empty", message)
        values.update(status="file_rejected", check="sheet_empty", message=message)
    elif rejected:
        values.update(status="rows_rejected")
    return ledger_row(outcome, **values)
