"""Every export writes its file as Save does: through links, keeping modes, minding the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from export_samples import sample_document

from stipa.export import writers
from stipa.model import Snapshot

Writer = Callable[[Snapshot, Path, Mapping[str, str]], None]

#: format -> (writer, file name); every single-file format of stipa.export.writers
FORMATS: dict[str, tuple[Writer, str]] = {
    "svg": (writers.write_svg, "out.svg"),
    "png": (writers.write_png, "out.png"),
    "pdf": (writers.write_pdf, "out.pdf"),
    "html": (writers.write_html, "out.html"),
    "markdown": (writers.write_markdown, "out.md"),
    "docx": (writers.write_docx, "out.docx"),
    "xlsx": (writers.write_xlsx, "out.xlsx"),
    "csv": (writers.write_csv, "out.zip"),
    "reqif": (writers.write_reqif, "out.reqif"),
}


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return sample_document().snapshot()


def test_every_writer_is_covered() -> None:
    assert set(FORMATS) == {
        name.removeprefix("write_") for name in writers.__all__ if name.startswith("write_")
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_keeps_the_mode_of_an_existing_file(
    fmt: str, snapshot: Snapshot, tmp_path: Path
) -> None:
    write, name = FORMATS[fmt]
    path = tmp_path / name
    path.write_bytes(b"old")
    path.chmod(0o640)
    write(snapshot, path, {})
    assert path.read_bytes() != b"old"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_gives_a_new_file_the_umask_mode(
    fmt: str, snapshot: Snapshot, tmp_path: Path
) -> None:
    write, name = FORMATS[fmt]
    path = tmp_path / name
    old = os.umask(0o022)
    try:
        write(snapshot, path, {})
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_through_a_symbolic_link(
    fmt: str, snapshot: Snapshot, tmp_path: Path
) -> None:
    write, name = FORMATS[fmt]
    real = tmp_path / "elsewhere" / name
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / name
    link.symlink_to(real)
    write(snapshot, link, {})
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_bytes() != b"old"


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_refuses_a_read_only_file(fmt: str, snapshot: Snapshot, tmp_path: Path) -> None:
    write, name = FORMATS[fmt]
    path = tmp_path / name
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        write(snapshot, path, {})
    assert path.read_bytes() == b"old"
