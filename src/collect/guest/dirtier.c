/*
 * dirtier: the guest workload of the migration collector (src/collect/).
 *
 * Usage: dirtier WSS_MIB PAGES_PER_SECOND FILL [PATTERN]
 *   WSS_MIB           working set in MiB; "full" = all memory left after the filler margin
 *   PAGES_PER_SECOND  pages to dirty per second
 *   FILL              1: fill the rest of free memory with non-zero data (so that QEMU must
 *                     send it as normal pages), 0: leave it untouched
 *   PATTERN           "sweep" (default): round-robin over the working set; "random": each write
 *                     goes to a uniformly random page of the working set (xorshift64)
 *
 * Every dirty write stores a fresh non-zero 64-bit sequence number in the page's first word and
 * records it in a table, so zero-page detection cannot skip a page and a page whose last write
 * was lost in migration is detected on "v" (verify). Writes are paced in batches of 1 ms.
 *
 * Serial console protocol (one line each):
 *   READY wss_bytes=N filler_bytes=N filler_sum=HEX          after the fill, before dirtying
 *   RATE t=SECONDS pages=TOTAL rate=PAGES_PER_SECOND          every second (rate over the last second)
 *   P t=SECONDS pages=TOTAL                                   every 0.1 s (progress, for the
 *                                                             collector's progress trace)
 *   VERIFY ok|bad filler_sum=HEX stale_pages=N t=SECONDS     answer to a line "v" on stdin
 *
 * The filler checksum covers 8 words per 4 KiB page (every 512 bytes), which catches a whole
 * page lost or zeroed in migration at 1/64 of the cost of summing every byte under TCG.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define WORDS_PER_CHECK 8
#define MARGIN_BYTES (40UL << 20)

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t xorshift(uint64_t *s) {
  uint64_t x = *s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *s = x;
  return x;
}

static uint64_t available_bytes(void) {
  FILE *f = fopen("/proc/meminfo", "r");
  char line[256];
  uint64_t kib = 0;
  if (!f) return 0;
  while (fgets(line, sizeof line, f)) {
    if (sscanf(line, "MemAvailable: %lu kB", &kib) == 1) break;
  }
  fclose(f);
  return kib * 1024UL;
}

static uint64_t filler_sum(uint64_t *filler, uint64_t pages) {
  uint64_t sum = 0x9e3779b97f4a7c15ULL;
  for (uint64_t p = 0; p < pages; p++) {
    uint64_t *w = filler + p * (PAGE / 8);
    for (int k = 0; k < WORDS_PER_CHECK; k++) {
      sum = (sum ^ w[k * 64]) * 0x100000001b3ULL;
    }
  }
  return sum;
}

static void *map(uint64_t bytes) {
  if (bytes == 0) return NULL;
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    printf("ERROR mmap %lu bytes: %s\n", (unsigned long)bytes, strerror(errno));
    fflush(stdout);
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    printf("ERROR usage: dirtier WSS_MIB|full PAGES_PER_SECOND FILL [sweep|random]\n");
    return 2;
  }
  int random_pattern = argc == 5 && strcmp(argv[4], "random") == 0;
  if (argc == 5 && !random_pattern && strcmp(argv[4], "sweep") != 0) {
    printf("ERROR pattern %s, expected sweep or random\n", argv[4]);
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  int full = strcmp(argv[1], "full") == 0;
  uint64_t avail = available_bytes();
  uint64_t usable = avail > MARGIN_BYTES ? (avail - MARGIN_BYTES) & ~(PAGE - 1) : 0;
  uint64_t wss = full ? usable / (PAGE + 8) * PAGE : ((uint64_t)strtoull(argv[1], NULL, 10) << 20);
  double rate = strtod(argv[2], NULL);
  int fill = atoi(argv[3]);
  if (wss > usable) {
    printf("ERROR wss %lu bytes exceeds usable memory %lu bytes\n", (unsigned long)wss,
           (unsigned long)usable);
    return 1;
  }
  uint64_t wss_pages = wss / PAGE;
  uint64_t *table = wss_pages ? map(wss_pages * 8) : NULL;
  uint64_t *region = map(wss);
  uint64_t table_bytes = (wss_pages * 8 + PAGE - 1) / PAGE * PAGE;
  /* With WSS "full" nothing is left to fill. */
  uint64_t filler_bytes = fill && usable > wss + table_bytes ? usable - wss - table_bytes : 0;
  uint64_t filler_pages = filler_bytes / PAGE;
  uint64_t *filler = map(filler_pages * PAGE);
  uint64_t seed = 0x2545f4914f6cdd1dULL;
  uint64_t page_seed = 0x9e3779b97f4a7c15ULL;
  uint64_t seq = 1;

  /* Touch the working set with its first sequence numbers (non-zero). */
  for (uint64_t p = 0; p < wss_pages; p++) {
    uint64_t *w = region + p * (PAGE / 8);
    for (int k = 1; k < WORDS_PER_CHECK; k++) w[k * 64] = xorshift(&seed) | 1;
    w[0] = seq;
    table[p] = seq;
    seq++;
  }
  for (uint64_t p = 0; p < filler_pages; p++) {
    uint64_t *w = filler + p * (PAGE / 8);
    for (int k = 0; k < WORDS_PER_CHECK; k++) w[k * 64] = xorshift(&seed) | 1;
  }
  uint64_t sum0 = filler_sum(filler, filler_pages);
  printf("READY wss_bytes=%lu filler_bytes=%lu filler_sum=%016lx available_bytes=%lu\n",
         (unsigned long)wss, (unsigned long)(filler_pages * PAGE), (unsigned long)sum0,
         (unsigned long)avail);

  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  double start = now();
  double last_report = start;
  double last_progress = start;
  uint64_t written = 0, written_at_report = 0, next = 0;
  char input[64];
  size_t input_len = 0;
  int stdin_open = 1;
  for (;;) {
    double t = now();
    if (wss_pages > 0 && rate > 0) {
      uint64_t target = (uint64_t)((t - start) * rate);
      /* After a long pause (migration downtime) do not burst: cap the backlog at 10 ms. */
      if (target > written + (uint64_t)(rate * 0.01) + 1) {
        uint64_t skip = target - written - (uint64_t)(rate * 0.01);
        start += (double)skip / rate;
        target -= skip;
      }
      while (written < target) {
        region[next * (PAGE / 8)] = seq;
        table[next] = seq;
        seq++;
        written++;
        next = random_pattern ? xorshift(&page_seed) % wss_pages
                              : (next + 1 == wss_pages ? 0 : next + 1);
      }
    }
    if (t - last_progress >= 0.1) {
      printf("P t=%.3f pages=%lu\n", t, (unsigned long)written);
      last_progress = t;
    }
    if (t - last_report >= 1.0) {
      printf("RATE t=%.3f pages=%lu rate=%.1f\n", t, (unsigned long)written,
             (double)(written - written_at_report) / (t - last_report));
      written_at_report = written;
      last_report = t;
    }
    struct pollfd pfd = {.fd = 0, .events = POLLIN};
    if (!stdin_open) {
      struct timespec ms = {0, 1000000};
      nanosleep(&ms, NULL);
    } else if (poll(&pfd, 1, 1) > 0) {
      char c;
      ssize_t n;
      while ((n = read(0, &c, 1)) == 1) {
        if (c == '\n' || c == '\r') {
          input[input_len] = 0;
          if (strcmp(input, "v") == 0) {
            double t0 = now();
            uint64_t sum = filler_sum(filler, filler_pages);
            uint64_t stale = 0;
            for (uint64_t p = 0; p < wss_pages; p++) {
              if (region[p * (PAGE / 8)] != table[p]) stale++;
            }
            printf("VERIFY %s filler_sum=%016lx stale_pages=%lu t=%.3f seconds=%.3f\n",
                   sum == sum0 && stale == 0 ? "ok" : "bad", (unsigned long)sum,
                   (unsigned long)stale, t0, now() - t0);
          }
          input_len = 0;
        } else if (input_len + 1 < sizeof input) {
          input[input_len++] = c;
        }
      }
      if (n == 0) stdin_open = 0; /* end of input (e.g. /dev/null on the host): stop polling */
    }
  }
}
