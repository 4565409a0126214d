#!/usr/bin/env bash
# The Dockerfile's build, checked without a Docker engine: builds campaign-sim in
# release mode with --static-swift-stdlib into its own scratch path .build-static
# (never the debug .build), then checks what the slim runtime image relies on:
#
#   1. `ldd` lists no Swift runtime library (libswiftCore, Foundation, Dispatch,
#      ICU, ...): only the C libraries of any Debian and libjemalloc.so.2, which
#      the runtime image installs (libjemalloc2);
#   2. the binary runs from an empty directory with a scrubbed environment (no
#      toolchain on PATH, no LD_LIBRARY_PATH): --help, a tiny scenario, and a
#      sweep split in two shards and merged, byte-identical to the unsharded one.
#
# Slow (a full release build, minutes): not part of `swift test`.
#
#   scripts/static-build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

scripts/setup.sh
flags=(-c release --product campaign-sim --static-swift-stdlib --scratch-path "$root/.build-static")
swift build "${flags[@]}" >&2
bin="$(swift build "${flags[@]}" --show-bin-path)/campaign-sim"

status=0
echo "== ldd $bin"
ldd "$bin"
libraries="$(ldd "$bin" | awk '{print $1}')"
swift_runtime="$(echo "$libraries" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libicu' || true)"
if [ -n "$swift_runtime" ]; then
  echo "FAIL: Swift runtime libraries are linked dynamically:"; echo "$swift_runtime"; status=1
else
  echo "ok: no Swift runtime library"
fi
# Anything beyond glibc, the GCC runtime and jemalloc would have to be installed in the runtime image.
unexpected="$(echo "$libraries" | grep -vE '^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|/lib/ld-linux-aarch64\.so\.1|libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|libgcc_s\.so\.1|libstdc\+\+\.so\.6|libjemalloc\.so\.2)$' || true)"
if [ -n "$unexpected" ]; then
  echo "FAIL: libraries the runtime image (debian:bookworm-slim + libjemalloc2) may lack:"; echo "$unexpected"; status=1
else
  echo "ok: only glibc, the GCC runtime and libjemalloc.so.2"
fi

empty="$(mktemp -d)"
inputs="$(mktemp -d)"
trap 'rm -rf "$empty" "$inputs"' EXIT
cat > "$inputs/tiny.yaml" <<'YAML'
name: tiny
replications: 3
senders: [{id: main, throughput_mps: 10}]
campaigns:
  - id: promo
    sender: main
    audience: 100
    contacts: {invalid: 0.1}
    latency: {api: 200ms}
sweep:
  vary:
    senders.main.throughput_mps: [5, 10, 20]
YAML
clean=(env -i "PATH=/usr/bin:/bin" "HOME=$empty")
cd "$empty"
"${clean[@]}" "$bin" --help >/dev/null && echo "ok: --help from an empty directory"
"${clean[@]}" "$bin" run "$inputs/tiny.yaml" --quiet
if grep -q '"name": "tiny"' Reports/tiny/report.json 2>/dev/null; then
  echo "ok: ran a scenario: $(ls Reports/tiny | tr '\n' ' ')"
else
  echo "FAIL: no report.json from the tiny scenario"; status=1
fi
"${clean[@]}" "$bin" sweep "$inputs/tiny.yaml" --out whole --quiet
"${clean[@]}" "$bin" sweep "$inputs/tiny.yaml" --shard 1/2 --out parts --quiet
"${clean[@]}" "$bin" sweep "$inputs/tiny.yaml" --shard 2/2 --out parts --quiet
"${clean[@]}" "$bin" merge parts/partial-1-of-2.json parts/partial-2-of-2.json --out merged --quiet
for file in sweep.csv sweep.md sweep.html; do
  if cmp -s "whole/$file" "merged/$file"; then echo "ok: merged $file is byte-identical"; else echo "FAIL: merged $file differs"; status=1; fi
done
cd "$root"
ls -l "$bin" | awk '{print "binary: " $5 " bytes"}'
exit $status
