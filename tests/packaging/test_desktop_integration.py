"""Desktop integration and installer files (packaging/): validators, consistency, the scripts.

The freedesktop validators run where Debian packages them (``desktop-file-validate`` from
desktop-file-utils, ``appstreamcli`` from appstream, ``update-mime-database`` from
shared-mime-info); without them those tests skip.
"""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stipa import resources
from stipa.io.vocabulary import NAMESPACE

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
APP_ID = "io.github.stipa.Stipa"
MIME_TYPE = "application/x-stipa+xml"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / "stipa-mime.xml"
SVG = ROOT / "resources" / "icons" / f"{APP_ID}.svg"
INSTALL_SCRIPT = LINUX / "install-desktop.sh"
RUNTIME_HOOK = PACKAGING / "pyinstaller" / "rthook_stipa_plugins.py"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _project() -> dict[str, object]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]  # type: ignore[no-any-return]


def _desktop_entry(path: Path = DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian: apt-get install {_PACKAGES[name]})")
    return found


_PACKAGES = {
    "desktop-file-validate": "desktop-file-utils",
    "appstreamcli": "appstream",
    "update-mime-database": "shared-mime-info",
}


# --- validators --------------------------------------------------------------------------------
def test_desktop_file_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # hints are not errors, but we keep the file free of them too
    assert result.stdout.strip() == "", result.stdout


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- consistency between the files, the format and the project ---------------------------------
def test_desktop_entry_opens_stipa_files() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "stipa"
    assert "%f" in entry["Exec"].split()
    assert MIME_TYPE in entry["MimeType"].split(";")
    # Qt's X11 WM_CLASS class is the application name set in stipa.ui.app
    assert entry["StartupWMClass"] == "Stipa"


def test_mime_type_describes_the_stipa_format() -> None:
    root = ET.parse(MIME).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    (mime_type,) = root.findall(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == MIME_TYPE
    assert [e.get("type") for e in mime_type.findall(f"{MIME_NS}sub-class-of")] == [
        "application/xml"
    ]
    assert [e.get("pattern") for e in mime_type.findall(f"{MIME_NS}glob")] == ["*.stipa"]
    (root_xml,) = mime_type.findall(f"{MIME_NS}root-XML")
    # the root element of a real document: namespace and local name
    _, first = next(ET.iterparse(resources.examples()[0], events=("start",)))
    assert first.tag == "{" + root_xml.get("namespaceURI", "") + "}" + root_xml.get("localName", "")
    assert root_xml.get("namespaceURI") == NAMESPACE


def test_metainfo_matches_the_desktop_file_mime_type_and_project() -> None:
    project = _project()
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert [e.text for e in root.findall("provides/mediatype")] == [MIME_TYPE]
    assert [e.text for e in root.findall("provides/binary")] == list(project["scripts"])  # type: ignore[call-overload]
    assert root.findtext("project_license") == project["license"]
    assert root.findtext("name") == _desktop_entry()["Name"]
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == project["version"]
    assert root.find("content_rating") is not None
    categories = [e.text for e in root.findall("categories/category")]
    assert categories == [c for c in _desktop_entry()["Categories"].split(";") if c]


def test_the_application_announces_the_desktop_id() -> None:
    from stipa.ui.app import DESKTOP_ID, ICON_PARTS

    assert DESKTOP_ID == APP_ID == DESKTOP.stem == METAINFO.name.split(".metainfo")[0]
    assert resources.resource_path(*ICON_PARTS) == SVG


def test_spec_and_installer_use_the_same_ids() -> None:
    spec = (PACKAGING / "stipa.spec").read_text(encoding="utf-8")
    compile(spec, "stipa.spec", "exec")  # at least valid Python
    assert f'APP_ID = "{APP_ID}"' in spec
    assert '"CFBundleTypeExtensions": ["stipa"]' in spec
    assert f'"public.mime-type": ["{MIME_TYPE}"]' in spec
    iss = (PACKAGING / "windows" / "stipa.iss").read_text(encoding="utf-8")
    assert f'#define AppVersion "{_project()["version"]}"' in iss
    assert 'Subkey: "Software\\Classes\\.stipa"' in iss
    assert f'ValueData: "{MIME_TYPE}"' in iss
    assert '""{app}\\{#AppExe}"" gui ""%1""' in iss
    assert "AppId={{" in iss  # a fixed GUID: upgrades find the earlier installation


# --- icons ---------------------------------------------------------------------------------------
def test_svg_icon_is_a_square_svg_without_external_references() -> None:
    root = ET.parse(SVG).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 128 128"
    for element in root.iter():
        for name, value in element.attrib.items():
            assert "href" not in name and "url(" not in value, (element.tag, name)


@pytest.mark.gui
def test_the_window_icon_is_the_application_icon(qapp: object) -> None:
    from PySide6.QtGui import QColor

    from stipa.ui.app import application_icon

    icon = application_icon()
    assert not icon.isNull()
    for size in (16, 32, 256):  # drawn from the SVG at each size a desktop asks for
        image = icon.pixmap(size, size).toImage()
        assert image.width() == size
        drawn = [
            QColor(image.pixel(x, y)).alpha()
            for x in range(0, size, max(1, size // 16))
            for y in range(0, size, max(1, size // 16))
        ]
        assert sum(1 for alpha in drawn if alpha > 0) > len(drawn) // 4


@pytest.mark.gui
def test_icons_render_into_ico_icns_and_pngs(qapp: object, tmp_path: Path) -> None:
    sys.path.insert(0, str(PACKAGING))
    try:
        import make_icons
    finally:
        sys.path.remove(str(PACKAGING))
    written = make_icons.write_all(tmp_path)
    ico = (tmp_path / "stipa.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    for index, size in enumerate(make_icons.ICO_SIZES):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * index)
        assert width == (0 if size == 256 else size)
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(ico)
    icns = (tmp_path / "stipa.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack_from(">I", icns, 4)[0] == len(icns)
    png = (tmp_path / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(written) == 2 + len(make_icons.HICOLOR_SIZES)


# --- install-desktop.sh --------------------------------------------------------------------------
def test_install_desktop_script_installs_and_removes_for_the_user(tmp_path: Path) -> None:
    data = tmp_path / "share"
    command = tmp_path / "my apps" / "stipa"  # a space: Exec must quote it
    command.parent.mkdir()
    command.write_text("#!/bin/sh\n", encoding="utf-8")
    command.chmod(0o755)
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path)}

    result = subprocess.run(
        ["sh", str(INSTALL_SCRIPT), str(command)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    installed = [
        data / "applications" / DESKTOP.name,
        data / "mime" / "packages" / f"{APP_ID}.xml",
        data / "icons" / "hicolor" / "scalable" / "apps" / SVG.name,
        data / "metainfo" / METAINFO.name,
    ]
    assert all(path.is_file() for path in installed), sorted(map(str, data.rglob("*")))
    assert installed[2].read_bytes() == SVG.read_bytes()
    entry = _desktop_entry(installed[0])
    assert entry["Exec"] == f'"{command}" gui %f'
    assert entry["TryExec"] == str(command)
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(installed[0])], capture_output=True, text=True
        )
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    if shutil.which("update-mime-database"):  # the MIME cache knows the type now
        assert f"{MIME_TYPE}:*.stipa" in (data / "mime" / "globs2").read_text(encoding="utf-8")
        assert f"{MIME_TYPE} application/xml" in (data / "mime" / "subclasses").read_text(
            encoding="utf-8"
        )
        assert NAMESPACE in (data / "mime" / "XMLnamespaces").read_text(encoding="utf-8")

    result = subprocess.run(
        ["sh", str(INSTALL_SCRIPT), "--uninstall"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in installed)
    if shutil.which("update-mime-database"):
        assert MIME_TYPE not in (data / "mime" / "globs2").read_text(encoding="utf-8")


def test_install_desktop_script_in_the_frozen_application_uses_the_icon_beside_it(
    tmp_path: Path,
) -> None:
    # dist/stipa/linux as stipa.spec lays it out: the desktop files, the icon beside them.
    bundle = tmp_path / "stipa"
    shutil.copytree(LINUX, bundle / "linux")
    icon = SVG.read_bytes().replace(b"<svg", b"<!-- the bundle's copy -->\n<svg", 1)
    (bundle / "linux" / SVG.name).write_bytes(icon)
    (bundle / "_internal").mkdir()
    (bundle / "stipa").write_text("#!/bin/sh\n", encoding="utf-8")
    (bundle / "stipa").chmod(0o755)
    data = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path)}
    result = subprocess.run(
        ["sh", str(bundle / "linux" / INSTALL_SCRIPT.name)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / SVG.name).read_bytes() == icon
    assert _desktop_entry(data / "applications" / DESKTOP.name)["Exec"].startswith(
        f"{bundle / 'stipa'} "
    )


def test_install_desktop_script_refuses_a_missing_command(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        ["sh", str(INSTALL_SCRIPT), str(tmp_path / "nowhere" / "stipa")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2
    assert "no stipa command found" in result.stderr
    assert not (tmp_path / "applications").exists()


# --- the runtime hook that finds plugins beside the frozen application ----------------------------
_HOOK_PROBE = textwrap.dedent(
    """
    import json, runpy, sys
    sys.executable = sys.argv[1]
    before = list(sys.path)
    runpy.run_path(sys.argv[2])
    added = sys.path[len(before):]
    from stipa.plugin import PluginHost
    host = PluginHost().discover()
    print(json.dumps({"added": added, "prefix_kept": sys.path[: len(before)] == before,
                      "plugins": {n: i.status for n, i in host.plugins.items()}}))
    """
)


@pytest.mark.slow
def test_runtime_hook_adds_plugin_folders_and_their_entry_points_are_found(
    tmp_path: Path,
) -> None:
    import json

    from stipa.testing import install_example_plugin

    app = tmp_path / "app"
    install_example_plugin(app / "plugins")  # acme-ai-policy with its *.dist-info
    extra = tmp_path / "site-plugins"
    extra.mkdir()
    env = {
        **os.environ,
        "STIPA_PLUGIN_PATH": os.pathsep.join([str(extra), str(tmp_path / "missing"), ""]),
    }
    result = subprocess.run(
        [sys.executable, "-c", _HOOK_PROBE, str(app / "stipa"), str(RUNTIME_HOOK)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # appended after everything else (bundled modules win), missing folders left out
    assert report["added"] == [str(app / "plugins"), str(extra)]
    assert report["prefix_kept"]
    assert report["plugins"]["acme-ai-policy"] == "active"
