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

# With automatic scaling (MODEL.md §9.1): naive pacing by bisection at 80 msg/s
# (Scenarios/capacity-scaling.yaml), limit-aware pacing at 80 and 1000 msg/s by one
# run per point (Scenarios/capacity/scaling-aware.yaml explains why that is exact).
naive=Reports/capacity-scaling/sweep
aware=Reports/capacity-scaling-aware/sweep
.build/release/campaign-sim sweep Scenarios/capacity-scaling.yaml --out "$naive" --quiet --yes
.build/release/campaign-sim sweep Scenarios/capacity/scaling-aware.yaml --out "$aware" --quiet --yes
scaling="$(awk -F, '
  FNR == 1 { file++; if (file == 2) { for (i = 1; i <= NF; i++) if ($i == "promo.success") col = i }; next }
  file == 1 { tier = $1; naive[tier] = ($3 == "found") ? $2 : $3 " " $2; if (!(tier in seen)) { seen[tier] = 1; tiers[++n] = tier } }
  file == 2 { aware[$1, $2] = $col }
  END {
    print "| starting limit | naive, 80 msg/s | limit_aware, 80 msg/s | limit_aware, 1000 msg/s |"
    print "| ---: | ---: | ---: | ---: |"
    for (i = 1; i <= n; i++) { t = tiers[i]; print "| " t " | " naive[t] " | " aware[t, 80] " | " aware[t, 1000] " |" }
  }
' "$naive/sweep.csv" "$aware/sweep.csv")"
echo
echo "$scaling"

if $check; then
  status=0
  for pair in "capacity-table:$table" "capacity-scaling-table:$scaling"; do
    marker="${pair%%:*}"
    expected="${pair#*:}"
    readme="$(awk -v m="$marker" '$0 == "<!-- " m ":end -->" { inside = 0 } inside { print } $0 == "<!-- " m ":begin -->" { inside = 1 }' README.md)"
    if [ "$readme" != "$expected" ]; then
      echo "capacity: the README's $marker differs from what the simulator computes:" >&2
      diff <(echo "$readme") <(echo "$expected") >&2 || true
      status=1
    fi
  done
  [ "$status" = 0 ] && echo "capacity: README tables reproduced" >&2
  exit "$status"
fi
