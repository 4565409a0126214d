#!/usr/bin/env bash
# Renders report.html of shipped scenarios to PNG in headless Chromium, as a
# person would see them in a browser 1280 px wide: a check that every chart
# draws, offline. Installs Debian's chromium if missing (with sudo when not root).
#
#   scripts/render-html.sh                      # quickstart, outage, multi-sender
#   scripts/render-html.sh throttle million     # any scenarios from Scenarios/
#
# Pictures go to Reports/render/<scenario>.png (Reports/ is not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "render-html: installing chromium" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
  browser="$(command -v chromium)"
fi

swift build --product campaign-sim >&2
binary="$(swift build --show-bin-path)/campaign-sim"

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then scenarios=(quickstart outage multi-sender); fi

out="Reports/render"
mkdir -p "$out"
for name in "${scenarios[@]}"; do
  folder="$out/$name"
  "$binary" run "Scenarios/$name.yaml" --out "$folder" --format html --quiet
  # Headless Chromium shoots the window, not the page: make it tall enough for
  # the header and scenario (~1700 px) plus ~2800 px per campaign section.
  height=$(( 1700 + 2800 * $(grep -c '<section class="campaign"' "$folder/report.html") ))
  rm -f "$out/$name.png"
  # --no-sandbox: the sandbox needs user namespaces that containers and CI often lack.
  # Chromium's stderr is mostly D-Bus and GPU noise on a headless machine.
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1280,"$height" --screenshot="$PWD/$out/$name.png" "file://$PWD/$folder/report.html" \
    2>/dev/null
  if [ ! -s "$out/$name.png" ]; then
    echo "render-html: chromium wrote no picture for $name" >&2
    exit 1
  fi
  echo "$out/$name.png  (from $folder/report.html)"
done
