"""What a county report's national comparisons rest on: which counties' submissions, computed
in which run. A county report must not claim more than that: after a run in which a county's
file was rejected whole, "all 21 counties" would be false.

The counties are those with at least one accepted project in the round's processed projects;
the run is the one that wrote the round's county slices (``counties_<round>`` in the runner's
record, ``report/_generated/.manifest.json``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from samverkan import registry
from samverkan.paths import project_root


def included_counties(report_round: int, root: Path | None = None) -> list[str]:
    """The county codes with an accepted project in ``data/processed/<round>/projects.csv``."""
    path = (root or project_root()) / "data" / "processed" / str(report_round) / "projects.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sorted({row["lan_code"] for row in csv.DictReader(handle, delimiter=";")
                       if row.get("lan_code")})


def made_by(report_round: int, root: Path | None = None) -> str:
    """When the run that computed the round's county slices finished them (``""`` when the
    runner has no record of it)."""
    path = (root or project_root()) / "report" / "_generated" / ".manifest.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("entries", {})
    except (OSError, ValueError, AttributeError):
        return ""
    return str((entries.get(f"counties_{report_round}") or {}).get("finished", ""))


def basis_text(report_round: int, root: Path | None = None) -> str:
    """``inlämningarna från alla 21 län`` or ``inlämningarna från 19 av 21 län (Uppsala läns
    och Gotlands läns saknas)``, then the run that computed them."""
    every = registry.county_codes()
    have = [c for c in included_counties(report_round, root) if c in every]
    missing = [registry.county_name(c) for c in every if c not in have]
    if not missing:
        text = f"inlämningarna från alla {len(every)} län"
    else:
        shown = ", ".join(missing[:-1]) + (" och " if len(missing) > 1 else "") + missing[-1]
        text = (f"inlämningarna från {len(have)} av {len(every)} län (underlag saknas från "
                f"{shown})")
    stamp = made_by(report_round, root)
    return f"{text}, beräknade i körningen {stamp}" if stamp else text
