#!/usr/bin/env bash
# Install one Label Studio release in its own cached virtualenv.
# Usage: conformance/install.sh RELEASE
# Prints the venv path on its last line. Exit 0 when installed (or already
# there), 2 when PyPI cannot be reached (one "conformance: SKIP:" line), 1 on
# any other failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=releases.sh
. "$HERE/releases.sh"
REL="${1:?usage: install.sh RELEASE}"
VENV="$(ls_venv "$REL")"
mkdir -p "$(dirname "$VENV")"
# One installer per virtualenv at a time (other scripts on the machine may
# share the cache): wait up to 20 minutes for the lock.
exec 9>"$VENV.lock"
flock -w 1200 9 || { echo "conformance: install: $VENV.lock still held after 1200 s" >&2; exit 1; }
if [[ "$(ls_installed_version "$VENV" || true)" == "$REL" ]]; then
  echo "conformance: install: reusing $VENV (label-studio $REL already installed)" >&2
  echo "$VENV"
  exit 0
fi
if ! curl -fsS -m 10 -o /dev/null https://pypi.org/simple/label-studio/ 2>/tmp/lswebhook-pypi-check.$$; then
  reason="$(tr '\n' ' ' </tmp/lswebhook-pypi-check.$$ | head -c 200 | sed 's/ *$//')"
  rm -f /tmp/lswebhook-pypi-check.$$
  echo "conformance: SKIP: PyPI unreachable (${reason:-the package index did not answer})"
  exit 2
fi
rm -f /tmp/lswebhook-pypi-check.$$
PY="$(ls_python "$REL")" || { echo "conformance: install: no Python $(ls_python_minor "$REL") found (pyenv or python$(ls_python_minor "$REL") on PATH)" >&2; exit 1; }
echo "conformance: install: label-studio==$REL with $PY into $VENV" >&2
mkdir -p "$(dirname "$VENV")"
[[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
# shellcheck disable=SC2046
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "label-studio==$REL" $(ls_extra_pins "$REL") >&2
[[ "$(ls_installed_version "$VENV" || true)" == "$REL" ]] || { echo "conformance: install: label-studio $REL not importable in $VENV" >&2; exit 1; }
echo "$VENV"
