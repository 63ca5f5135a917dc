"""The appendix *Blanketterna*: every question of the reporting forms with the fields that hold
its answer, their types and accepted values, generated from the codebook (one source of truth)
into ``report/_generated/blanketter.md``."""

from __future__ import annotations

import re
from pathlib import Path

from samverkan.book import sources
from samverkan.intake import codebook
from samverkan.intake.codebook import Field

FORMS: dict[str, str] = {
    "del": "Delredovisning 2010 (projektens redovisning)",
    "slut": "Slutredovisning 2011 (projektens redovisning)",
    "lst": "Frågor till länsstyrelserna 2011",
}
OTHER = "Uppgifter som länsstyrelsen lägger till"

TYPES: dict[str, str] = {
    "county": "län (länskod eller namn)",
    "municipalities": "en eller flera kommuner (namn eller kommunkod)",
    "text": "text",
    "longtext": "fritext",
    "id": "diarienummer",
    "date": "datum",
    "amount": "belopp i kronor",
    "year": "årtal",
    "checkbox": "kryssruta",
    "enum": "ett av de godkända värdena",
    "integer": "heltal",
}
"""How each codebook type is described to a county official."""

_QUESTION = re.compile(r"^(del|slut|lst)\s+(.*)$")


def _cell(text: str) -> str:
    """Text safe inside a pipe-table cell."""
    return re.sub(r"\s+", " ", text.replace("|", "\\|")).strip()


def _question_order(question: str) -> tuple[int, int, str]:
    """``huvud`` first, then by number (2a after 2), then anything else."""
    if question == "huvud":
        return (0, 0, "")
    number = re.match(r"(\d+)(.*)", question)
    if number:
        return (1, int(number.group(1)), number.group(2))
    return (2, 0, question)


def _question_label(question: str) -> str:
    if question == "huvud":
        return "Blankettens huvud"
    if re.match(r"\d", question):
        return f"Fråga {question}"
    return question[:1].upper() + question[1:]


def _accepted(f: Field) -> str:
    if f.personal:
        return "Personuppgift: läses inte in och sparas aldrig"
    if f.type == "enum":
        return "; ".join(f"{canonical}: {', '.join(spellings)}"
                         for canonical, spellings in f.values.items())
    if f.type == "checkbox":
        return "se kryssrutor ovan"
    if f.type == "date":
        return "t.ex. 2009-09-01 eller 20090901"
    if f.type == "amount":
        return "t.ex. 916 210 eller 916 210 kr"
    return ""


def form_questions() -> dict[str, list[tuple[str, Field]]]:
    """Form → [(question, field)] in question order; fields whose question is not on a form
    (the county board's own figures) under :data:`OTHER`."""
    out: dict[str, list[tuple[str, Field]]] = {form: [] for form in (*FORMS, OTHER)}
    for f in codebook.fields():
        placed = False
        for part in f.question.split(";"):
            match = _QUESTION.match(part.strip())
            if match:
                out[match.group(1)].append((match.group(2).strip(), f))
                placed = True
        if not placed:
            out[OTHER].append((f.question, f))
    for form in FORMS:
        out[form].sort(key=lambda qf: _question_order(qf[0]))
    return out


def forms_markdown() -> str:
    """The appendix as Markdown (Swedish)."""
    vocabulary = codebook.checkbox_vocabulary()
    yes = ", ".join(f"`{s}`" for s, v in vocabulary.items() if v and s)
    no = ", ".join(f"`{s}`" for s, v in vocabulary.items() if not v and s)
    lines = [
        "# Blanketterna {#sec-blanketter}",
        "",
        "Projekten redovisade på blanketter som länsstyrelserna sammanställde i en arbetsbok per "
        "län (bladen Projekt, Medel och Länsstyrelsen) eller som motsvarande CSV-filer. Här "
        "visas varje fråga med de fält som svaret läses in i, fältets typ och de värden som "
        "godtas. Tabellerna skapas ur projektets kodbok, samma kodbok som inläsningen "
        "använder; vilket fält i de bearbetade tabellerna varje rubrik blir står i bilagan Om "
        "beräkningen (@sec-om-berakningen). Ett värde som inte godtas avvisas med en "
        "förklaring och redovisas i kapitlet om datakvalitet; det gissas aldrig.",
        "",
        f"**Kryssrutor.** Som ikryssad räknas {yes}. Som inte ikryssad räknas en tom cell och "
        f"{no} (stora och små bokstäver godtas lika).",
        "",
        "**Obligatoriska fält.** En rad som saknar ett obligatoriskt fält avvisas; en fil som "
        "saknar kolumnen avvisas i sin helhet.",
        "",
    ]
    sections = form_questions()
    for form, title in (*FORMS.items(), (OTHER, OTHER)):
        rows = sections[form]
        if not rows:
            continue
        sheet_names = sorted({f.sheet for _, f in rows})
        lines += [f"## {title} {{.unlisted}}", "", f"Blad: {', '.join(sheet_names)}.", ""]
        lines += [
            "| Fråga | Rubrik | Typ | Obligatoriskt | Godkända värden |",
            "|---|---|---|---|---|",
        ]
        for question, f in rows:
            label = _cell(_question_label(question))
            lines.append(
                "| " + " | ".join([
                    _cell(label), _cell(f.label), TYPES.get(f.type, f.type),
                    "ja" if f.required else "nej", _cell(_accepted(f)),
                ]) + " |"
            )
        key = form if form in FORMS else "ovrigt"
        lines += ["", f": {title} {{#tbl-blankett-{key}}}", "",
                  sources.source(f"tbl-blankett-{key}", {}).line, ""]
    return "\n".join(lines)


def write_forms_appendix(path: Path | str | None = None) -> Path:
    """Write :func:`forms_markdown` atomically to ``path`` (default
    ``report/_generated/blanketter.md``) and return the path."""
    from samverkan.io import write_text
    from samverkan.paths import generated_dir

    target = Path(path) if path is not None else generated_dir() / "blanketter.md"
    return write_text(target, forms_markdown())
