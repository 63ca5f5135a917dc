"""Which files make up a round's submissions: each file's county and kind from its name
(``<länskod>-<län>.xlsx|xls|ods`` or ``<länskod>-<län>-<tabell>.csv``), downloaded copies
(``08-kalmar (1).xlsx``) recognised, identical copies set aside, and a county that sent more than
one submission refused as a whole instead of mixing them.

Every problem is a :class:`SubmissionError` whose message (Swedish, for the county official)
names the file and says what to do.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from samverkan import registry
from samverkan.intake import codebook
from samverkan.privacy import redact

WORKBOOK_KINDS = ("xlsx", "xls", "ods")
"""Workbook formats read (all through python-calamine): Excel 2007+, Excel 97–2003, LibreOffice."""
KINDS = (*WORKBOOK_KINDS, "csv")

_FILE_NAME = re.compile(r"^(?P<code>\d{2})-(?P<slug>[a-z0-9_-]+?)(?:-(?P<suffix>[a-z]+))?$")
_COPY_MARK = re.compile(r"(?:\s*\(\d+\)|\s*-\s*(?:kopia|copy)(?:\s*\(\d+\))?|\s+(?:kopia|copy))$",
                        re.IGNORECASE)
"""What a browser or file manager adds to a downloaded or copied file's name."""
EXPECTED_NAMES = (
    "filerna ska heta <länskod>-<län>.xlsx (eller .xls/.ods) eller "
    "<länskod>-<län>-<projekt|medel|lansstyrelsen>.csv, t.ex. 01-stockholm.xlsx eller "
    "25-norrbotten-projekt.csv"
)


class SubmissionError(Exception):
    """A file or sheet that cannot be used as a whole; the message names the problem and what
    to do. ``rows_read`` counts the data rows it held (0 when unreadable)."""

    def __init__(self, check: str, message: str, rows_read: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.check = check
        self.message = redact(message)
        self.rows_read = rows_read
        self.column = column


@dataclass(frozen=True)
class SourceFile:
    """A submission file: its name relative to the round's raw folder, county, and kind."""

    path: Path
    name: str
    lan_code: str
    kind: str
    """``xlsx``, ``xls``, ``ods`` or ``csv``."""
    sheet: str | None = None
    """For a CSV file: the canonical sheet its suffix names."""
    proper_name: str = ""
    """For a downloaded copy (``03-uppsala (1).xlsx``): the name without the copy mark."""

    @property
    def workbook(self) -> bool:
        return self.kind in WORKBOOK_KINDS


def _sheet_for_suffix(suffix: str) -> str | None:
    for sheet in codebook.SHEETS:
        if codebook.csv_suffix(sheet) == suffix:
            return sheet
    return None


def identify(path: Path, raw_dir: Path) -> SourceFile:
    """The county and kind of a submission file from its name; :class:`SubmissionError` when the
    name does not follow the contract."""
    name = path.relative_to(raw_dir).as_posix()
    kind = path.suffix.lower().lstrip(".")
    if kind not in KINDS:
        raise SubmissionError(
            "file_format",
            f"{name}: filtypen {path.suffix!r} kan inte läsas. Spara inlämningen som "
            "Excel-arbetsbok (.xlsx, eller .xls från äldre Excel), LibreOffice-kalkylark (.ods) "
            f"eller som CSV-filer; {EXPECTED_NAMES}.",
        )
    stem = path.stem.strip()
    copy = _COPY_MARK.search(stem)
    proper = ""
    if copy and _FILE_NAME.match(stem[:copy.start()].lower()):
        stem = stem[:copy.start()]
        proper = f"{stem}{path.suffix.lower()}"
    match = _FILE_NAME.match(stem.lower())
    if not match:
        raise SubmissionError(
            "file_name", f"{name}: filnamnet anger inte länet; {EXPECTED_NAMES}."
        )
    try:
        lan_code = registry.county_code(match["code"])
    except registry.UnknownCountyError:
        raise SubmissionError(
            "county_unknown",
            f"{name}: filnamnet börjar med länskoden {match['code']!r}, som inget län har "
            "(länskoderna är 01–25, se data/reference/counties.csv). Byt namn på filen.",
        ) from None
    slug, suffix = match["slug"], match["suffix"]
    sheet = None
    if kind == "csv":
        if suffix is None and "-" in slug:
            slug, suffix = slug.rsplit("-", 1)
        sheet = _sheet_for_suffix(suffix or "")
        if sheet is None:
            suffixes = ", ".join(f"-{codebook.csv_suffix(s)}" for s in codebook.SHEETS)
            raise SubmissionError(
                "file_name",
                f"{name}: det går inte att se vilken tabell CSV-filen innehåller; avsluta "
                f"namnet med {suffixes} ({EXPECTED_NAMES}).",
            )
    elif suffix is not None:
        slug = f"{slug}-{suffix}"
    try:
        slug_code = registry.county_code(slug.replace("-", " "))
    except registry.UnknownCountyError:
        slug_code = lan_code
    if slug_code != lan_code:
        raise SubmissionError(
            "county_mismatch",
            f"{name}: filnamnets länskod {lan_code} "
            f"({registry.county_name(lan_code, 'short')}) och länsnamn {slug!r} "
            f"({registry.county_name(slug_code, 'short')}) stämmer inte överens; byt namn på "
            "filen.",
        )
    return SourceFile(path=path, name=name, lan_code=lan_code, kind=kind, sheet=sheet,
                      proper_name=proper)


def shown(name: str) -> str:
    """A file name as a message shows it: control characters, line breaks and terminal escape
    codes escaped (``\\n``, ``\\x1b``), quotes around a name with blanks at either end."""
    escaped = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in name)
    return repr(escaped) if escaped != escaped.strip() or not escaped else escaped


def _ignored(name: str) -> bool:
    """Hidden files, Excel and LibreOffice lock files (``~$…``, ``.~lock…``) and README files."""
    return name.startswith((".", "~$")) or Path(name).stem.upper() == "README"


def _odd(name: str) -> bool:
    """A name with a character no file manager writes: a line break, a control character
    (a terminal escape code), a backslash (a Windows path taken as a name)."""
    return shown(name) != name or "\\" in name


def candidates(raw_dir: Path) -> list[Path]:
    """The regular files directly in the round's folder that may be submissions (not
    :func:`_ignored`, not symbolic links, no :func:`_odd` name), sorted by name; see
    :func:`refused_entries` for the rest."""
    return sorted(p for p in raw_dir.iterdir() if not _ignored(p.name) and not _odd(p.name)
                  and not p.is_symlink() and p.is_file())


def refused_entries(raw_dir: Path) -> list[tuple[str, str, str]]:
    """(shown name, check, message) for every entry of the round's folder that is not read:
    symbolic links, folders, and anything else that is not a regular file, and files whose
    name holds a character no file manager writes (a line break, a control character, a
    backslash). Nothing outside the folder is ever opened."""
    refused = []
    for path in sorted(raw_dir.iterdir()):
        name = shown(path.name)
        if path.is_symlink():
            what = ("en symbolisk länk (genväg) till en annan plats; bara filer som ligger "
                    "direkt i mappen läses")
            check = "file_link"
        elif _odd(path.name):
            what = ("filnamnet innehåller tecken som inte hör hemma i ett filnamn (radbrytning, "
                    "styrtecken eller omvänt snedstreck)")
            check = "file_name"
        elif _ignored(path.name):
            continue
        elif path.is_dir():
            what = "en mapp; bara filer som ligger direkt i omgångens mapp läses"
            check = "file_folder"
        elif not path.is_file():
            what = "ingen vanlig fil"
            check = "file_special"
        else:
            continue
        refused.append((name, check, f"{name}: {what}, så den har inte lästs. Lägg "
                        f"inlämningen som vanliga filer direkt i mappen; {EXPECTED_NAMES}."))
    return refused


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Resolution:
    """What to do with one county's files: read ``use``; ``copies`` (file → the file it
    duplicates) are set aside; ``refused`` holds (file, check, message) for files rejected."""

    use: list[SourceFile]
    copies: dict[str, str]
    refused: list[tuple[SourceFile, str, str]]


def resolve(files: list[SourceFile], report_round: int) -> Resolution:
    """One county's submission: identical copies set aside (the file with the proper name is
    kept); a lone downloaded copy is refused (it may not be the latest version); more than one
    workbook, a workbook beside CSV files, or two CSV files for one table refuse the county."""
    ordered = sorted(files, key=lambda f: (bool(f.proper_name), f.name))
    seen: dict[str, SourceFile] = {}
    copies: dict[str, str] = {}
    distinct: list[SourceFile] = []
    for source in ordered:
        digest = _digest(source.path)
        if digest in seen:
            copies[source.name] = seen[digest].name
        else:
            seen[digest] = source
            distinct.append(source)
    workbooks = [f for f in distinct if f.workbook]
    tables: dict[str | None, list[SourceFile]] = {}
    for f in distinct:
        if not f.workbook:
            tables.setdefault(f.sheet, []).append(f)
    ambiguous = len(workbooks) > 1 or (workbooks and tables) or any(
        len(group) > 1 for group in tables.values())
    if ambiguous:
        lan = distinct[0].lan_code
        listed = ", ".join(f.name for f in distinct)
        message = (
            f"{registry.county_name(lan, 'official')} har skickat mer än en inlämning i omgång "
            f"{report_round}: {listed}. Filerna skiljer sig åt, så det går inte att avgöra "
            "vilken som gäller, och ingen av dem har använts. Behåll en arbetsbok eller en "
            "uppsättning CSV-filer (en per tabell) och ta bort de andra."
        )
        return Resolution(use=[], copies=copies,
                          refused=[(f, "submission_ambiguous", message) for f in distinct])
    use: list[SourceFile] = []
    refused: list[tuple[SourceFile, str, str]] = []
    for f in distinct:
        if not f.proper_name:
            use.append(f)
            continue
        refused.append((f, "file_copy_name", (
            f"{f.name}: filnamnet ser ut som en nedladdad eller kopierad fil (webbläsaren eller "
            "Utforskaren har lagt till en kopiemarkering), så det är oklart om det är länets "
            f"senaste version. Byt namn till {f.proper_name} om den är det.")))
    return Resolution(use=use, copies=copies, refused=refused)
