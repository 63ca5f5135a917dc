"""Charts of the results, each answering one reader's question, in Swedish.

Every chart function returns a :class:`Chart`: the matplotlib figure, an alt text that states
the main numbers, a Swedish caption and the numbers drawn (``data``, Swedish headers, formatted
strings) so that a notebook can print them as text too. Figures have fixed sizes, an Okabe–Ito
(colour-blind-safe) palette and Swedish number formatting on the axes; :func:`save_chart` writes
PNG and SVG that are byte-identical from run to run.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec

import matplotlib

if "ipykernel" not in sys.modules and "MPLBACKEND" not in os.environ:
    matplotlib.use("Agg")  # headless outside notebooks

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import (  # noqa: E402
    FixedLocator,
    FuncFormatter,
    MaxNLocator,
    NullLocator,
)

from samverkan import fmt  # noqa: E402
from samverkan.io import atomic_path  # noqa: E402
from samverkan.results import change as chg  # noqa: E402
from samverkan.results import frames  # noqa: E402
from samverkan.results import indicators as ind  # noqa: E402
from samverkan.results import measures as meas  # noqa: E402
from samverkan.results import report_tables as rt  # noqa: E402
from samverkan.rounds import PERIOD_BY_ROUND  # noqa: E402

P = ParamSpec("P")

OKABE_ITO: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
)
"""Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies."""
GREY = "#6E6E6E"
SIZE = (8.0, 6.0)
WIDE = (8.0, 7.0)
DPI = 150

STYLE: dict[str, object] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "svg.hashsalt": "samverkan",
    "svg.fonttype": "path",
    "axes.unicode_minus": True,
}


@dataclass
class Chart:
    """A figure with what a reader needs beside it."""

    name: str
    figure: Figure
    alt: str
    caption: str
    data: pd.DataFrame


# ---------------------------------------------------------------------------------- helpers


def _count_ticks() -> MaxNLocator:
    """Whole-number ticks at 1, 2, 5 or 10 steps (0, 20, 40 … rather than 0, 15, 30 …)."""
    return MaxNLocator(integer=True, steps=[1, 2, 5, 10])


def _thousands(value: float, _pos: object = None) -> str:
    return fmt.num(value)


def _percent(value: float, _pos: object = None) -> str:
    return fmt.pct(value, 0)


def _place_labels(ax: plt.Axes, names: list[str], xs: list[float], ys: list[float]) -> None:
    """Name each point of a scatter plot: adjustText moves the labels until none overlaps
    another label or a point, and joins a label that had to move away to its point with a thin
    grey line, drawn under the labels. Deterministic (no random start), so the saved files
    stay byte-identical."""
    from adjustText import adjust_text

    ax.figure.canvas.draw()  # adjustText measures the labels with the figure's renderer
    # each label starts just right of its point (the x axis is logarithmic: a factor)
    # on a white ground above the leader lines (a line that must pass a label goes under it)
    # and below the points (zorder 6 in funds_against_population), which a ground never hides
    texts = [ax.text(x * 1.07, y, name, fontsize=7.5, ha="left", va="center", color="#222222",
                     zorder=5, bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                     "edgecolor": "none", "alpha": 0.9})
             for name, x, y in zip(names, xs, ys, strict=True)]
    lines: list = []
    for step in range(4):  # adjustText may stop short in a crowd: go on, with wider margins
        for line in lines:
            line.remove()
        _, lines = adjust_text(texts, x=xs, y=ys, ax=ax,
                                  expand=(1.2 + 0.1 * step, 1.5 + 0.2 * step),
                                  force_text=(0.4, 0.8), force_static=(0.4, 0.8),
                                  min_arrow_len=6, iter_lim=3000,
                                  arrowprops={"arrowstyle": "-", "color": GREY,
                                              "linewidth": 0.5, "shrinkA": 1, "shrinkB": 3,
                                              "zorder": 4})
        if not _crowded(ax, texts, list(zip(xs, ys, strict=True))):
            break


def _crowded(ax: plt.Axes, texts: list, points: list[tuple[float, float]]) -> bool:
    """Whether a label overlaps another label or covers a point, in display pixels after the
    figure's layout is done (constrained layout moves the axes when it draws)."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    spots = [ax.transData.transform(p) for p in points]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:]) or any(
        box.contains(*spot) for box in boxes for spot in spots)


def _new(figsize: tuple[float, float] = SIZE) -> tuple[Figure, plt.Axes]:
    return plt.subplots(figsize=figsize, dpi=DPI, layout="constrained")


def _style(ax: plt.Axes, axis: str = "x") -> None:
    """Light grid along the value axis, Swedish thousands on it."""
    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(_thousands))
    ax.grid(axis=axis, color="#DDDDDD", linewidth=0.8)
    ax.set_axisbelow(True)


def _names(codes: pd.Series) -> list[str]:
    return [frames.county_name(c) for c in codes]


def _counties_only(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["lan_code"] != frames.NATIONAL]


def _national(frame: pd.DataFrame) -> pd.Series:
    return frame[frame["lan_code"] == frames.NATIONAL].iloc[0]


def _styled(function: Callable[P, Chart]) -> Callable[P, Chart]:
    """Build the chart inside the project's matplotlib style."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Chart:
        with plt.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper


def _label_bars(ax: plt.Axes, bars: object, texts: list[str], inside: bool = False) -> None:
    ax.bar_label(bars, labels=texts, padding=3, fontsize=8, color="#222222",
                 label_type="center" if inside else "edge")


# --------------------------------------------------------------------------------- the charts


@_styled
def funds_by_county(p2011: frames.ProcessedLike) -> Chart:
    """Hur mycket medel fick varje län, och vilket år? Stacked bars per county and year."""
    t1 = rt.table1(p2011)
    years = [c.removeprefix("allocated_") for c in t1.columns
             if c.startswith("allocated_") and c != "allocated_total"]
    counties = _counties_only(t1).sort_values(["allocated_total", "lan_code"])
    names = _names(counties["lan_code"])
    fig, ax = _new(WIDE)
    left = pd.Series(0.0, index=counties.index)
    for colour, year in zip(OKABE_ITO[:len(years)], years, strict=True):
        ax.barh(names, counties[f"allocated_{year}"], left=left, color=colour, label=year,
                height=0.7)
        left = left + counties[f"allocated_{year}"]
    ax.bar_label(ax.containers[-1], labels=[fmt.num(v) for v in counties["allocated_total"]],
                 padding=3, fontsize=8)
    _style(ax, "x")
    ax.set_xlabel("Fördelade medel (kr)")
    ax.set_title("Fördelade utvecklingsmedel per län och år")
    ax.legend(title="År", loc="lower right")
    ax.margins(x=0.15)
    total = _national(t1)
    top, bottom = counties.iloc[-1], counties.iloc[0]
    per_year = ", ".join(f"{y}: {fmt.kr(total[f'allocated_{y}'])}" for y in years)
    alt = (f"Liggande staplar per län, uppdelade på år. Totalt fördelades "
           f"{fmt.kr(total['allocated_total'])} ({per_year}). Mest fick "
           f"{frames.county_name(top['lan_code'])} med {fmt.kr(top['allocated_total'])}, minst "
           f"{frames.county_name(bottom['lan_code'])} med {fmt.kr(bottom['allocated_total'])}.")
    data = pd.DataFrame({"Län": names, **{y: [fmt.num(v) for v in counties[f"allocated_{y}"]]
                                          for y in years},
                         "Summa": [fmt.num(v) for v in counties["allocated_total"]]})
    return Chart("medel", fig, alt, "Fördelade utvecklingsmedel per län och år (kr)", data)


@_styled
def uptake_by_county(p2011: frames.ProcessedLike) -> Chart:
    """Har länen använt medlen de fick? Requisitioned share of allocated funds per county."""
    t1 = rt.table1(p2011)
    counties = _counties_only(t1).dropna(subset=["uptake"]).sort_values(["uptake", "lan_code"])
    names = _names(counties["lan_code"])
    fig, ax = _new(WIDE)
    colours = [OKABE_ITO[5] if u < 1 else OKABE_ITO[4] for u in counties["uptake"]]
    bars = ax.barh(names, counties["uptake"], color=colours, height=0.7)
    _label_bars(ax, bars, [fmt.pct(u, 0) for u in counties["uptake"]])
    national = _national(t1)["uptake"]
    ax.axvline(national, color=OKABE_ITO[7], linestyle="--", linewidth=1)
    ax.legend(handles=[Patch(color=OKABE_ITO[4], label="Rekvirerade alla medel"),
                       Patch(color=OKABE_ITO[5], label="Rekvirerade inte alla medel"),
                       Line2D([], [], color=OKABE_ITO[7], linestyle="--",
                              label=f"Riket {fmt.pct(national)}")],
              loc="upper left", bbox_to_anchor=(0.0, -0.08), ncol=3)
    ax.xaxis.set_major_formatter(FuncFormatter(_percent))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8)
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("Rekvirerade medel i procent av fördelade")
    ax.set_title("Nyttjandegrad: rekvirerade medel av fördelade, per län")
    below = counties[counties["uptake"] < 1]
    listed = ", ".join(f"{frames.county_name(r.lan_code)} {fmt.pct(r.uptake, 0)}"
                       for r in below.itertuples())
    alt = (f"Liggande staplar per län. I riket rekvirerades {fmt.pct(national)} av de fördelade "
           f"medlen. {len(below)} län rekvirerade mindre än allt"
           + (f": {listed}." if listed else "."))
    data = pd.DataFrame({"Län": names,
                         "Fördelat (kr)": [fmt.num(v) for v in counties["allocated_total"]],
                         "Rekvirerat (kr)": [fmt.num(v) for v in counties["requisitioned_total"]],
                         "Nyttjandegrad": [fmt.pct(u) for u in counties["uptake"]]})
    return Chart("nyttjande", fig, alt, "Rekvirerade medel i procent av fördelade, per län",
                 data)


@_styled
def projects_by_county(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike | None) -> Chart:
    """Hur många projekt fick medel i varje län, vid delredovisningen och slutredovisningen?"""
    t2 = rt.table2(p2011, p2010)
    counties = _counties_only(t2).sort_values(["projects_2008_2010", "lan_code"])
    names = _names(counties["lan_code"])
    fig, ax = _new(WIDE)
    y = range(len(counties))
    height = 0.38
    series = [("projects_2008_2010", "2008–2010 (slutredovisning 2011)", OKABE_ITO[4], -height / 2)]
    if "projects_2008_2009" in counties:
        series.append(("projects_2008_2009", "2008–2009 (delredovisning 2010)", OKABE_ITO[0],
                       height / 2))
    for column, legend, colour, offset in series:
        bars = ax.barh([i + offset for i in y], counties[column], height=height, color=colour,
                       label=legend)
        _label_bars(ax, bars, [fmt.num(v) for v in counties[column]])
    ax.set_yticks(list(y), names)
    ax.xaxis.set_major_locator(_count_ticks())
    _style(ax, "x")
    ax.set_xlabel("Antal projekt som beviljats medel")
    ax.set_title("Projekt per län: delredovisning 2010 och slutredovisning 2011")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="lower right")
    total = _national(t2)
    top = counties.iloc[-1]
    alt = (f"Liggande staplar per län. {fmt.num(total['projects_2008_2010'])} projekt beviljades "
           f"medel 2008–2010, varav {fmt.num(total['projects_started'])} startade. Flest hade "
           f"{frames.county_name(top['lan_code'])} med {fmt.num(top['projects_2008_2010'])}.")
    if "projects_2008_2009" in total:
        alt += (f" Vid delredovisningen 2010 var antalet "
                f"{fmt.num(total['projects_2008_2009'])}.")
    data = pd.DataFrame({"Län": names,
                         **({"2008–2009": [fmt.num(v) for v in counties["projects_2008_2009"]]}
                            if "projects_2008_2009" in counties else {}),
                         "2008–2010": [fmt.num(v) for v in counties["projects_2008_2010"]]})
    return Chart("projekt", fig, alt, "Antal projekt per län vid del- och slutredovisningen",
                 data)


def _count_bars(table: pd.DataFrame, title: str, xlabel: str, name: str, caption: str,
                what: str) -> Chart:
    """Horizontal bars for a count table in its printed order (:func:`rt.ordered_counts`):
    main rows dark, their sub-counts ("– Polis") lighter; the description lists the bars in the
    same order, top to bottom."""
    rows = rt.ordered_counts(table)
    is_sub = (rows["parent"] != "").to_numpy()
    fig, ax = _new(WIDE if len(rows) > 12 else SIZE)
    drawn = rows.iloc[::-1]
    bars = ax.barh(drawn["label"], drawn["count"], height=0.65,
                   color=[OKABE_ITO[1] if sub else OKABE_ITO[4] for sub in is_sub[::-1]])
    _label_bars(ax, bars, [f"{fmt.num(c)} ({fmt.pct(s, 0)})"
                           for c, s in zip(drawn["count"], drawn["share"], strict=True)])
    ax.xaxis.set_major_locator(_count_ticks())
    _style(ax, "x")
    ax.margins(x=0.18)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if is_sub.any():
        ax.legend(handles=[Patch(color=OKABE_ITO[4], label=f"Typ av {what.split()[-1]}"),
                           Patch(color=OKABE_ITO[1], label="Delgrupp ur fritextsvaren")],
                  loc="lower right")
    listed = "; ".join(f"{r.label} {fmt.num(r.count)} ({fmt.pct(r.share, 0)})"
                       for r in rows.itertuples())
    alt = (f"Liggande staplar, antal startade projekt per {what}, i tabellens ordning "
           f"(delgrupper med tankstreck): {listed}.")
    data = pd.DataFrame({what.capitalize(): rows["label"].to_list(),
                         "Antal projekt": [fmt.num(c) for c in rows["count"]],
                         "Andel av startade": [fmt.pct(s) for s in rows["share"]]})
    return Chart(name, fig, alt, caption, data)


@_styled
def partners(p2011: frames.ProcessedLike) -> Chart:
    """Med vilka aktörer samverkar projekten? Every row of the partner table, sub-counts
    (Polis and Åklagarmyndigheten within Rättsväsendet) under their row."""
    started = int(meas.project_flags(p2011.projects)["projects_started"].sum())
    return _count_bars(rt.table3(p2011), "Samverkanspartner i de startade projekten",
                       f"Antal projekt (av {fmt.num(started)} startade; ett projekt kan ha "
                       "flera partner)", "partner", "Samverkanspartner: antal startade projekt "
                       "per typ av aktör", "typ av aktör")


@_styled
def target_groups(p2011: frames.ProcessedLike) -> Chart:
    """Vilka grupper riktar sig projekten till? Every row of the target-group table."""
    started = int(meas.project_flags(p2011.projects)["projects_started"].sum())
    return _count_bars(rt.table4(p2011), "Områden och målgrupper i de startade projekten",
                       f"Antal projekt (av {fmt.num(started)} startade; ett projekt kan ha "
                       "flera målgrupper)", "malgrupper", "Områden och målgrupper: antal "
                       "startade projekt", "område och målgrupp")



FUNNEL_STEPS: tuple[tuple[str, str], ...] = (
    ("projects_granted", "Beviljade"),
    ("projects_started", "Startade"),
    ("finished", "Avslutade"),
    ("goal_met", "… och nått målen helt eller delvis"),
    ("integration_done", "… och integrerade i ordinarie verksamhet"),
)


def funnel_counts(p2011: frames.ProcessedLike) -> pd.DataFrame:
    """Projects remaining at each step of the outcome funnel; each step is a subset of the
    one before (finished and goal met and integrated), columns step, label, count, share (of
    granted)."""
    flags = meas.project_flags(p2011.projects)
    keep = pd.Series(True, index=flags.index)
    rows = []
    for step, text in FUNNEL_STEPS:
        keep = keep & flags[step]
        rows.append({"step": step, "label": text, "count": int(keep.sum())})
    out = pd.DataFrame(rows)
    out["share"] = out["count"] / out["count"].iloc[0] if out["count"].iloc[0] else float("nan")
    return out


@_styled
def outcome_funnel(p2011: frames.ProcessedLike) -> Chart:
    """Hur många beviljade projekt ledde hela vägen till en integrerad samverkan?"""
    funnel = funnel_counts(p2011)
    fig, ax = _new((8.0, 4.5))
    rows = funnel.iloc[::-1]
    colours = [OKABE_ITO[i] for i in (4, 1, 2, 0, 5)][::-1]
    bars = ax.barh(rows["label"], rows["count"], color=colours, height=0.65)
    _label_bars(ax, bars, [f"{fmt.num(c)} ({fmt.pct(s, 0)})"
                           for c, s in zip(rows["count"], rows["share"], strict=True)])
    ax.xaxis.set_major_locator(_count_ticks())
    _style(ax, "x")
    ax.margins(x=0.15)
    ax.set_xlabel("Antal projekt (varje steg är en del av steget ovanför)")
    ax.set_title("Från beviljat projekt till integrerad samverkan")
    steps = "; ".join(f"{r.label.removeprefix('… ')} {fmt.num(r.count)}"
                      for r in funnel.itertuples())
    alt = (f"Tratt i fem steg där varje steg är en delmängd av det föregående: {steps}. Av de "
           f"beviljade projekten nådde {fmt.pct(funnel['share'].iloc[-1])} hela vägen.")
    data = pd.DataFrame({"Steg": funnel["label"], "Antal projekt":
                         [fmt.num(c) for c in funnel["count"]],
                         "Andel av beviljade": [fmt.pct(s) for s in funnel["share"]]})
    return Chart("tratt", fig, alt, "Utfallstratt: beviljade, startade, avslutade, måluppfyllda "
                 "och integrerade projekt", data)


@_styled
def funds_against_population(p2011: frames.ProcessedLike) -> Chart:
    """Följer medlen folkmängden? Each county's allocated funds per inhabitant against its
    population (logarithmic axis), with seaborn's least-squares line in the logarithm of the
    population and its 95 % confidence band: a falling line means that smaller counties got more
    per inhabitant."""
    values = ind.indicator_values(p2011)
    per = _counties_only(values[values["indicator"] == "medel_per_invanare"])
    points = per.dropna(subset=["value"]).sort_values("value")
    corr = _national(values[values["indicator"] == "korrelation_medel_befolkning"])
    frame = pd.DataFrame({"pop": points["denominator"].to_numpy(),
                          "per": points["value"].to_numpy()})
    fig, ax = _new(SIZE)
    sns.regplot(data=frame, x="pop", y="per", logx=True, ax=ax, ci=95, seed=2011,
                scatter_kws={"s": 40, "color": OKABE_ITO[4], "zorder": 6},
                line_kws={"color": OKABE_ITO[5], "linewidth": 1.5})
    ax.set_xscale("log")
    _place_labels(ax, [frames.county_name(c) for c in points["lan_code"]],
                  points["denominator"].tolist(), points["value"].tolist())
    ax.xaxis.set_major_locator(FixedLocator([50_000, 100_000, 200_000, 500_000, 1_000_000,
                                             2_000_000]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.num(v, 2)))
    ax.grid(color="#DDDDDD", linewidth=0.8)
    years = PERIOD_BY_ROUND[frames.report_round_of(p2011)].replace("-", "–")
    ax.set_xlabel(f"Folkmängd 31 december {ind.POPULATION_YEAR} (logaritmisk skala)")
    ax.set_ylabel(f"Fördelade medel {years} per invånare (kr)")
    ax.set_title("Fördelade medel per invånare och länets folkmängd")
    ax.margins(x=0.1, y=0.1)
    listed = "; ".join(f"{frames.county_name(r.lan_code)} {fmt.kr(r.value, 2)}"
                       for r in points.iloc[::-1].itertuples())
    alt = (f"Punktdiagram med de {len(points)} länen: folkmängd på den vågräta axeln, fördelade "
           f"medel per invånare på den lodräta och en regressionslinje. Medel per invånare, "
           f"högst först: {listed}. Korrelationen mellan länens medel och folkmängd är "
           f"{ind.format_indicator('korrelation_medel_befolkning', corr['value'])}.")
    data = pd.DataFrame({"Län": _names(points["lan_code"]),
                         "Folkmängd": [fmt.num(v) for v in points["denominator"]],
                         "Fördelat (kr)": [fmt.num(v) for v in points["numerator"]],
                         "Kr per invånare": [fmt.num(v, 2) for v in points["value"]]})
    return Chart("per_invanare", fig, alt, "Fördelade medel per invånare mot länets folkmängd",
                 data)


CHANGE_MEASURES: tuple[str, ...] = (
    "projects_granted", "new_structures", "existing_structures", "partner_municipalities",
    "partner_health", "partner_justice", "partner_church", "partner_voluntary", "area_women",
    "area_children", "area_men", "family_perspective",
)


@_styled
def change_2010_2011(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike) -> Chart:
    """Vad hände mellan delredovisningen 2010 och slutredovisningen 2011?"""
    change = chg.change_by_measure(p2011, p2010)
    national = change[(change["lan_code"] == frames.NATIONAL)
                      & change["measure"].isin(CHANGE_MEASURES)]
    national = national.set_index("measure").loc[list(CHANGE_MEASURES)].reset_index()
    rows = national.iloc[::-1]
    fig, ax = _new(WIDE)
    y = list(range(len(rows)))
    ax.hlines(y, rows["value_2010"], rows["value_2011"], color="#BBBBBB", linewidth=2, zorder=1)
    ax.scatter(rows["value_2010"], y, color=OKABE_ITO[0], s=45, zorder=2,
               label="Delredovisning 2010 (beviljat 2008–2009)")
    ax.scatter(rows["value_2011"], y, color=OKABE_ITO[4], s=45, zorder=2, marker="D",
               label="Slutredovisning 2011 (beviljat 2008–2010)")
    for yy, r in zip(y, rows.itertuples(), strict=True):
        ax.annotate(f"{fmt.num(r.value_2010)} → {fmt.num(r.value_2011)}",
                    (max(r.value_2010, r.value_2011), yy), xytext=(8, -3),
                    textcoords="offset points", fontsize=8)
    ax.set_yticks(y, rows["label"])
    _style(ax, "x")
    ax.margins(x=0.2)
    ax.set_xlim(left=0)
    ax.set_xlabel("Antal projekt")
    ax.set_title("Från delredovisning 2010 till slutredovisning 2011")
    fig.legend(loc="outside lower center", ncol=1)
    listed = "; ".join(f"{r.label} {fmt.num(r.value_2010)} → {fmt.num(r.value_2011)}"
                       for r in national.itertuples())
    alt = f"Punkter för 2010 och 2011 per mått, förbundna med en linje: {listed}."
    data = pd.DataFrame({"Mått": national["label"],
                         "2010": [fmt.num(v) for v in national["value_2010"]],
                         "2011": [fmt.num(v) for v in national["value_2011"]],
                         "Förändring": [fmt.num(v) for v in national["change"]]})
    return Chart("forandring", fig, alt, "Antal projekt per mått vid delredovisningen 2010 och "
                 "slutredovisningen 2011 (riket)", data)


@_styled
def economics(p2011: frames.ProcessedLike) -> Chart:
    """Vart tog pengarna vägen? From allocated funds to costs and repayment (Tabell 6)."""
    t6 = _national(rt.table6(p2011))
    steps = [("Fördelade medel", t6["allocated_sek"], OKABE_ITO[4]),
             ("Rekvirerade medel", t6["requisitioned_sek"], OKABE_ITO[1]),
             ("Beviljat till startade projekt", t6["granted_sek"], OKABE_ITO[2]),
             ("Länsstyrelsernas administration", t6["administration_sek"], OKABE_ITO[0]),
             ("Sammanlagda kostnader", t6["total_costs_sek"], OKABE_ITO[6]),
             ("Återbetalas", t6["repayment_sek"], OKABE_ITO[5])]
    rows = steps[::-1]
    fig, ax = _new((8.0, 4.5))
    bars = ax.barh([s[0] for s in rows], [s[1] for s in rows], color=[s[2] for s in rows],
                   height=0.65)
    _label_bars(ax, bars, [fmt.kr(s[1]) for s in rows])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.num(v / 1e6)))
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.8)
    ax.margins(x=0.25)
    ax.set_xlabel("Miljoner kronor")
    ax.set_title("Ekonomisk redovisning 2008–2010 (riket)")
    alt = "Liggande staplar: " + "; ".join(f"{s[0]} {fmt.kr(s[1])}" for s in steps) + "."
    data = pd.DataFrame({"Post": [s[0] for s in steps], "Kronor": [fmt.num(s[1]) for s in steps]})
    return Chart("ekonomi", fig, alt, "Från fördelade medel till kostnader och återbetalning",
                 data)


def all_charts(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike | None) -> list[Chart]:
    """Every chart of the results, in report order."""
    charts = [funds_by_county(p2011), uptake_by_county(p2011), economics(p2011),
              projects_by_county(p2011, p2010), partners(p2011), target_groups(p2011),
              outcome_funnel(p2011), funds_against_population(p2011)]
    if frames.has_projects(p2010):
        charts.append(change_2010_2011(p2011, p2010))
    return charts


def description(chart: Chart) -> str:
    """The chart's alt text as a Markdown line to print under the figure."""
    return f"*Figurbeskrivning:* {chart.alt}"


# ------------------------------------------------------------------------------------ saving


def save_chart(chart: Chart, directory: Path | str) -> tuple[Path, Path]:
    """Write ``<name>.png`` and ``<name>.svg`` to ``directory`` atomically, with the caption
    and alt text as title and description and without dates or software versions in the
    metadata, so the same data gives the same bytes."""
    directory = Path(directory)
    paths = directory / f"{chart.name}.png", directory / f"{chart.name}.svg"
    with plt.rc_context(STYLE):
        with atomic_path(paths[0]) as tmp:
            chart.figure.savefig(tmp, format="png", dpi=DPI, metadata={
                "Software": None, "Title": chart.caption, "Description": chart.alt})
        chart.figure.set_layout_engine("none")  # the layout just drawn, not computed again
        with atomic_path(paths[1]) as tmp:
            chart.figure.savefig(tmp, format="svg", metadata={
                "Date": None, "Creator": None, "Title": chart.caption,
                "Description": chart.alt})
    return paths


def close(chart: Chart) -> None:
    plt.close(chart.figure)


def save_all(p2011: frames.ProcessedLike, p2010: frames.ProcessedLike | None,
             directory: Path | str | None = None) -> list[Path]:
    """Every chart of :func:`all_charts` as PNG and SVG in ``directory`` (default
    ``data/processed/<round>/figures/``); the figures are closed afterwards."""
    from samverkan.paths import processed_dir

    target = Path(directory) if directory is not None else (
        processed_dir(frames.report_round_of(p2011)) / "figures")
    paths: list[Path] = []
    for chart in all_charts(p2011, p2010):
        paths += save_chart(chart, target)
        close(chart)
    return paths
