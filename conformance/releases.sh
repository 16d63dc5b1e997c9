# Label Studio releases the conformance harness knows, sourced by the scripts
# in this folder. For each release: the Python minor version it runs on and the
# extra pins pip needs for it to start (measured: newer versions of these
# packages break the release at import or at migration time).
# shellcheck shell=bash

LS_RELEASES=(1.4.1.post1 1.7.3 1.10.1 1.13.1 1.17.0 1.20.0 1.23.2)
LS_NEWEST=1.23.2

# ls_python_minor RELEASE -> "3.8" etc.
ls_python_minor() {
  case "$1" in
    1.4.*) echo 3.8 ;;
    1.5.* | 1.6.* | 1.7.* | 1.8.*) echo 3.9 ;;
    1.9.* | 1.10.* | 1.11.* | 1.12.* | 1.13.* | 1.14.* | 1.15.* | 1.16.*) echo 3.10 ;;
    *) echo 3.11 ;;
  esac
}

# ls_extra_pins RELEASE -> extra requirement specifiers for pip, space separated
ls_extra_pins() {
  case "$1" in
    1.4.*) echo "djangorestframework==3.13.1" ;;
    *) echo "" ;;
  esac
}

# ls_python RELEASE -> path of an interpreter of the right minor version:
# LSWEBHOOK_PYTHON if set, else pythonX.Y on PATH, else the newest pyenv build.
ls_python() {
  local minor
  minor="$(ls_python_minor "$1")"
  if [[ -n "${LSWEBHOOK_PYTHON:-}" ]]; then
    echo "$LSWEBHOOK_PYTHON"
    return 0
  fi
  if command -v pyenv >/dev/null 2>&1; then
    local root cand
    root="$(pyenv root)"
    cand="$(ls -d "$root/versions/$minor".* 2>/dev/null | sort -V | tail -n 1)"
    if [[ -n "$cand" && -x "$cand/bin/python" ]]; then
      echo "$cand/bin/python"
      return 0
    fi
  fi
  if command -v "python$minor" >/dev/null 2>&1; then
    command -v "python$minor"
    return 0
  fi
  return 1
}

# ls_venv RELEASE -> the cached virtualenv for that release. LSWEBHOOK_VENV
# overrides it. For the newest release, the harness's former cache location
# (~/.cache/lswebhook/ls-venv) is reused when it already holds that release.
ls_venv() {
  local cache="${LSWEBHOOK_CACHE:-$HOME/.cache/lswebhook}"
  if [[ -n "${LSWEBHOOK_VENV:-}" ]]; then
    echo "$LSWEBHOOK_VENV"
  elif [[ "$1" == "1.23.2" && ! -d "$cache/venv-$1" && -x "$cache/ls-venv/bin/label-studio" ]] &&
    [[ "$("$cache/ls-venv/bin/python" -c 'from importlib.metadata import version; print(version("label-studio"))' 2>/dev/null)" == "$1" ]]; then
    echo "$cache/ls-venv"
  else
    echo "$cache/venv-$1"
  fi
}

# ls_installed_version VENV -> the label-studio version installed there
ls_installed_version() {
  [[ -x "$1/bin/python" ]] || return 1
  "$1/bin/python" -c 'from importlib.metadata import version; print(version("label-studio"))' 2>/dev/null
}
