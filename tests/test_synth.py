"""The generator (samverkan/synth/):
deterministic bytes per seed, the shipped data is exactly
what the default seed writes, the county-level figures are the published ones (read from
data/reference/, not typed here), the README's mix table is the generator's, and --scale
multiplies the projects. That the truth tables reproduce the report's aggregates is
tests/test_indicators.py; that cleaning recovers them is tests/test_clean_truth.py."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from privacy import EMAIL, raw_contacts

from samverkan.cli import main
from samverkan.io import read_csv
from samverkan.paths import project_root
from samverkan.reference import in_base_units, published
from samverkan.rounds import ROUNDS
from samverkan.synth import files
from samverkan.synth import generate as synth
from samverkan.synth.targets import SynthError

ROOT = project_root()


@cache
def _files(out: str, seed: int, scale: int = 1) -> dict[str, bytes]:
    assert main(["synth", "--seed", str(seed), "--scale", str(scale), "--out", out]) == 0
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(Path(out).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def default(tmp_path_factory) -> dict[str, bytes]:
    return _files(str(tmp_path_factory.mktemp("seed2011")), synth.DEFAULT_SEED)


def test_the_same_seed_writes_the_same_bytes(default, tmp_path):
    again = _files(str(tmp_path / "again"), synth.DEFAULT_SEED)
    assert again.keys() == default.keys()
    assert [name for name in again if again[name] != default[name]] == []


def test_another_seed_writes_other_projects_with_the_same_county_figures(default, tmp_path):
    other = _files(str(tmp_path / "seed7"), 7)
    changed = [n for n in other if n.startswith("raw/") and other.get(n) != default.get(n)]
    assert len(changed) > 30
    for r in ROUNDS:
        mine = read_csv(tmp_path / "seed7" / "truth" / str(r) / "allocations.csv")
        shipped = read_csv(ROOT / "tests" / "truth" / str(r) / "allocations.csv")
        pd.testing.assert_frame_equal(mine, shipped)


def test_the_shipped_data_is_what_the_default_seed_writes(default):
    shipped = {}
    for prefix, folder in (("raw", ROOT / "data" / "raw"), ("coding", ROOT / "data" / "coding"),
                           ("truth", ROOT / "tests" / "truth")):
        shipped |= {f"{prefix}/{p.relative_to(folder).as_posix()}": p.read_bytes()
                    for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "README.md"}
    assert shipped.keys() == default.keys(), "run `python -m samverkan synth` and commit"
    stale = [name for name in shipped if shipped[name] != default[name]]
    assert stale == [], "run `python -m samverkan synth` and commit the files"


def test_allocations_are_table_1_of_the_report():
    figures = in_base_units(published())
    t1 = figures[(figures["table"] == "t1") & (figures["measure"] == "allocated_sek")
                 & (figures["period"].str.fullmatch(r"\d{4}")) & (figures["lan_code"] != "00")]
    assert len(t1) == 21 * 3
    truth = read_csv(ROOT / "tests" / "truth" / "2011" / "allocations.csv")
    for column in ("allocated_sek", "requisitioned_sek"):
        truth[column] = truth[column].astype(int)
    got = truth.set_index(["lan_code", truth["year"].astype(str)])
    partial = []
    for fig in t1.itertuples(index=False):
        row = got.loc[(fig.lan_code, fig.period)]
        assert row["allocated_sek"] == fig.value, fig.key
        # Table 1's star: the county did not requisition that year's funds
        if fig.marker == "*":
            assert row["requisitioned_sek"] == 0, fig.key
        elif row["requisitioned_sek"] != fig.value:
            partial.append(fig.key)
    # reading 2: the requisitions add up to Table 6's figure, which agrees with the repayment in
    # the text; one unstarred cell carries the difference to what the stars leave
    table6 = figures.set_index("key")["value"]
    assert truth["requisitioned_sek"].sum() == table6["t6.requisitioned_sek"]
    assert (table6["t6.requisitioned_sek"] - table6["t6.total_costs_sek"]
            == table6["prose.results.repayment_sek"])
    assert len(partial) == 1, partial


def test_projects_and_structures_per_county_are_table_2_of_the_report():
    figures = published()
    columns = {"projects_granted": None, "new_structures": "coop_new",
               "existing_structures": "coop_existing", "evaluated_structures": "coop_evaluate"}
    t2 = figures[(figures["table"] == "t2") & figures["measure"].isin(list(columns))
                 & figures["lan_code"].str.fullmatch(r"\d\d") & (figures["lan_code"] != "00")]
    assert len(t2) >= 21 * 5  # the county cells, and the bullets that cite some of them
    projects = read_csv(ROOT / "tests" / "truth" / "2011" / "projects.csv")
    projects["granted_year"] = projects["granted_year"].astype(int)
    for fig in t2.itertuples(index=False):
        first, last = (int(y) for y in fig.period.split("-"))
        rows = projects[(projects["lan_code"] == fig.lan_code)
                        & projects["granted_year"].between(first, last)]
        flag = columns[fig.measure]
        got = len(rows) if flag is None else int((rows[flag] == "Ja").sum())
        assert got == fig.value, fig.key


def test_every_2010_project_reappears_in_2011_with_its_grant():
    p10, p11 = (read_csv(ROOT / "tests" / "truth" / str(r) / "projects.csv")
                .set_index(["lan_code", "diarienummer"])
                for r in ROUNDS)
    assert set(p10.index) <= set(p11.index)
    for column in ("municipality_codes", "granted_sek", "granted_year"):
        assert (p10[column] == p11.loc[p10.index, column]).all(), column


def test_no_contact_data_in_the_truth_or_coding_tables():
    contacts = raw_contacts(ROOT / "data" / "raw")
    assert len(contacts) > 100, "the raw files carry contact persons, phones and e-mails"
    for path in [*(ROOT / "tests" / "truth").rglob("*.csv"), *(ROOT / "data" / "coding").glob("*")]:
        text = path.read_text(encoding="utf-8-sig")
        assert not [c for c in contacts if len(c) > 3 and c in text], path
        assert not EMAIL.search(text), path


def test_the_readme_mix_table_is_the_generators():
    readme = (ROOT / "data" / "raw" / "README.md").read_text(encoding="utf-8")
    assert files.mix_table() in readme, "paste samverkan.synth.files.mix_table() into the README"


def test_scale_multiplies_the_projects(default, tmp_path):
    _files(str(tmp_path / "x3"), synth.DEFAULT_SEED, scale=3)
    for r in ROUNDS:
        one = read_csv(ROOT / "tests" / "truth" / str(r) / "projects.csv")
        three = read_csv(tmp_path / "x3" / "truth" / str(r) / "projects.csv")
        assert len(three) == 3 * len(one)
        assert three.groupby("lan_code").size().equals(3 * one.groupby("lan_code").size())
        assert not three.duplicated(["lan_code", "diarienummer"]).any()


def test_scale_below_one_is_refused():
    with pytest.raises(SynthError, match="at least 1"):
        synth.generate(scale=0)


def test_a_title_names_only_its_projects_own_municipalities_or_county():
    """A generated title may name the project's own municipalities (applicants and the other
    municipalities it works with) or its county by the county's official name, never another
    municipality, a short county name that is also a
    town (Jönköping, Kalmar) or a part of the county: the generator knows no geography below
    the county ("Tidig upptäckt av våld i nordöstra Stockholm" was a project in Huddinge)."""
    import re

    from samverkan import registry

    registered = registry.municipalities()
    names = dict(zip(registered["kommunkod"], registered["name"], strict=True))
    shorts = {registry.county_name(c, "short") for c in registry.county_codes()}
    wrong = []
    for report_round in ROUNDS:
        truth = read_csv(ROOT / "tests" / "truth" / str(report_round) / "projects.csv")
        for row in truth.itertuples():
            own = {names[k] for k in str(row.municipality_codes).split(";")}
            partners = str(row.actor_municipalities_text)  # the other municipalities it names
            own |= {n for n in names.values() if re.search(rf"(?<!\w){re.escape(n)}", partners)}
            title = row.title.replace(registry.county_name(row.lan_code, "official"), "")
            named = {n for n in {*names.values(), *shorts}
                     if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", title)}
            if named - own or re.search(r"\b(?:nord|syd)?(?:norra|södra|östra|västra)\b",
                                        title):
                wrong.append(f"{row.title} ({', '.join(sorted(own))})")
    assert wrong == []
