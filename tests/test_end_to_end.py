"""End to end: ``python -m samverkan run`` on a fresh copy of the project, as the README's main
command runs it, then what a reader and an auditor get: every stage ran, the book is complete,
every published figure the report states consistently is recomputed exactly (the readings of
tests/readings.py aside, each explained in the audit chapter), no contact data anywhere in the
outputs, and the HTML works in a real browser."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from browser import browser_problems
from pdftext import pdf_text, pdf_text_problems
from privacy import leaks, raw_contacts
from readings import GENERATOR_DEVIATIONS, NOT_RECOMPUTABLE

from samverkan.audit import compare, stage
from samverkan.book import chapters as book
from samverkan.io import read_csv
from samverkan.paths import project_root
from samverkan.pipeline import bench
from samverkan.reference import published

ROOT = project_root()


def _command(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "samverkan", *args], cwd=root,
                          env=bench._env(root), capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = bench.copy_project(tmp_path_factory.mktemp("fresh") / "project", ROOT)
    return root, _command(root, "run", "--jobs", "2")


def test_the_run_succeeds_and_every_stage_ran(project):
    root, done = project
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    stages = len(book.chapters(root)) + 1  # every notebook chapter, the markdown, the render
    counted = re.search(r"^(\d+) ran$", done.stdout, re.MULTILINE)
    assert counted, done.stdout[-2000:]
    assert int(counted.group(1)) >= 21 + 6 + 2
    assert int(counted.group(1)) <= stages
    assert "failed" not in done.stdout.split("\n")[-3:]


def test_the_book_is_complete(project):
    root, _ = project
    checked = _command(root, "check")
    assert checked.returncode == 0, checked.stderr
    out = book.output_dir(root)
    name = book.output_name(root)
    assert (out / f"{name}.html").stat().st_size > 100_000
    pages = subprocess.run(["pdfinfo", str(out / f"{name}.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) > 40


def test_every_consistently_stated_figure_is_recomputed(project):
    root, _ = project
    result = read_csv(root / "data/processed/2011/audit.csv")
    reference = published()
    assert set(result["key"]) == set(reference["key"])
    status = result.set_index("key")["status"]
    measure = reference.set_index("key")["measure"]
    assert set(status[status == "differs"].index) == set(GENERATOR_DEVIATIONS)
    missing = status[status == "not_recomputable"].index
    assert set(measure[missing]) <= NOT_RECOMPUTABLE
    assert (status == "match").sum() == len(reference) - len(missing) - len(GENERATOR_DEVIATIONS)
    result["recomputed"] = pd.to_numeric(result["recomputed"].str.replace(",", "."),
                                         errors="coerce")
    explained = compare.explain_differences(result, reference, stage.weighed_findings(reference))
    assert explained["explained"].all(), explained.loc[~explained["explained"], "explanation"]
    findings = read_csv(root / "data/processed/2011/consistency.csv")
    assert len(findings) >= 5 and {"source", "rule", "expected", "stated",
                                   "difference"} <= set(findings.columns)


def _texts(root: Path) -> dict[str, str]:
    """Everything the pipeline wrote, as text: processed data, executed notebooks, the book."""
    texts: dict[str, str] = {}
    for path in sorted((root / "data" / "processed").rglob("*")):
        name = str(path.relative_to(root))
        if path.suffix in {".csv", ".json", ".svg"}:
            texts[name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".parquet":
            texts[name] = pd.read_parquet(path).to_csv(index=False)
        elif path.suffix == ".xlsx":
            sheets = openpyxl.load_workbook(path, read_only=True).worksheets
            texts[name] = json.dumps([list(r) for ws in sheets for r in
                                      ws.iter_rows(values_only=True)], default=str,
                                     ensure_ascii=False)
    for path in sorted((root / "report" / "_generated").glob("*")):
        if path.suffix in {".ipynb", ".md"}:
            texts[str(path.relative_to(root))] = path.read_text(encoding="utf-8")
    out = book.output_dir(root)
    html = out / f"{book.output_name(root)}.html"
    texts[str(html.relative_to(root))] = html.read_text(encoding="utf-8")
    pdf = out / f"{book.output_name(root)}.pdf"
    texts[str(pdf.relative_to(root))] = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return texts


def test_no_personal_data_in_any_output(project):
    root, _ = project
    contacts = raw_contacts(root / "data" / "raw")
    assert len(contacts) > 100, "the raw files carry contact data to look for"
    texts = _texts(root)
    assert any(n.endswith(".pdf") for n in texts) and any(n.endswith(".html") for n in texts)
    assert len(texts) > 40
    found = {name: leaks(text, contacts) for name, text in texts.items()}
    assert {name: hits[:5] for name, hits in found.items() if hits} == {}


def test_the_book_works_in_a_real_browser(project):
    root, _ = project
    html = book.output_dir(root) / f"{book.output_name(root)}.html"
    assert browser_problems(html) == []


def test_the_printed_book_reads_cleanly(project):
    """No hyphen inside a county name or a submission's file name, no missing population, no
    snake_case field name outside the technical appendix."""
    root, _ = project
    pdf = book.output_dir(root) / f"{book.output_name(root)}.pdf"
    files = {p.name for p in (root / "data" / "raw").glob("*/*") if p.is_file()}
    assert pdf_text_problems(pdf_text(pdf), files) == []
