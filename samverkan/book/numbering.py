"""The book's numbering scheme and Swedish labels: the one home of both, for the embedded
renderer's Lua filters (passed as metadata), the per-county documents and the Quarto contract.

The scheme is what a Quarto book does (and what Quarto's typst book template, orange-book,
does too): chapters 1, 2, …; appendices A, B, …; sections, figures and tables numbered within
their chapter, prefixed with the chapter's number or letter: section 4.1, "Tabell 4.2",
"Figur H.1". Unnumbered chapters (``{.unnumbered}``, the preface) number nothing.

Quarto takes the same words from ``lang: sv`` (its ``_language-sv.yml``: crossref-fig-title
"Figur", crossref-tbl-title "Tabell", crossref-ch-prefix "Kapitel", crossref-apx-prefix
"Bilaga", crossref-sec-prefix "Avsnitt", section-title-appendices "Bilagor"); ``_quarto.yml``
sets ``toc-title`` and the typst template's chapter word explicitly (see
``samverkan.book.contract``, which checks that they agree with this module).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

FIGURE = "Figur"
TABLE = "Tabell"
CHAPTER = "Kapitel"
APPENDIX = "Bilaga"
PART = "Del"
"""A part of the book (Quarto's typst book template names parts; the book has none yet)."""
SECTION = "Avsnitt"
APPENDICES = "Bilagor"
CONTENTS = "Innehåll"


@dataclass(frozen=True)
class Scheme:
    """How headings, figures and tables are numbered and named."""

    chapters: bool = True
    """True: figures and tables are numbered per chapter ("Figur 4.2", "Tabell H.1"), as in a
    Quarto book. False: one sequence through the document ("Figur 1", "Figur 2"), for a
    document that is not a book (Quarto's ``crossref: chapters: false``)."""
    figure: str = FIGURE
    table: str = TABLE
    chapter: str = CHAPTER
    appendix: str = APPENDIX
    section: str = SECTION
    appendices: str = APPENDICES
    contents: str = CONTENTS

    def metadata(self) -> dict[str, object]:
        """The scheme as pandoc metadata (``samverkan-numbering``) for ``crossref.lua`` and
        ``quarto.lua``."""
        return {"samverkan-numbering": asdict(self)}


BOOK = Scheme()
"""The national book."""

