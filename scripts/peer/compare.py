#!/usr/bin/env python3
"""Side-by-side comparison of CampaignSim with its SimPy peer on scenario files.

For each scenario: runs ours (`campaign-sim run SCENARIO --out TMP --quiet`,
3 times by default; the reports must be identical apart from `engine`) and
the SimPy peer (scripts/peer/simpy_campaign.py, once, or 3 times when one run
is fast), then

* a scenario with no randomness (every probability 0 or 1, every latency
  fixed): requires IDENTICAL final states, failure reasons, errors, attempts,
  campaign states and sending_finished_at per campaign;
* any other scenario: requires every final-state fraction and every
  failure-reason fraction of every campaign to agree within 4 sigma
  (two-proportion z-test, |p1 - p2| <= 4 sqrt(pbar (1 - pbar) (1/n1 + 1/n2)),
  exact zeros on both sides agree);

prints the table, the wall times (medians) and the speed ratio (our
messages/s / SimPy messages/s), and exits 1 if anything disagrees.

    python3 scripts/peer/compare.py SCENARIO.yaml [SCENARIO.yaml ...]
        [--binary .build/release/campaign-sim] [--ours-runs 3] [--simpy-runs N] [--json FILE]

Run it through scripts/peer/compare.sh, which installs simpy and builds the binary.
"""

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEER = os.path.join(HERE, "simpy_campaign.py")

STATES = ["queued", "sending", "retrying", "sent", "delivered", "read", "responded",
          "failed", "invalid_contact", "blocked_or_spam"]
REASONS = ["retries_exhausted", "expired", "messaging_limit", "invalid", "blocked"]
SIGMAS = 4.0
FAST_SIMPY_S = 20.0  # a SimPy run faster than this is repeated to 3 runs


def timed(command):
    """Runs `command`; returns (stdout, wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.stdout, wall, cpu


def run_ours(binary, scenario, runs):
    reports, engines, cpus = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="peer-ours-") as out:
            _, _, cpu = timed([binary, "run", scenario, "--out", out, "--quiet"])
            with open(os.path.join(out, "report.json")) as f:
                report = json.load(f)
        engines.append(report.pop("engine"))
        reports.append(report)
        cpus.append(cpu)
    if any(r != reports[0] for r in reports[1:]):
        sys.exit(f"{scenario}: our reports differ between runs (outside `engine`): not deterministic")
    return reports[0], engines, cpus


def run_simpy(scenario, runs):
    summaries, cpus = [], []
    while True:
        out, _, cpu = timed([sys.executable, PEER, scenario])
        summaries.append(json.loads(out))
        cpus.append(cpu)
        if len(summaries) >= (runs or (3 if summaries[0]["engine"]["wall_s"] < FAST_SIMPY_S else 1)):
            return summaries, cpus


def z_score(x1, n1, x2, n2):
    """|z| of the two-proportion test; 0 when both sides are exactly 0 (or exactly n)."""
    pooled = (x1 + x2) / (n1 + n2)
    if pooled in (0.0, 1.0):
        return 0.0
    return abs(x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))


def count(x, n):
    return f"{x:,} ({100 * x / n:.2f}%)" if n else f"{x:,}"


def seconds(v):
    return "null" if v is None else f"{v:,.6f}".rstrip("0").rstrip(".")


def compare(ours, theirs):
    """Rows (campaign, quantity, ours, simpy, |z| or '', verdict) and whether all agree."""
    exact = theirs["deterministic"]
    rows, ok = [], True
    by_id = {c["id"]: c for c in theirs["campaigns"]}
    for o in ours["campaigns"]:
        t = by_id[o["id"]]
        n1, n2 = o["messages"], t["messages"]
        if n1 != n2:
            sys.exit(f"campaign {o['id']}: {n1} messages in ours, {n2} in SimPy")
        quantities = [(s, o["final_states"][s], t["final_states"][s]) for s in STATES]
        quantities += [(f"reason {r}", o["failure_reasons"][r], t["failure_reasons"][r]) for r in REASONS]
        for name, x1, x2 in quantities:
            if exact:
                agree = x1 == x2
                rows.append((o["id"], name, count(x1, n1), count(x2, n2), "", "=" if agree else "DIFFERENT"))
            else:
                z = z_score(x1, n1, x2, n2)
                agree = z <= SIGMAS
                rows.append((o["id"], name, count(x1, n1), count(x2, n2), f"{z:.2f}", "ok" if agree else "DISAGREES"))
            ok &= agree
        extras = [("state", o["state"], t["state"])]
        extras += [(f"error {code}", o["errors"].get(code, 0), t["errors"].get(code, 0))
                   for code in sorted(set(o["errors"]) | set(t["errors"]))]
        extras += [(f"attempts {k}", o["attempts"].get(k, 0), t["attempts"].get(k, 0))
                   for k in sorted(set(o["attempts"]) | set(t["attempts"]), key=int)]
        extras.append(("sending_finished_at_s", o["sending_finished_at_s"], t["sending_finished_at_s"]))
        for name, x1, x2 in extras:
            if exact:  # everything must match
                agree = (x1 == x2 if not isinstance(x1, float) and not isinstance(x2, float)
                         else x1 is not None and x2 is not None and abs(x1 - x2) < 5e-7)
                ok &= agree
                verdict = "=" if agree else "DIFFERENT"
            else:  # informative only: errors/attempts are counts per dispatch, not message fractions
                verdict = "(info)"
            f1 = seconds(x1) if name.startswith("sending") else (f"{x1:,}" if isinstance(x1, int) else str(x1))
            f2 = seconds(x2) if name.startswith("sending") else (f"{x2:,}" if isinstance(x2, int) else str(x2))
            rows.append((o["id"], name, f1, f2, "", verdict))
    their_senders = {s["id"]: s for s in theirs["senders"]}
    for o in ours["senders"]:
        for key in ("dispatches", "acceptances", "errors", "limit_pauses"):
            x1, x2 = o[key], their_senders[o["id"]][key]
            agree = x1 == x2 or not exact
            ok &= agree
            rows.append((f"sender {o['id']}", key, f"{x1:,}", f"{x2:,}", "",
                         ("=" if agree else "DIFFERENT") if exact else "(info)"))
    return rows, ok


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(v).ljust(w) if i < 2 else str(v).rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/campaign-sim"))
    parser.add_argument("--ours-runs", type=int, default=3)
    parser.add_argument("--simpy-runs", type=int, default=0, help="default: 1, or 3 when a run takes < 20 s")
    parser.add_argument("--json", help="also write the measured numbers here")
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} not found: build it with `swift build -c release --product campaign-sim`")

    all_ok, results = True, []
    for scenario in args.scenarios:
        scenario = os.path.abspath(scenario)
        name = os.path.relpath(scenario, ROOT)
        ours, engines, our_cpu = run_ours(args.binary, scenario, args.ours_runs)
        theirs, their_cpu = run_simpy(scenario, args.simpy_runs)
        rows, ok = compare(ours, theirs[0])
        all_ok &= ok
        exact = theirs[0]["deterministic"]
        messages = sum(c["messages"] for c in ours["campaigns"])
        dispatches = sum(s["dispatches"] for s in ours["senders"])
        our_wall = statistics.median(e["wall_s"] for e in engines)
        our_mps = statistics.median(e["messages_per_s"] for e in engines)
        their_wall = statistics.median(t["engine"]["wall_s"] for t in theirs)
        their_mps = statistics.median(t["engine"]["messages_per_s"] for t in theirs)
        ratio = our_mps / their_mps
        mode = "exact (no randomness: must be identical)" if exact else f"statistical (within {SIGMAS:g} sigma)"
        print(f"\n== {name}: {messages:,} messages, {dispatches:,} dispatches (ours); {mode}\n")
        header = ("campaign", "quantity", "ours", "simpy", "|z|" if not exact else "", "verdict")
        print(table(rows, header))
        print(f"\nengine wall (simulation only), median: ours {our_wall:.3f} s over {len(engines)} runs, "
              f"SimPy {their_wall:.3f} s over {len(theirs)} run(s)")
        print(f"messages/s, median: ours {our_mps:,.0f}, SimPy {their_mps:,.0f}: ours is {ratio:,.0f}x faster")
        print(f"process CPU (user+sys, whole command), median: ours {statistics.median(our_cpu):.3f} s, "
              f"SimPy {statistics.median(their_cpu):.3f} s")
        agreement = ("identical" if ok else "DIFFERENT") if exact else (
            f"all {sum(1 for r in rows if r[5] == 'ok')} fractions within {SIGMAS:g} sigma" if ok
            else f"{sum(1 for r in rows if r[5] == 'DISAGREES')} fraction(s) DISAGREE")
        print(f"agreement: {agreement}")
        print(f"README row: | `{name}` | {messages:,} | {our_mps:,.0f} | {their_mps:,.0f} | {ratio:,.0f}x | {agreement} |")
        results.append({"scenario": name, "messages": messages, "exact": exact, "agree": ok,
                        "agreement": agreement, "ours_wall_s": our_wall, "ours_messages_per_s": our_mps,
                        "simpy_wall_s": their_wall, "simpy_messages_per_s": their_mps, "ratio": ratio,
                        "ours_cpu_s": statistics.median(our_cpu), "simpy_cpu_s": statistics.median(their_cpu),
                        "ours_runs": len(engines), "simpy_runs": len(theirs)})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    if not all_ok:
        print("\nDISAGREEMENT: see the rows marked DIFFERENT / DISAGREES", file=sys.stderr)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
