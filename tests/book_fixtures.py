"""A tiny book for the render and browser tests: a _quarto.yml with chapters and an appendix,
a .qmd with a callout, an include, a page break, a Markdown figure and table and
cross-references, and executed notebooks with a labelled figure, a labelled DataFrame table and
Markdown outputs that cross-reference them (outputs written the way Jupyter writes them)."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
from nbformat.v4 import (  # noqa: E402
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

from samverkan import provenance  # noqa: E402

QUARTO_YML = """\
project:
  type: book
  output-dir: _book
book:
  title: "Provbok för återgivningen"
  subtitle: "Å, ä och ö i rubriker"
  author: "Provförfattaren"
  output-file: rapport
  chapters:
    - index.qmd
    - report/kapitel.qmd
    - report/_generated/resultat.ipynb
  appendices:
    - report/_generated/county_01.ipynb
lang: sv
number-sections: true
number-depth: 3
execute:
  enabled: false
format:
  html:
    toc: true
    toc-title: "Innehåll"
    css: report/assets/quarto.css
    include-before-body: report/_generated/rekonstruktion.html
    include-after-body: report/assets/quarto-a11y.html
  typst:
    toc: true
    toc-depth: 2
    toc-title: "Innehåll"
    crossref-ch-prefix: "Kapitel"
    include-in-header: report/assets/quarto-typst.typ
    template-partials:
      - report/assets/typst-show.typ
"""

INDEX = """\
# Om boken {#sec-om-boken .unnumbered}

{{< include report/_generated/omslag.md >}}

Inledande text om boken.
"""

CHAPTER = """\
# Kapitlet om län {#sec-kapitel}

Se @fig-staplar och @tbl-medel i @sec-resultat, och länsprofilen i @sec-lan-01.

::: {.callout-note title="Viktigt att veta"}
Rutan innehåller en hänvisning till @tbl-medel.
:::

## Ett avsnitt med en egen bild {#sec-egen-bild}

![Egen bild med åäö](bilder/prick.png){#fig-egen fig-alt="En blå prick på vit botten"}

| Län | Belopp |
|---|---:|
| Uppsala | 1 000 |

: Liten tabell i Markdown {#tbl-liten}

Se @fig-egen och @tbl-liten.

{{< pagebreak >}}

::: {.callout-warning}
## Rubrik från rubrikrad
Varningstext.
:::
"""

RESULT_MD = (
    "Diagrammet i @fig-staplar visar beloppen och @tbl-medel samma uppgifter som tabell. "
    "Kvinnojourer i Östergötland och Västra Götaland."
)


def png_bytes(colour: str = "#0072B2", size: tuple[float, float] = (6.0, 3.0)) -> bytes:
    """A small bar chart as PNG."""
    fig, ax = plt.subplots(figsize=size, dpi=80)
    ax.bar(["Stockholm", "Uppsala", "Östergötland"], [4830, 790, 1050], color=colour)
    ax.set_ylabel("Tusen kronor")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def executed_cell(source: str, outputs: list, count: int | None):
    cell = new_code_cell(source, execution_count=count)
    cell.outputs = outputs
    return cell


def result_notebook(executed: bool = True) -> nbformat.NotebookNode:
    """A chapter notebook with a labelled figure and table, written as Jupyter writes them."""
    frame = pd.DataFrame(
        {"Län": ["Stockholm", "Uppsala"], "Beviljat (kr)": ["4\u00a0830\u00a0000", "790\u00a0000"],
         "Andel": ["37,2\u00a0%", "6,1\u00a0%"]}
    ).set_index("Län")
    image = base64.b64encode(png_bytes()).decode()
    counter = iter(range(1, 100))

    def count() -> int | None:
        return next(counter) if executed else None

    cells = [
        new_markdown_cell("# Resultat {#sec-resultat}\n\nText före diagrammet."),
        executed_cell("report_round = 2011", [], count()),
        executed_cell(
            "display(Markdown(text))",
            [new_output("display_data", data={"text/markdown": RESULT_MD, "text/plain": "<md>"})],
            count(),
        ),
        executed_cell(
            "#| label: fig-staplar\n#| fig-cap: \"Beviljade medel per län\"\n"
            "#| fig-alt: \"Staplar för Stockholm, Uppsala och Östergötland\"\nchart()\nplt.show()",
            [new_output("display_data", data={"image/png": image, "text/plain": "<Figure>"})],
            count(),
        ),
        executed_cell(
            "#| label: tbl-medel\n#| tbl-cap: \"Beviljade medel och andel per län\"\nframe",
            [new_output("execute_result", data={"text/html": frame.to_html(),
                                                "text/plain": frame.to_string()},
                        execution_count=1)],
            count(),
        ),
        executed_cell("print('utskrift')", [new_output("stream", name="stdout",
                                                       text="utskrift\n")], count()),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["papermill"] = {"parameters": {"report_round": 2011}}
    return nb


REJECTS = pd.DataFrame({
    "Fil": ["01-stockholm.xlsx"], "Blad": ["Projekt"], "Rad": ["7"], "Fält": ["Beviljat belopp"],
    "Värde": ["tusen"], "Fel": ["Beloppet går inte att tolka"],
}).set_index("Fil")
"""The county profile's table of rejected values (one row)."""


def county_notebook() -> nbformat.NotebookNode:
    """A county profile: its heading, a section, references to the national chapters, and
    the table of rejected values that a county's own report points to."""
    nb = new_notebook(cells=[
        new_markdown_cell("# Stockholms län {#sec-lan-01}\n\nLänets profil. Se @fig-staplar.\n\n"
                          "## Projekt i länet {.unlisted}\n\nLänets projekt. Mer i @sec-kapitel."),
        executed_cell("lan_code = '01'", [], 1),
        new_markdown_cell("## Datakvalitet {.unlisted}"),
        executed_cell(
            "#| label: tbl-avvisade-01\n#| tbl-cap: \"Avvisade värden i länets filer\"\nrejects",
            [new_output("execute_result", data={"text/html": REJECTS.to_html(),
                                                "text/plain": REJECTS.to_string()},
                        execution_count=2)],
            2,
        ),
    ])
    return nb


def dot_png() -> bytes:
    fig, ax = plt.subplots(figsize=(1.5, 1.5), dpi=80)
    ax.scatter([0], [0], s=400, color="#0072B2")
    ax.set_axis_off()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def write_tiny_book(root: Path, *, assets_from: Path, executed: bool = True) -> Path:
    """Write the tiny book under ``root`` (with the project's report/assets copied from
    ``assets_from``); return ``root``."""
    import shutil

    (root / "samverkan").mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text(QUARTO_YML, encoding="utf-8")
    (root / ".gitignore").write_text("/.quarto/\n**/*.quarto_ipynb\n_book/\n", encoding="utf-8")
    reference = root / "data" / "reference"  # the county registry names the appendix
    reference.mkdir(parents=True, exist_ok=True)
    shutil.copy2(assets_from / "data" / "reference" / "counties.csv", reference)
    (root / "index.qmd").write_text(INDEX, encoding="utf-8")
    report = root / "report"
    (report / "bilder").mkdir(parents=True, exist_ok=True)
    (report / "kapitel.qmd").write_text(CHAPTER, encoding="utf-8")
    (report / "bilder" / "prick.png").write_bytes(dot_png())
    shutil.copytree(assets_from / "report" / "assets", report / "assets", dirs_exist_ok=True)
    generated = report / "_generated"
    generated.mkdir(parents=True, exist_ok=True)
    nbformat.write(result_notebook(executed), generated / "resultat.ipynb")
    nbformat.write(county_notebook(), generated / "county_01.ipynb")
    raw = root / "data" / "raw"  # Stockholm's reconstructed submission, as synth records it
    (raw / "2011").mkdir(parents=True, exist_ok=True)
    (raw / "2011" / "01-stockholm.xlsx").write_bytes(b"reconstructed workbook")
    provenance.write_manifest({2011: [raw / "2011" / "01-stockholm.xlsx"]}, raw, seed=1, scale=1)
    from samverkan.book import contract  # the notice Quarto's HTML pages include

    (generated / "rekonstruktion.html").write_text(contract.notice_html(
        provenance.notice_text(provenance.county_sources(2011, raw))), encoding="utf-8")
    return root
