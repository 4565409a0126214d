#!/usr/bin/env bash
# Performance-regression check: builds in release mode, reruns every shipped
# scenario (Scenarios/*.yaml) and compares each report.json with its committed
# baseline in Reports/baselines/<name>.json, byte for byte except the engine
# section (wall time, memory: the only part allowed to differ). On a
# difference it prints `campaign-sim compare` of the two and the start of the
# diff, and exits 1.
#
#   scripts/regression.sh            check
#   scripts/regression.sh --update   rewrite the baselines (review `git diff Reports/baselines` and commit)
set -euo pipefail
cd "$(dirname "$0")/.."

update=false
case "${1:-}" in
  --update) update=true ;;
  "") ;;
  *) echo "usage: scripts/regression.sh [--update]" >&2; exit 2 ;;
esac

scripts/setup.sh
swift build -c release --product campaign-sim >&2
bin=.build/release/campaign-sim
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p Reports/baselines

# report.json without its top-level "engine" object (always the last key), so the
# rest can be compared byte for byte and committed without timing noise.
strip_engine() {
  awk '
    skipping { if ($0 == "  }") skipping = 0; next }
    /^  "engine": \{$/ { skipping = 1; sub(/,$/, "", held); next }
    { if (have) print held; held = $0; have = 1 }
    END { if (have) print held }
  ' "$1"
}

status=0
names=()
for scenario in Scenarios/*.yaml; do
  name="$(basename "$scenario" .yaml)"
  names+=("$name")
  code=0
  "$bin" run "$scenario" --out "$work/$name" --quiet 2>"$work/$name.err" || code=$?
  # 99: a threshold failed. The report is written all the same, and the baseline
  # records the outcome, so it is compared like everything else.
  if [ "$code" -ne 0 ] && [ "$code" -ne 99 ]; then
    echo "FAIL $name: campaign-sim run exited $code"; cat "$work/$name.err"; status=1; continue
  fi
  strip_engine "$work/$name/report.json" > "$work/$name.json"
  baseline="Reports/baselines/$name.json"
  if $update; then
    if [ -f "$baseline" ] && cmp -s "$baseline" "$work/$name.json"; then
      echo "same    $name"
    else
      cp "$work/$name.json" "$baseline"; echo "updated $name"
    fi
  elif [ ! -f "$baseline" ]; then
    echo "FAIL $name: no baseline $baseline (scripts/regression.sh --update writes it)"; status=1
  elif cmp -s "$baseline" "$work/$name.json"; then
    echo "ok   $name"
  else
    echo "FAIL $name: report differs from $baseline"
    "$bin" compare "$baseline" "$work/$name.json" --changes-only || true
    diff -u "$baseline" "$work/$name.json" | head -40 || true
    status=1
  fi
done

# A baseline whose scenario is gone would never be checked again.
for baseline in Reports/baselines/*.json; do
  [ -e "$baseline" ] || continue
  name="$(basename "$baseline" .json)"
  if [[ ! " ${names[*]} " == *" $name "* ]]; then
    if $update; then git rm -q "$baseline" 2>/dev/null || rm -f "$baseline"; echo "removed $name"
    else echo "FAIL $name: baseline without a scenario (scripts/regression.sh --update removes it)"; status=1; fi
  fi
done

if [ "$status" -ne 0 ]; then
  echo "regression: reports changed. If the change is intended, run scripts/regression.sh --update and commit Reports/baselines." >&2
fi
exit "$status"
