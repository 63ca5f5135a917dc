"""The submission codebook: form questions → canonical fields, header spellings, vocabularies,
and the keyword taxonomy for free text. The data lives in ``codebook.yaml`` beside this file."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

SHEETS = ("Projekt", "Medel", "Länsstyrelsen")


@dataclass(frozen=True)
class Field:
    """One canonical column of one sheet."""

    name: str
    sheet: str
    label: str
    question: str
    type: str
    required: bool
    rounds: tuple[int, ...]
    headers: tuple[str, ...]
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    personal: bool = False


@dataclass(frozen=True)
class Keyword:
    """A free-text flag of the taxonomy (a sub-count of the report)."""

    name: str
    label: str
    parent: str
    fields: tuple[str, ...]
    patterns: tuple[str, ...]

    @property
    def regex(self) -> re.Pattern[str]:
        """Case-insensitive alternation of the patterns, each anchored at a word start."""
        alternatives = "|".join(re.escape(p) for p in self.patterns)
        return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


@cache
def raw_codebook() -> dict[str, Any]:
    """The parsed YAML, as written."""
    text = resources.files("samverkan").joinpath("codebook.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def header_key(text: object) -> str:
    """Normalise a header for matching: lower case, no accents folded away (å ä ö kept), no
    punctuation or whitespace differences, no trailing "(kr)"."""
    s = unicodedata.normalize("NFC", str(text)).replace("\xa0", " ").strip().lower()
    s = re.sub(r"\(kr\)|\bkr\b|:$", "", s)
    return re.sub(r"[^0-9a-zåäöéü]+", "", s)


@cache
def fields(sheet: str | None = None, report_round: int | None = None) -> tuple[Field, ...]:
    """Every field, or those of one sheet and/or one round, in form order."""
    out = []
    for raw in raw_codebook()["fields"]:
        f = Field(
            name=raw["name"],
            sheet=raw["sheet"],
            label=raw["label"],
            question=raw["question"],
            type=raw["type"],
            required=bool(raw.get("required", False)),
            rounds=tuple(raw["rounds"]),
            headers=tuple(raw["headers"]),
            values={k: tuple(str(x) for x in v) for k, v in (raw.get("values") or {}).items()},
            personal=bool(raw.get("personal", False)),
        )
        if sheet is not None and f.sheet != sheet:
            continue
        if report_round is not None and report_round not in f.rounds:
            continue
        out.append(f)
    return tuple(out)


def field_by_name(sheet: str, name: str) -> Field:
    for f in fields(sheet):
        if f.name == name:
            return f
    raise KeyError(f"{sheet}.{name} is not in the codebook")


@cache
def header_index(sheet: str) -> dict[str, str]:
    """Normalised header spelling → canonical field name, for one sheet."""
    index: dict[str, str] = {}
    for f in fields(sheet):
        for spelling in (f.name, f.label, *f.headers):
            key = header_key(spelling)
            if index.get(key, f.name) != f.name:
                raise ValueError(f"codebook: header {spelling!r} maps to two fields of {sheet}")
            index[key] = f.name
    return index


def canonical_header(sheet: str, header: object) -> str | None:
    """The canonical field a raw header means, or None when the codebook does not know it."""
    return header_index(sheet).get(header_key(header))


def personal_fields() -> frozenset[str]:
    """Names of the fields that carry personal data (dropped at ingest)."""
    return frozenset(f.name for f in fields() if f.personal)


@cache
def sheet_names(sheet: str) -> tuple[str, ...]:
    """Accepted spellings of a workbook sheet name."""
    return tuple(raw_codebook()["sheets"][sheet]["names"])


def sheet_rounds(sheet: str) -> tuple[int, ...]:
    return tuple(raw_codebook()["sheets"][sheet]["rounds"])


def csv_suffix(sheet: str) -> str:
    """File-name suffix of a sheet sent as CSV: ``<länskod>-<slug>-<suffix>.csv``."""
    return raw_codebook()["sheets"][sheet]["csv_suffix"]


@cache
def checkbox_vocabulary() -> dict[str, bool]:
    """Normalised checkbox spelling → value."""
    vocab: dict[str, bool] = {}
    for value in (True, False):
        for spelling in raw_codebook()["checkbox"][value]:
            vocab[str(spelling).strip().lower()] = value
    return vocab


def coding_fields() -> tuple[dict[str, Any], ...]:
    """The evaluator's coding sheet fields (name, label, values)."""
    return tuple(raw_codebook()["coding"]["fields"])


@cache
def taxonomy() -> tuple[Keyword, ...]:
    """The free-text keyword flags, in report order."""
    return tuple(
        Keyword(
            name=k["name"],
            label=k["label"],
            parent=k["parent"],
            fields=tuple(k["fields"]),
            patterns=tuple(k["patterns"]),
        )
        for k in raw_codebook()["taxonomy"]
    )
