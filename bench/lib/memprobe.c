/* memprobe SECONDS MIB: a memory-bound speed probe for one CPU (run it under taskset).
 *
 * Walks a random cycle through a MIB-sized array (every step a dependent load that misses the
 * caches closer than the array fits in) and prints, per 100 ms window, how many 1,000-step batches it
 * completed, space-separated, then a newline. On an idle, dedicated core the counts are steady
 * (about ±5 %); stretches of lower counts are the host taking memory bandwidth or cache from this
 * core (another tenant, an SMT sibling), which a compute-only calibration loop does not see and a
 * proxy that touches memory on every request does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Where the walk got to, stored after every batch so the compiler keeps every load. */
static volatile size_t sink;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: memprobe SECONDS MIB\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    size_t n = (size_t)atoi(argv[2]) * 1024 * 1024 / sizeof(size_t);
    size_t *next = malloc(n * sizeof(size_t));
    if (next == NULL || n < 2) {
        fprintf(stderr, "memprobe: cannot allocate %s MiB\n", argv[2]);
        return 1;
    }

    /* One random cycle through every slot (Sattolo's shuffle), so the walk never settles in a short loop. */
    for (size_t i = 0; i < n; i++) next[i] = i;
    unsigned long long seed = 88172645463325252ULL;
    for (size_t i = n - 1; i > 0; i--) {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        size_t j = seed % i;
        size_t t = next[i]; next[i] = next[j]; next[j] = t;
    }

    size_t at = 0;
    double end = now() + seconds;
    while (now() < end) {
        double window = now() + 0.1;
        unsigned long batches = 0;
        while (now() < window) {
            for (int k = 0; k < 1000; k++) at = next[at];
            sink = at;
            batches++;
        }
        printf("%lu ", batches);
    }
    printf("\n");
    free(next);
    return 0;
}
