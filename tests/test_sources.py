"""Where each table and chart comes from (samverkan.book.sources): the class of its figures
(published, a county's own files, reconstruction only) comes from the audit and the county
sources, never from hand-written prose; the reconstruction notice, the county audit section, the
ranks with ties and the report's own examples."""

from __future__ import annotations

import json
import re

import nbformat
import pandas as pd
import pytest
from shared import shared_file

from samverkan import provenance, registry
from samverkan.audit import present
from samverkan.book import mark_count, sources
from samverkan.paths import project_root
from samverkan.results import examples
from samverkan.results.indicators import rank_text

CODES = list(registry.county_codes())


def _published() -> pd.DataFrame:
    """Four printed figures: a national Table 2 cell, Halland's and Kalmar's Table 1 cells and
    a national Table 3 cell."""
    return pd.DataFrame({
        "key": ["t2.total.projects", "t1.13.2008-2010", "t1.08.2008-2010", "t3.total.x"],
        "table": ["t2", "t1", "t1", "t3"],
        "lan_code": ["00", "13", "08", "00"],
        "measure": ["projects_granted", "allocated_sek", "allocated_sek", "partner_fk"],
        "period": ["2008-2010"] * 4,
    })


def _audit(**status: str) -> pd.DataFrame:
    keys = list(_published()["key"])
    return pd.DataFrame({"key": keys, "status": [status.get(k.replace(".", "_").replace("-", "_"),
                                                            "match") for k in keys]})


def _facts(own: tuple[str, ...] = (), own_2010: tuple[str, ...] | None = None,
           **status: str) -> dict:
    """The source facts of the final report's book; the counties in ``own`` have their own
    files in 2011, those in ``own_2010`` (default: the same) in 2010."""
    def of(codes: tuple[str, ...]) -> dict[str, str]:
        return {c: provenance.OWN if c in codes else provenance.RECONSTRUCTED for c in CODES}
    return sources.facts(_audit(**status), _published(),
                         {2010: of(own if own_2010 is None else own_2010), 2011: of(own)}, 2011)


def test_every_label_of_the_notebooks_is_declared():
    """A new table or chart cannot go without a source line: its label must say what it
    shows."""
    labels = set()
    for path in sorted((project_root() / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            label = sources.cell_label(cell.source, {"lan_code": "08"})
            if label:
                labels.add(label)
    assert len(labels) > 30
    for label in sorted(labels):
        sources.declared(label)  # raises UndeclaredLabel


def test_published_tables_cite_the_report_and_count_what_is_reproduced():
    line = sources.source("fig-projekt", _facts()).line
    assert line.startswith("Källa: Rapport 2011:39, tabell 2; beräknad ur underlaget")
    assert "1 av 1 tryckta siffror återskapas" in line
    assert sources.MARK not in line


def test_the_class_follows_the_audit_not_prose():
    """A published table whose printed figures the run no longer reproduces loses the report
    as its source: the class comes from the audit."""
    data = _facts(t2_total_projects="differs")
    found = sources.source("tbl-projekt", data)
    assert found.classes == (sources.RECONSTRUCTION,)
    assert "Rapport 2011:39, tabell" not in found.line
    assert "rekonstruerat underlag; finns inte i Rapport 2011:39" in found.line


def test_reconstruction_only_tables_say_so_and_carry_the_mark():
    found = sources.source("tbl-indikatorer", _facts())
    assert found.reconstruction_only
    assert found.line == ("Källa: Indikatorerna per län: rekonstruerat underlag; finns inte i "
                          f"Rapport 2011:39. ({sources.MARK})")
    mixed = sources.source("tbl-medel", _facts())
    assert mixed.classes == (sources.PUBLISHED, sources.RECONSTRUCTION)
    assert "tabell 1" in mixed.line and "rekonstruerat underlag" in mixed.line


def test_own_files_remove_the_mark_county_by_county():
    one = _facts(own=("08",))
    kalmar, halland = sources.source("tbl-projekt-08", one), sources.source("tbl-projekt-13", one)
    assert kalmar.classes == (sources.OWN,) and sources.MARK not in kalmar.line
    assert "länsstyrelsens egna filer" in kalmar.line
    assert halland.reconstruction_only and sources.MARK in halland.line
    assert sources.mark("5", one, "08") == "5"
    assert sources.mark("5", one, "13") == "5" + sources.MARK
    # the national tables name the county with its own files and keep the mark for the rest
    national = sources.source("tbl-indikatorer", one).line
    assert "egna filer från Kalmar" in national and "övriga 20 län" in national


def test_with_every_county_own_no_mark_is_left():
    data = _facts(own=tuple(CODES))
    for label in sources.DECLARED:
        label = label.replace("-lan", "-08") if label.endswith("-lan") else label
        line = sources.source(label, data).line
        assert "rekonstru" not in line and sources.MARK not in line, label
    assert not sources.reconstructed(data)
    assert provenance.notice_text({c: provenance.OWN for c in CODES}) is None


def test_county_facts_hold_only_the_countys_cells():
    data = sources.county_facts(_facts(), "13")
    assert data["sources"] == {"2010": {"13": provenance.RECONSTRUCTED},
                               "2011": {"13": provenance.RECONSTRUCTED}}
    assert data["reproduced"] == {"t1": ["13:allocated_sek:2008-2010"], "t2": [], "t3": []}
    assert data["printed"]["t1"] == {"13": [1, 1]}
    assert json.loads(sources.facts_json(data)) == data


def test_the_notice_says_what_is_real_and_what_is_invented():
    every = {c: provenance.RECONSTRUCTED for c in CODES}
    text = provenance.notice_text(every)
    assert text.startswith("Rekonstruerat underlag för alla län")
    assert "Rapport 2011:39" in text and "påhittade" in text
    partly = {**every, "08": provenance.OWN}
    assert "20 av 21 län" in provenance.notice_text(partly)
    assert "Egna filer från Kalmar" in provenance.notice_text(partly)
    assert provenance.county_notice("08", partly) is None
    assert "Hallands län" in provenance.county_notice("13", partly)


def test_ranks_show_ties():
    assert rank_text(1, 12, 21) == "delad 1:a plats med 11 län (av 21)"
    assert rank_text(3, 1, 21) == "3 av 21"
    assert rank_text(11, 2, 21).startswith("delad 11:e plats")


def test_a_countys_audit_names_its_differing_cells_and_its_suspect_findings():
    published = pd.DataFrame({
        "key": ["t1.13.2008-2010", "t1.08.2008-2010"], "source": ["Tabell 1", "Tabell 1"],
        "table": ["t1", "t1"], "lan_code": ["13", "08"], "measure": ["allocated_sek"] * 2,
        "period": ["2008-2010"] * 2,
    })
    audit = pd.DataFrame({"key": ["t1.13.2008-2010", "t1.08.2008-2010"],
                          "source": ["Tabell 1", "Tabell 1"], "status": ["differs", "match"],
                          "note": ["tryckt 620 000 kr, beräknat 720 000 kr", ""]})
    findings = pd.DataFrame({
        "source": ["Tabell 1", "Länsstyrelsens blad (08-kalmar.xlsx, rad 2)"],
        "suspect": ["t1.13.2008-2010", ""],
        "keys": ["t1.13.2008-2010;t1.13.2008", "board.08.repayment_sek;allocations.08.2008.x"],
        "detail": ["Halland: 620 000 kr mot 720 000 kr.", "Kalmar: återbetalningen går inte ihop."],
        "assessment": ["Misstänkt: Halland.", ""],
    })
    halland = present.county_findings(audit, published, findings, "13")
    assert len(halland) == 2
    assert "620 000" in halland.iloc[0]["Granskningen"]
    assert "720 000" in halland.iloc[0]["Granskningen"]
    kalmar = present.county_findings(audit, published, findings, "08")
    assert list(kalmar["Granskningen"]) == ["Kalmar: återbetalningen går inte ihop."]
    assert present.county_findings(audit, published, findings.iloc[:0], "08").empty


def test_the_reports_own_examples_are_cited_and_in_our_own_words():
    table = examples.published_examples()
    assert {"sunne-torsby", "barnahus-kristianstad", "utvag-skaraborg"} <= set(table["key"])
    assert (table["page"] != "").all() and (table["section"] != "").all()
    text = examples.published_examples_markdown()
    assert text.count("(Rapport 2011:39, exempel på samverkansprojekt, s. 17)") == len(table)
    assert "påhittade" in examples.underlag_intro(True)
    assert "egna svar" in examples.underlag_intro(False)


def test_each_example_says_whether_its_text_is_invented_or_the_projects_own():
    """Not only the chapter's introduction: every example drawn from the data carries its own
    label and the mark while its county's files are the reconstruction, and is shown as the
    project's own answers once they are the county's own."""
    from samverkan.results import tables

    example = pd.Series({
        "cooperation_type": "Ny samverkansstruktur", "lan_code": "20", "municipalities": "Vansbro",
        "diarienummer": "851-2677-09", "breadth": 1, "partners": "Polis", "title": "Exempel",
        "goal_text": "Mål.", "activities_text": "Insatser.", "goal_fulfilment_text": "Nått.",
        "integration_text": "Integrerat."})
    invented = tables.example_markdown(example, _facts())
    label = invented.split("\n\n")[1]  # right under the heading, before the project's facts
    assert label.startswith(f"**Påhittad illustration {sources.MARK}.**")
    assert "Dalarnas län" in label and "inte något verkligt projekts" in label
    own = tables.example_markdown(example, _facts(own=("20",)))
    assert own.split("\n\n")[1].startswith("**Projektets egna svar** ur Dalarnas läns fil")
    assert sources.MARK not in own and "påhittad" not in own.lower()
    # another county's own files change nothing for Dalarna's example
    assert tables.example_markdown(example, _facts(own=("08",))) == invented


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_the_examples_do_not_copy_the_reports_sentences():
    """Facts with a citation, in our own words: no run of eight words is the report's."""
    report = _words(shared_file("seeds", "003_f6ad71d40d166250.txt").read_text(encoding="utf-8"))
    runs = {tuple(report[i:i + 8]) for i in range(len(report) - 7)}
    for row in examples.published_examples().itertuples(index=False):
        ours = _words(row.summary)
        copied = [" ".join(ours[i:i + 8]) for i in range(len(ours) - 7)
                  if tuple(ours[i:i + 8]) in runs]
        assert copied == [], row.key
        names = re.findall(r"\w+", row.who)[1:]  # the names in it, after its first word
        text = " ".join(report)
        assert all(n.lower() in text for n in names if n[0].isupper()), row.key


@pytest.mark.parametrize("text", [provenance.notice_text({c: provenance.RECONSTRUCTED
                                                          for c in CODES})])
def test_the_notice_is_plain_text(text):
    """It goes into the HTML template and the typst page foot as Markdown: nothing that
    Markdown, HTML or typst would read as markup."""
    assert not re.search(r"[*_#<>\[\]`$@\\]", text)


def test_every_place_names_the_same_suspect():
    """The audit chapter's list (the assessment) and its table name one suspect per finding,
    both from the finding's ``suspect`` field; a difference of shares is in procentenheter."""
    from samverkan.audit import stage
    from samverkan.audit.compare import figure_name
    from samverkan.audit.text import counted, signed

    result = stage.compute(2011)
    table = present.findings_table(result.report_findings, result.published)
    by_key = result.published.set_index("key")
    named = 0
    for f, shown in zip(result.report_findings.itertuples(index=False), table["Misstänkt"],
                        strict=True):
        assert shown == present.suspect_name(f.suspect, result.published)
        if isinstance(f.suspect, str) and f.suspect in by_key.index:
            name = figure_name(by_key.loc[f.suspect])
            assert name in shown and name in f.assessment, (f.suspect, f.assessment)
            named += 1
        elif not isinstance(f.suspect, str) or not f.suspect:
            assert shown == "Ingen enskild siffra"
    assert named >= 5
    assert signed(2.8, "percent") == "+2,8 procentenheter"
    assert (counted(1, "motsägelse", "motsägelser"), counted(2, "motsägelse", "motsägelser")) \
        == ("1 motsägelse", "2 motsägelser")


def test_every_figure_is_followed_by_its_description_cell():
    """A figure's source line opens the next code cell (the figure cell shows its image
    alone): that cell must directly follow the figure and carry no label of its own."""
    for path in sorted((project_root() / "notebooks").glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        for i, cell in enumerate(cells):
            label = sources.cell_label(cell.source, {"lan_code": "08"})
            if cell.cell_type == "code" and label and label.startswith("fig-"):
                after = cells[i + 1] if i + 1 < len(cells) else None
                assert after is not None and after.cell_type == "code", (path.name, label)
                assert sources.cell_label(after.source, {}) is None, (path.name, label)


def test_marks_are_counted_per_chapter():
    """Counted by hand from the page below: chapter 1 marks two figures in its text (6ᴿ and
    74,6 %ᴿ, not the legend's ᴿ), two cells of a table and the table's source line; chapter 2
    labels one example; the heading's own text is never a mark."""
    mark = sources.MARK
    html = f"""<html><body><main>
      <h1>1 Fördelning</h1>
      <p>6{mark} län rekvirerade inte hela sin del: Kalmar (74,6\u00a0%{mark}).</p>
      <p>{mark} = siffran finns bara i det rekonstruerade underlaget</p>
      <table id="tbl-x"><tr><th>Kalmar</th><td>5</td><td>4{mark}</td><td>99,4 %{mark}</td>
      </tr></table>
      <p>Källa: Rekvirerade medel per län: rekonstruerat underlag. ({mark})</p>
      <h1>2 Exempel {mark}</h1>
      <p><strong>Påhittad illustration {mark}.</strong> Projektet …</p>
      <h1>3 Granskning</h1><p>Inga märken.</p>
    </main></body></html>"""
    assert mark_count.marks_per_chapter(html) == {
        "1 Fördelning": {"figures": 2, "cells": 2, "tables": 1, "labels": 0},
        f"2 Exempel {mark}": {"figures": 0, "cells": 0, "tables": 0, "labels": 1},
        "3 Granskning": {"figures": 0, "cells": 0, "tables": 0, "labels": 0},
    }


def test_a_county_label_takes_the_profiles_code_when_papermill_passed_a_number() -> None:
    """`papermill county.ipynb out.ipynb -p lan_code 03` (a cron job's command) hands the
    kernel the number 3; the label is the profile's code, "03", as the runner's own runs
    make it (it was "tbl-avvisade-3", which no declaration knows, and the run failed)."""
    from types import SimpleNamespace

    cell = "#| label: tbl-avvisade-{lan_code}\nreport.rejects"
    assert sources.cell_label(cell, {"lan_code": 3, "report": SimpleNamespace(lan_code="03")}
                              ) == "tbl-avvisade-03"
    assert sources.cell_label(cell, {"lan_code": "08"}) == "tbl-avvisade-08"
    assert sources.declared(sources.cell_label(cell, {"lan_code": 3, "report": SimpleNamespace(
        lan_code="03")}))[1] == "03"
