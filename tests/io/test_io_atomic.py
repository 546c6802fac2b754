"""Atomic saving: a failure or a kill in the middle of a save leaves the previous file intact."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from stipa_io_samples import complete_document

import stipa.io
from stipa.io import FileFormatError, load, save
from stipa.model import Component, Document, Loss


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_save_writes_and_marks_saved(tmp_path: Path) -> None:
    doc = complete_document()
    doc.add(Loss(text="Unsaved"))
    assert doc.modified
    path = tmp_path / "wheel.stipa"
    save(doc, path)
    assert not doc.modified
    assert path.read_bytes() == stipa.io.dumps(doc)
    assert leftovers(tmp_path) == []


def test_recovery_copy_leaves_modified_state_alone(tmp_path: Path) -> None:
    doc = Document()
    doc.add(Loss(text="Unsaved"))
    save(doc, tmp_path / "wheel.recovery.stipa", mark_saved=False)
    assert doc.modified
    assert len(load(tmp_path / "wheel.recovery.stipa").losses) == 1


def test_save_accepts_str_paths(tmp_path: Path) -> None:
    save(Document(), str(tmp_path / "a.stipa"))
    assert (tmp_path / "a.stipa").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_existing_permissions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "wheel.stipa"
    save(Document(), path)
    os.chmod(path, 0o640)
    save(complete_document(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        save(Document(), tmp_path / "new.stipa")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.stipa").stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_symbolic_links_keep_pointing_at_the_saved_file(tmp_path: Path) -> None:
    real = tmp_path / "real" / "wheel.stipa"
    real.parent.mkdir()
    save(Document(), real)
    link = tmp_path / "link.stipa"
    link.symlink_to(real)
    save(complete_document(), link)
    assert link.is_symlink()
    assert len(load(real)) == len(complete_document())
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "wheel.stipa"
    save(Document(), path)
    before = path.read_bytes()
    doc = complete_document()
    doc.add(Loss(text="Unsaved"))

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save(doc, path)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []
    assert doc.modified


def test_unstorable_text_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "wheel.stipa"
    save(Document(), path)
    before = path.read_bytes()
    # The model refuses such text in edits; a document assembled without checks can hold it.
    doc, problems = Document.assemble([Component(id="C-1", name="Bell\x07")])
    assert problems
    with pytest.raises(FileFormatError) as caught:
        save(doc, path)
    assert str(caught.value) == (
        f"{path}: C-1 holds a control character or other text that XML cannot store; "
        "remove it and save again."
    )
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        save(Document(), tmp_path / "no" / "such" / "wheel.stipa")


CHILD = textwrap.dedent(
    """
    import sys
    import stipa.io
    from stipa.model import Component, Document, Link, LinkItem

    path = sys.argv[1]
    doc = Document()
    ids = [doc.add(Component(name=f"Component {i}", description="x" * 200)).id
           for i in range(1500)]
    for i, source in enumerate(ids):
        target = ids[(i + 1) % len(ids)]
        doc.add(Link(source=source, target=target, items=[LinkItem(name=f"Act {i}")]))
    version = 0
    while True:
        version += 1
        doc.set_info(version=str(version))
        print(f"saving {version}", flush=True)
        stipa.io.save(doc, path)
        print(f"saved {version}", flush=True)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_kill_during_save_leaves_a_complete_previous_version(tmp_path: Path) -> None:
    """A process SIGKILLed while saving a large document over and over never leaves a broken
    file: the file on disk is always a complete version that loads."""
    path = tmp_path / "large.stipa"
    script = tmp_path / "saver.py"
    script.write_text(CHILD)
    rng = random.Random(20240611)
    killed_mid_save = 0
    last_version = 0
    started = time.monotonic()
    for _round in range(4):
        child = subprocess.Popen(
            [sys.executable, str(script), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        # wait for the first complete save of this round, then kill at a random moment
        line = child.stdout.readline()
        while line and not line.startswith("saved"):
            line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else "the saver died"
        time.sleep(rng.uniform(0.01, 0.25))
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate(timeout=30)
        lines = [line.strip(), *out.splitlines()]
        saved = [int(x.split()[1]) for x in lines if x.startswith("saved")]
        if lines[-1].startswith("saving"):
            killed_mid_save += 1
        assert child.returncode == -signal.SIGKILL
        doc = load(path)  # complete, well-formed, valid
        version = int(doc.info.version)
        assert version in (saved[-1], saved[-1] + 1)
        assert len(doc.components) == 1500 and len(doc.links) == 1500
        last_version = version
    assert last_version >= 1
    assert killed_mid_save >= 1, "no kill landed in the middle of a save"
    assert time.monotonic() - started < 30
