#!/usr/bin/env bash
# Scale check, not part of `swift test` (minutes, release build): runs the two
# sizes of issue 10 with every report format and measures peak RSS with
# /usr/bin/time -v. Exits 1 if either goes over its memory limit.
#
#   1. one campaign of 1 000 000 000 contacts at 1000 msg/s for its default
#      3-day window (about 259 M dispatches)        limit 256 MiB
#   2. 10 000 campaigns × 100 contacts                 limit 512 MiB
#
#   scripts/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
command -v /usr/bin/time >/dev/null || { echo "scale: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
swift build -c release --product campaign-sim >&2
bin=.build/release/campaign-sim
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/billion.yaml" <<'YAML'
name: billion
senders: [{id: main, throughput_mps: 1000}]
campaigns: [{id: everyone, sender: main, audience: 1000000000}]
YAML

{
  echo "name: ten-thousand"
  echo "senders: [{id: main, throughput_mps: 1000}]"
  echo "campaigns:"
  for i in $(seq 1 10000); do echo "  - {id: c$i, sender: main, audience: 100}"; done
} > "$work/ten-thousand.yaml"

status=0
measure() {
  local name="$1" limit_mib="$2"
  local code=0
  /usr/bin/time -v "$bin" run "$work/$name.yaml" --out "$work/$name" --quiet 2> "$work/$name.time" || code=$?
  local rss_kib wall size
  rss_kib="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")"
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$name.time")"
  size="$(du -sh "$work/$name" 2>/dev/null | cut -f1)"
  local rss_mib=$(( rss_kib / 1024 ))
  if [ "$code" -ne 0 ]; then
    echo "FAIL $name: exit $code"; grep -v "^\s" "$work/$name.time" | head -5; status=1
  elif [ "$rss_mib" -gt "$limit_mib" ]; then
    echo "FAIL $name: peak RSS $rss_mib MiB > $limit_mib MiB (wall $wall, reports $size)"; status=1
  else
    echo "ok   $name: peak RSS $rss_mib MiB ≤ $limit_mib MiB, wall $wall, reports $size"
  fi
}
measure billion 256
measure ten-thousand 512
exit "$status"
