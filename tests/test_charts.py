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


def _label_boxes(chart: charts.Chart) -> list[tuple[str, object]]:
    """Every text label inside the axes (not title or axis labels) and its bounding box in
    display pixels, measured with the figure's own renderer, as the saved PNG draws it."""
    figure = chart.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for ax in figure.axes
            for t in ax.texts if t.get_text().strip() and t.get_visible()]


def _scatter_points(chart: charts.Chart) -> list[tuple[float, float]]:
    ax = chart.figure.axes[0]
    points = ax.collections[0].get_offsets()
    return [tuple(ax.transData.transform(p)) for p in points]


def test_county_labels_in_the_scatter_plot_never_overlap(all_charts):
    """Figur 3.4: each of the 21 county names once, no two label boxes intersecting and no
    label over a point, in the fixture where 18 counties share one value (the worst crowd)."""
    chart = all_charts["per_invanare"]
    boxes = _label_boxes(chart)
    names = sorted(name for name, _ in boxes)
    assert names == sorted(chart.data["Län"]) and len(names) == 21
    overlaps = [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
                if box_a.overlaps(box_b)]
    assert overlaps == []
    covered = [(name, point) for name, box in boxes for point in _scatter_points(chart)
               if box.contains(*point)]
    assert covered == []
    # a label's white ground never hides a point: the points are drawn above the labels
    points = chart.figure.axes[0].collections[0]
    assert all(points.zorder > t.zorder for t in chart.figure.axes[0].texts)


def _leader_lines(chart: charts.Chart) -> list:
    """Each leader line from a moved label to its point, as display-pixel vertices."""
    import numpy as np
    from matplotlib.patches import FancyArrowPatch

    chart.figure.canvas.draw()
    lines = []
    for ax in chart.figure.axes:
        for patch in ax.patches:
            if isinstance(patch, FancyArrowPatch):
                ends = patch.get_transform().transform_path(patch.get_path()).vertices
                steps = np.linspace(0, 1, 25)[:, None]
                lines.append(ends[0] + steps * (ends[-1] - ends[0]))
    return lines


def test_no_leader_line_is_drawn_over_another_label(all_charts):
    """Kalmar's label sat on a leader line. In a crowd a line may have to pass another label
    (the box its start is nearest to is its own): it then runs under that label's white
    ground, never over its letters."""
    chart = all_charts["per_invanare"]
    boxes = _label_boxes(chart)
    lines = _leader_lines(chart)
    assert lines, "the crowd at one value needs leader lines"

    def distance(box, point) -> float:
        dx = max(box.x0 - point[0], 0, point[0] - box.x1)
        dy = max(box.y0 - point[1], 0, point[1] - box.y1)
        return (dx * dx + dy * dy) ** 0.5

    texts = {t.get_text(): t for ax in chart.figure.axes for t in ax.texts}
    arrows = [p for ax in chart.figure.axes for p in ax.patches
              if type(p).__name__ == "FancyArrowPatch"]
    drawn_over = []
    for line, arrow in zip(lines, arrows, strict=True):
        own = min(boxes, key=lambda b: distance(b[1], line[0]))[0]
        for name, box in boxes:
            if name == own or not any(box.contains(*point) for point in line):
                continue
            ground = texts[name].get_bbox_patch()
            hidden = (ground is not None and ground.get_facecolor()[:3] == (1.0, 1.0, 1.0)
                      and ground.get_alpha() >= 0.9 and texts[name].zorder > arrow.zorder)
            if not hidden:
                drawn_over.append((own, name))
    assert drawn_over == []


def test_the_overlap_measure_sees_an_overlap():
    """The measure above can fail: two labels written at one spot are caught."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    ax.text(0.5, 0.5, "Stockholm")
    ax.text(0.52, 0.5, "Skåne")
    chart = charts.Chart("prov", figure, "", "", None)
    try:
        (_, a), (_, b) = _label_boxes(chart)
        assert a.overlaps(b)
    finally:
        plt.close(figure)
