"""The reconstruction's mark on the cells of a mixed table (samverkan.book.sources.marked): a
table that shows both figures Rapport 2011:39 prints and figures only the reconstruction has
marks the latter, cell by cell, from what the table declares it shows, the audit's record of
the printed figures it reproduces and whose files each county has, round by round."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from samverkan import provenance, registry
from samverkan.book import sources
from tests.indicator_fixtures import project
from tests.indicator_fixtures import tables as make_tables

CODES = list(registry.county_codes())
MARK = sources.MARK


def _published() -> pd.DataFrame:
    """Printed figures as data/reference/published.csv keys them: Kalmar's, Halland's and the
    country's allocation of 2008 and the country's of 2008–2010 (Table 1), the country's
    requisitioned funds (Table 6) and Kalmar's number of projects in the partial report
    (Table 2)."""
    return pd.DataFrame([
        ("t1.08.2008", "t1", "08", "allocated_sek", "2008"),
        ("t1.13.2008", "t1", "13", "allocated_sek", "2008"),
        ("t1.total.2008", "t1", "", "allocated_sek", "2008"),
        ("t1.total.2008-2010", "t1", "", "allocated_sek", "2008-2010"),
        ("t6.requisitioned_sek", "t6", "00", "requisitioned_sek", "2008-2010"),
        ("t2.08.projects_2008-2009", "t2", "08", "projects_granted", "2008-2009"),
    ], columns=["key", "table", "lan_code", "measure", "period"])


def _facts(own: tuple[str, ...] = (), own_2010: tuple[str, ...] | None = None,
           differs: tuple[str, ...] = ()) -> dict:
    """The book of 2011: the counties ``own`` have their own files in 2011 (and in 2010 unless
    ``own_2010`` says otherwise); the printed figures ``differs`` are not reproduced."""
    keys = list(_published()["key"])
    audit = pd.DataFrame({"key": keys,
                          "status": ["differs" if k in differs else "match" for k in keys]})

    def of(codes: tuple[str, ...]) -> dict[str, str]:
        return {c: provenance.OWN if c in codes else provenance.RECONSTRUCTED for c in CODES}
    return sources.facts(audit, _published(),
                         {2010: of(own if own_2010 is None else own_2010), 2011: of(own)}, 2011)


def _medel() -> pd.DataFrame:
    """Three rows of Tabell 3.1 as the chapter shows it (Swedish text, indexed by county)."""
    return pd.DataFrame({"Län": ["Kalmar", "Halland", "Riket"],
                         "2008": ["150 000", "190 000", "6 000 000"],
                         "Rekvirerat totalt": ["440 000", "720 000", "21 950 000"],
                         "Nyttjandegrad": ["74,6 %", "100,0 %", "95,4 %"]}).set_index("Län")


def test_a_mixed_tables_reconstructed_cells_are_marked_and_its_published_cells_not():
    """By hand: the allocations of 2008 are printed (Table 1) for all three rows; Kalmar's and
    Halland's requisitioned funds and uptake are not, the country's are (Table 6, and the uptake
    is their quotient)."""
    shown, marks = sources.marked(_medel(), "tbl-medel", _facts())
    assert list(shown["2008"]) == ["150 000", "190 000", "6 000 000"]
    assert list(shown["Rekvirerat totalt"]) == ["440 000" + MARK, "720 000" + MARK, "21 950 000"]
    assert list(shown["Nyttjandegrad"]) == ["74,6 %" + MARK, "100,0 %" + MARK, "95,4 %"]
    assert marks == 4
    line = sources.table_line("tbl-medel", _facts(), marks)
    assert line.count(sources.MARK_LEGEND) == 1 and line.endswith(sources.MARK_LEGEND + ".")
    # the exported table's numbers are never touched: the frame shown is a copy
    assert MARK not in "".join(_medel().to_numpy().ravel())


def test_a_printed_cell_the_run_does_not_reproduce_is_marked():
    """Halland's printed allocation of 2008, recomputed differently (the audit's ``differs``),
    is not the report's figure: it is marked as the reconstruction's."""
    shown, _ = sources.marked(_medel(), "tbl-medel", _facts(differs=("t1.13.2008",)))
    assert list(shown["2008"]) == ["150 000", "190 000" + MARK, "6 000 000"]


def test_a_county_with_its_own_files_loses_its_marks_and_the_others_keep_theirs():
    shown, marks = sources.marked(_medel(), "tbl-medel", _facts(own=("08",)))
    assert list(shown.loc["Kalmar"]) == ["150 000", "440 000", "74,6 %"]
    assert list(shown.loc["Halland"]) == ["190 000", "720 000" + MARK, "100,0 %" + MARK]
    assert marks == 2


def test_with_all_21_counties_own_no_mark_and_no_legend_is_left():
    data = _facts(own=tuple(CODES))
    shown, marks = sources.marked(_medel(), "tbl-medel", data)
    assert marks == 0 and shown.equals(_medel())
    line = sources.table_line("tbl-medel", data, marks)
    assert MARK not in line and "rekonstru" not in line
    profile = pd.DataFrame({"2008": ["150 000", "150 000"], "Totalt": ["590 000", "440 000"]},
                           index=pd.Index(["Fördelade medel (kr)", "Rekvirerade medel (kr)"],
                                          name="Medel"))
    assert sources.marked(profile, "tbl-medel-08", sources.county_facts(data, "08"))[1] == 0


def test_a_profiles_rows_of_unprinted_figures_are_marked_while_its_files_are_reconstructed():
    """Kalmar's profile: the allocation of 2008 is printed; its total (2008–2010) is not among
    the printed figures here, nor is any requisition."""
    profile = pd.DataFrame({"2008": ["150 000", "150 000"], "Totalt": ["590 000", "440 000"]},
                           index=pd.Index(["Fördelade medel (kr)", "Rekvirerade medel (kr)"],
                                          name="Medel"))
    shown, marks = sources.marked(profile, "tbl-medel-08", sources.county_facts(_facts(), "08"))
    assert shown.to_numpy().tolist() == [["150 000", "590 000" + MARK],
                                         ["150 000" + MARK, "440 000" + MARK]]
    assert marks == 3
    halland_own = sources.county_facts(_facts(own=("13",)), "08")
    assert sources.marked(profile, "tbl-medel-08", halland_own)[1] == 3


def test_tables_without_a_cell_declaration_are_left_as_they_are():
    """A table whose figures are all reconstruction-only carries the mark in its source line,
    not in every cell."""
    frame = pd.DataFrame({"Reell samverkan": ["100,0 %"]}, index=pd.Index(["Kalmar"], name="Län"))
    assert sources.marked(frame, "tbl-indikatorer", _facts()) == (frame, 0)
    assert sources.source("tbl-indikatorer", _facts()).line.endswith(f"({MARK})")


@pytest.fixture(scope="module")
def p11_p10():
    """Two small rounds: Stockholm and Uppsala in 2011, Stockholm in 2010."""
    p11 = make_tables(
        [project(2011, "01", "A", coop_new=True, goal_met="ja", granted_sek=1_234_567),
         project(2011, "03", "B", status="pagar", granted_sek=10_000)],
        [("01", 2008, 1_260_000, 1_260_000), ("01", 2009, 1_470_000, 1_470_000),
         ("01", 2010, 2_100_000, 2_100_000), ("03", 2008, 210_000, 105_000)],
        [("01", 1, 1_234_567, 50_000, 0), ("03", 1, 10_000, 5_000, 0)])
    p10 = make_tables([project(2010, "01", "A", status="pagar")],
                      [("01", 2008, 1_260_000, 1_260_000)])
    return p11, p10


def test_every_declared_cell_column_and_row_is_one_the_book_shows(p11_p10):
    """The declarations name the headers the book's tables really have (a renamed column
    would silently lose its cells' class)."""
    from samverkan.results import county as cty
    from samverkan.results import tables

    p11, p10 = p11_p10
    shown = {
        "tbl-medel": tables.display_frame(tables.table1_compact(p11)),
        "tbl-ekonomi": tables.display_frame(tables.economics_summary(p11)),
        "tbl-ekonomi-lan": tables.display_frame(tables.table6_costs(p11)),
        "tbl-aterbetalning-lan": tables.display_frame(tables.table6_repayment(p11)),
        "tbl-per-invanare": tables.display_frame(tables.indicator_table(p11, [
            "medel_per_invanare", "projekt_per_100000", "medel_mot_befolkning", "nyttjandegrad",
            "medel_per_projekt"], short=True)),
        "tbl-projekt": tables.display_frame(tables.table2(p11, p10)),
        "tbl-medel-lan": cty.funds_table(cty.funds_frame(p11)),
    }
    with_cells = {label for label, d in sources.DECLARED.items() if d.cells is not None}
    assert with_cells == set(shown)
    for label, frame in shown.items():
        cells = sources.DECLARED[label].cells
        assert set(cells.columns) <= set(frame.columns), label
        assert set(cells.rows) <= set(frame.index), label


def test_a_countys_figures_are_judged_per_round(tmp_path: Path):
    """Kalmar replaces only its 2011 file: its 2011 figures are its own, its 2010 figures
    (the partial report's, which the final book shows beside them) still the reconstruction."""
    raw = tmp_path / "raw"
    files = {2010: raw / "2010" / "08-kalmar.xlsx", 2011: raw / "2011" / "08-kalmar.xlsx"}
    for report_round, path in files.items():
        path.parent.mkdir(parents=True)
        path.write_bytes(f"the generator's workbook {report_round}".encode())
    provenance.write_manifest({r: [p] for r, p in files.items()}, raw, seed=1, scale=1)
    files[2011].write_bytes(b"Kalmar's own workbook")

    by_round = provenance.round_sources(2011, raw)
    assert by_round[2010]["08"] == provenance.RECONSTRUCTED
    assert by_round[2011]["08"] == provenance.OWN
    data = sources.facts(pd.DataFrame({"key": [], "status": []}, dtype=str), _published().iloc[:0],
                         by_round, 2011)
    assert sources.mark("5", data, "08") == "5"
    assert sources.mark("5", data, "08", report_round=2010) == "5" + MARK
    # a table of both reports is the reconstruction's while Kalmar's 2010 files are
    assert sources.source("tbl-status", data).reconstruction_only
    assert sources.source("tbl-projekt-08", data).classes == (sources.OWN,)
    # cell by cell: Kalmar's projects of the partial report are marked, of the final not
    projects = pd.DataFrame({"Delredovisning 2010": ["2"], "Slutredovisning 2011": ["3"]},
                            index=pd.Index(["Kalmar"], name="Län"))
    shown, marks = sources.marked(projects, "tbl-projekt", data)
    assert list(shown.loc["Kalmar"]) == ["2" + MARK, "3"] and marks == 1


def test_a_notebooks_tables_show_the_marks_and_the_legend_through_the_kernel_hooks():
    """The hooks :func:`sources.install` puts in a kernel (as ``tables.show_in_full`` does):
    a labelled table cell's DataFrame is shown with its marks, and its source line, shown after
    it, ends with the legend; an unlabelled cell's DataFrame is shown as it is."""
    from types import SimpleNamespace

    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from samverkan.results import tables

    shell = InteractiveShell.instance()
    try:
        profile = pd.DataFrame({"2008": ["150 000", "150 000"]},
                               index=pd.Index(["Fördelade medel (kr)", "Rekvirerade medel (kr)"],
                                              name="Medel"))
        shell.user_ns["report"] = SimpleNamespace(lan_code="08",
                                                  provenance=sources.county_facts(_facts(), "08"))
        sources.install(shell, tables.book_html)
        cell = "#| label: tbl-medel-{lan_code}\nframe"
        info = SimpleNamespace(raw_cell=cell)
        with capture_output() as shown:
            shell.events.trigger("pre_run_cell", info)
            html = shell.display_formatter.format(profile)[0]["text/html"]
            shell.events.trigger("post_run_cell", SimpleNamespace(
                info=info, error_in_exec=None, result=profile))
        right = '<td style="text-align: right;">'
        assert f"{right}150\u00a0000</td>" in html  # the printed allocation
        assert f"{right}150\u00a0000{MARK}</td>" in html and html.count(MARK) == 1
        line = shown.outputs[-1].data["text/markdown"]
        assert line.startswith("Källa:") and line.endswith(sources.MARK_LEGEND + ".")
        shell.events.trigger("pre_run_cell", SimpleNamespace(raw_cell="frame"))
        assert MARK not in shell.display_formatter.format(profile)[0]["text/html"]
    finally:
        InteractiveShell.clear_instance()  # no other test sees these hooks


def test_a_figure_in_the_text_is_marked_unless_the_report_prints_it_and_the_run_reproduces_it():
    """The county profile's opening paragraph: Halland's printed allocation of 2008 stays
    unmarked while the run reproduces it and is marked once it does not; a figure the report
    prints for no county (its started projects) is marked until the county's files are its
    own."""
    data = _facts()
    assert sources.mark_unless_reproduced("190 000 kr", data, "13", "allocated_sek",
                                          "2008") == "190 000 kr"
    differs = _facts(differs=("t1.13.2008",))
    assert sources.mark_unless_reproduced("190 000 kr", differs, "13", "allocated_sek",
                                          "2008") == "190 000 kr" + MARK
    assert sources.mark_unless_reproduced("7", data, "13", "projects_started",
                                          "2008-2010") == "7" + MARK
    own = _facts(own=("13",), differs=("t1.13.2008",))
    assert sources.mark_unless_reproduced("7", own, "13", "projects_started",
                                          "2008-2010") == "7"
    assert sources.mark_unless_reproduced("190 000 kr", own, "13", "allocated_sek",
                                          "2008") == "190 000 kr"
