"""The operations run where Qt cannot even be imported: no QApplication, no PySide6."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys
    sys.modules["PySide6"] = None  # any import of Qt now fails
    sys.modules["shiboken6"] = None
    import stipa
    from stipa.operations import clipboard, decisions, drawing, targets

    doc = stipa.Document()
    a = drawing.place_component(doc, "Controller", "controller", "software", 0, 0)
    b = drawing.place_component(doc, "Process", "controlled_process", "physical", 0, 200)
    drawing.connect(doc, a.id, b.id, "control_action", "Brake")
    drawing.commit_geometry(doc, [doc.node_layout[a.id].replace(x=50.0)], "Move component")
    clipboard.paste(doc, clipboard.copy_selection(doc, [a.id, b.id]), 20, 20)
    report = stipa.analyse(doc)
    assert report.complete, report.problems()
    finding = next(iter(doc.findings.values()))
    decisions.set_disposition(doc, [finding.id], "resolved", "done")
    print(targets.target_names(doc, finding.targets))
    while doc.can_undo:
        doc.undo()
    assert stipa.dumps(doc) == stipa.dumps(stipa.Document())
    print("ok")
    """
)


def test_every_operation_runs_without_qt() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "desktop"), str(ROOT / "plugins")])
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ok"
