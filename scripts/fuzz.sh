#!/usr/bin/env bash
# Fuzzes the scenario parser with libFuzzer for SECONDS (default 60), starting
# from the committed corpus (Tests/FuzzCorpus: the shipped scenarios and the
# hostile inputs of issue 10). New interesting inputs go to a scratch corpus,
# not the committed one. A crash, a hang (-timeout) or an unlocated error
# stops the run with the reproducer in .build-fuzz/artifacts/ and exit 1;
# `swift run scenario-fuzz FILE` replays it without libFuzzer.
#
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scratch=.build-fuzz
scripts/setup.sh
swift build --product scenario-fuzz --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING \
  -Xcc -fsanitize=fuzzer-no-link,address >&2
binary="$scratch/debug/scenario-fuzz"
mkdir -p "$scratch/corpus" "$scratch/artifacts"
# -timeout: one input may take at most 2 s; -rss_limit_mb: the parser's memory
# must stay bounded whatever the input; -max_len: 1 MiB, the size issue 10 promises.
# -detect_leaks=0: LeakSanitizer calls the parser's key tables (`static let`, built once)
# leaks, as Swift keeps class references in enum payloads with tag bits it cannot follow.
# What the fuzzer looks for is crashes and hangs; memory per input is bounded by -rss_limit_mb.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$binary" "$scratch/corpus" Tests/FuzzCorpus \
  -detect_leaks=0 -max_total_time="$seconds" -timeout=2 -rss_limit_mb=2048 -max_len=1048576 \
  -artifact_prefix="$scratch/artifacts/" -print_final_stats=1
