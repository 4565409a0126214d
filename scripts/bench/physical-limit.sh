#!/usr/bin/env bash
# Issue 12: campaign-sim's messages/s on Scenarios/bench/mixed-10m.yaml as a
# share of Benchmarks/PhysicalLimit/mixed.c, which does only the per-message
# work of that scenario (its random draws, histogram records and bucket
# increments; no queue, no retries). The two run alternately, ROUNDS times, so
# both meet the same load on a shared machine; medians of each side.
#
#   scripts/bench/physical-limit.sh [ROUNDS]      (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
scripts/setup.sh
swift build -c release --product campaign-sim >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/mixed" Benchmarks/PhysicalLimit/mixed.c -lm
for _ in $(seq "$rounds"); do
  "$work/mixed" 10000000 1 | awk -F': ' '/^messages\/s/ {print $2}' >> "$work/c"
  .build/release/campaign-sim bench --scenario Scenarios/bench/mixed-10m.yaml --runs 1 --save "$work/s.json" \
    > /dev/null 2>&1
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["results"][0]["samples"][0]; print(s["messages"]/s["wallSeconds"])' \
    "$work/s.json" >> "$work/sim"
done
python3 - "$work/c" "$work/sim" <<'PY'
import statistics, sys
c = [float(x) for x in open(sys.argv[1])]
sim = [float(x) for x in open(sys.argv[2])]
mc, ms = statistics.median(c), statistics.median(sim)
print(f"physical limit (C, per-message work only): {mc/1e6:.2f} M messages/s  (runs: {', '.join(f'{x/1e6:.2f}' for x in c)})")
print(f"campaign-sim, mixed-10m, one thread:        {ms/1e6:.2f} M messages/s  (runs: {', '.join(f'{x/1e6:.2f}' for x in sim)})")
print(f"ratio: {100*ms/mc:.0f} %")
PY
