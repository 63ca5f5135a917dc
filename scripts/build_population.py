"""Build data/reference/population_municipalities.csv and population_counties.csv from the saved
copy of SCB's population figures (data/reference/sources/folkmangd_2009_2010.csv).

The source (odectra/popu-sweden, data/folkmangd.csv; provenance in data/reference/README.md)
names municipalities without diacritics and without codes. Each row is matched to its kommunkod
through the registry's accent-insensitive lookup; the two rows spelled "Habo" are told apart by
their row id (HAB = Håbo 0305, HBO = Habo 0643). A county's figure is the sum of its
municipalities. Run it after changing the source copy:

    .venv/bin/python scripts/build_population.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from samverkan import registry
from samverkan.io import write_atomic
from samverkan.paths import reference_dir

SOURCE = Path("sources") / "folkmangd_2009_2010.csv"
YEARS = registry.POPULATION_YEARS
# Rows whose ASCII name matches two municipalities: the source's row id decides.
ROW_ID_CODES = {"HAB": "0305", "HBO": "0643"}


def read_source(path: Path) -> pd.DataFrame:
    """The saved source rows: k_ID, kommun and one column per year (``ar_2009`` …) as int."""
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    for year in YEARS:
        frame[f"ar_{year}"] = frame[f"ar_{year}"].astype(int)
    return frame


def municipality_rows(source: pd.DataFrame) -> pd.DataFrame:
    """One row per kommunkod: ``kommunkod, population_2009, population_2010, source_row``.

    Raises ValueError when a row matches no municipality, two rows match the same one, or a
    municipality of the registry has no row."""
    codes = [ROW_ID_CODES.get(row_id) or registry.municipality_code(name)
             for row_id, name in zip(source["k_ID"], source["kommun"], strict=True)]
    frame = pd.DataFrame({"kommunkod": codes, "source_row": source["k_ID"]})
    for year in YEARS:
        frame[f"population_{year}"] = source[f"ar_{year}"].to_numpy()
    doubled = frame.loc[frame["kommunkod"].duplicated(keep=False), "source_row"].tolist()
    if doubled:
        raise ValueError(f"{SOURCE}: rows {doubled} name the same municipality.")
    missing = sorted(set(registry.municipalities()["kommunkod"]) - set(frame["kommunkod"]))
    if missing:
        raise ValueError(f"{SOURCE}: no row for kommunkod {missing}.")
    columns = ["kommunkod", *(f"population_{year}" for year in YEARS), "source_row"]
    return frame[columns].sort_values("kommunkod", ignore_index=True)


def county_rows(municipal: pd.DataFrame) -> pd.DataFrame:
    """One row per county: ``lan_code, population_2009, population_2010``, the sum of its
    municipalities (the first two digits of the kommunkod are the county's code)."""
    counts = municipal.assign(lan_code=municipal["kommunkod"].str[:2])
    columns = [f"population_{year}" for year in YEARS]
    return counts.groupby("lan_code", as_index=False)[columns].sum().sort_values("lan_code")


def write_reference_csv(target: Path, frame: pd.DataFrame) -> Path:
    """data/reference's plain format (UTF-8, comma, no index, LF), atomically: the project's
    Swedish spreadsheet CSV is for outputs a county opens, not for reference data."""
    return write_atomic(target, lambda p: frame.to_csv(p, index=False, lineterminator="\n"))


def build(reference: Path) -> tuple[Path, Path]:
    """Write both population files into ``reference`` from its saved source copy."""
    municipal = municipality_rows(read_source(reference / SOURCE))
    county = county_rows(municipal)
    return (write_reference_csv(reference / "population_municipalities.csv", municipal),
            write_reference_csv(reference / "population_counties.csv", county))


if __name__ == "__main__":
    for written in build(reference_dir()):
        print(f"wrote {written}")
    sys.exit(0)
