"""The technical appendix *Om beräkningen*: how the book is recomputed and where every file is.

The one place in the book where repository paths, commands and the codebook's field names appear;
every other chapter speaks of the same things in words and refers here (``@sec-om-berakningen``).
Written into ``report/_generated/om-berakningen.md`` by the runner.
"""

from __future__ import annotations

from pathlib import Path

from samverkan.book import sources
from samverkan.intake import codebook

SHEETS: tuple[str, ...] = ("Projekt", "Medel", "Länsstyrelsen")
"""The workbook's sheets, in the order a county official fills them in."""

FILES: tuple[tuple[str, str], ...] = (
    ("Länsstyrelsernas inlämningar (ändras aldrig av programmet)", "data/raw/<omgång>/"),
    ("Hur underlaget rekonstruerades och hur ett län byter till sina verkliga filer",
     "data/raw/README.md"),
    ("Utvärderarens kodningsblad", "data/coding/<omgång>.csv"),
    ("Rapport 2011:39:s tryckta siffror, läns- och kommunregistret",
     "data/reference/published.csv, counties.csv, municipalities.csv"),
    ("Folkmängd per kommun och län med källa och byggskript",
     "data/reference/population_*.csv, scripts/build_population.py"),
    ("Bearbetade tabeller (projekt, medel, länsstyrelsernas svar)",
     "data/processed/<omgång>/*.csv"),
    ("Avvisade värden och radbokföring", "data/processed/<omgång>/rejects.csv, ledger.csv"),
    ("Bokens tabeller som CSV och arbetsbok", "data/processed/<omgång>/tables/, tabeller.xlsx"),
    ("Bokens figurer som PNG och SVG", "data/processed/<omgång>/figures/"),
    ("Granskningen mot rapporten", "data/processed/<omgång>/audit.csv, consistency.csv"),
    ("Blankettens fält, typer och godkända värden (kodboken)", "samverkan/intake/codebook.yaml"),
    ("Kapitlen som notebooks", "notebooks/*.ipynb"),
    ("Körningens loggar", "report/_generated/logs/"),
    ("Den färdiga boken", "_book/rapport.html, _book/rapport.pdf"),
)
"""What a reader may look for → where it is, relative to the project folder."""

OPENING = "Bilagan är till för den som vill räkna om boken, byta underlag eller hitta en fil."
"""The appendix's first sentence (the PDF text tests find where the appendix starts by it)."""


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _paths(text: str) -> str:
    """Comma-separated paths, each as code."""
    return ", ".join(f"`{part.strip()}`" for part in text.split(","))


def technical_markdown() -> str:
    """The appendix as Markdown (Swedish)."""
    lines = [
        "# Om beräkningen {#sec-om-berakningen}",
        "",
        f"{OPENING} Programmet samverkan läser länsstyrelsernas inlämningar, rensar och "
        "kontrollerar dem, räknar fram varje tabell och figur och sätter ihop boken. Allt som "
        "står i kapitlen kommer ur de filer som listas nedan.",
        "",
        "## Räkna om boken {#sec-om-berakningen-kor .unlisted}",
        "",
        "I projektmappen, på en dator med Python 3.11:",
        "",
        "```",
        "make report                         # första gången: installerar miljön",
        ".venv/bin/python -m samverkan run   # därefter: räknar om det som ändrats",
        "```",
        "",
        "En ändrad eller ny fil från ett län räknar om just det som filen påverkar. Avslutas "
        "körningen med felkod 1 har något steg misslyckats; körningens sammanfattning och "
        "loggarna säger vilket och varför, och den senast färdiga boken ligger kvar.",
        "",
        "## Var filerna finns {#sec-om-berakningen-filer .unlisted}",
        "",
        "| Vad | Var |",
        "|---|---|",
        *(f"| {_cell(what)} | {_paths(where)} |" for what, where in FILES),
        "",
        ": Bokens filer i projektmappen; `<omgång>` är 2010 eller 2011 {#tbl-om-berakningen-filer}",
        "",
        sources.source("tbl-om-berakningen-filer", {}).line,
        "",
        "## Blankettens fält i kodboken {#sec-om-berakningen-falt .unlisted}",
        "",
        "Blanketternas rubriker (@sec-blanketter) motsvarar fält i kodboken. Fältnamnen används i "
        "de bearbetade tabellerna och i avvisningslistan.",
        "",
    ]
    for title in SHEETS:
        fields = [f for f in codebook.fields() if f.sheet == title]
        if not fields:
            continue
        slug = title.lower().replace("ä", "a")
        lines += [f"| Blad {title}: rubrik | Fält |", "|---|---|"]
        lines += [f"| {_cell(f.label)} | `{f.name}` |" for f in fields]
        lines += ["", f": Rubriker och fält på bladet {title} {{#tbl-om-berakningen-{slug}}}", "",
                  sources.source(f"tbl-om-berakningen-{slug}", {}).line, ""]
    return "\n".join(lines)


def write_technical_appendix(path: Path | str | None = None) -> Path:
    """Write :func:`technical_markdown` atomically to ``path`` (default
    ``report/_generated/om-berakningen.md``) and return the path."""
    from samverkan.io import write_text
    from samverkan.paths import generated_dir

    target = Path(path) if path is not None else generated_dir() / "om-berakningen.md"
    return write_text(target, technical_markdown())
