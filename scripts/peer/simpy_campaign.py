#!/usr/bin/env python3
"""MODEL.md (the campaign model) written the way a SimPy user would write it.

An independent peer of CampaignSim for side-by-side comparison: same scenario
files, same semantics, but plain SimPy idioms -- one `simpy.Environment`, a
process per sender pulling ready messages from a heap keyed by
(ready_time, campaign order, message index), `env.timeout` for the dispatch
interval, the API response, the retry backoffs and the after-acceptance chain
(one process per dispatched attempt), the messaging limit as a deque of
acceptance times, outages/throttles as windows checked at dispatch and window
expiry as one process per campaign. Time is integer microseconds (MODEL.md §1).

Randomness comes from one shared `random.Random(seed)`, as a SimPy user would
do it, so the numbers agree with CampaignSim's statistically, not exactly --
except on scenarios without randomness, where they must be identical.

Where MODEL.md is silent it follows the choices listed in CampaignSim's README
("How the model reads MODEL.md where it is silent"); the ones that need care in
SimPy are marked "README choice N" below.

    python3 scripts/peer/simpy_campaign.py SCENARIO.yaml [--seed N] [--out FILE]

prints (or writes) a JSON summary: per campaign the final state counts,
failure reasons, errors by code, attempts histogram and sending_finished_at_s,
plus the wall time and messages per second.
"""

import argparse
import heapq
import json
import math
import random
import re
import sys
import time
from collections import deque
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from statistics import NormalDist

import simpy
import yaml

US, MS, S, MIN, H, D = 1, 1_000, 1_000_000, 60_000_000, 3_600_000_000, 86_400_000_000
UNITS = {"us": US, "ms": MS, "s": S, "m": MIN, "h": H, "d": D}
DAY = D
MAX_SAMPLE = 10**15  # 10^9 s, as CampaignSim caps samples

STATES = ["queued", "sending", "retrying", "sent", "delivered", "read", "responded",
          "failed", "invalid_contact", "blocked_or_spam"]
QUEUED, SENDING, RETRYING, SENT, DELIVERED, READ, RESPONDED, FAILED, INVALID, BLOCKED = STATES
IN_PROGRESS = {QUEUED, SENDING, RETRYING}
REACHED_DELIVERY = {DELIVERED, READ, RESPONDED}
EDGES = {  # MODEL.md §3: every legal transition
    (QUEUED, SENDING), (RETRYING, SENDING), (SENDING, SENT), (SENDING, RETRYING),
    (SENDING, INVALID), (SENDING, BLOCKED), (SENDING, FAILED), (SENT, DELIVERED),
    (DELIVERED, READ), (DELIVERED, RESPONDED), (READ, RESPONDED),
    (QUEUED, FAILED), (RETRYING, FAILED),
}
REASONS = ["retries_exhausted", "expired", "messaging_limit", "invalid", "blocked"]
THROTTLED, TRANSIENT, OUTAGE, E_INVALID, E_BLOCKED, E_LIMIT = 130429, 131000, 131016, 131026, 131048, 131049
CODES = [THROTTLED, TRANSIENT, OUTAGE, E_INVALID, E_BLOCKED, E_LIMIT]

# Contact categories (MODEL.md §5)
C_INVALID, C_BLOCKED, C_OFFLINE, C_REACHABLE = range(4)

# ---------------------------------------------------------------- scenario file


class ScenarioError(Exception):
    pass


def parse_duration(value, key):
    """MODEL.md §1: `<number><unit>` or bare seconds, rounded to the nearest µs (halves up)."""
    if isinstance(value, bool):
        raise ScenarioError(f"{key}: expected a duration, found {value!r}")
    if isinstance(value, (int, float)):
        number, scale = Decimal(str(value)), S
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(\d*\.?\d*)\s*(us|ms|s|m|h|d)?\s*", value)
        if not m or m.group(1) in ("", "."):
            raise ScenarioError(f"{key}: expected a duration like 250ms, 1.5s, 12h, found {value!r}")
        number, scale = Decimal(m.group(1)), UNITS[m.group(2) or "s"]
    else:
        raise ScenarioError(f"{key}: expected a duration, found {value!r}")
    try:
        micros = int((number * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        raise ScenarioError(f"{key}: duration out of range: {value!r}") from None
    if micros < 0:
        raise ScenarioError(f"{key}: negative duration {value!r}")
    return micros


def check_keys(mapping, allowed, key):
    if not isinstance(mapping, dict):
        raise ScenarioError(f"{key}: expected a mapping, found {mapping!r}")
    for k in mapping:
        if k not in allowed:
            raise ScenarioError(f"{key}: unknown key {k!r}")


def probability(mapping, name, key):
    p = mapping.get(name, 0)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise ScenarioError(f"{key}.{name}: expected a probability in [0, 1], found {p!r}")
    return float(p)


def latency_sampler(spec, rng, key):
    """A zero-argument function drawing one latency in µs, and whether it is random."""
    if not isinstance(spec, dict):
        value = parse_duration(spec, key)
        return (lambda: value), False
    check_keys(spec, {"exponential", "lognormal", "uniform"}, key)
    if len(spec) != 1:
        raise ScenarioError(f"{key}: expected exactly one distribution")
    kind, arg = next(iter(spec.items()))
    if kind == "exponential":
        mean = parse_duration(arg, f"{key}.exponential")
        if mean == 0:
            return (lambda: 0), False
        rate = 1.0 / mean
        return (lambda: rounded(rng.expovariate(rate))), True
    if kind == "lognormal":
        check_keys(arg, {"median", "p90"}, f"{key}.lognormal")
        median = parse_duration(arg["median"], f"{key}.lognormal.median")
        p90 = parse_duration(arg["p90"], f"{key}.lognormal.p90")
        if median <= 0 or p90 < median:
            raise ScenarioError(f"{key}.lognormal: need 0 < median <= p90")
        mu, sigma = math.log(median), math.log(p90 / median) / NormalDist().inv_cdf(0.9)
        if sigma == 0:
            return (lambda: median), False
        return (lambda: rounded(rng.lognormvariate(mu, sigma))), True
    if not isinstance(arg, list) or len(arg) != 2:
        raise ScenarioError(f"{key}.uniform: expected [LOW, HIGH]")
    low, high = (parse_duration(v, f"{key}.uniform") for v in arg)
    if high < low:
        raise ScenarioError(f"{key}.uniform: LOW > HIGH")
    return (lambda: rounded(rng.uniform(low, high))), high > low


def rounded(x):
    return MAX_SAMPLE if x >= MAX_SAMPLE else int(x + 0.5)


def load_scenario(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    check_keys(doc, {"name", "seed", "replications", "horizon", "business", "pacing", "senders",
                     "campaigns", "faults", "retry", "report"}, path)
    return doc


# ---------------------------------------------------------------- the model


class RankedTimeout(simpy.events.Event):
    """`env.timeout` with an explicit priority.

    SimPy orders events of one instant by (priority, creation). CampaignSim's
    same-microsecond order (README choice 1) is: window ends and API responses
    and retries becoming ready (priority NORMAL = 1) before any dispatch, and
    senders in file order (priority 2 + sender index) -- the order matters for
    the shared messaging limit.
    """

    def __init__(self, env, delay, priority):
        self.env, self.callbacks, self._value, self._ok = env, [], None, True
        env.schedule(self, priority, delay)


class Message:
    __slots__ = ("campaign", "index", "state", "attempts", "contact")

    def __init__(self, campaign, index):
        self.campaign, self.index = campaign, index
        self.state, self.attempts, self.contact = QUEUED, 0, None


class Sender:
    def __init__(self, index, spec):
        self.index, self.id = index, spec["id"]
        mps = spec.get("throughput_mps", 80)
        self.interval = int(1_000_000 // mps)
        self.priority = 2 + index
        self.ready = []  # heap of (ready_time, campaign order, message index, message)
        self.wake = None  # event the idle sender waits on
        self.outages, self.throttles = [], []  # [start, end) windows
        self.dispatches = self.acceptances = self.errors = self.limit_pauses = 0


class Campaign:
    def __init__(self, order, spec, senders, rng):
        key = f"campaigns[{order}]"
        check_keys(spec, {"id", "sender", "start", "window", "audience", "contacts", "blocked_signal",
                          "engagement", "latency"}, key)
        self.order, self.id = order, spec["id"]
        self.sender = senders[spec["sender"]]
        self.start = parse_duration(spec.get("start", 0), f"{key}.start")
        self.window_end = self.start + parse_duration(spec.get("window", "3d"), f"{key}.window")
        self.audience = int(spec["audience"])
        contacts = spec.get("contacts", {}) or {}
        check_keys(contacts, {"invalid", "blocked", "offline", "read_receipts_off"}, f"{key}.contacts")
        p = {k: probability(contacts, k, f"{key}.contacts") for k in ("invalid", "blocked", "offline",
                                                                        "read_receipts_off")}
        self.invalid_below = p["invalid"]
        self.blocked_below = p["invalid"] + p["blocked"]
        self.offline_below = p["invalid"] + p["blocked"] + p["offline"]
        self.receipts_off = p["read_receipts_off"]
        self.blocked_is_error = spec.get("blocked_signal", "error") == "error"
        engagement = spec.get("engagement", {}) or {}
        check_keys(engagement, {"read", "respond"}, f"{key}.engagement")
        self.read = probability(engagement, "read", f"{key}.engagement")
        self.respond = probability(engagement, "respond", f"{key}.engagement")
        latency = spec.get("latency", {}) or {}
        check_keys(latency, {"api", "deliver", "read", "respond"}, f"{key}.latency")
        self.random_latency = False
        for name in ("api", "deliver", "read", "respond"):
            sampler, random_ = latency_sampler(latency.get(name, 0), rng, f"{key}.latency.{name}")
            setattr(self, f"{name}_latency", sampler)
            self.random_latency |= random_
        self.messages = [Message(self, i) for i in range(self.audience)]
        self.closed = False
        self.first_dispatch = None
        self.finished_at = None  # last time a message left queued/sending/retrying
        self.reasons = dict.fromkeys(REASONS, 0)
        self.errors = dict.fromkeys(CODES, 0)

    def probabilities(self):
        return [self.invalid_below, self.blocked_below - self.invalid_below,
                self.offline_below - self.blocked_below, self.receipts_off, self.read, self.respond]


class CampaignSimulation:
    def __init__(self, doc, seed=None):
        self.rng = random.Random(doc.get("seed", 42) if seed is None else seed)
        self.env = simpy.Environment()
        business = doc.get("business", {}) or {}
        check_keys(business, {"messaging_limit"}, "business")
        limit = business.get("messaging_limit", "unlimited")
        self.limit = None if limit == "unlimited" else int(limit)
        if self.limit is not None and self.limit <= 0:
            raise ScenarioError(f"business.messaging_limit: expected an integer > 0 or unlimited, found {limit!r}")
        if doc.get("replications", 1) != 1:
            print("simpy_campaign: runs one replication only (replications ignored)", file=sys.stderr)
        self.limit_aware = doc.get("pacing", "naive") == "limit_aware"
        self.accepted = deque()  # dispatch times of acceptances in the rolling 24 h

        self.senders = {}
        for i, spec in enumerate(doc["senders"]):
            check_keys(spec, {"id", "throughput_mps"}, f"senders[{i}]")
            self.senders[spec["id"]] = Sender(i, spec)
        self.campaigns = [Campaign(i, spec, self.senders, self.rng) for i, spec in enumerate(doc["campaigns"])]

        faults = doc.get("faults", {}) or {}
        check_keys(faults, {"transient_error_rate", "outages", "throttles"}, "faults")
        self.transient_rate = probability(faults, "transient_error_rate", "faults")
        for i, o in enumerate(faults.get("outages", []) or []):
            start = parse_duration(o.get("start", 0), f"faults.outages[{i}].start")
            end = start + parse_duration(o["duration"], f"faults.outages[{i}].duration")
            self.senders[o["sender"]].outages.append((start, end))
        for i, t in enumerate(faults.get("throttles", []) or []):
            start = parse_duration(t.get("start", 0), f"faults.throttles[{i}].start")
            end = start + parse_duration(t["duration"], f"faults.throttles[{i}].duration")
            # [start, end, spacing, time of the last attempt that passed the rule]
            self.senders[t["sender"]].throttles.append([start, end, int(1_000_000 // t["mps"]), None])

        retry = doc.get("retry", {}) or {}
        check_keys(retry, {"max_retries", "transient_backoff", "limit_backoff"}, "retry")
        self.max_retries = int(retry.get("max_retries", 3))
        self.transient_backoff = [parse_duration(b, "retry.transient_backoff")
                                  for b in retry.get("transient_backoff", ["30s", "2m", "10m"])]
        self.limit_backoff = parse_duration(retry.get("limit_backoff", "12h"), "retry.limit_backoff")
        if "horizon" in doc:
            self.horizon = parse_duration(doc["horizon"], "horizon")
        else:
            self.horizon = max((c.window_end for c in self.campaigns), default=0) + DAY

        self.deterministic = (
            not any(c.random_latency for c in self.campaigns)
            and all(p in (0.0, 1.0) for c in self.campaigns for p in c.probabilities())
            and self.transient_rate in (0.0, 1.0))

    # ------------------------------------------------------------ processes

    def campaign_start(self, campaign):
        """First attempts become ready at the campaign's start."""
        if campaign.start:
            yield self.env.timeout(campaign.start)
        sender, now, order = campaign.sender, self.env.now, campaign.order
        for msg in campaign.messages:
            heapq.heappush(sender.ready, (now, order, msg.index, msg))
        self.wake(sender)

    def window_end(self, campaign):
        """At start + window every message still queued or retrying expires."""
        yield self.env.timeout(campaign.window_end)
        campaign.closed = True
        for msg in campaign.messages:
            if msg.state == QUEUED or msg.state == RETRYING:
                self.set_state(msg, FAILED, "expired")

    def sender_process(self, sender):
        env = self.env
        yield RankedTimeout(env, 0, sender.priority)
        while True:
            entry = self.next_ready(sender)
            if entry is None:  # idle until something becomes ready
                sender.wake = env.event()
                yield sender.wake
                yield RankedTimeout(env, 0, sender.priority)
                continue
            if self.limit_aware and self.limit_count(env.now) >= self.limit:
                # Stand still until the oldest counted acceptance leaves the 24 h window.
                heapq.heappush(sender.ready, entry)  # its messages stay queued
                sender.limit_pauses += 1
                yield RankedTimeout(env, self.accepted[0] + DAY - env.now, sender.priority)
                continue
            self.dispatch(sender, entry[3])
            yield RankedTimeout(env, sender.interval, sender.priority)

    def attempt(self, msg, code, api_latency):
        """The API response, then (if accepted) the after-acceptance chain."""
        env, rng, c = self.env, self.rng, msg.campaign
        yield env.timeout(api_latency)
        if code is None:
            self.set_state(msg, SENT)
            if msg.contact != C_REACHABLE:  # offline, or blocked with a silent signal
                return
            yield env.timeout(c.deliver_latency())
            self.set_state(msg, DELIVERED)
            if not rng.random() < c.read:
                return
            receipts_off = rng.random() < c.receipts_off
            yield env.timeout(c.read_latency())
            if not receipts_off:  # README choice 6: with receipts off the read is invisible
                self.set_state(msg, READ)
            if not rng.random() < c.respond:
                return
            yield env.timeout(c.respond_latency())
            self.set_state(msg, RESPONDED)
            return
        if code == E_INVALID:
            self.set_state(msg, INVALID, "invalid")
            return
        if code == E_BLOCKED:
            self.set_state(msg, BLOCKED, "blocked")
            return
        retries_used = msg.attempts - 1
        if retries_used >= self.max_retries:
            if code == E_LIMIT:
                self.set_state(msg, BLOCKED, "messaging_limit")
            else:
                self.set_state(msg, FAILED, "retries_exhausted")
            return
        if code == E_LIMIT:
            backoff = self.limit_backoff
        elif self.transient_backoff:
            backoff = self.transient_backoff[min(retries_used, len(self.transient_backoff) - 1)]
        else:
            backoff = 0
        if env.now + backoff >= c.window_end:
            # README choice 5: the retry cannot happen inside the window.
            if env.now >= c.window_end:
                self.set_state(msg, FAILED, "expired")
            else:
                self.set_state(msg, RETRYING)  # window_end() expires it
            return
        self.set_state(msg, RETRYING)
        yield env.timeout(backoff)
        if msg.state == RETRYING:
            heapq.heappush(c.sender.ready, (env.now, c.order, msg.index, msg))
            self.wake(c.sender)

    # ------------------------------------------------------------ dispatch

    def wake(self, sender):
        if sender.wake is not None and not sender.wake.triggered:
            sender.wake.succeed()
            sender.wake = None

    def next_ready(self, sender):
        """Pops the entry of the ready message with the smallest (ready time, campaign order, index)."""
        ready = sender.ready
        while ready:
            entry = heapq.heappop(ready)
            msg = entry[3]
            if msg.campaign.closed or msg.state not in (QUEUED, RETRYING):
                continue  # expired while waiting
            return entry
        return None

    def limit_count(self, now):
        accepted = self.accepted
        while accepted and accepted[0] <= now - DAY:
            accepted.popleft()
        return len(accepted)

    def dispatch(self, sender, msg):
        now, c = self.env.now, msg.campaign
        msg.attempts += 1
        self.set_state(msg, SENDING)
        if c.first_dispatch is None:
            c.first_dispatch = now
        sender.dispatches += 1
        code = self.decide(sender, msg, now)
        if code is None:
            sender.acceptances += 1
            if self.limit is not None:
                self.accepted.append(now)  # counts toward the limit from its dispatch time
        else:
            sender.errors += 1
            c.errors[code] += 1
        self.env.process(self.attempt(msg, code, c.api_latency()))

    def decide(self, sender, msg, now):
        """MODEL.md §4 rules 1-7, decided at dispatch: an error code, or None (accepted)."""
        for start, end in sender.outages:
            if start <= now < end:
                return OUTAGE
        for window in sender.throttles:
            if window[0] <= now < window[1]:
                if window[3] is not None and now - window[3] < window[2]:
                    return THROTTLED
                window[3] = now
                break
        c = msg.campaign
        if msg.contact is None:  # one draw per contact, kept across attempts
            u = self.rng.random()
            msg.contact = (C_INVALID if u < c.invalid_below else C_BLOCKED if u < c.blocked_below
                           else C_OFFLINE if u < c.offline_below else C_REACHABLE)
        if msg.contact == C_INVALID:
            return E_INVALID
        if msg.contact == C_BLOCKED and c.blocked_is_error:
            return E_BLOCKED
        if self.limit is not None and self.limit_count(now) >= self.limit:
            return E_LIMIT
        if self.transient_rate > 0 and self.rng.random() < self.transient_rate:
            return TRANSIENT
        return None

    def set_state(self, msg, new, reason=None):
        old = msg.state
        assert (old, new) in EDGES, f"illegal transition {old} -> {new}"
        msg.state = new
        c = msg.campaign
        if reason is not None:
            c.reasons[reason] += 1
        if old in IN_PROGRESS and new not in IN_PROGRESS:
            c.finished_at = self.env.now

    # ------------------------------------------------------------ run

    def run(self):
        env = self.env
        for c in self.campaigns:
            env.process(self.campaign_start(c))
            env.process(self.window_end(c))
        for s in self.senders.values():
            env.process(self.sender_process(s))
        # Events exactly at the horizon happen, nothing after it does.
        env.run(until=self.horizon + 1)
        return self.summary()

    def summary(self):
        campaigns = []
        for c in self.campaigns:
            states = dict.fromkeys(STATES, 0)
            attempts = dict.fromkeys(map(str, range(self.max_retries + 2)), 0)
            for msg in c.messages:
                states[msg.state] += 1
                attempts[str(msg.attempts)] += 1
            unfinished = any(states[s] for s in IN_PROGRESS)
            campaigns.append({
                "id": c.id,
                "state": "completed" if any(states[s] for s in REACHED_DELIVERY) else "failed",
                "messages": c.audience,
                "final_states": states,
                "failure_reasons": c.reasons,
                "errors": {str(code): n for code, n in c.errors.items()},
                "attempts": attempts,
                "sending_finished_at_s": None if unfinished or c.finished_at is None else c.finished_at / S,
            })
        return {
            "horizon_s": self.horizon / S,
            "deterministic": self.deterministic,
            "campaigns": campaigns,
            "senders": [{"id": s.id, "dispatches": s.dispatches, "acceptances": s.acceptances,
                         "errors": s.errors, "limit_pauses": s.limit_pauses} for s in self.senders.values()],
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--seed", type=int, help="seed for random.Random (default: the scenario's)")
    parser.add_argument("--out", help="write the JSON summary here instead of stdout")
    args = parser.parse_args()
    try:
        doc = load_scenario(args.scenario)
        started = time.perf_counter()  # timed like CampaignSim's engine.wall_s: setup + run, no file I/O
        sim = CampaignSimulation(doc, args.seed)
    except (ScenarioError, KeyError, TypeError, ValueError, yaml.YAMLError) as error:
        print(f"{args.scenario}: error: {error!s}", file=sys.stderr)
        return 2
    result = sim.run()
    wall = time.perf_counter() - started
    messages = sum(c.audience for c in sim.campaigns)
    result = {"scenario": args.scenario, "seed": args.seed if args.seed is not None else doc.get("seed", 42),
              **result,
              "engine": {"wall_s": wall, "messages": messages, "messages_per_s": messages / wall if wall else 0,
                         "simpy": simpy.__version__}}
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
