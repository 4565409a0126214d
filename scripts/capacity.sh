#!/usr/bin/env bash
# The capacity table of the README ("Capacity planning"): builds in release
# mode, runs `campaign-sim sweep Scenarios/capacity-tiers.yaml` (a bisection of
# the audience at each of 16 points: tier x throughput x pacing; full results in
# Reports/capacity-tiers/sweep/) and prints the answers as a Markdown table.
#
#   scripts/capacity.sh           print the table
#   scripts/capacity.sh --check   also fail if the README's table differs from it
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: scripts/capacity.sh [--check]" >&2; exit 2 ;;
esac

scripts/setup.sh
swift build -c release --product campaign-sim >&2
out=Reports/capacity-tiers/sweep
.build/release/campaign-sim sweep Scenarios/capacity-tiers.yaml --out "$out" --quiet

# sweep.csv has one row per (tier, throughput, pacing), pacing varying fastest:
# pivot it to one row per tier. A value that is not a clean answer (none, at
# least) is shown with its status.
table="$(awk -F, '
  NR == 1 { next }
  {
    tier = $1; mps = $2; pacing = $3; value = ($5 == "found") ? $4 : $5 " " $4
    if (!(tier in seen)) { seen[tier] = 1; tiers[++n] = tier }
    if (!((mps, pacing) in column)) { column[mps, pacing] = 1; columns[++m] = mps SUBSEP pacing }
    cell[tier, mps, pacing] = value
  }
  END {
    header = "| messaging limit |"; rule = "| ---: |"
    for (j = 1; j <= m; j++) { split(columns[j], c, SUBSEP); header = header " " c[2] ", " c[1] " msg/s |"; rule = rule " ---: |" }
    print header; print rule
    for (i = 1; i <= n; i++) {
      line = "| " tiers[i] " |"
      for (j = 1; j <= m; j++) { split(columns[j], c, SUBSEP); line = line " " cell[tiers[i], c[1], c[2]] " |" }
      print line
    }
  }
' "$out/sweep.csv")"
echo "$table"

if $check; then
  readme="$(awk '/<!-- capacity-table:end -->/ { inside = 0 } inside { print } /<!-- capacity-table:begin -->/ { inside = 1 }' README.md)"
  if [ "$readme" != "$table" ]; then
    echo "capacity: the README's table differs from what the simulator computes:" >&2
    diff <(echo "$readme") <(echo "$table") >&2 || true
    exit 1
  fi
  echo "capacity: README table reproduced" >&2
fi
