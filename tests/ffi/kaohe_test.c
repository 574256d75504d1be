/* The C ABI's test (issue 14 §4): calls every function of include/kaohe.h,
 * evaluates one compiled ruleset from eight threads at once, and frees
 * everything, so that valgrind --leak-check=full reports no leak. Run from the
 * repository root (see .ci/run):
 *
 *   gcc -std=c11 -Wall -Wextra -Werror -pthread -Icrates/kaohe-ffi/include \
 *       tests/ffi/kaohe_test.c -Ltarget/debug -lkaohe_ffi \
 *       -Wl,-rpath,$PWD/target/debug -o target/kaohe_test
 *   valgrind --leak-check=full --error-exitcode=1 target/kaohe_test
 *
 * Prints one line per check and a closing "N passed, M failed"; exits 1 on a failure.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaohe.h"

static int passed = 0;
static int failed = 0;

static void expect(int condition, const char *what, const char *detail) {
    if (condition) {
        passed++;
        printf("PASS %s\n", what);
    } else {
        failed++;
        printf("FAIL %s: %.400s\n", what, detail ? detail : "(null)");
    }
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
        exit(2);
    }
    text[n] = '\0';
    fclose(f);
    if (len) {
        *len = (size_t)n;
    }
    return text;
}

struct job {
    const KaoheCompiled *compiled;
    const char *facts;
    const char *expected;
    int same;
};

static void *evaluate_in_thread(void *arg) {
    struct job *job = arg;
    job->same = 1;
    for (int i = 0; i < 2; i++) {
        char *out = NULL;
        KaoheStatus status = kaohe_evaluate(job->compiled, job->facts, "{\"detail\":\"items\"}", &out);
        if (status != KAOHE_STATUS_OK || strcmp(out, job->expected) != 0) {
            job->same = 0;
        }
        kaohe_string_free(out);
    }
    return NULL;
}

int main(void) {
    char *rules = read_file("rulesets/miluo-2026/miluo-2026.rules", NULL);
    char *facts = read_file("rulesets/miluo-2026/examples/2026-04.json", NULL);
    char *out = NULL;
    KaoheStatus status;

    expect(kaohe_api_version() == 1, "kaohe_api_version", NULL);

    status = kaohe_version(&out);
    expect(status == KAOHE_STATUS_OK && strncmp(out, "{\"api_version\":1,", 17) == 0, "kaohe_version", out);
    kaohe_string_free(out);

    status = kaohe_check("bad.rules", "ruleset x {", &out);
    expect(status == KAOHE_STATUS_OK && strstr(out, "\"ok\":false") && strstr(out, "\"file\":\"bad.rules\",\"line\":1"),
           "kaohe_check reports a bad ruleset as data", out);
    kaohe_string_free(out);

    KaoheCompiled *bad = (KaoheCompiled *)1;
    status = kaohe_compile("bad.rules", "ruleset x {", &bad, &out);
    expect(status == KAOHE_STATUS_FAILED && bad == NULL && strstr(out, "{\"api_version\":1,\"errors\":[{\"code\":\"kaohe::"),
           "kaohe_compile refuses a bad ruleset", out);
    kaohe_string_free(out);

    status = kaohe_compile(NULL, rules, &bad, &out);
    expect(status == KAOHE_STATUS_INVALID_ARGUMENT && strstr(out, "kaohe::ffi::invalid_argument"),
           "a NULL argument is refused", out);
    kaohe_string_free(out);

    status = kaohe_check("bad.rules", "\xff\xfe", &out);
    expect(status == KAOHE_STATUS_INVALID_ARGUMENT && strstr(out, "not valid UTF-8"), "invalid UTF-8 is refused", out);
    kaohe_string_free(out);

    KaoheCompiled *miluo = NULL;
    status = kaohe_compile("miluo-2026.rules", rules, &miluo, &out);
    expect(status == KAOHE_STATUS_OK && miluo != NULL && strstr(out, "\"ok\":true"), "kaohe_compile", out);
    kaohe_string_free(out);

    status = kaohe_evaluate(miluo, facts, NULL, &out);
    expect(status == KAOHE_STATUS_OK && strncmp(out, "{\"format_version\":1,", 20) == 0 && strstr(out, "\"unit\":\"jtj\""),
           "kaohe_evaluate", out);
    kaohe_string_free(out);

    status = kaohe_evaluate(miluo, "{\"as_of\":\"2026-06-10\",\"units\":[],\"records\":[{\"unit\":7}]}", "{}", &out);
    expect(status == KAOHE_STATUS_FAILED && strstr(out, "\"code\":\"kaohe::facts::missing_field\"") && strstr(out, "\"path\":\"$.records[0]"),
           "kaohe_evaluate reports fact errors with paths", out);
    kaohe_string_free(out);

    status = kaohe_evaluate(miluo, facts, "{\"detail\":\"all\"}", &out);
    expect(status == KAOHE_STATUS_FAILED && strstr(out, "\"path\":\"$.detail\""), "kaohe_evaluate refuses bad options", out);
    kaohe_string_free(out);

    status = kaohe_schema(miluo, &out);
    expect(status == KAOHE_STATUS_OK && strstr(out, "\"type\":\"object\""), "kaohe_schema", out);
    kaohe_string_free(out);

    status = kaohe_diff("a.rules", rules, "b.rules", rules, facts, &out);
    expect(status == KAOHE_STATUS_OK && strstr(out, "\"units_changed_score\":0"), "kaohe_diff", out);
    kaohe_string_free(out);

    uint8_t *xlsx = NULL;
    size_t xlsx_len = 0;
    status = kaohe_template(miluo, &xlsx, &xlsx_len, &out);
    expect(status == KAOHE_STATUS_OK && xlsx != NULL && xlsx_len > 1000 && xlsx[0] == 'P' && xlsx[1] == 'K',
           "kaohe_template", out);
    kaohe_string_free(out);

    status = kaohe_import(miluo, xlsx, xlsx_len, &out);
    expect(status == KAOHE_STATUS_FAILED && strstr(out, "\"code\":\"kaohe::ledger::empty_cell\"") && strstr(out, "\"cell\":\"B3\""),
           "kaohe_import reports the blank ledger's missing date by cell", out);
    kaohe_string_free(out);

    status = kaohe_evaluate_ledger(miluo, xlsx, xlsx_len, NULL, &out);
    expect(status == KAOHE_STATUS_FAILED && strstr(out, "\"sheet\":"), "kaohe_evaluate_ledger", out);
    kaohe_string_free(out);
    kaohe_bytes_free(xlsx, xlsx_len);

    status = kaohe_import(miluo, (const uint8_t *)"junk", 4, &out);
    expect(status == KAOHE_STATUS_FAILED && strstr(out, "\"code\":\"kaohe::ledger::csv\""), "kaohe_import of junk", out);
    kaohe_string_free(out);

    /* One compiled ruleset, eight threads at once: every output alike. */
    char *expected = NULL;
    kaohe_evaluate(miluo, facts, "{\"detail\":\"items\"}", &expected);
    pthread_t threads[8];
    struct job jobs[8];
    for (int i = 0; i < 8; i++) {
        jobs[i] = (struct job){miluo, facts, expected, 0};
        pthread_create(&threads[i], NULL, evaluate_in_thread, &jobs[i]);
    }
    int all_same = 1;
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        all_same = all_same && jobs[i].same;
    }
    expect(all_same, "eight threads evaluate one compiled ruleset, all alike", NULL);
    kaohe_string_free(expected);

    kaohe_compiled_free(miluo);
    kaohe_compiled_free(NULL);
    kaohe_string_free(NULL);
    kaohe_bytes_free(NULL, 0);
    free(rules);
    free(facts);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
