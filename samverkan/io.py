"""Atomic writes (an output is either the old file or the complete new one, never half) and the
project's one CSV convention for files people open in a spreadsheet.

The CSV convention is Swedish Excel's and LibreOffice's (see README, "Files for spreadsheets"):
``;`` between fields, decimal comma, UTF-8 with a byte-order mark, CRLF line ends. Text is
always quoted and numbers never, so LibreOffice's "Format quoted field as text" keeps codes
such as ``lan_code`` 01 as text; booleans are ``Ja``/``Nej``; text a spreadsheet would run as a
formula gets a leading ``'`` (OWASP, "CSV Injection"), which :func:`read_csv` removes again.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # frames are only passed through: the no-change run must not import pandas
    import pandas as pd

SEPARATOR = ";"
ENCODING = "utf-8-sig"
LINE_END = "\r\n"
YES, NO = "Ja", "Nej"

_UMASK_LOCK = threading.Lock()


def file_mode() -> int:
    """The permission bits a new file gets from the user's umask (``0o666 & ~umask``), like
    the files of any other program."""
    with _UMASK_LOCK:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(target: Path | str, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success. The file
    takes the user's umask (``mkstemp`` alone would leave it owner-only)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.fchmod(fd, file_mode())
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except OSError as exc:
        if exc.filename not in (None, str(tmp_path)):
            raise
        raise OSError(exc.errno, f"{exc.strerror or exc}; {target} was not written",
                      str(target)) from exc  # a full disk names the file it was writing
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_atomic(target: Path | str, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


def parse_yaml(text: str) -> object:
    """YAML as ``yaml.safe_load`` reads it, with libyaml's parser when PyYAML has it (ten times
    faster on the codebook, which every kernel reads)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def write_text(target: Path | str, text: str) -> Path:
    """UTF-8 text, atomically."""
    return write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))


def write_parquet(target: Path | str, frame: pd.DataFrame) -> Path:
    """Machine-facing tables keep their types: Parquet, atomically."""
    return write_atomic(target, lambda p: frame.to_parquet(p, index=False))


# ------------------------------------------------------------------- CSV for spreadsheets

_FORMULA = re.compile(r"'*[=+\-@\t\r]")
"""Text a spreadsheet would run as a formula (OWASP: ``=``, ``+``, ``-``, ``@``, tab, CR at the
start), also behind apostrophes so that the ``'`` added by :func:`neutralise_formula` can be
told apart from one the text had."""
_NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def neutralise_formula(text: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading ``'`` so it stays text; a
    plain negative number (``-5``, ``-1,5``) stays a number. Non-strings are returned unchanged.
    :func:`restore_formula` undoes it exactly."""
    if isinstance(text, str) and _FORMULA.match(text) and not _NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The text :func:`neutralise_formula` was given."""
    return text[1:] if _NEUTRALISED.match(text) else text


def _quote(text: str) -> str:
    return '"' + neutralise_formula(text).replace('"', '""') + '"'


def _number(value: float) -> str:
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return _quote(str(value))
    text = repr(float(value))
    if "e" in text:
        text = f"{value:.15f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_cell(value: object) -> str:
    """One field in the convention: numbers bare with a decimal comma, ``Ja``/``Nej``, dates
    ISO, text quoted and neutralised, missing values empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _quote(value) if value else ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return f'"{YES}"' if value else f'"{NO}"'
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return _number(float(value))
    if isinstance(value, datetime):
        if value != value:  # NaT
            return ""
        same_day = (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
        return value.strftime("%Y-%m-%d" if same_day else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return _quote(str(value))


def _column(series: pd.Series) -> list[str]:
    """The fields of one column; whole-column paths for the common types."""
    import pandas as pd

    values = series.tolist()
    if pd.api.types.is_bool_dtype(series) and not series.isna().any():
        return [f'"{YES}"' if v else f'"{NO}"' for v in values]
    if pd.api.types.is_integer_dtype(series):
        return ["" if v is None or v is pd.NA else str(int(v)) for v in values]
    if pd.api.types.is_float_dtype(series):
        return [_number(v) if v is not None and v is not pd.NA else "" for v in values]
    if pd.api.types.is_datetime64_any_dtype(series):
        same_day = (series.dropna() == series.dropna().dt.normalize()).all()
        text = series.dt.strftime("%Y-%m-%d" if same_day else "%Y-%m-%d %H:%M:%S")
        return text.fillna("").tolist()
    if pd.api.types.infer_dtype(series, skipna=False) in ("string", "empty"):
        return _text_column(values)
    return [format_cell(v) for v in values]


def _text_column(values: list[str]) -> list[str]:
    """:func:`format_cell` for a column of strings, without its type checks (the long
    free-text columns of the processed tables)."""
    formula, number = _FORMULA.match, _NEGATIVE_NUMBER.fullmatch
    out = []
    for text in values:
        if not text:
            out.append("")
            continue
        if formula(text) and not number(text):
            text = "'" + text
        out.append('"' + (text.replace('"', '""') if '"' in text else text) + '"')
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` (no index) as text in the project's spreadsheet convention, without the BOM."""
    header = SEPARATOR.join(_quote(str(c)) for c in frame.columns)
    columns = [_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    lines = [header, *(SEPARATOR.join(row) for row in zip(*columns, strict=True))]
    return LINE_END.join(lines) + LINE_END


def write_csv(target: Path | str, frame: pd.DataFrame) -> Path:
    """Every CSV the pipeline writes for people: the Swedish spreadsheet convention of this
    module (``;``, decimal comma, UTF-8 with BOM, CRLF, formulas neutralised), atomically."""
    text = csv_text(frame)
    return write_atomic(target, lambda p: p.write_bytes(text.encode(ENCODING)))


def read_csv(path: Path | str) -> pd.DataFrame:
    """A CSV of :func:`write_csv` as all-text columns (codes keep their zeros, numbers keep the
    decimal comma, ``Ja``/``Nej`` stay words) with the formula neutralisation undone. Files
    separated by ``,`` (the tidy CSV a person or an older run may have written) are read too."""
    import pandas as pd

    path = Path(path)
    with path.open(encoding=ENCODING, newline="") as handle:
        first = handle.readline()
    separator = SEPARATOR if SEPARATOR in first or "," not in first else ","
    frame = pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False,
                        encoding=ENCODING)
    frame.columns = [restore_formula(str(c)) for c in frame.columns]
    for column in frame.columns:
        values = frame[column]
        marked = values.str.startswith("'")
        if marked.any():
            frame.loc[marked, column] = values[marked].map(restore_formula)
    return frame


def to_number(series: pd.Series) -> pd.Series:
    """A text column of :func:`read_csv` as numbers (decimal comma or point; "" → NaN)."""
    import pandas as pd

    return pd.to_numeric(series.astype(str).str.replace(",", ".", regex=False).replace("", None))
