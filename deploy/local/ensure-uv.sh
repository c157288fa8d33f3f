#!/bin/sh
# Print the path of a uv executable; install uv first when there is none.
# Order: uv on PATH, the uv of python3's own `uv` package (pip --user or system), the
# repo's bootstrap venv; else `python3 -m pip install --user uv`, and when pip refuses
# (e.g. an externally managed Python) a bootstrap venv .venv-bootstrap. Messages go to stderr.
set -eu

BOOTSTRAP_VENV=".venv-bootstrap"
PYTHON="${PYTHON:-python3}"

python_uv() {
    "$1" -c "from uv import find_uv_bin; print(find_uv_bin())" 2>/dev/null
}

found="$(command -v uv 2>/dev/null || true)"
[ -n "$found" ] || found="$(python_uv "$PYTHON" || true)"
if [ -z "$found" ] && [ -x "$BOOTSTRAP_VENV/bin/uv" ]; then
    found="$BOOTSTRAP_VENV/bin/uv"
fi
if [ -n "$found" ]; then
    echo "$found"
    exit 0
fi

command -v "$PYTHON" >/dev/null 2>&1 || {
    echo "ensure-uv: $PYTHON not found; install Python 3.11+ first" >&2
    exit 1
}
echo "ensure-uv: uv not found, installing it with pip --user" >&2
if "$PYTHON" -m pip install --user --quiet uv >&2 && found="$(python_uv "$PYTHON")"; then
    echo "$found"
    exit 0
fi
echo "ensure-uv: pip --user did not work, installing uv into $BOOTSTRAP_VENV" >&2
"$PYTHON" -m venv "$BOOTSTRAP_VENV" >&2
"$BOOTSTRAP_VENV/bin/python" -m pip install --quiet uv >&2
echo "$BOOTSTRAP_VENV/bin/uv"
