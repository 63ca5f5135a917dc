"""What the notebooks read, checked against the runner's record first.

A notebook never builds data. It reads the files earlier stages wrote, after checking that the
runner recorded them and that neither they nor the files they were computed from changed since
(``report/_generated/.manifest.json``); otherwise it stops with a message that names what is
missing or changed and the command that brings it up to date. In JupyterLab, after correcting a
submission: run ``python -m samverkan run``, then *Restart kernel and run all*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from samverkan.paths import project_root
from samverkan.pipeline import cache, stages
from samverkan.rounds import ROUNDS

if TYPE_CHECKING:
    from samverkan.intake.outputs import Processed
    from samverkan.results.county import CountyReport

RUN_COMMAND = "python -m samverkan run"


class StaleArtefactError(RuntimeError):
    """An artefact a notebook reads is missing, or out of date with its inputs."""


def _manifest() -> cache.Manifest:
    from samverkan.pipeline.runner import manifest_path

    return cache.Manifest.load(manifest_path())



def require_current(*names: str) -> None:
    """Raise :class:`StaleArtefactError` unless every named stage was run by the runner and its
    recorded inputs and outputs are the files on disk now."""
    root = project_root()
    manifest = _manifest()
    for name in names:
        entry = manifest.get(name)
        if not entry.get("outputs"):
            raise StaleArtefactError(
                f"stage {name} has not been run (or did not finish) in {root}: run "
                f"`{RUN_COMMAND}` first."
            )
        for rel, digest in entry["outputs"].items():
            path = root / rel
            if not path.is_file() or cache.file_digest(path) != digest:
                what = "is missing" if not path.is_file() else "was changed after the run"
                raise StaleArtefactError(f"{rel} {what} (written by stage {name}): run "
                                         f"`{RUN_COMMAND}` to write it again.")
        recorded = entry.get("inputs", {})
        now = cache.expand(entry.get("patterns", []), root, stages.ignored)
        current = {p.relative_to(root).as_posix() for p in now}
        changed = sorted(
            (set(recorded) ^ current)
            | {rel for rel in current & set(recorded)
               if cache.file_digest(root / rel) != recorded[rel]}
        )
        changed = [rel for rel in changed if not stages.under(rel, entry.get("declared", ()))]
        if changed:
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more"
                                              if len(changed) > 3 else "")
            raise StaleArtefactError(
                f"the output of stage {name} is out of date: {shown} changed since it ran. "
                f"Run `{RUN_COMMAND}` to bring it up to date."
            )


def processed_rounds(report_round: int) -> tuple[Processed, Processed]:
    """The round's processed tables and the round before's (empty before the first round),
    after checking they are current."""
    from samverkan.intake.outputs import load_processed

    if report_round not in ROUNDS:
        raise ValueError(f"No report round {report_round}: rounds are {ROUNDS}.")
    require_current(*(f"clean_{r}" for r in ROUNDS if r <= report_round))
    return load_processed(report_round), load_processed(report_round - 1)


def exported_files(report_round: int) -> tuple[list[str], list[str]]:
    """The round's exported tables and figures (file names), after checking they are current."""
    require_current(f"results_{report_round}")
    root = project_root()
    tables = sorted(p.name for p in cache.tree_files(root / stages.tables_dir(report_round)))
    figures = sorted(p.name for p in cache.tree_files(root / stages.figures_dir(report_round)))
    return tables, figures


def county_report(lan_code: str, report_round: int) -> CountyReport:
    """One county's profile from its slice (written by the ``counties_<round>`` stage)."""
    from samverkan.registry import county_code
    from samverkan.results import county

    code = county_code(lan_code)  # an unknown or path-like value is refused first
    require_current(f"counties_{report_round}")
    return county.read_slice(code, report_round)
