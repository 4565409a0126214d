#!/usr/bin/env bash
# From a fresh clone: install dependencies and run the whole test suite.
# Extra arguments go to `swift test` (e.g. --filter ExactScenarioTests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec swift test "$@"
