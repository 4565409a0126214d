#!/usr/bin/env bash
# Installs what the build needs beyond the Swift toolchain: jemalloc's headers
# and pkg-config file (Debian's libjemalloc-dev). Safe to run again.
set -euo pipefail
if pkg-config --exists jemalloc 2>/dev/null; then
  exit 0
fi
echo "setup: installing libjemalloc-dev and pkg-config" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq libjemalloc-dev pkg-config >/dev/null
