"""`stipa import SRC -o OUT.stipa [--format F] [--report OUT.json]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_support import FIXTURES

import stipa
from stipa.cli import main


def test_import_writes_the_document_and_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, report = tmp_path / "tram.stipa", tmp_path / "report.json"
    code = main(["import", str(FIXTURES / "small.stpa"), "-o", str(out), "--report", str(report)])
    assert code == 0
    doc = stipa.load(out)
    assert len(doc.ucas) == 4
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["format"] == "pasta" and data["counts"]["losses"] == 2
    assert any(
        n["kind"] == "goal" and n["where"].endswith("small.stpa:3") for n in data["not_carried"]
    )
    assert "Not carried over" in capsys.readouterr().out


def test_a_malformed_file_gives_one_message_and_no_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.stpa"
    source.write_text('Losses\nL1 "a" [\n', encoding="utf-8")
    out = tmp_path / "bad.stipa"
    assert main(["import", str(source), "-o", str(out)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "bad.stpa:3:1:" in error[0]
    assert not out.exists()


def test_format_is_chosen_explicitly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "analysis.txt"
    source.write_text(
        (FIXTURES / "old-keywords.stpa").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "x.stipa"
    assert main(["import", str(source), "-o", str(out)]) == 2
    assert "No importer reads .txt" in capsys.readouterr().err
    assert main(["import", str(source), "-o", str(out), "--format", "pasta"]) == 0
