"""Which files the book is built from: the generator's record of what it wrote, and each
county's source (the reconstruction, its own files, or none) from the hashes of its files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samverkan import provenance
from samverkan.registry import county_codes
from samverkan.rounds import ROUNDS


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A raw folder as the generator leaves it: Stockholm as a workbook, Uppsala as two CSV
    files in 2011, recorded in SYNTH_MANIFEST.json; no other county has files."""
    raw = tmp_path / "raw"
    files = {"01-stockholm.xlsx": b"workbook", "03-uppsala-projekt.csv": b"a;b\n1;2\n",
             "03-uppsala-medel.csv": b"year\n2008\n"}
    for name, data in files.items():
        (raw / "2011").mkdir(parents=True, exist_ok=True)
        (raw / "2011" / name).write_bytes(data)
    provenance.write_manifest({2011: [raw / "2011" / n for n in files]}, raw, seed=7, scale=1)
    return raw


def test_the_record_holds_each_file_hash(raw):
    record = json.loads((raw / "SYNTH_MANIFEST.json").read_text(encoding="utf-8"))
    import hashlib

    assert record["seed"] == 7
    assert record["rounds"]["2011"]["01-stockholm.xlsx"] == hashlib.sha256(b"workbook").hexdigest()
    assert sorted(record["rounds"]["2011"]) == ["01-stockholm.xlsx", "03-uppsala-medel.csv",
                                                 "03-uppsala-projekt.csv"]


def test_untouched_files_are_the_reconstruction(raw):
    sources = provenance.county_sources(2011, raw)
    assert list(sources) == list(county_codes())
    assert sources["01"] == sources["03"] == provenance.RECONSTRUCTED
    assert {sources[c] for c in county_codes() if c not in ("01", "03")} == {provenance.MISSING}


def test_a_replaced_file_makes_the_county_its_own(raw):
    (raw / "2011" / "03-uppsala-projekt.csv").write_bytes(b"a;b\n1;3\n")  # one cell changed
    sources = provenance.county_sources(2011, raw)
    assert sources["03"] == provenance.OWN
    assert sources["01"] == provenance.RECONSTRUCTED


def test_a_new_file_or_a_county_without_record_is_its_own(raw):
    (raw / "2011" / "01-stockholm-projekt.csv").write_bytes(b"extra")  # beside the workbook
    (raw / "2011" / "08-kalmar.xlsx").write_bytes(b"kalmar's own workbook")
    sources = provenance.county_sources(2011, raw)
    assert sources["01"] == sources["08"] == provenance.OWN
    assert sources["03"] == provenance.RECONSTRUCTED


def test_a_removed_file_is_no_longer_the_reconstruction(raw):
    (raw / "2011" / "03-uppsala-medel.csv").unlink()
    assert provenance.county_sources(2011, raw)["03"] == provenance.OWN


def test_without_a_record_every_county_with_files_is_its_own(raw):
    (raw / "SYNTH_MANIFEST.json").unlink()
    sources = provenance.county_sources(2011, raw)
    assert sources["01"] == sources["03"] == provenance.OWN


def test_the_shipped_data_is_the_recorded_reconstruction():
    """data/raw/ holds what `python -m samverkan synth` wrote and recorded (test_synth checks
    that the default seed writes exactly these bytes and this record)."""
    for report_round in ROUNDS:
        assert set(provenance.county_sources(report_round).values()) == {provenance.RECONSTRUCTED}


def test_sentences_name_the_source(raw):
    (raw / "2011" / "01-stockholm.xlsx").write_bytes(b"stockholm's own")
    assert "länsstyrelsens egna" in provenance.county_sentence("01", 2011, raw)
    assert "rekonstruerade underlaget" in provenance.county_sentence("03", 2011, raw)
    assert "inga filer för Kalmar län" in provenance.county_sentence("08", 2011, raw)
    sentence = provenance.cover_sentence(provenance.county_sources(2011, raw))
    assert sentence.startswith("Egna filer från 1 av 21 län: Stockholm.")
    assert "Rekonstruerat underlag för 1 län: Uppsala." in sentence


def test_the_county_documents_say_the_same_source(tmp_path, raw):
    """The county's own report (book/county_docs.py) reads the same record as the book."""
    from samverkan.book import county_docs

    root = raw.parent  # the fixture's raw folder is <tmp>/raw: a project root at <tmp>
    (root / "data").mkdir()
    raw.rename(root / "data" / "raw")
    assert county_docs.data_source("01", 2011, root) == county_docs.RECONSTRUCTED
    (root / "data" / "raw" / "2011" / "01-stockholm.xlsx").write_bytes(b"stockholm's own")
    assert county_docs.data_source("01", 2011, root) == county_docs.OWN
