"""The appendix *Rekonstruktionens antaganden* (``report/_generated/antaganden.md``): every
choice the generator made to reconcile the published aggregates, listed from the generator's own
record beside the files (``data/raw/SYNTH_MANIFEST.json``, written by
:mod:`samverkan.synth.assumptions`), never from prose written by hand. While any county's files
are the reconstruction the list stands with the reconstruction's mark; once every county's own
files are in, the appendix says that the book rests on no assumption of the reconstruction."""

from __future__ import annotations

from pathlib import Path

from samverkan import provenance
from samverkan.book import sources
from samverkan.book.markup import literal
from samverkan.io import write_text
from samverkan.paths import generated_dir, project_root
from samverkan.rounds import DEFAULT_ROUND

LABEL = "sec-antaganden"
TITLE = "Rekonstruktionens antaganden"


def assumptions_markdown(record: dict, county_sources: dict[str, str]) -> str:
    """The appendix (Swedish Markdown) from the generator's record and the counties' sources:
    one numbered item per recorded choice, the county-specific ones only while that county is
    reconstructed."""
    lines = [f"# {TITLE} {{#{LABEL}}}", ""]
    reconstructed = {c for c, s in county_sources.items() if s == provenance.RECONSTRUCTED}
    entries = [e for e in record.get("assumptions", [])
               if (e["lan_code"] in reconstructed) or (not e["lan_code"] and reconstructed)]
    if not entries:
        lines.append("Boken bygger inte på något rekonstruerat underlag, och inget av "
                     "generatorns antaganden används.")
        return "\n".join(lines) + "\n"
    lines += [
        "De projektvisa inlämningarna bakom Rapport 2011:39 är inte offentliga, så boken räknar "
        "på ett rekonstruerat underlag som en generator har skrivit. Där rapportens tryckta "
        "siffror inte räcker för att bestämma underlaget, eller säger emot varandra, har "
        "generatorn gjort ett val. Listan nedan är generatorns egen förteckning över valen "
        f"(seed {record.get('seed', '–')}), och varje siffra som bygger på ett av dem är "
        f"markerad i boken: {sources.MARK_LEGEND}.",
        "",
    ]
    for n, entry in enumerate(entries, 1):
        lines.append(f"{n}. {literal(entry['text'])}")
    return "\n".join(lines) + "\n"


def write_assumptions_appendix(path: Path | str | None = None) -> Path:
    """Write :func:`assumptions_markdown` for the project's record and sources atomically to
    ``path`` (default ``report/_generated/antaganden.md``)."""
    raw = project_root() / "data" / "raw"
    text = assumptions_markdown(provenance.read_manifest(raw),
                                provenance.county_sources(DEFAULT_ROUND, raw))
    return write_text(Path(path) if path else generated_dir() / "antaganden.md", text)
