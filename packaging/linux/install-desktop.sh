#!/bin/sh
# Install Stipa's desktop integration for the current user, or remove it again:
#
#   install-desktop.sh [STIPA_COMMAND]     menu entry, .stipa file type, icon, AppStream data
#   install-desktop.sh --uninstall         remove them
#
# STIPA_COMMAND is the absolute path of the `stipa` command the menu entry starts; by default
# the frozen application this script was shipped beside (dist/stipa/linux/../stipa), else the
# `stipa` on PATH. Files go under ${XDG_DATA_HOME:-~/.local/share}; the desktop, MIME and icon
# caches are refreshed when their tools are installed (desktop-file-utils, shared-mime-info,
# GTK). `make install-desktop` / `make uninstall-desktop` call this script.
set -eu

APP_ID=io.github.stipa.Stipa
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}

desktop_file=$data/applications/$APP_ID.desktop
mime_file=$data/mime/packages/$APP_ID.xml
svg_icon=$data/icons/hicolor/scalable/apps/$APP_ID.svg
metainfo_file=$data/metainfo/$APP_ID.metainfo.xml
png_sizes="16 32 48 64 128 256 512"

refresh() {
    if command -v update-mime-database >/dev/null 2>&1 && [ -d "$data/mime/packages" ]; then
        update-mime-database "$data/mime"
    fi
    if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$data/applications" ]; then
        update-desktop-database "$data/applications"
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$data/icons/hicolor" ]; then
        gtk-update-icon-cache --quiet --force --ignore-theme-index "$data/icons/hicolor" || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$desktop_file" "$mime_file" "$svg_icon" "$metainfo_file"
    for size in $png_sizes; do
        rm -f "$data/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
    refresh
    echo "Removed Stipa's desktop integration from $data."
    exit 0
fi

command=${1:-}
if [ -z "$command" ] && [ -x "$here/../stipa" ] && [ -d "$here/../_internal" ]; then
    command=$(cd "$here/.." && pwd)/stipa
fi
if [ -z "$command" ]; then
    command=$(command -v stipa 2>/dev/null || true)
fi
if [ -z "$command" ] || [ ! -x "$command" ]; then
    echo "install-desktop.sh: no stipa command found${command:+ at $command}; give its path:" >&2
    echo "    $0 /path/to/stipa" >&2
    exit 2
fi
case $command in
    /*) ;;
    *) command=$(cd "$(dirname "$command")" && pwd)/$(basename "$command") ;;
esac

# Desktop Entry Specification: a path with spaces or special characters is quoted; inside the
# quotes ", `, $ and \ get a backslash, and then (string escaping) every backslash is doubled.
case $command in
    *[!A-Za-z0-9/._+-]*)
        exec_arg=\"$(printf '%s' "$command" | sed 's/[\\"`$]/\\&/g; s/\\/\\\\/g')\"
        ;;
    *) exec_arg=$command ;;
esac

mkdir -p "$(dirname "$desktop_file")" "$(dirname "$mime_file")" "$(dirname "$svg_icon")" \
    "$(dirname "$metainfo_file")"
while IFS= read -r line; do
    case $line in
        "Exec=stipa "*) printf 'Exec=%s %s\n' "$exec_arg" "${line#Exec=stipa }" ;;
        "TryExec=stipa") printf 'TryExec=%s\n' "$command" ;;
        "# \`make install-desktop\`"*) ;;
        *) printf '%s\n' "$line" ;;
    esac
done <"$here/$APP_ID.desktop" >"$desktop_file"
cp "$here/stipa-mime.xml" "$mime_file"
# The icon: beside this script in the frozen application, in resources/icons in a checkout.
if [ -f "$here/$APP_ID.svg" ]; then
    cp "$here/$APP_ID.svg" "$svg_icon"
else
    cp "$here/../../resources/icons/$APP_ID.svg" "$svg_icon"
fi
cp "$here/$APP_ID.metainfo.xml" "$metainfo_file"
# Bitmaps, where the build rendered them (the frozen application has them in linux/hicolor).
for size in $png_sizes; do
    png=$here/hicolor/${size}x${size}/apps/$APP_ID.png
    if [ -f "$png" ]; then
        mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
        cp "$png" "$data/icons/hicolor/${size}x${size}/apps/"
    fi
done
refresh
echo "Installed Stipa's desktop integration in $data (command: $command)."
