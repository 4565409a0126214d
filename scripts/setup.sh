#!/usr/bin/env bash
# Installs what the build and the tests need beyond the Swift toolchain:
# jemalloc's headers and pkg-config file (Debian's libjemalloc-dev), and a
# JSON Schema validator for the scenario schema tests (python3-jsonschema).
# Safe to run again.
set -euo pipefail
missing=()
if ! pkg-config --exists jemalloc 2>/dev/null; then
  missing+=(libjemalloc-dev pkg-config)
fi
if ! python3 -c 'import jsonschema' 2>/dev/null && ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  missing+=(python3-jsonschema)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
