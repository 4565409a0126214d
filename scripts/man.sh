#!/usr/bin/env bash
# Regenerates docs/man/campaign-sim.1 from the commands' own definitions with
# swift-argument-parser's manual plugin; with --check, exits 1 if the committed page
# is not what the plugin makes now. Works offline: the plugin is part of the
# swift-argument-parser copy the build already resolved.
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
if [ "${1:-}" = --check ]; then check=true; fi
page=docs/man/campaign-sim.1
# An old page left in the plugin's folder must not pass for a new one.
if [ -d .build/plugins/GenerateManual ]; then find .build/plugins/GenerateManual -name campaign-sim.1 -delete; fi
# Debug is enough: the plugin reads the page off the binary's --experimental-dump-help.
swift package plugin generate-manual --configuration debug >/dev/null
made=$(find .build/plugins/GenerateManual -name campaign-sim.1 -print | head -n 1)
[ -n "$made" ] || { echo "man.sh: the plugin wrote no campaign-sim.1" >&2; exit 1; }
# The .Dd line is the day the page was made: a page differing only there is current.
same() { diff -q <(grep -v '^\.Dd ' "$1") <(grep -v '^\.Dd ' "$2") >/dev/null 2>&1; }
if $check; then
  if same "$made" "$page"; then echo "$page is current"; exit 0; fi
  echo "$page is out of date: run scripts/man.sh and commit it" >&2
  diff -u <(grep -v '^\.Dd ' "$page") <(grep -v '^\.Dd ' "$made") >&2 || true
  exit 1
fi
mkdir -p docs/man
if [ -f "$page" ] && same "$made" "$page"; then
  echo "$page unchanged"
else
  cp "$made" "$page"
  echo "wrote $page"
fi
