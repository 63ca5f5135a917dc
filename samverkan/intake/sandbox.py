"""A workbook parsed in a child process with a memory and time limit, so that whatever a
county's file makes the parser do (python-calamine aborts the whole process when an allocation
fails) costs that file only: the child's death becomes the file's :class:`SubmissionError`.

The child runs this file as a script (``python -I sandbox.py``) and imports nothing of the
project, so it starts in a tenth of a second; it sends back every sheet's name, cells (from A1,
empty area kept) and merged ranges, pickled. The limits checked before parsing
(samverkan.intake.limits) make most refusals specific; these are the backstop.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MEMORY_BYTES = 2 * 1024**3
"""Address space of the child that parses one workbook (a 10 000 × 200 sheet needs ~0.5 GB)."""
SECONDS = 120
"""Wall-clock time one workbook may take to parse (an ordinary one takes well under a second)."""

Merged = list[tuple[tuple[int, int], tuple[int, int]]]


@dataclass(frozen=True)
class WorkbookData:
    """A parsed workbook: its sheet names in order, and each sheet's cells and merged ranges
    (0-based ``((first row, first column), (last row, last column))``)."""

    names: list[str]
    grids: dict[str, list[list[object]]]
    merged: dict[str, Merged]


def _child(path: str, memory: int, cpu: int, max_rows: int, max_columns: int) -> dict:
    """Runs in the child: the workbook as plain data, or why it could not be read."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        names = list(workbook.sheet_names)
        grids, merged = {}, {}
        for name in names:
            sheet = workbook.get_sheet_by_name(name)
            height, width = sheet.total_height, sheet.total_width
            if height > max_rows or width > max_columns:
                return {"too_large": (name, height, width)}
            grids[name] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
            merged[name] = [((r0, c0), (r1, c1))
                            for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        return {"names": names, "grids": grids, "merged": merged}
    except MemoryError:
        return {"memory": True}
    except Exception as error:  # calamine raises several types for a broken file
        return {"error": (type(error).__name__, " ".join(str(error).split())[:200])}


def kind_name(kind: str) -> str:
    """A workbook format as messages name it (Swedish)."""
    return {"xls": "Excel 97–2003-arbetsbok (.xls)", "ods": "LibreOffice-kalkylark (.ods)"
            }.get(kind, "Excel-arbetsbok (.xlsx)")


def load(path: Path, name: str, kind: str) -> WorkbookData:
    """The workbook at ``path`` parsed in a child process; :class:`SubmissionError` (messages
    naming ``name``) when it cannot be read, is too large, or takes too much memory or time."""
    from samverkan.intake import limits
    from samverkan.intake.files import SubmissionError

    def refused(check: str, what: str) -> SubmissionError:
        return SubmissionError(check, f"{name}: {what}")

    command = [sys.executable, "-I", __file__, str(path), str(MEMORY_BYTES), str(SECONDS),
               str(limits.MAX_ROWS + 1), str(limits.MAX_COLUMNS)]
    try:
        proc = subprocess.run(command, capture_output=True, timeout=SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise refused("file_too_large", f"filen tog mer än {SECONDS} sekunder att läsa och "
                      f"har inte använts. {limits.SPLIT_ADVICE}") from None
    result = None
    if proc.returncode == 0:
        try:
            result = pickle.loads(proc.stdout)  # noqa: S301 (our own child's output)
        except (pickle.UnpicklingError, EOFError, ValueError):
            result = None
    if result is None or result.get("memory"):
        raise refused("file_too_large", f"filen behöver mer än {MEMORY_BYTES // 1024**3} GB "
                      f"minne för att läsas och har inte använts. {limits.SPLIT_ADVICE}")
    if "too_large" in result:
        sheet, rows, columns = result["too_large"]
        limits.check_grid(name, sheet, rows, columns)
    if "error" in result:
        error, detail = result["error"]
        raise SubmissionError(
            "file_unreadable",
            f"{name}: filen kan inte läsas som {kind_name(kind)} ({error}: {detail}). Öppna "
            "den i Excel och spara den som Excel-arbetsbok (.xlsx).")
    return WorkbookData(result["names"], result["grids"], result["merged"])


if __name__ == "__main__":
    _path, _memory, _cpu, _rows, _columns = sys.argv[1:6]
    sys.stdout.buffer.write(pickle.dumps(_child(_path, int(_memory), int(_cpu), int(_rows),
                                                int(_columns))))
