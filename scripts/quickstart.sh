#!/usr/bin/env bash
# From a fresh clone: install dependencies, build in release mode, run a
# scenario (default Scenarios/quickstart.yaml). Extra arguments go to `run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product campaign-sim >&2
scenario="${1:-Scenarios/quickstart.yaml}"
shift || true
exec .build/release/campaign-sim run "$scenario" "$@"
