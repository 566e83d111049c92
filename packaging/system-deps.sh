#!/usr/bin/env bash
# Installs the Debian packages FieldApp's tests and offscreen Qt need, only when one is missing.
set -euo pipefail
command -v dpkg-query >/dev/null 2>&1 || exit 0
need=()
# Qt's offscreen platform; Qt's xcb platform for a real window (`make demo` on a desktop: what `ldd` of
# PySide6's libqxcb.so lists); chromium and a CJK font, for the public verification page in a real
# browser (Playwright); poppler for PDF renders; Xvfb, to open the real (xcb) window in a test.
for pkg in libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
           libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
           libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 \
           xvfb poppler-utils chromium fonts-wqy-microhei; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "system-deps: please install: ${need[*]}" >&2
    exit 0
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "system-deps: installing ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
