/*
 * cpu_hog: the collector's CPU contention (src/collect/_contention.ts), a busy loop that counts
 * its iterations so that the co-located load's progress can be measured.
 *
 * Usage: cpu_hog
 *
 * It spins on a volatile counter and looks at the clock every 2^16 iterations; every 0.1 s it
 * prints one line on stdout (line-buffered):
 *   P t=SECONDS iterations=TOTAL
 * where t is CLOCK_MONOTONIC and TOTAL the iterations since it started. It never exits on its
 * own (the collector kills it).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  volatile uint64_t iterations = 0;
  double last = now();
  printf("P t=%.3f iterations=0\n", last);
  for (;;) {
    for (int k = 0; k < 65536; k++) iterations++;
    double t = now();
    if (t - last >= 0.1) {
      printf("P t=%.3f iterations=%lu\n", t, (unsigned long)iterations);
      last = t;
    }
  }
}
