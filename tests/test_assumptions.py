"""The reconstruction's assumptions: the generator records every reconciling choice beside the
files it writes, and the appendix lists them from that record, county by county."""

from __future__ import annotations

import json

import pandas as pd

from samverkan import provenance, registry
from samverkan.book.assumptions import assumptions_markdown
from samverkan.paths import project_root
from samverkan.reference import published
from samverkan.synth.assumptions import assumptions
from samverkan.synth.generate import generate

CODES = list(registry.county_codes())


def _by_key(entries: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for e in entries:
        out.setdefault(e["key"], []).append(e)
    return out


def test_the_partial_requisition_is_the_shortfall_the_published_figures_leave():
    """Worked out from published.csv alone: the unstarred Table 1 cells minus Table 6's
    requisitioned funds is what one unstarred cell lacks; the county is the one with the
    largest unstarred 2010 cell."""
    pub = published()
    cells = pub[(pub["table"] == "t1") & (pub["lan_code"] != "00")
                & pub["period"].isin(["2008", "2009", "2010"])]
    unstarred = cells[cells["marker"] == ""]
    requisitioned = float(pub.loc[pub["key"] == "t6.requisitioned_sek", "value"].iloc[0])
    shortfall = unstarred["value"].astype(float).sum() - requisitioned
    y2010 = unstarred[unstarred["period"] == "2010"].astype({"value": float})
    county = y2010.sort_values("value").iloc[-1]["lan_code"]
    entries = _by_key(assumptions(generate()))
    [partial] = entries["partial_requisition"]
    assert (partial["lan_code"], partial["value"]) == (county, shortfall) == ("01", 30000)
    assert "30\u00a0000\u00a0kr" in partial["text"] and "Stockholms län" in partial["text"]
    [halland] = entries["allocation_row_total"]
    assert (halland["lan_code"], halland["value"]) == ("13", 720000)


def test_the_record_beside_the_files_is_the_generators_own():
    """data/raw/SYNTH_MANIFEST.json holds exactly what the generator records for its seed."""
    record = json.loads((project_root() / "data/raw/SYNTH_MANIFEST.json").read_text("utf-8"))
    assert record["assumptions"] == assumptions(generate(record["seed"], record["scale"]))
    assert len(record["assumptions"]) >= 8


def _record() -> dict:
    return {"seed": 7, "assumptions": [
        {"reading": 2, "key": "partial_requisition", "lan_code": "01", "value": 30000,
         "unit": "sek", "text": "Stockholm rekvirerade 30 000 kr mindre."},
        {"reading": 0, "key": "project_rows", "lan_code": "", "value": 151, "unit": "projects",
         "text": "Varje projekt är *påhittat*."},
    ]}


def test_the_appendix_lists_the_record_and_drops_what_a_countys_own_files_replace():
    every = {c: provenance.RECONSTRUCTED for c in CODES}
    text = assumptions_markdown(_record(), every)
    assert text.startswith("# Rekonstruktionens antaganden {#sec-antaganden}")
    assert r"1. Stockholm rekvirerade 30 000 kr mindre\." in text
    assert r"2. Varje projekt är \*påhittat\*\." in text  # data text, literal
    stockholm_own = {**every, "01": provenance.OWN}
    assert "Stockholm rekvirerade" not in assumptions_markdown(_record(), stockholm_own)
    none = assumptions_markdown(_record(), {c: provenance.OWN for c in CODES})
    assert "inte på något rekonstruerat underlag" in none and "1." not in none


def test_a_record_without_assumptions_lists_none():
    text = assumptions_markdown({"rounds": {}}, {c: provenance.OWN for c in CODES})
    assert "inget av generatorns antaganden" in text
    assert isinstance(pd.DataFrame(_record()["assumptions"]), pd.DataFrame)
