// The physical limit of Scenarios/bench/mixed-10m.yaml (issue 12): only the
// per-message work the simulator cannot avoid — the same counter-based random
// draws and transforms, the same HdrHistogram slot arithmetic for the four
// latency spans, the same time-series bucket increments — and nothing else: no
// event queue, no retries, no sender state, no limit window. campaign-sim's
// messages/s on the same scenario is reported as a ratio of this program's
// (docs/performance.md).
//
//   cc -O2 -o /tmp/mixed Benchmarks/PhysicalLimit/mixed.c -lm
//   /tmp/mixed 10000000 5      # messages, runs: prints the median messages/s and a checksum
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static inline uint64_t child(uint64_t key, uint64_t i) { return mix64(key + mix64(i + 0x9E3779B97F4A7C15ull)); }
static inline uint64_t bits(uint64_t key, uint64_t i) { return mix64(key + (i + 1) * 0x9E3779B97F4A7C15ull); }
static inline double uniform(uint64_t key, uint64_t i) { return (double)(bits(key, i) >> 11) * 0x1.0p-53; }
static inline double open_uniform(uint64_t key, uint64_t i) { return ((double)(bits(key, i) >> 11) + 0.5) * 0x1.0p-53; }

static inline int64_t round_us(double v) {
  int64_t whole = (int64_t)v;
  return v - (double)whole >= 0.5 ? whole + 1 : whole;
}
static inline int64_t exponential(double mean, double u) { return round_us(-mean * log1p(-u)); }
static inline double inverse_normal(double p) {  // Acklam, as Sources/SimKernel/Distribution.swift
  const double a0 = -3.969683028665376e+01, a1 = 2.209460984245205e+02, a2 = -2.759285104469687e+02;
  const double a3 = 1.383577518672690e+02, a4 = -3.066479806614716e+01, a5 = 2.506628277459239e+00;
  const double b0 = -5.447609879822406e+01, b1 = 1.615858368580409e+02, b2 = -1.556989798598866e+02;
  const double b3 = 6.680131188771972e+01, b4 = -1.328068155288572e+01;
  const double c0 = -7.784894002430293e-03, c1 = -3.223964580411365e-01, c2 = -2.400758277161838e+00;
  const double c3 = -2.549732539343734e+00, c4 = 4.374664141464968e+00, c5 = 2.938163982698783e+00;
  const double d0 = 7.784695709041462e-03, d1 = 3.224671290700398e-01, d2 = 2.445134137142996e+00;
  const double d3 = 3.754408661907416e+00;
  if (p < 0.02425) {
    double q = sqrt(-2 * log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - 0.02425) {
    double q = sqrt(-2 * log1p(-p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  double q = p - 0.5, r = q * q;
  return (((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q /
         (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

// HdrHistogram with 3 significant digits: 2048 sub-buckets, the slot of a value
// from its leading zeros, as hdrhistogram-swift computes countsIndex.
enum { SUB_BUCKET_BITS = 11, SUB_BUCKET_HALF_BITS = 10, SLOTS = 64 * 1024 };
typedef struct { uint64_t counts[SLOTS]; uint64_t min, max, total; } Hist;
static inline void hist_record(Hist *h, uint64_t v) {
  int pow2ceiling = 64 - __builtin_clzll(v | 2047);
  int bucket = pow2ceiling - SUB_BUCKET_BITS;
  int sub = (int)(v >> bucket);
  int index = ((bucket + 1) << SUB_BUCKET_HALF_BITS) + (sub - (1 << SUB_BUCKET_HALF_BITS));
  if (index >= SLOTS) index = SLOTS - 1;
  h->counts[index]++;
  h->total++;
  if (v < h->min) h->min = v;
  if (v > h->max) h->max = v;
}

// Time-series counters: dispatches, accepted, sent, delivered, read, responded
// and the failure states, per bucket, as the engine's CounterArena keeps them.
enum { COLUMNS = 12, BUCKETS = 4096 };
static uint64_t series[BUCKETS * COLUMNS];
static const int64_t bucket_width = 10 * 60 * 1000000ll;  // the report's default for a 3-day run
static inline void bump(int64_t t, int column) {
  int64_t b = t / bucket_width;
  if (b >= BUCKETS) b = BUCKETS - 1;
  series[b * COLUMNS + column]++;
}

static Hist spans[4];

static uint64_t run(uint64_t n) {
  const uint64_t campaign = child(mix64(10 ^ 0x6A09E667F3BCC909ull), 0xC0FFEE);
  uint64_t checksum = 0;
  const double sigma = (log(6 * 3600e6) - log(10 * 60e6)) / 1.2815515655446004;
  const double mu = log(10 * 60e6);
  for (uint64_t m = 0; m < n; m++) {
    const int64_t dispatch = (int64_t)m * 1000;  // 1000 msg/s
    const uint64_t contact = child(campaign, m);
    const uint64_t attempt = child(contact, 0);
    bump(dispatch, 0);
    if (uniform(attempt, 0) < 0.01) {  // transient error: the engine would retry
      bump(dispatch, 6);
      continue;
    }
    const double category = uniform(contact, 11);
    if (category < 0.03) { bump(dispatch, 7); continue; }  // invalid
    const int64_t sent = dispatch + exponential(200e3, open_uniform(attempt, 1));
    hist_record(&spans[0], (uint64_t)(sent - 0));
    bump(sent, 1);
    bump(sent, 2);
    if (uniform(contact, 0) < 0.05) continue;  // blocked silently or offline: stays sent
    const int64_t delivered = sent + exponential(5e6, open_uniform(contact, 2));
    hist_record(&spans[1], (uint64_t)(delivered - sent));
    bump(delivered, 3);
    if (!(uniform(contact, 3) < 0.7)) continue;
    const int64_t read = delivered + round_us(exp(mu + sigma * inverse_normal(open_uniform(contact, 4))));
    const int visible = !(uniform(contact, 1) < 0.15);
    if (visible) { hist_record(&spans[2], (uint64_t)(read - delivered)); bump(read, 4); }
    if (!(uniform(contact, 5) < 0.1)) continue;
    const int64_t responded = read + round_us(60e6 + open_uniform(contact, 6) * (29 * 60e6));
    hist_record(&spans[3], (uint64_t)(responded - read));
    bump(responded, 5);
    checksum += (uint64_t)responded;
  }
  return checksum;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000ull;
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  if (runs < 1 || runs > 99) runs = 5;
  double rates[99];
  uint64_t checksum = 0;
  for (int r = 0; r < runs; r++) {
    memset(spans, 0, sizeof spans);
    for (int s = 0; s < 4; s++) spans[s].min = UINT64_MAX;
    memset(series, 0, sizeof series);
    double start = now();
    checksum ^= run(n);
    rates[r] = n / (now() - start);
  }
  qsort(rates, runs, sizeof rates[0], by_value);
  uint64_t recorded = spans[0].total + spans[1].total + spans[2].total + spans[3].total;
  printf("messages: %llu\nmessages/s: %.0f\nrange: %.0f-%.0f\nrecorded: %llu checksum: %016llx\n",
         (unsigned long long)n, rates[runs / 2], rates[0], rates[runs - 1], (unsigned long long)recorded,
         (unsigned long long)checksum);
  return 0;
}
