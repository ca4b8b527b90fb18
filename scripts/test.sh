#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine with Python 3.11 (as root),
# then run the whole test suite: core, window (offscreen Qt + one real run on Xvfb),
# and the report in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # the real window on a virtual X server: Xvfb and what PySide6's xcb plugin links against
  xvfb xauth libegl1 libgl1 libglx0 libglvnd0 libfontconfig1 libfreetype6 libglib2.0-0
  libdbus-1-3 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0
  libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxkbcommon0 libxkbcommon-x11-0 fonts-dejavu-core
  # the report in a real browser
  chromium
)
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
