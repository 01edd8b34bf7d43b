#!/bin/sh
# Install finals-kiosk with no network, from the wheels in this folder (macOS, Linux).
#
#   sh install.sh [FOLDER]        default FOLDER: ~/finals-kiosk
#
# Needs Python 3.11, 3.12 or 3.13 (on Debian/Ubuntu also the python3-venv package, installed
# before going offline). Set PYTHON=/path/to/python3.12 to choose the interpreter.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DEST=${1:-"$HOME/finals-kiosk"}

supported() {
    "$1" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' \
        >/dev/null 2>&1
}

if [ -n "${PYTHON:-}" ]; then
    supported "$PYTHON" || { echo "error: $PYTHON is not Python 3.11-3.13" >&2; exit 1; }
else
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && supported "$candidate"; then
            PYTHON=$candidate
            break
        fi
    done
    if [ -z "${PYTHON:-}" ]; then
        echo "error: no Python 3.11, 3.12 or 3.13 found; install one (python.org) first" >&2
        exit 1
    fi
fi

echo "finals-kiosk: installing into $DEST with $("$PYTHON" -c 'import sys; print(sys.version.split()[0])')"
"$PYTHON" -m venv "$DEST" || {
    echo "error: could not create a virtual environment; on Debian/Ubuntu install python3-venv" >&2
    exit 1
}
"$DEST/bin/python" -m pip install --no-index --find-links "$HERE" --upgrade \
    --disable-pip-version-check --quiet finals-kiosk
"$DEST/bin/head-judge" --version
echo "done. Head judge: $DEST/bin/head-judge --help    Judge: $DEST/bin/judge-terminal"
