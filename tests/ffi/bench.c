/* What calling kaohe from C costs: one county-month (Miluo, April 2026)
 * evaluated through kaohe_evaluate, median of N rounds (docs/performance.md).
 *   gcc -O2 -Icrates/kaohe-ffi/include tests/ffi/bench.c -Ltarget/release -lkaohe_ffi \
 *       -Wl,-rpath,$PWD/target/release -o target/bench_c && target/bench_c [full|items|totals] [N]
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kaohe.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) exit(2);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = calloc((size_t)n + 1, 1);
    if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) exit(2);
    fclose(f);
    return text;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *detail = argc > 1 ? argv[1] : "full";
    int rounds = argc > 2 ? atoi(argv[2]) : 300;
    char options[64];
    snprintf(options, sizeof options, "{\"detail\":\"%s\"}", detail);
    char *rules = slurp("rulesets/miluo-2026/miluo-2026.rules");
    char *facts = slurp("rulesets/miluo-2026/examples/2026-04.json");
    KaoheCompiled *miluo = NULL;
    char *out = NULL;
    if (kaohe_compile("miluo-2026.rules", rules, &miluo, &out) != KAOHE_STATUS_OK) return 1;
    kaohe_string_free(out);
    for (int i = 0; i < 20; i++) {
        kaohe_evaluate(miluo, facts, options, &out);
        kaohe_string_free(out);
    }
    double *t = malloc(sizeof(double) * (size_t)rounds);
    for (int i = 0; i < rounds; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (kaohe_evaluate(miluo, facts, options, &out) != KAOHE_STATUS_OK) return 1;
        kaohe_string_free(out);
        clock_gettime(CLOCK_MONOTONIC, &b);
        t[i] = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
    }
    qsort(t, (size_t)rounds, sizeof(double), cmp);
    printf("c      %9.1f µs  (detail %s, %d rounds)\n", t[rounds / 2], detail, rounds);
    free(t);
    kaohe_compiled_free(miluo);
    free(rules);
    free(facts);
    return 0;
}
