#!/usr/bin/env bash
# Installs the Debian packages FieldApp's tests and offscreen Qt need, only when one is missing.
set -euo pipefail
command -v dpkg-query >/dev/null 2>&1 || exit 0
need=()
# chromium and a CJK font: the public verification page is tested in a real browser (Playwright)
for pkg in libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 poppler-utils chromium fonts-wqy-microhei; do
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
