"""What the notebooks read, checked against the runner's record first.

A notebook never builds data. It reads the files earlier stages wrote, after checking that the
runner recorded them and that nothing behind them changed since
(``report/_generated/.manifest.json``): not the files the stage read, and not the files *those*
were computed from, back to the raw submissions, the coding sheet, the reference figures and the
code. Otherwise it stops with one short Swedish message that names what is missing or changed
and the command that brings it up to date (no traceback: :class:`ArtefactError` renders as its
message in JupyterLab and under papermill alike). In JupyterLab, after correcting a submission:
run ``python -m samverkan run``, then *Restart kernel and run all*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from samverkan.paths import project_root
from samverkan.pipeline import cache, stages
from samverkan.rounds import ROUNDS

if TYPE_CHECKING:
    from samverkan.intake.outputs import Processed
    from samverkan.results.county import CountyReport

RUN_COMMAND = "python -m samverkan run"


class ArtefactError(RuntimeError):
    """What a notebook cannot read, said in one message: IPython shows the message alone
    (``_render_traceback_``), not a traceback through this package."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[31m{type(self).__name__}\x1b[0m: {self}"]


class StaleArtefactError(ArtefactError):
    """An artefact a notebook reads is missing, or out of date with what it was made from."""


class UnknownRoundError(ArtefactError, ValueError):
    """A notebook's ``report_round`` parameter is no report round."""


def check_round(report_round: Any) -> int:
    """``report_round`` when it is a round; :class:`UnknownRoundError` naming the rounds."""
    if report_round not in ROUNDS:
        shown = " och ".join(str(r) for r in ROUNDS)
        raise UnknownRoundError(
            f"Det finns ingen redovisningsomgång {report_round!s}: omgångarna är {shown}. Ändra "
            "parametern report_round.")
    return int(report_round)


def _manifest() -> cache.Manifest:
    from samverkan.pipeline.runner import manifest_path

    return cache.Manifest.load(manifest_path())


def _writers(entries: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each recorded stage → the declared outputs it writes."""
    return {name: tuple(entry.get("declared", ())) for name, entry in entries.items()
            if not name.startswith("_") and isinstance(entry, dict)}


def chain(names: tuple[str, ...], entries: dict[str, Any]) -> list[str]:
    """``names`` and every recorded stage behind them (the stages that wrote a file they read,
    and so on), each once, the named ones first."""
    writers = _writers(entries)
    out: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop(0)
        if name in out:
            continue
        out.append(name)
        for rel in (entries.get(name) or {}).get("inputs", {}):
            todo += [w for w, declared in writers.items()
                     if w not in out and w != name and stages.under(rel, declared)]
    return out


def _short(paths: list[str]) -> str:
    return ", ".join(paths[:3]) + (f" och {len(paths) - 3} till" if len(paths) > 3 else "")


def require_current(*names: str) -> None:
    """Raise :class:`StaleArtefactError` unless every named stage, and every stage behind it,
    was run by the runner and its recorded inputs and outputs are the files on disk now."""
    root = project_root()
    entries = _manifest().entries
    digests: dict[str, str] = {}

    def digest(rel: str) -> str:
        if rel not in digests:
            digests[rel] = stages.input_digest(root, rel)
        return digests[rel]

    for name in chain(names, entries):
        entry = entries.get(name) or {}
        if not entry.get("outputs"):
            raise StaleArtefactError(
                f"Steget {name} har inte körts (eller blev inte klart) i {root}. Kör "
                f"`{RUN_COMMAND}` först.")
        for rel, recorded in entry["outputs"].items():
            path = root / rel
            if not path.is_file() or cache.file_digest(path) != recorded:
                what = "saknas" if not path.is_file() else "har ändrats efter körningen"
                raise StaleArtefactError(
                    f"{rel} {what} (steget {name} skrev den). Kör `{RUN_COMMAND}` så skrivs "
                    "den på nytt, och kör sedan anteckningsboken igen.")
        recorded = entry.get("inputs", {})
        now = cache.expand(entry.get("patterns", []), root, stages.ignored)
        current = {p.relative_to(root).as_posix() for p in now}
        changed = sorted(
            (set(recorded) ^ current)
            | {rel for rel in current & set(recorded) if digest(rel) != recorded[rel]}
        )
        changed = [rel for rel in changed if not stages.under(rel, entry.get("declared", ()))]
        if changed:
            raise StaleArtefactError(
                f"Underlaget är inaktuellt: {_short(changed)} har ändrats sedan steget {name} "
                f"kördes. Kör `{RUN_COMMAND}` och kör sedan anteckningsboken igen "
                "(Restart kernel and run all).")


def processed_rounds(report_round: int) -> tuple[Processed, Processed]:
    """The round's processed tables and the round before's (empty before the first round),
    after checking they are current."""
    from samverkan.intake.outputs import load_processed

    check_round(report_round)
    require_current(*(f"clean_{r}" for r in ROUNDS if r <= report_round))
    return load_processed(report_round), load_processed(report_round - 1)


def exported_files(report_round: int) -> tuple[list[str], list[str]]:
    """The round's exported tables and figures (file names), after checking they are current."""
    check_round(report_round)
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
    check_round(report_round)
    require_current(f"counties_{report_round}")
    return county.read_slice(code, report_round)

