#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine with Python 3.11 (as root),
# then run the whole test suite: core, window (offscreen Qt + one real run on Xvfb),
# and the report in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# What PySide6's xcb plugin links against (shared with the README's run command),
# Xvfb for the one run of the real window, Chromium for the report.
read -r -a APT_PACKAGES <<< "$(tr '\n' ' ' < scripts/apt-window.txt) xvfb xauth chromium"
# A C compiler and Python's headers build the optional extension (viewer/core/_native.c);
# the tests check it is built wherever it can be, so give them what it needs.
command -v cc >/dev/null 2>&1 || APT_PACKAGES+=(gcc)
python3 -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || APT_PACKAGES+=(python3-dev)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
export QT_QPA_PLATFORM=offscreen
python3 -m pytest -q "$@"
