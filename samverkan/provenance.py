"""Which data the book was built from, per county: the reconstruction or the county's own files.

``python -m samverkan synth`` records what it wrote in ``data/raw/SYNTH_MANIFEST.json`` (the
SHA-256 of every submission file, per round, with the seed and scale). A county whose files in
``data/raw/<round>/`` are exactly the recorded ones still has the reconstruction; once a county
puts its own files there (or changes one), its hashes no longer match and it counts as the
county's own. Nothing here reads a file's content beyond hashing it, and nothing needs pandas.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from samverkan.io import write_text
from samverkan.paths import data_dir
from samverkan.registry import county_codes, county_name
from samverkan.rounds import ROUNDS

MANIFEST_NAME = "SYNTH_MANIFEST.json"
RECONSTRUCTED = "rekonstruerad"
OWN = "länets egna"
MISSING = "inga filer"
"""The sources a county's files can have in a round."""

_SUBMISSION = re.compile(r"^(?P<code>\d{2})-.+\.(xlsx|csv)$", re.IGNORECASE)
"""A submission file's name: it starts with the county code (as the cleaner reads it)."""


def raw_root() -> Path:
    """``data/raw/``: one folder per round, and the generator's record."""
    return data_dir() / "raw"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def submission_files(round_dir: Path) -> dict[str, list[Path]]:
    """County code → the submission files of one round's folder (sorted by name); files whose
    name does not start with a county code are not submissions of a county."""
    files: dict[str, list[Path]] = {}
    if round_dir.is_dir():
        for path in sorted(p for p in round_dir.rglob("*") if p.is_file()):
            match = _SUBMISSION.match(path.name)
            if match:
                files.setdefault(match["code"], []).append(path)
    return files


def manifest(rounds: dict[int, Iterable[Path]], raw: Path, seed: int, scale: int,
             assumptions: list[dict] | None = None) -> dict:
    """The generator's record of the files it wrote: per round, file name (relative to the
    round's folder) → SHA-256; with the seed and scale that made them, and the choices it made
    to reconcile the published figures (:mod:`samverkan.synth.assumptions`)."""
    return {
        "written_by": "python -m samverkan synth",
        "assumptions": assumptions or [],
        "seed": seed,
        "scale": scale,
        "rounds": {
            str(report_round): {p.relative_to(raw / str(report_round)).as_posix(): file_digest(p)
                                for p in sorted(paths)}
            for report_round, paths in sorted(rounds.items())
        },
    }


def write_manifest(rounds: dict[int, Iterable[Path]], raw: Path, seed: int, scale: int,
                   assumptions: list[dict] | None = None) -> Path:
    """Write :func:`manifest` to ``raw/SYNTH_MANIFEST.json`` atomically (stable bytes: the same
    files give the same record)."""
    record = manifest(rounds, raw, seed, scale, assumptions)
    return write_text(raw / MANIFEST_NAME, json.dumps(record, indent=1, sort_keys=True) + "\n")


def read_manifest(raw: Path | None = None) -> dict:
    """The generator's record, or an empty one when there is none (no reconstruction shipped)."""
    path = (raw or raw_root()) / MANIFEST_NAME
    if not path.is_file():
        return {"rounds": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def county_sources(report_round: int, raw: Path | None = None) -> dict[str, str]:
    """Every county's source in a round: :data:`RECONSTRUCTED` when its files are exactly the
    ones the generator wrote (same names, same bytes), :data:`OWN` when any of them differs
    or is not in the record (a county that replaced one file of several has its own data in
    the book), :data:`MISSING` when it has no file in ``data/raw/<round>/``."""
    raw = raw or raw_root()
    recorded = read_manifest(raw)["rounds"].get(str(report_round), {})
    round_dir = raw / str(report_round)
    files = submission_files(round_dir)
    sources = {}
    for lan_code in county_codes():
        own = files.get(lan_code, [])
        if not own:
            sources[lan_code] = MISSING
            continue
        generated = {name for name in recorded if _SUBMISSION.match(Path(name).name)
                     and Path(name).name[:2] == lan_code}
        names = {p.relative_to(round_dir).as_posix() for p in own}
        same = names == generated and all(recorded[p.relative_to(round_dir).as_posix()]
                                          == file_digest(p) for p in own)
        sources[lan_code] = RECONSTRUCTED if same else OWN
    return sources


def round_sources(report_round: int, raw: Path | None = None) -> dict[int, dict[str, str]]:
    """:func:`county_sources` of every round up to ``report_round``: the book of the final
    report shows the partial report's figures too, and a county's figure of a round is its
    own only when its files of that round are (a county that replaced only its 2011 files
    still has the reconstruction's figures for 2010)."""
    return {r: county_sources(r, raw) for r in ROUNDS if r <= report_round}


def cover_sentence(sources: dict[str, str]) -> str:
    """One Swedish sentence for the book's cover on whose files the book is built from."""
    by_source: dict[str, list[str]] = {}
    for lan_code, source in sources.items():
        by_source.setdefault(source, []).append(county_name(lan_code, form="short"))
    total = len(sources)
    if by_source.keys() == {RECONSTRUCTED}:
        return f"Alla {total} läns filer är det rekonstruerade underlaget."
    if by_source.keys() == {OWN}:
        return f"Alla {total} län har lämnat egna filer."
    parts = []
    if by_source.get(OWN):
        parts.append(f"Egna filer från {len(by_source[OWN])} av {total} län: "
                     f"{', '.join(by_source[OWN])}.")
    if by_source.get(RECONSTRUCTED):
        parts.append(f"Rekonstruerat underlag för {len(by_source[RECONSTRUCTED])} län: "
                     f"{', '.join(by_source[RECONSTRUCTED])}.")
    if by_source.get(MISSING):
        parts.append(f"Inga filer från {', '.join(by_source[MISSING])}.")
    return " ".join(parts)


def county_sentence(lan_code: str, report_round: int, raw: Path | None = None,
                    sources: dict[str, str] | None = None) -> str:
    """One Swedish sentence for a county profile: whether the county's files in the round are
    the reconstruction or the county's own (``sources``: the round's :func:`county_sources`,
    read from ``raw`` when not given)."""
    source = (sources if sources is not None else county_sources(report_round, raw))[lan_code]
    name = county_name(lan_code)
    where = f"i redovisningsomgång {report_round}"  # the folder is named in Om beräkningen
    if source == RECONSTRUCTED:
        return (f"Filerna för {name} {where} är det rekonstruerade underlaget som "
                "generatorn skrev, inte länsstyrelsens egen inlämning: projekten i profilen "
                "motsvarar inga verkliga projekt.")
    if source == OWN:
        return (f"Filerna för {name} {where} är länsstyrelsens egna: de skiljer sig från "
                "det rekonstruerade underlag som generatorn skrev.")
    return f"Det finns inga filer för {name} {where}."


def notice_text(sources: dict[str, str]) -> str | None:
    """The reconstruction notice (one Swedish sentence or two, plain text) shown on the cover,
    at the top of the HTML and at the foot of every PDF page while any county in ``sources``
    still has the reconstruction; ``None`` once every county's files are its own (or missing).
    It says what is real (the published county figures and the report's text) and what is
    invented (the projects, their answers and the county boards' answers)."""
    reconstructed = [c for c, s in sources.items() if s == RECONSTRUCTED]
    if not reconstructed:
        return None
    own = [county_name(c, form="short") for c, s in sources.items() if s == OWN]
    where = ("alla län" if len(reconstructed) == len(sources) else
             f"{len(reconstructed)} av {len(sources)} län")
    text = (f"Rekonstruerat underlag för {where}: verkliga är länens fördelade medel och antal "
            "projekt som Rapport 2011:39 publicerar och rapportens text; projekten, deras svar "
            "och länsstyrelsernas svar är påhittade av en generator och beskriver inga "
            "verkliga projekt.")
    if own:
        text += f" Egna filer från {', '.join(own)}."
    return text


def county_notice(lan_code: str, sources: dict[str, str]) -> str | None:
    """The notice of one county's own report: ``None`` when the county's files are its own."""
    if sources.get(lan_code) != RECONSTRUCTED:
        return None
    return (f"Rekonstruerat underlag för {county_name(lan_code)}: verkliga är länets fördelade "
            "medel och antal projekt som Rapport 2011:39 publicerar; projekten, deras svar och "
            "länsstyrelsens svar är påhittade av en generator och beskriver inga verkliga "
            "projekt.")
