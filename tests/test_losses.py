"""What a run leaves out, per county, read from the clean stage's own records."""

from __future__ import annotations

from pathlib import Path

from samverkan.pipeline.losses import losses, losses_text


def _write(path: Path, header: str, *rows: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\ufeff" + "\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")


def test_a_file_rejected_whole_and_a_rejected_row(tmp_path: Path) -> None:
    r = tmp_path / "2011"
    _write(r / "ledger.csv",
           '"file";"sheet";"lan_code";"status";"rows_read";"rows_rejected";"message"',
           '"03-uppsala-projekt.csv";"Projekt";"03";"file_rejected";0;0;"filen är tom"',
           '"05-ostergotland.xlsx";"Projekt";"05";"rows_rejected";4;1;',
           '"05-ostergotland.xlsx";"Medel";"05";"ok";3;0;')
    _write(r / "rejects.csv", '"file";"sheet";"row";"column";"value";"reason";"check"',
           '"03-uppsala-projekt.csv";"Projekt";;;;"filen är tom";"file_empty"',
           '"05-ostergotland.xlsx";"Projekt";7;"granted_sek";"ca 139\u00a0000 kr";'
           '"”ca 139\u00a0000 kr” är inget belopp i kronor";"amount_format"',
           '"05-ostergotland.xlsx";"Projekt";7;"granted_year";"tjugohundranio";'
           '"”tjugohundranio” är inget årtal";"year_format"')
    _write(r / "board.csv", '"report_round";"lan_code";"reported_granted_sek"',
           '2011;"03";746466', '2011;"05";1000000')
    _write(r / "projects.csv", '"report_round";"lan_code";"granted_sek"',
           '2011;"05";300000', '2011;"05";561000')
    _write(tmp_path / "2010" / "ledger.csv", '"file";"sheet";"lan_code";"status"')
    found = losses(2011, tmp_path)
    assert [(x.lan_code, x.projects, x.kronor) for x in found] == [("03", 0, 746466),
                                                                  ("05", 1, 139000)]
    assert found[0].files == ["03-uppsala-projekt.csv (Projekt)"]
    assert found[0].reasons == ["03-uppsala-projekt.csv: filen är tom"], "said once"
    assert found[1].rows == 1 and len(found[1].reasons) == 2
    text = losses_text(found)
    assert text.startswith("AVVISAT: 1 rad och 1 fil i länens inlämningar")
    assert ("2011 05 Östergötlands län: 1 avvisade; riket saknar 1 projekt, 139\u00a0000\u00a0kr "
            "av länets redovisade beviljade medel") in text
    assert "05-ostergotland.xlsx, rad 7, granted_sek: ”ca 139\u00a0000 kr” är inget belopp" in text
    assert "hela filen 03-uppsala-projekt.csv (Projekt)" in text


def test_nothing_rejected_says_nothing(tmp_path: Path) -> None:
    _write(tmp_path / "2011" / "ledger.csv", '"file";"sheet";"lan_code";"status"',
           '"01-stockholm.xlsx";"Projekt";"01";"ok"')
    assert losses(2011, tmp_path) == [] and losses_text([]) == ""
