"""Refresh the nbval baseline: execute every notebook in notebooks/ in place with its default
parameters, then strip the volatile metadata papermill adds (timings), so that
``git diff notebooks/`` shows only outputs that moved.

Run through ``make baseline`` after an intended change, read the diff, commit it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import papermill

from samverkan.io import write_text
from samverkan.paths import project_root

VOLATILE_KEYS = ("papermill", "execution")


def _strip_volatile(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"].pop("papermill", None)
    for cell in nb["cells"]:
        for key in VOLATILE_KEYS:
            cell.get("metadata", {}).pop(key, None)
    write_text(path, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def main() -> int:
    root = project_root()
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    for nb in notebooks:
        print(f"baseline: executing {nb.relative_to(root)}", flush=True)
        tmp = nb.with_suffix(".tmp.ipynb")
        papermill.execute_notebook(
            str(nb), str(tmp), kernel_name="python3", cwd=str(root), progress_bar=False
        )
        tmp.replace(nb)
        _strip_volatile(nb)
    print(f"baseline: {len(notebooks)} notebooks refreshed; review with `git diff notebooks/`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
