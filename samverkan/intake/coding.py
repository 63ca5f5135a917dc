"""Free-text keyword flags, the evaluator's coding sheet merged onto the projects, and the link
between a project's partial (2010) and final (2011) report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from samverkan import registry
from samverkan.intake import codebook
from samverkan.intake.contract import coding_columns
from samverkan.intake.normalise import enum_key
from samverkan.io import read_csv
from samverkan.privacy import redact
from samverkan.rounds import ROUNDS, year_range

# ---------------------------------------------------------------------------- free-text flags


def keyword_flags(projects: pd.DataFrame) -> pd.DataFrame:
    """One bool column per taxonomy keyword: does any of its fields mention it."""
    out = pd.DataFrame(index=projects.index)
    for keyword in codebook.taxonomy():
        regex = keyword.regex
        hit = np.zeros(len(projects), dtype=bool)
        for name in keyword.fields:
            if name in projects.columns:
                texts = projects[name].fillna("").astype(str).tolist()
                found = {t: bool(regex.search(t)) for t in dict.fromkeys(texts)}
                hit |= np.fromiter((found[t] for t in texts), bool, len(texts))
        out[keyword.name] = hit
    return out


# ---------------------------------------------------------------------------------- the coding


def read_coding(path: Path) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """The evaluator's coding sheet, one row per diarienummer with valid values ("" for an
    invalid or duplicated entry), and its issues."""
    names = coding_columns()
    empty = pd.DataFrame(columns=["diarienummer", "lan_code", *names], dtype="str")
    issues: list[dict[str, str]] = []
    if not path.is_file():
        issues.append({"diarienummer": "", "lan_code": "", "issue": "coding_file_missing",
                       "detail": f"kodningsfilen {path.name} saknas: inget projekt är kodat"})
        return empty, issues
    frame = read_csv(path)  # the spreadsheet convention, or a comma-separated UTF-8 file
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in ("diarienummer", *names) if c not in frame.columns]
    if missing:
        issues.append({"diarienummer": "", "lan_code": "", "issue": "coding_columns_missing",
                       "detail": f"{path.name} saknar kolumnerna {', '.join(missing)}"})
        return empty, issues
    if "lan_code" not in frame.columns:
        frame["lan_code"] = ""
    frame = frame.loc[:, ["diarienummer", "lan_code", *names]].apply(lambda s: s.str.strip())
    frame = frame[frame.ne("").any(axis=1)]
    codes = {text: _coded_county(text) for text in frame["lan_code"].unique()}
    frame["lan_code"] = frame["lan_code"].map(codes)
    for spec in codebook.coding_fields():
        allowed = {enum_key(v): v for v in spec["values"]}
        raw = frame[spec["name"]]
        canonical = raw.map({v: allowed.get(enum_key(v), "") for v in raw.unique()})
        for row in frame[canonical.eq("") & raw.ne("")].itertuples(index=False):
            value = getattr(row, spec["name"])
            issues.append({
                "diarienummer": row.diarienummer, "lan_code": row.lan_code,
                "issue": "coding_value",
                "detail": f"{spec['name']} = {redact(value)!r} är inte ett av "
                          f"{', '.join(spec['values'])}; lämnas okodat"})
        frame[spec["name"]] = canonical.astype("str")
    duplicated = frame["diarienummer"].duplicated(keep=False)
    for key, group in frame[duplicated].groupby("diarienummer", sort=True):
        issues.append({"diarienummer": key, "lan_code": group["lan_code"].iloc[0],
                       "issue": "coding_duplicate",
                       "detail": f"kodat {len(group)} gånger; kodningarna används inte"})
    frame.loc[duplicated, list(names)] = ""
    frame = frame.drop_duplicates("diarienummer")
    return frame.reset_index(drop=True), issues


def _coded_county(text: str) -> str:
    try:
        return registry.county_code(text) if text else ""
    except registry.UnknownCountyError:
        return text


def merge_coding(projects: pd.DataFrame, coding: pd.DataFrame, rejected_ids: set[str],
                 issues: list[dict[str, str]]) -> pd.DataFrame:
    """Projects with the coding columns ("" when uncoded); mismatches are added to ``issues``."""
    names = list(coding_columns())
    merged = projects.merge(coding.rename(columns={"lan_code": "coded_lan_code"}), how="left",
                            on="diarienummer", validate="many_to_one")
    merged.index = projects.index
    for name in names:
        merged[name] = merged[name].fillna("").astype("str")
    uncoded = merged["coded_lan_code"].isna()
    for row in merged[uncoded].sort_values("diarienummer").itertuples():
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "project_without_coding",
                       "detail": f"redovisat ({row.source_file} rad {row.source_row}) men inte "
                                 "i kodningsfilen; kodningskolumnerna lämnas tomma"})
    coded_lan = merged["coded_lan_code"]
    wrong_lan = ~uncoded & coded_lan.ne("") & coded_lan.ne(merged["lan_code"])
    for row in merged[wrong_lan].sort_values("diarienummer").itertuples():
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "coding_county_mismatch",
                       "detail": f"kodningen anger län {row.coded_lan_code}, redovisningen "
                                 f"{row.lan_code}; kodningen används"})
    submitted = set(projects["diarienummer"])
    for row in coding[~coding["diarienummer"].isin(submitted)].itertuples():
        where = ("redovisningen avvisades (se rejects.csv)" if row.diarienummer in rejected_ids
                 else "det finns inte i någon inlämning")
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "coding_without_project", "detail": f"kodat, men {where}"})
    return merged.drop(columns="coded_lan_code")


def link_rounds(projects: pd.DataFrame, previous: pd.DataFrame | None, report_round: int,
                rejected_ids: set[str]) -> list[dict[str, str]]:
    """Issues linking a round-2011 project list to the round-2010 one by diarienummer: a final
    round report of a 2008/2009 project without a partial report, and a partial report without
    a final round report."""
    if report_round - 1 not in ROUNDS:
        return []
    if previous is None:
        return [{"diarienummer": "", "lan_code": "", "issue": "link_not_checked",
                 "detail": f"omgång {report_round - 1} fanns inte tillgänglig"}]
    issues = []
    earlier = set(previous["diarienummer"])
    lo, hi = year_range(report_round - 1)
    due = projects["granted_year"].between(lo, hi) & ~projects["diarienummer"].isin(earlier)
    for row in projects[due].sort_values("diarienummer").itertuples():
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "partial_report_missing",
                       "detail": f"beviljat {row.granted_year} men ingen delredovisning i omgång "
                                 f"{report_round - 1}"})
    now = set(projects["diarienummer"]) | rejected_ids
    for row in previous[~previous["diarienummer"].isin(now)].sort_values(
            "diarienummer").itertuples():
        issues.append({"diarienummer": row.diarienummer, "lan_code": row.lan_code,
                       "issue": "final_report_missing",
                       "detail": f"delredovisning i omgång {report_round - 1} men ingen "
                                 f"redovisning i omgång {report_round}"})
    return issues


