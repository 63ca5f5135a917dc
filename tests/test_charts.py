"""Charts: Swedish labels and numbers, alt text that states the main numbers, the colour-blind
safe palette, fixed sizes, and PNG/SVG files that are byte-identical between runs."""

from __future__ import annotations

import os

import matplotlib
import pytest

from samverkan import fmt
from samverkan.results import charts
from tests.indicator_fixtures import project, tables

NBSP = "\u00a0"
ENGLISH = ("Count", "Number", "Total", "Year", "Projects", "County", "Funds", "Share")


@pytest.fixture(scope="module")
def rounds():
    p11 = tables(
        [project(2011, "01", "A", coop_new=True, actor_health=True, actor_justice=True,
                 goal_met="ja", integration_done=True, area_women=True, granted_year=2010,
                 granted_sek=1_500_000),
         project(2011, "01", "B", status="pagar", actor_voluntary=True, goal_met="delvis",
                 area_children=True, granted_sek=400_000),
         project(2011, "06", "C", status="ej_startad", granted_sek=0),
         project(2011, "20", "D", coop_existing=True, actor_church=True, goal_met="ja",
                 granted_sek=300_000)],
        [("01", 2008, 1_260_000, 1_260_000), ("01", 2009, 1_470_000, 1_470_000),
         ("01", 2010, 2_100_000, 2_100_000), ("06", 2010, 360_000, 0),
         ("20", 2008, 180_000, 180_000), ("20", 2010, 300_000, 300_000)],
        [("01", 2, 1_900_000, 100_000, 0), ("06", 1, 0, 0, 360_000),
         ("20", 1, 300_000, 20_000, 0)])
    p10 = tables([project(2010, "01", "A", coop_new=True, status="pagar")],
                 [("01", 2008, 1_260_000, 1_260_000)])
    return p11, p10


@pytest.fixture(scope="module")
def all_charts(rounds):
    made = charts.all_charts(*rounds)
    yield {c.name: c for c in made}
    for c in made:
        charts.close(c)


def _texts(chart: charts.Chart) -> list[str]:
    chart.figure.canvas.draw()
    texts = []
    for ax in chart.figure.axes:
        texts += [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]
        texts += [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels())]
        texts += [t.get_text() for t in ax.texts]
    for legend in chart.figure.legends + [ax.get_legend() for ax in chart.figure.axes]:
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return [t for t in texts if t]


def test_at_least_eight_charts_with_unique_names(all_charts):
    assert len(all_charts) >= 8
    assert len({c.caption for c in all_charts.values()}) == len(all_charts)


def test_headless_backend():
    """Outside a notebook kernel the charts draw with Agg unless MPLBACKEND says otherwise."""
    assert matplotlib.get_backend().lower() == os.environ.get("MPLBACKEND", "agg").lower()


def test_swedish_labels_and_alt_text(all_charts):
    for name, chart in all_charts.items():
        texts = _texts(chart)
        assert chart.figure.axes[0].get_title(loc="left"), name
        assert not any(word in t.split() for t in texts for word in ENGLISH), (name, texts)
        assert len(chart.alt) > 60 and chart.alt.endswith("."), name
        assert any(ch.isdigit() for ch in chart.alt), name
        assert chart.caption and not chart.data.empty, name
        assert tuple(chart.figure.get_size_inches()) in {charts.SIZE, charts.WIDE, (8.0, 4.5)}


def test_numbers_are_formatted_the_swedish_way(all_charts):
    funds = all_charts["medel"]
    ticks = [t for t in _texts(funds) if t.replace(NBSP, "").isdigit() and len(t) > 4]
    assert ticks and all(NBSP in t for t in ticks)  # 1 000 000, never 1,000,000 or 1e6
    assert funds.figure.axes[0].get_xlabel() == "Fördelade medel (kr)"
    assert fmt.kr(1_260_000 + 1_470_000 + 2_100_000) in funds.alt  # Stockholm, the largest
    assert fmt.kr(1_260_000 + 1_470_000 + 2_100_000 + 360_000 + 480_000) in funds.alt  # total


def test_alt_texts_state_the_main_numbers(all_charts):
    uptake = all_charts["nyttjande"]
    assert "Jönköping 0" in uptake.alt.replace(NBSP, " ")  # requisitioned nothing of 360 000
    funnel = all_charts["tratt"]
    # granted 4 → started 3 → finished 2 (A, D) → goal met 2 → integrated 1 (A)
    assert "Beviljade 4; Startade 3; Avslutade 2" in funnel.alt
    assert "integrerade i ordinarie verksamhet 1" in funnel.alt
    economics = all_charts["ekonomi"]
    granted = fmt.kr(1_500_000 + 400_000 + 300_000)  # A, B and D; C never started
    assert f"Beviljat till startade projekt {granted}" in economics.alt
    per_inhabitant = all_charts["per_invanare"]
    assert "de 21 länen" in per_inhabitant.alt  # every county: population is complete
    assert "saknas" not in per_inhabitant.alt
    assert len(per_inhabitant.data) == 21
    change = all_charts["forandring"]
    assert "Beviljade projekt 1 → 4" in change.alt


def test_palette_is_okabe_ito(all_charts):
    from matplotlib.colors import to_hex

    allowed = {c.lower() for c in charts.OKABE_ITO}
    for name in ("medel", "partner", "tratt", "ekonomi"):
        colours = {to_hex(p.get_facecolor()) for p in all_charts[name].figure.axes[0].patches}
        assert colours and colours <= allowed, (name, colours)


def test_saved_files_are_byte_stable(all_charts, tmp_path):
    chart = all_charts["projekt"]
    png, svg = charts.save_chart(chart, tmp_path / "a")
    again = charts.save_chart(chart, tmp_path / "b")
    assert png.read_bytes() == again[0].read_bytes()
    assert svg.read_bytes() == again[1].read_bytes()
    text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in text and "Matplotlib v" not in text
    assert chart.caption in text  # title and description carry the caption and alt text
    head = png.read_bytes()
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    # the county chart is 8 × 7 inches at 150 dpi: 1200 × 1050 pixels (IHDR, big-endian)
    assert (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")) == (
        1200, 1050)
    assert 'width="576pt" height="504pt"' in text  # 8 × 7 inches at 72 pt
    assert not list((tmp_path / "a").glob(".*.tmp"))


def test_change_chart_needs_the_partial_report(rounds):
    made = charts.all_charts(rounds[0], None)
    assert "forandring" not in {c.name for c in made}
    for c in made:
        charts.close(c)
