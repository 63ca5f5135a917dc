"""Count the reconstruction-only marks (ᴿ) per chapter of a rendered HTML book or county report
(:func:`samverkan.book.mark_count.marks_per_chapter`), for a closing note or a review:

    .venv/bin/python scripts/count_marks.py _book/rapport.html _book/lan/08-kalmar.html

Prints one tab-separated line per chapter (file, chapter, marked figures in the text, marked
cells of the tables, tables and charts whose source line carries the mark, other marks such as
an example's label) and a total per file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from samverkan.book.mark_count import marks_per_chapter

KINDS = ("figures", "cells", "tables", "labels")


def main(paths: list[str]) -> int:
    print("\t".join(("file", "chapter", *KINDS)))
    for name in paths:
        counts = marks_per_chapter(Path(name).read_text(encoding="utf-8"))
        for chapter, found in counts.items():
            print("\t".join((Path(name).name, chapter, *(str(found[k]) for k in KINDS))))
        print("\t".join((Path(name).name, "totalt",
                         *(str(sum(c[k] for c in counts.values())) for k in KINDS))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["_book/rapport.html"]))
