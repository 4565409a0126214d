#!/usr/bin/env bash
# Renders report.html of shipped scenarios, or sweep.html of a sweep or a
# capacity search, to PNG in headless Chromium, as a person would see them in a
# browser 1280 px wide: a check that every chart draws, offline. Installs
# Debian's chromium if missing (with sudo when not root).
#
#   scripts/render-html.sh                      # quickstart, outage, multi-sender
#   scripts/render-html.sh throttle million     # any scenarios from Scenarios/
#   scripts/render-html.sh --sweep scaling      # sweep.html of `campaign-sim sweep Scenarios/scaling.yaml`
#   scripts/render-html.sh --sweep quickstart --as limits \
#       --vary business.messaging_limit=250,2000,10000,100000   # the rest goes to `campaign-sim sweep`
#   scripts/render-html.sh --sweep capacity-tiers --as tiers-search \
#       --vary business.messaging_limit=250,2000 --high 20000     # sweep.find_max or --find-max: a capacity page
#
# Pictures go to Reports/render/<scenario>.png, or sweep-<scenario>.png
# (sweep-<name>.png with --as NAME) for sweeps (Reports/ is not committed).
# CAMPAIGN_SIM=path/to/campaign-sim shoots with that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."

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

if [ -n "${CAMPAIGN_SIM:-}" ]; then
  binary="$CAMPAIGN_SIM"
else
  scripts/setup.sh
  swift build --product campaign-sim >&2
  binary="$(swift build --show-bin-path)/campaign-sim"
fi

out="Reports/render"
mkdir -p "$out"

# shoot PAGE PICTURE HEIGHT: headless Chromium shoots the window, not the page,
# so HEIGHT must cover the whole page.
shoot() {
  rm -f "$2"
  # --no-sandbox: the sandbox needs user namespaces that containers and CI often lack.
  # Chromium's stderr is mostly D-Bus and GPU noise on a headless machine.
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1280,"$3" --screenshot="$PWD/$2" "file://$PWD/$1" 2>/dev/null
  if [ ! -s "$2" ]; then
    echo "render-html: chromium wrote no picture for $1" >&2
    exit 1
  fi
  echo "$2  (from $1)"
}

if [ "${1:-}" = "--sweep" ]; then
  name="${2:?render-html: --sweep needs a scenario name from Scenarios/}"
  shift 2
  picture="sweep-$name"
  if [ "${1:-}" = "--as" ]; then
    picture="sweep-${2:?render-html: --as needs a name}"
    shift 2
  fi
  folder="$out/$picture"
  "$binary" sweep "Scenarios/$name.yaml" --out "$folder" --quiet --yes "$@"
  # The header and chart take ~1000 px; each table row ~30 px, more when its text wraps.
  height=$(( 1100 + 40 * $(grep -c '^<tr>' "$folder/sweep.html") ))
  shoot "$folder/sweep.html" "$out/$picture.png" "$height"
  exit 0
fi

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then scenarios=(quickstart outage multi-sender); fi

for name in "${scenarios[@]}"; do
  folder="$out/$name"
  "$binary" run "Scenarios/$name.yaml" --out "$folder" --format html --quiet
  # The header and scenario take ~1700 px, each campaign section ~2800 px.
  height=$(( 1700 + 2800 * $(grep -c '<section class="campaign"' "$folder/report.html") ))
  shoot "$folder/report.html" "$out/$name.png" "$height"
done
