#!/usr/bin/env python3
"""Would the peer comparison notice a wrong reading of MODEL.md?

Agreement only means something if a model that reads MODEL.md differently
would disagree. This runs deliberately wrong copies ("mutants") of the SimPy
peer against our reports and checks that each one is caught:

* exact mutants -- the same-microsecond orders and window boundaries of the
  README's "How the model reads MODEL.md where it is silent" -- must make
  peer-exact.yaml or peer-exact-aware.yaml differ (a hang counts as caught);
* statistical mutants -- plausible modelling mistakes -- must make
  peer-mix.yaml or peer-limit.yaml disagree beyond 4 sigma;
* the unmodified peer (the control) must agree everywhere.

    python3 scripts/peer/sensitivity.py [--binary .build/release/campaign-sim]

Takes a few CPU minutes (mostly the statistical mutants); exits 1 if a mutant
goes unnoticed or the control disagrees.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402

EXACT = ["peer-exact.yaml", "peer-exact-aware.yaml"]
STATISTICAL = ["peer-mix.yaml", "peer-limit.yaml"]

# name -> (scenarios, text in simpy_campaign.py, replacement)
MUTANTS = {
    "control (unmodified peer)": (EXACT + STATISTICAL, None, None),
    "senders tied at a microsecond go in reverse file order": (
        EXACT, "self.priority = 2 + index", "self.priority = 100 - index"),
    "window end handled after dispatches at its microsecond": (
        EXACT, "        yield self.env.timeout(campaign.window_end)\n",
        "        yield RankedTimeout(self.env, campaign.window_end, 1000)\n"),
    "a retry ready at a dispatch's microsecond misses it": (
        EXACT, "        yield env.timeout(backoff)\n        if msg.state == RETRYING:",
        "        yield RankedTimeout(env, backoff, 1000)\n        if msg.state == RETRYING:"),
    "outage windows closed [start, end]": (EXACT, "if start <= now < end:", "if start <= now <= end:"),
    "throttle windows closed [start, end]": (
        EXACT, "if window[0] <= now < window[1]:", "if window[0] <= now <= window[1]:"),
    "limit window [t - 24h, t] instead of (t - 24h, t]": (
        EXACT, "accepted[0] <= now - DAY", "accepted[0] < now - DAY"),
    "retry due after the window end: retrying, even past it": (
        EXACT, "            if env.now >= c.window_end:\n                self.set_state(msg, FAILED, \"expired\")",
        "            if False:\n                pass"),
    "throttled attempts restart the throttle spacing": (
        EXACT, "                    return THROTTLED", "                    window[3] = now\n                    return THROTTLED"),
    "limit-aware pause 1 us too long": (
        EXACT, "self.accepted[0] + DAY - env.now", "self.accepted[0] + DAY + 1 - env.now"),
    "retries ordered by campaign and index only (ready time ignored)": (
        EXACT, "heapq.heappush(c.sender.ready, (env.now, c.order", "heapq.heappush(c.sender.ready, (0, c.order"),
    "receipts-off contacts never respond": (
        STATISTICAL, "            if not rng.random() < c.respond:\n",
        "            if receipts_off or not rng.random() < c.respond:\n"),
    "refused attempts count toward the messaging limit": (
        STATISTICAL, "        if code is None:\n            sender.acceptances += 1",
        "        if self.limit is not None and code is not None:\n            self.accepted.append(now)\n"
        "        if code is None:\n            sender.acceptances += 1"),
    "contact category drawn again on every attempt": (
        STATISTICAL, "        if msg.contact is None:  # one draw", "        if True:  # one draw"),
    "limit errors retried after the transient backoff": (
        STATISTICAL, "        if code == E_LIMIT:\n            backoff = self.limit_backoff",
        "        if False:\n            backoff = self.limit_backoff"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.path.join(compare.ROOT, ".build/release/campaign-sim"))
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    source = open(compare.PEER).read()
    ours = {}
    for name in EXACT + STATISTICAL:
        ours[name], _, _ = compare.run_ours(args.binary, os.path.join(here, name), 1)

    failures = 0
    with tempfile.TemporaryDirectory(prefix="peer-mutant-") as tmp:
        peer = os.path.join(tmp, "peer.py")
        for title, (scenarios, old, new) in MUTANTS.items():
            control = old is None
            if not control and source.count(old) != 1:
                sys.exit(f"mutant {title!r}: its text is not found exactly once in simpy_campaign.py")
            with open(peer, "w") as f:
                f.write(source if control else source.replace(old, new))
            verdicts, caught = [], False
            for name in scenarios:
                try:
                    done = subprocess.run([sys.executable, peer, os.path.join(here, name)], capture_output=True,
                                          text=True, timeout=60)
                except subprocess.TimeoutExpired:
                    verdicts.append(f"{name}: hangs")
                    caught = True
                    continue
                if done.returncode != 0:
                    verdicts.append(f"{name}: crashes")
                    caught = True
                    continue
                rows, ok = compare.compare(ours[name], json.loads(done.stdout))
                bad = [f"{r[0]} {r[1]}" + (f" |z|={r[4]}" if r[4] else "") for r in rows
                       if r[5] in ("DIFFERENT", "DISAGREES")]
                verdicts.append(f"{name}: " + ("agrees" if ok else f"{len(bad)} differ, e.g. {bad[0]}"))
                caught |= not ok
            good = caught != control
            failures += not good
            print(f"{'ok ' if good else 'BAD'}  {title}\n       " + "\n       ".join(verdicts), flush=True)
    print("every mutant caught, control agrees" if not failures else f"{failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
