"""``stipa export`` from a shell without a display, every format; one-sentence errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree, html
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtGui import QImage

from stipa import resource_path
from stipa.cli import main

EXAMPLE = resource_path("examples/wheel-brakes.stipa")


def _headless_env() -> dict[str, str]:
    """The environment of a shell on a server: no display, no Qt platform chosen."""
    env = {k: v for k, v in os.environ.items()}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def _stipa(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stipa", *args],
        cwd=cwd,
        env=_headless_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _check_docx(path: Path) -> None:
    document = docx.Document(str(path))
    assert len(document.tables) > 5 and len(document.inline_shapes) == 1


def _check_html(path: Path) -> None:
    page = html.parse(str(path)).getroot()
    assert page.xpath("//*[local-name()='svg']") and page.xpath("//table[@id='table-hazards']")


def _check_pdf(path: Path) -> None:
    assert "Wheel braking system" in " ".join(PdfReader(str(path)).pages[0].extract_text().split())


def _check_svg(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    assert len(root.xpath("//*[contains(@class, 'component ')]")) == 7


def _check_png(path: Path) -> None:
    assert not QImage(str(path)).isNull()


def _check_md(path: Path) -> None:
    assert "## 3 STPA tables" in path.read_text(encoding="utf-8")
    assert path.with_name("report-diagram.svg").exists()


def _check_csv(path: Path) -> None:
    assert path.with_name("report-hazards.csv").read_text(encoding="utf-8").startswith('"ID",')


def _check_xlsx(path: Path) -> None:
    assert "Hazards" in load_workbook(path).sheetnames


def _check_reqif(path: Path) -> None:
    assert etree.parse(str(path)).getroot().tag.endswith("REQ-IF")


CHECKS = {
    "report.docx": _check_docx,
    "report.html": _check_html,
    "report.pdf": _check_pdf,
    "report.svg": _check_svg,
    "report.png": _check_png,
    "report.md": _check_md,
    "report.csv": _check_csv,
    "report.xlsx": _check_xlsx,
    "report.reqif": _check_reqif,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CHECKS))
def test_every_format_from_a_shell_without_a_display(name: str, tmp_path: Path) -> None:
    result = _stipa("export", str(EXAMPLE), "-o", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote ")
    assert Path(name).stem in result.stdout  # report.csv writes report-<table>.csv files
    assert result.stderr == ""
    CHECKS[name](tmp_path / name)


def test_a_report_without_the_diagram_never_loads_qt(tmp_path: Path) -> None:
    script = (
        "import sys, json; from stipa.cli import main; "
        f"code = main(['export', {str(EXAMPLE)!r}, '-o', 'r.html', '--option', 'diagram=no']); "
        "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith('PySide6'))]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=_headless_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    code, qt = json.loads(result.stdout.splitlines()[-1])
    assert code == 0 and qt == []
    assert "<svg" not in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_format_option_folder_and_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tables"
    assert main(["export", str(EXAMPLE), "-o", f"{out}/"]) == 0
    assert (out / "hazards.csv").exists() and (out / "traceability.csv").exists()
    assert main(["export", str(EXAMPLE), "-o", str(tmp_path / "t.zip")]) == 0
    assert "hazards.csv" in zipfile.ZipFile(tmp_path / "t.zip").namelist()
    assert main(["export", str(EXAMPLE), "-o", str(tmp_path / "noext"), "--format", "reqif"]) == 0
    assert etree.parse(str(tmp_path / "noext")).getroot().tag.endswith("REQ-IF")
    page = tmp_path / "a3.pdf"
    code = main(
        ["export", str(EXAMPLE), "-o", str(page), "--option", "page=A3",
         "--option", "orientation=portrait", "--option", "title=Brakes, issue 2"]
    )  # fmt: skip
    assert code == 0
    first = PdfReader(str(page)).pages[0]
    assert round(float(first.mediabox.width)) == 842
    assert "Brakes, issue 2" in " ".join(first.extract_text().split())
    assert "Wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.txt"], "no format writes .txt files"),
        (["-o", "x"], "has no extension to tell the format"),
        (["-o", "x.png", "--format", "gif"], "--format gif: no such format"),
        (["-o", "x.png", "--option", "page=A4"], "--option page: the png format has no such"),
        (["-o", "x.png", "--option", "scale=huge"], "Option scale must be a number"),
        (["-o", "missing/x.pdf"], "the folder missing does not exist"),
        (["-o", "folder/"], "is a folder; give a file name"),
    ],
)
def test_usage_errors_are_one_sentence(
    args: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    if args[1] == "folder/":
        (tmp_path / "folder").mkdir()
        args = [*args, "--format", "pdf"]
    assert main(["export", str(EXAMPLE), *args]) == 2
    error = capsys.readouterr().err
    assert error.startswith("stipa: ") and message in error
    assert error.count("\n") == 1 and "Traceback" not in error
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []


def test_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path / "none.stipa"), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "no such file" in capsys.readouterr().err
    broken = tmp_path / "broken.stipa"
    broken.write_text("<stipa>", encoding="utf-8")
    assert main(["export", str(broken), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "broken.stipa" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
