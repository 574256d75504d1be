/* Scores Miluo's April 2026 from C (run from the repository root; see docs/embedding.md). */
#include <stdio.h>
#include <stdlib.h>

#include "kaohe.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = calloc((size_t)n + 1, 1);
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) { free(text); text = NULL; }
    fclose(f);
    return text;
}

int main(void) {
    char *rules = slurp("rulesets/miluo-2026/miluo-2026.rules");
    char *facts = slurp("rulesets/miluo-2026/examples/2026-04.json");
    if (!rules || !facts) return 2;

    KaoheCompiled *miluo = NULL;
    char *out = NULL;
    /* Compile once; every operation writes one string to `out`, to be freed. */
    if (kaohe_compile("miluo-2026.rules", rules, &miluo, &out) != KAOHE_STATUS_OK) {
        fprintf(stderr, "%s\n", out); /* {"api_version":1,"errors":[...]} */
        return 1;
    }
    kaohe_string_free(out);

    /* Evaluate (from any number of threads): the evaluation JSON, format_version 1. */
    KaoheStatus status = kaohe_evaluate(miluo, facts, "{\"detail\":\"totals\"}", &out);
    printf("%s: %.60s...\n", status == KAOHE_STATUS_OK ? "ok" : "failed", out);
    kaohe_string_free(out);

    kaohe_compiled_free(miluo);
    free(rules);
    free(facts);
    return status == KAOHE_STATUS_OK ? 0 : 1;
}
