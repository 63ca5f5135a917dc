"""Per-table validation: one sheet's raw rows of every county combined, parsed field by field,
checked against the pandera schema and the county of the file, and every failure turned into a
reject with file, sheet, row, column and a reason that says what to do."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from samverkan import registry
from samverkan.intake import codebook
from samverkan.intake.codebook import Field
from samverkan.intake.contract import PROVENANCE, dtype
from samverkan.intake.ledger import Rejects
from samverkan.intake.normalise import normalise_column, raw_text
from samverkan.intake.sheets import RawSheet
from samverkan.rounds import ROUNDS, year_range

# ----------------------------------------------------------------------------------- validation

_DATE_LO = pd.Timestamp("2008-01-01")


def schema(sheet: str, report_round: int) -> pa.DataFrameSchema:
    """The pandera schema of one sheet's normalised rows (before the round's columns are added).
    Each check's ``error`` is its check code (see :data:`CHECK_LABELS`)."""
    lo, hi = year_range(report_round)
    date_hi = pd.Timestamp(f"{report_round}-12-31")
    cols: dict[str, pa.Column] = {}
    for f in codebook.fields(sheet, report_round):
        if f.personal:
            continue
        checks: list[pa.Check] = []
        if f.type == "amount":
            checks.append(pa.Check.ge(0, error="amount_negative"))
        elif f.type == "integer":
            checks.append(pa.Check.ge(0, error="integer_negative"))
        elif f.type == "year":
            checks.append(pa.Check.in_range(lo, hi, error="year_range"))
        elif f.type == "date":
            checks.append(pa.Check.in_range(_DATE_LO, date_hi, error="date_range"))
        elif f.type == "county":
            checks.append(pa.Check.isin(list(registry.county_codes()), error="county_unknown"))
        elif f.type == "enum":
            checks.append(pa.Check.isin(list(f.values), error=f"{f.name}_value"))
        elif f.type == "municipalities":
            checks.append(pa.Check.str_matches(r"^\d{4}(;\d{4})*$", error="municipality_unknown"))
        cols[f.name] = pa.Column(dtype(f), checks=checks, nullable=not f.required,
                                 unique=f.type == "id", required=False)
    frame_checks = []
    if sheet == "Projekt":
        frame_checks.append(pa.Check(
            lambda df: ~(df["period_end"] < df["period_start"]), error="period_order"
        ))
    unique = {"Medel": ["lan_code", "year"], "Länsstyrelsen": ["lan_code"]}.get(sheet)
    return pa.DataFrameSchema(cols, checks=frame_checks, unique=unique, report_duplicates="all",
                              strict=False)


_FRAME_CHECK_COLUMN = {"period_order": "period_end"}
_PANDERA_BUILTIN = {"not_nullable": "required_missing", "field_uniqueness": "duplicate_key",
                    "multiple_fields_uniqueness": "duplicate_key"}


def validation_failures(frame: pd.DataFrame, sheet: str, report_round: int) -> pd.DataFrame:
    """Every (index, column, check) the schema fails, as a frame with those columns; one row per
    failing cell (a frame-level check is reported on the column it names)."""
    try:
        schema(sheet, report_round).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return pd.DataFrame(columns=["index", "column", "check"])
    cases = cases[cases["index"].notna()].copy()
    cases["check"] = cases["check"].astype(str).map(lambda c: _PANDERA_BUILTIN.get(c, c))
    frame_level = cases["check"].isin(list(_FRAME_CHECK_COLUMN))
    cases.loc[frame_level, "column"] = cases.loc[frame_level, "check"].map(_FRAME_CHECK_COLUMN)
    multi = cases["check"].eq("duplicate_key") & cases["schema_context"].eq("DataFrameSchema")
    cases.loc[multi, "column"] = "lan_code"
    cases["index"] = cases["index"].astype(int)
    out = cases.loc[:, ["index", "column", "check"]].drop_duplicates()
    return out.sort_values(["index", "column", "check"], ignore_index=True)

def combine(tables: list[RawSheet]) -> pd.DataFrame:
    """One raw frame per sheet: every file's cells, provenance, and the file's county."""
    parts = []
    for t in tables:
        part = t.cells.reset_index()
        part.insert(0, "source_file", t.file)
        part.insert(1, "source_sheet", t.sheet_name)
        part.insert(2, "_file_lan", t.lan_code)
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _describe(f: Field, check: str, value: object, row: pd.Series, report_round: int) -> str:
    """The reason for a validation failure, in words that say what to do."""
    shown = raw_text(value)
    lo, hi = year_range(report_round)
    if check == "required_missing":
        return f"{f.label} ({f.name}) måste fyllas i men är tom"
    if check in {"amount_negative", "integer_negative"}:
        return f"{f.label} är negativt ({shown}); skriv beloppet eller antalet som ett positivt tal"
    if check == "year_range":
        return f"året {shown} ligger utanför omgångens år {lo}–{hi}"
    if check == "date_range":
        return (f"datumet {shown} ligger utanför {_DATE_LO.date()} – {report_round}-12-31; "
                "rätta datumet")
    if check == "period_order":
        return (f"rapportperioden slutar ({raw_text(row.get('period_end'))}) innan den börjar "
                f"({raw_text(row.get('period_start'))}); rätta ett av datumen")
    return f"{f.label}: {shown!r} uppfyller inte regeln {check}"


KEYS: dict[str, list[str]] = {"Projekt": ["diarienummer"], "Medel": ["lan_code", "year"],
                              "Länsstyrelsen": ["lan_code"]}
"""The columns that identify a row of each sheet (one row per key and round)."""


def _key_text(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """The key columns as text, "" where blank (a missing value is never equal to another)."""
    return frame[KEYS[sheet]].astype("string").fillna("").apply(lambda s: s.str.strip())


def _places(frame: pd.DataFrame, indices: list[int]) -> str:
    return ", ".join(f"{frame.at[i, 'source_file']} rad {frame.at[i, 'source_row']}"
                     for i in indices)


def duplicates(typed: pd.DataFrame, file_lan: pd.Series, sheet: str, skip: set[int],
               owners: Mapping[str, str] | None = None) -> dict[int, tuple[str, str, str]]:
    """Rows to reject because their key is another row's: index → (column, check, reason).

    One wrong row costs only itself: rows in ``skip`` (already refused, e.g. a row naming
    another county than its file) are not counted, so they never make the other county's own
    row a duplicate. A project key written in the files of several counties, when ``owners``
    (diarienummer → länskod, from the evaluator's coding sheet and the round before) says
    whose project it is and that county's file has it once, costs only the other counties'
    rows. Otherwise every row with the key is refused (which one is right is not known)."""
    keys = KEYS[sheet]
    key = _key_text(typed, sheet)
    usable = key.index[~key.eq("").any(axis=1) & ~key.index.isin(sorted(skip))]
    out: dict[int, tuple[str, str, str]] = {}
    if len(usable) < 2:
        return out
    grouped: dict[tuple[str, ...], list[int]] = {}
    for index, parts in zip(usable, key.loc[usable].itertuples(index=False, name=None),
                            strict=True):
        grouped.setdefault(tuple(parts), []).append(int(index))
    for parts, members in grouped.items():
        if len(members) < 2:
            continue
        value_text = " ".join(map(str, parts))
        owner = (owners or {}).get(value_text) if sheet == "Projekt" else None
        counties = {str(file_lan.at[i]) for i in members}
        own = [i for i in members if file_lan.at[i] == owner]
        if owner and len(counties) > 1 and len(own) == 1:
            name = registry.county_name(owner, "official")
            for i in members:
                if i in own:
                    continue
                out[i] = (keys[-1], "duplicate_key_of_other_county",
                          f"diarienumret {value_text} är ett projekt i {name} ("
                          f"{_places(typed, own)}; så står det också i utvärderarens kodning "
                          f"eller i förra omgången): rätta diarienumret till det egna "
                          "projektets")
            continue
        what = " ".join(f"{k}={v}" for k, v in zip(keys, parts, strict=True))
        reason = (f"{what} förekommer {len(members)} gånger ({_places(typed, members)}); behåll "
                  f"en rad per {' och '.join(keys)} och omgång")
        out.update({i: (keys[-1], "duplicate_key", reason) for i in members})
    return out


TOTALS = re.compile(r"^\s*(?:summa|s:a|totalt?|total summa|samtliga|sum|totals?)\b[\s:.]*",
                    re.IGNORECASE)
"""How a totals row names itself in its first identifying cell."""


def totals_rows(raw: pd.DataFrame, sheet: str, rejects: Rejects) -> set[int]:
    """Rows that are a totals line (``Summa``, ``Totalt``, ``S:a`` in the county, diarienummer
    or title cell) rather than a project, year or county: rejected as such, not parsed."""
    out: set[int] = set()
    for column in ("lan_code", "diarienummer", "title"):
        if column not in raw.columns:
            continue
        texts = raw[column].map(lambda v: v if isinstance(v, str) else "")
        for index in raw.index[texts.str.match(TOTALS) & ~raw.index.isin(list(out))]:
            out.add(index)
            rejects.add(raw.at[index, "source_file"], sheet, int(raw.at[index, "source_row"]),
                        column, raw.at[index, column], "totals_row",
                        f"raden är en summarad ({raw_text(raw.at[index, column])!r}), inte en "
                        "uppgift om ett projekt, ett år eller ett län: programmet räknar fram "
                        "summorna själv. Ta bort raden.")
    return out


def normalise_sheet(
    raw: pd.DataFrame, sheet: str, report_round: int, rejects: Rejects,
    owners: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, set[int]]:
    """Parse and validate one sheet's combined raw rows: the typed frame (every row) and the
    index of the rejected rows, whose reasons are added to ``rejects``. ``owners``:
    diarienummer → länskod of the projects whose county is known (see :func:`duplicates`)."""
    round_fields = [f for f in codebook.fields(sheet, report_round) if not f.personal]
    typed = pd.DataFrame(index=raw.index)
    for name in PROVENANCE:
        typed[name] = raw[name]
    failed: set[tuple[int, str]] = set()
    rejected: set[int] = set()

    def reject(index: int, column: str, check: str, reason: str) -> None:
        value = raw.at[index, column] if column in raw.columns else ""
        rejects.add(raw.at[index, "source_file"], sheet, int(raw.at[index, "source_row"]),
                    column, value, check, reason)
        failed.add((index, column))
        rejected.add(index)

    for f in round_fields:
        column = raw[f.name] if f.name in raw.columns else pd.Series("", index=raw.index)
        values, errors = normalise_column(column.astype(object), f)
        typed[f.name] = pd.Series(values, index=raw.index, dtype=object)
        for index, error in errors.items():
            reject(int(index), f.name, error.check, error.reason)
        if f.type == "date":
            typed[f.name] = pd.to_datetime(typed[f.name]).astype("datetime64[ms]")
        else:
            typed[f.name] = typed[f.name].astype(dtype(f))

    foreign: set[int] = set()
    if "lan_code" in typed.columns:
        mismatch = typed["lan_code"].notna() & (typed["lan_code"] != raw["_file_lan"])
        foreign = {int(i) for i in typed.index[mismatch]}
        for index in typed.index[mismatch]:
            row_code, file_code = typed.at[index, "lan_code"], raw.at[index, "_file_lan"]
            reject(int(index), "lan_code", "county_file_mismatch",
                   f"raden gäller {row_code} ({registry.county_name(row_code, 'official')}) men "
                   f"filen är inlämningen från {file_code} "
                   f"({registry.county_name(file_code, 'official')}): flytta raden till det "
                   "länets fil eller rätta länet")
    if sheet == "Projekt":
        for index, column, check, reason in (_round_mismatches(typed, report_round)
                                             + _outside_county(typed, rejects)):
            if index not in rejected:
                reject(index, column, check, reason)

    by_name = {f.name: f for f in round_fields}
    for index, (column, check, reason) in sorted(
            duplicates(typed, raw["_file_lan"], sheet, foreign, owners).items()):
        reject(index, column, check, reason)
    for case in validation_failures(typed.drop(columns=list(PROVENANCE)), sheet,
                                    report_round).itertuples(index=False):
        index, column, check = int(case.index), str(case.column), str(case.check)
        if check == "duplicate_key":
            continue  # judged by duplicates(), which knows which rows are already refused
        if (index, column) in failed:
            continue  # already rejected for this cell (e.g. blank after a parse error)
        else:
            reason = _describe(by_name[column], check, raw.at[index, column],
                               typed.loc[index], report_round)
        reject(index, column, check, reason)
    return typed, rejected


def _round_mismatches(typed: pd.DataFrame, report_round: int
                      ) -> list[tuple[int, str, str, str]]:
    """Project rows whose report type and period belong to the other round: a final report in a
    partial round's folder, or a partial report for the partial round's period in the final
    round's folder (a partial report of a project still running in the final round is fine)."""
    out = []
    final = max(ROUNDS)
    kind = typed["report_type"]
    if report_round < final:
        for index in typed.index[kind.eq("slutredovisning").fillna(False)]:
            out.append((int(index), "report_type", "report_round_mismatch",
                        f"raden är en slutredovisning, men omgång {report_round} gäller "
                        f"delredovisningar: flytta raden till omgång {final} eller rätta "
                        "'Redovisningen avser'"))
        return out
    ends = typed["period_end"]
    early = kind.eq("delredovisning").fillna(False) & (ends.dt.year <= report_round - 2).fillna(
        False)
    for index in typed.index[early]:
        out.append((int(index), "report_type", "report_round_mismatch",
                    f"raden är en delredovisning för perioden till "
                    f"{ends.at[index].date().isoformat()}, det vill säga omgång "
                    f"{report_round - 1}s redovisning; den hör inte hemma i omgång "
                    f"{report_round}. Ta bort raden, eller rätta 'Redovisningen avser' och "
                    "rapportperioden om projektet har lämnat sin redovisning för "
                    f"{report_round}"))
    return out


def _outside_county(typed: pd.DataFrame, rejects: Rejects) -> list[tuple[int, str, str, str]]:
    """Projects whose applicant municipalities all lie in another county than the row's are
    rejected (naming the county they belong to). A project with several applicants of which at
    least one is in the county may have partners across the border: accepted, and noted in the
    ledger of its file."""
    out = []
    frame = registry.municipalities()
    county_of = dict(zip(frame["kommunkod"].astype(str), frame["lan_code"].astype(str),
                         strict=True))
    valid = typed["municipality_codes"].notna() & typed["lan_code"].notna()
    pairs = typed.loc[valid, ["municipality_codes", "lan_code"]].astype(str)
    outside = {key: any(county_of[c] != key[1] for c in key[0].split(";"))
               for key in set(zip(pairs["municipality_codes"], pairs["lan_code"], strict=True))}
    for index, codes_text, lan in zip(pairs.index, pairs["municipality_codes"],
                                      pairs["lan_code"], strict=True):
        if not outside[(codes_text, lan)]:
            continue
        codes = codes_text.split(";")
        elsewhere = {c: county_of[c] for c in codes if county_of[c] != lan}
        names = ", ".join(f"{registry.municipality_name(c)} hör till "
                          f"{registry.county_name(k, 'official')} ({k})"
                          for c, k in elsewhere.items())
        if len(elsewhere) == len(codes):
            out.append((int(index), "municipality_codes", "municipality_county",
                        f"ingen sökande kommun ligger i {registry.county_name(lan, 'official')}: "
                        f"{names}. Rätta kommunen, eller låt länsstyrelsen i det länet redovisa "
                        "projektet"))
        else:
            rejects.note(typed.at[index, "source_file"], "Projekt",
                         f"rad {typed.at[index, 'source_row']}: sökande kommun i annat län "
                         f"godtogs eftersom projektet också har en sökande kommun i länet "
                         f"({names})")
    return out


def stub(raw: pd.DataFrame, rows: set[int]) -> pd.DataFrame:
    """Provenance (and the diarienummer as written) of rows rejected before normalising, so the
    ledger can count them and the coding check can name them."""
    keep = [*PROVENANCE, *(["diarienummer"] if "diarienummer" in raw.columns else [])]
    stub = raw.loc[sorted(rows), keep]
    if "diarienummer" in stub.columns:
        stub["diarienummer"] = stub["diarienummer"].map(raw_text).astype("str")
    return stub


def row_problems(tables: list[RawSheet], raw: pd.DataFrame, sheet: str,
                  rejects: Rejects) -> set[int]:
    """Rows the reader found unusable as a whole (e.g. a CSV row with too many cells)."""
    rejected: set[int] = set()
    if raw.empty:
        return rejected
    position = {(f, r): i for i, (f, r) in enumerate(zip(raw["source_file"], raw["source_row"],
                                                         strict=True))}
    for t in tables:
        for row, (check, reason) in sorted(t.row_problems.items()):
            rejects.add(t.file, sheet, row, "", "", check, reason)
            rejected.add(raw.index[position[(t.file, row)]])
    return rejected



def check_requisitioned(typed: dict[str, pd.DataFrame], rejected_rows: dict[str, set[int]],
                         rejects: Rejects) -> None:
    """A county may not have granted its projects more than it requisitioned: when it has, the
    county's allocation rows are rejected (the project rows stand on their own). A county whose
    file had an allocation row refused is not judged (its requisitioned total is incomplete,
    and one wrong row costs only itself): the ledger notes it."""
    projects, allocations = typed["Projekt"], typed["Medel"]
    if projects.empty or allocations.empty:
        return
    ok_projects = projects.drop(index=sorted(rejected_rows["Projekt"]))
    ok_allocations = allocations.drop(index=sorted(rejected_rows["Medel"]))
    granted = ok_projects.groupby("lan_code")["granted_sek"].sum()
    requisitioned = ok_allocations.groupby("lan_code")["requisitioned_sek"].sum()
    refused_files = set(allocations.loc[sorted(rejected_rows["Medel"]), "source_file"])
    for lan_code, total in requisitioned.items():
        given = int(granted.get(lan_code, 0))
        if given <= int(total):
            continue
        rows = ok_allocations.index[ok_allocations["lan_code"] == lan_code]
        files = set(ok_allocations.loc[rows, "source_file"])
        if files & refused_files:  # a refused row leaves the total short: it cannot be judged
            for file in sorted(files):
                rejects.note(file, "Medel",
                             f"beviljat ({given} kr) jämfördes inte med rekvirerat: en rad i "
                             "Medel avvisades, så det rekvirerade beloppet är inte komplett")
            continue
        for index in rows:
            rejects.add(allocations.at[index, "source_file"], "Medel",
                        int(allocations.at[index, "source_row"]), "requisitioned_sek",
                        allocations.at[index, "requisitioned_sek"], "granted_over_requisitioned",
                        f"länets projekt har beviljats sammanlagt {given} kr men länet har "
                        f"rekvirerat {int(total)} kr; rätta raderna i Medel eller projektens "
                        "beviljade belopp")
            rejected_rows["Medel"].add(index)


