#!/usr/bin/env bash
# Side-by-side comparison with SimPy: installs simpy (and PyYAML) if missing,
# builds our release binary, and runs scripts/peer/compare.py on the given
# scenarios (default: every peer scenario). Exit status 1 if any fraction
# disagrees (or, on a scenario without randomness, any count differs).
#   scripts/peer/compare.sh scripts/peer/peer-mix.yaml
#   scripts/peer/compare.sh                   # exact, exact-aware, mix, limit
# Extra options after the files go to compare.py (--ours-runs, --simpy-runs, --json FILE).
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-python3}
if ! "$python" -c 'import simpy, yaml' 2>/dev/null; then
  echo "compare: installing simpy 4.1 and PyYAML" >&2
  if ! "$python" -m pip install --quiet 'simpy>=4.1,<4.2' pyyaml >&2; then
    # A system Python that refuses pip (PEP 668): use a virtual environment.
    "$python" -m venv .build/peer-venv >&2
    .build/peer-venv/bin/pip install --quiet 'simpy>=4.1,<4.2' pyyaml >&2
    python=.build/peer-venv/bin/python
  fi
fi
scripts/setup.sh
swift build -c release --product campaign-sim >&2
if [ $# -eq 0 ]; then
  set -- scripts/peer/peer-exact.yaml scripts/peer/peer-exact-aware.yaml scripts/peer/peer-mix.yaml scripts/peer/peer-limit.yaml
fi
exec "$python" scripts/peer/compare.py "$@"
