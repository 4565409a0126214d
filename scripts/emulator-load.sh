#!/usr/bin/env bash
# Load-tests `campaign-sim serve` on loopback: starts the emulator and a webhook sink
# (`campaign-sim webhook-sink`), drives the emulator with wrk and a Lua script posting template
# messages to distinct recipients, then stops both and prints requests/s, latency percentiles
# and webhooks delivered vs expected.
#
#   scripts/emulator-load.sh [DURATION_S] [CONNECTIONS] [API_LATENCY]
#   scripts/emulator-load.sh 20 256 5ms
#
# Target (docs/performance.md): >= 20 000 requests/s, p99 <= API_LATENCY + 20 ms, every webhook
# delivered exactly once, on 2 cores shared by wrk, the sink and the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
CONNECTIONS=${2:-256}
API_LATENCY=${3:-5ms}
THREADS=${WRK_THREADS:-1}

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product campaign-sim >&2
BIN=.build/release/campaign-sim
WORK=$(mktemp -d)
trap 'kill $SINK_PID $EMU_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

cat >"$WORK/load.yaml" <<YAML
name: emulator-load
seed: 1
senders: [{id: main, phone_number_id: "106540352242922", throughput_mps: 1000000}]
campaigns:
  - id: promo
    template: spring_promo
    sender: main
    contacts: {invalid: 0.02, offline: 0.1}
    latency: {api: $API_LATENCY, deliver: 500ms}
emulator:
  access_token: load-token
  app_secret: load-secret
  webhook: {backlog: 10000000}
YAML

cat >"$WORK/send.lua" <<'LUA'
-- One template message per request, each to a new recipient (per thread, no collisions).
local counter = 0
local prefix = ""
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args) prefix = "9" .. tostring(tid) .. "0" end
wrk.method = "POST"
wrk.path = "/v21.0/106540352242922/messages"
wrk.headers["Authorization"] = "Bearer load-token"
wrk.headers["Content-Type"] = "application/json"
function request()
  counter = counter + 1
  local body = '{"messaging_product":"whatsapp","recipient_type":"individual","to":"' .. prefix .. counter ..
    '","type":"template","template":{"name":"spring_promo","language":{"code":"en_US"}}}'
  return wrk.format(nil, nil, nil, body)
end
LUA

"$BIN" webhook-sink --port 0 --app-secret load-secret >"$WORK/sink.out" 2>"$WORK/sink.err" &
SINK_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/sink.out" 2>/dev/null && break; sleep 0.1; done
SINK_PORT=$(head -1 "$WORK/sink.out" | sed 's/.*://')

"$BIN" serve "$WORK/load.yaml" --port 0 --out "$WORK/report" \
  --webhook "http://127.0.0.1:$SINK_PORT/webhook" --skip-verify >"$WORK/serve.out" 2>"$WORK/serve.err" &
EMU_PID=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(head -1 "$WORK/serve.out" | sed 's/.*://')

echo "wrk: ${DURATION}s, $CONNECTIONS connections, $THREADS thread(s), api latency $API_LATENCY" >&2
time wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/send.lua" "http://127.0.0.1:$PORT" \
  | tee "$WORK/wrk.out"

# CPU seconds each process used (user + system), to see where the two cores went.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }
echo "cpu seconds: emulator $(cpu $EMU_PID), sink $(cpu $SINK_PID) (wrk: see 'time' above)" | tee "$WORK/cpu.out"
kill -TERM $EMU_PID
wait $EMU_PID || true
# Statuses due by the stop are posted before the report is written; then stop the sink.
kill -TERM $SINK_PID
wait $SINK_PID || true

python3 - "$WORK" <<'PY'
import json, re, sys
work = sys.argv[1]
wrk = open(f"{work}/wrk.out").read()
report = json.load(open(f"{work}/report/report.json"))
sink = json.loads(open(f"{work}/sink.out").read().strip().splitlines()[-1])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", wrk, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
w = report["webhooks"]
expected = w["scheduled"] - w["waiting_at_stop"] - w["dropped"]
print(f"requests/s: {rps:,.0f}   latency p50 {lat.get('50')}  p90 {lat.get('90')}  p99 {lat.get('99')}")
print(f"non-2xx answers: {errors.group(1) if errors else 0}   requests served: {report['requests']}")
print(f"webhooks: expected {expected} (due by stop), emulator delivered {w['sent']}, sink received "
      f"{sink['unique']} unique, {sink['repeats']} repeats, {sink['bad_signatures']} bad signatures; "
      f"{w['waiting_at_stop']} not yet due at stop, {w['dropped']} dropped, {w['redelivered']} redelivered")
ok = sink["unique"] == expected == w["sent"] and sink["repeats"] == 0 and sink["bad_signatures"] == 0
print("webhooks delivered exactly once: " + ("yes" if ok else "NO"))
PY
