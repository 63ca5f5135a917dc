"""A county report says which counties its national comparisons include and which run made
them; after a run in which a county's submission was lost it does not say "all 21"."""

from __future__ import annotations

import json
from pathlib import Path

from samverkan import registry
from samverkan.book import basis, county_docs


def _project(tmp_path: Path, counties: list[str], finished: str | None) -> Path:
    folder = tmp_path / "data" / "processed" / "2011"
    folder.mkdir(parents=True)
    rows = "".join(f'2011;"{c}";"d-{c}"\r\n' for c in counties)
    (folder / "projects.csv").write_text('"report_round";"lan_code";"diarienummer"\r\n' + rows,
                                         encoding="utf-8-sig")
    if finished is not None:
        generated = tmp_path / "report" / "_generated"
        generated.mkdir(parents=True)
        entries = {"counties_2011": {"finished": finished, "outputs": {}}}
        (generated / ".manifest.json").write_text(json.dumps({"version": 1, "entries": entries}),
                                                  encoding="utf-8")
    return tmp_path


def test_all_counties_and_the_run_that_made_the_comparisons(tmp_path: Path) -> None:
    every = list(registry.county_codes())
    root = _project(tmp_path, every, "2026-12-07 18:20")
    assert len(every) == 21
    assert basis.basis_text(2011, root) == (
        "inlämningarna från alla 21 län, beräknade i körningen 2026-12-07 18:20")


def test_a_county_without_accepted_projects_is_named_as_missing(tmp_path: Path) -> None:
    every = list(registry.county_codes())
    root = _project(tmp_path, [c for c in every if c not in ("03", "09")], None)
    text = basis.basis_text(2011, root)
    assert text == ("inlämningarna från 19 av 21 län (underlag saknas från Uppsala län och "
                    "Gotlands län)")
    intro = county_docs.intro_markdown("01", 2011, county_docs.OWN, "Rapport", "abc123",
                                       basis=text)
    method = county_docs.method_markdown("01", 2011, "Rapport", text)
    for page in (intro, method):
        assert "19 av 21 län" in page and "alla 21" not in page
        assert "samma körning" not in page
