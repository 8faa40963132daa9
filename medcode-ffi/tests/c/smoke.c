/*
 * Smoke test of include/medcode.h against the built library (shared or
 * static). Prints one line per check ("ok ..." or "FAIL ...") and a closing
 * "N passed, N failed" line; exits non-zero on any failure.
 * Built and run by medcode-ffi/src/header_check.rs; also run under valgrind / ASan (README).
 */
#define _POSIX_C_SOURCE 200809L /* getpid */
#include "medcode.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond, what)                                   \
    do {                                                    \
        if (cond) {                                         \
            passed++;                                       \
            printf("ok %s\n", what);                        \
        } else {                                            \
            failed++;                                       \
            printf("FAIL %s (line %d)\n", what, __LINE__);  \
        }                                                   \
    } while (0)

static int cm(const char *s, uint32_t date) { return medcode_icd10cm_is_valid(s, strlen(s), date); }

static void *worker(void *arg) {
    long id = (long)arg;
    long bad = 0;
    for (int i = 0; i < 20000; i++) {
        if (cm("E11.9", 20260101) != MEDCODE_VALID) bad++;
        if (medcode_icd10pcs_is_valid("0SRD0JZ", 7, 20260101) != MEDCODE_VALID) bad++;
        /* Each thread's own error: odd threads fail, even threads succeed. */
        if (id % 2) {
            if (cm("E1!", 20260101) != MEDCODE_ERR_SYNTAX) bad++;
            if (medcode_last_error_code() != MEDCODE_ERR_SYNTAX || medcode_last_error() == NULL) bad++;
        } else if (medcode_last_error() != NULL) {
            bad++;
        }
        if (i % 1000 == 0) {
            char *json = medcode_lookup("icd10cm", "E11.9", "2026-01-01");
            if (json == NULL || strstr(json, "\"valid\":true") == NULL) bad++;
            medcode_string_free(json);
        }
    }
    return (void *)bad;
}

/* One engine shared by several threads, each checking claims. */
static const char *CLAIM =
    "{\"id\":\"C1\",\"type\":\"professional\",\"patient\":{\"sex\":\"F\",\"age\":40},"
    "\"service_date\":\"2025-06-02\",\"diagnoses\":[{\"code\":\"E11.A\"}],"
    "\"lines\":[{\"code\":\"99213\",\"units\":1,\"dx_pointers\":[1]}]}";

static void *engine_worker(void *arg) {
    const medcode_engine *engine = arg;
    long bad = 0;
    for (int i = 0; i < 2000; i++) {
        char *out = medcode_check_json(engine, CLAIM);
        if (out == NULL || strstr(out, "\"code-not-valid-on-date\"") == NULL) bad++;
        medcode_string_free(out);
    }
    return (void *)bad;
}

/* Writes bytes to a file of this process in $TMPDIR (or /tmp); returns its path. */
static const char *temp_file(char *path, size_t size, const char *name, const char *bytes, size_t len) {
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/medcode_smoke_%ld_%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(bytes, 1, len, f);
        fclose(f);
    }
    return path;
}

/* An empty, prose, binary or wrong table is refused: MEDCODE_ERR_CONFIG, a
 * message naming the file, the line and what was expected, the engine unchanged. */
static void garbage_tables(medcode_engine *engine) {
    static const struct {
        const char *kind, *name, *bytes;
        size_t len;
        const char *want;
    } cases[] = {
        {"ncci-ptp", "empty.txt", "", 0, "no NCCI PTP record in 0 lines"},
        {"mue", "prose.txt", "Dear colleague,\nno table here.\n", 31, "no MUE record in 2 lines"},
        {"addon", "binary.bin", "\x7f" "ELF\x02\x01\x00\x00", 8, "line 1: binary content (byte 0x7f)"},
        {"ncci-ptp", "mue.csv", "HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator\n99213,1,2\n", 85,
         "line 1: unrecognised header"},
        {"hcpcs", "prose.txt", "Dear colleague,\nno table here.\n", 31, "no HCPCS record in 2 lines"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512], what[160];
        temp_file(path, sizeof path, cases[i].name, cases[i].bytes, cases[i].len);
        int rc = medcode_engine_load_table(engine, cases[i].kind, path);
        const char *err = medcode_last_error();
        snprintf(what, sizeof what, "load_table %s %s refused: %s", cases[i].kind, cases[i].name, cases[i].want);
        CHECK(rc == MEDCODE_ERR_CONFIG && medcode_last_error_code() == MEDCODE_ERR_CONFIG && err != NULL &&
                  strstr(err, path) != NULL && strstr(err, cases[i].want) != NULL,
              what);
        remove(path);
    }
    char *json = medcode_check_json(engine, "{\"type\":\"professional\",\"lines\":[]}");
    CHECK(json != NULL, "engine unchanged after refused tables");
    medcode_string_free(json);
}

int main(void) {
    const char *version = medcode_version();
    CHECK(version != NULL && strlen(version) > 0, "medcode_version");
    printf("version %s\n", version);

    /* Fast paths. */
    CHECK(cm("E11.9", 20260101) == MEDCODE_VALID, "icd10cm E11.9 valid on 2026-01-01");
    CHECK(medcode_last_error() == NULL && medcode_last_error_code() == 0, "success clears the error");
    CHECK(cm("e119", 20260101) == MEDCODE_VALID, "icd10cm undotted lower case");
    CHECK(cm("E11", 20260101) == MEDCODE_NOT_VALID, "icd10cm header not valid");
    CHECK(cm("E11.A", 20250601) == MEDCODE_NOT_VALID, "icd10cm E11.A not valid before FY2025");
    CHECK(cm("E11.9", 0) == MEDCODE_VALID, "icd10cm date 0 is today");
    CHECK(medcode_icd10pcs_is_valid("0SRD0JZ", 7, 20260101) == MEDCODE_VALID, "icd10pcs 0SRD0JZ valid");
    CHECK(medcode_icd10pcs_is_valid("0SRD0J", 6, 20260101) == MEDCODE_ERR_SYNTAX, "icd10pcs too short");

    /* Hostile inputs. */
    CHECK(medcode_icd10cm_is_valid(NULL, 5, 20260101) == MEDCODE_ERR_NULL, "NULL code");
    CHECK(medcode_last_error_code() == MEDCODE_ERR_NULL, "last_error_code after NULL");
    CHECK(medcode_last_error() != NULL && strstr(medcode_last_error(), "NULL") != NULL, "last_error names NULL");
    CHECK(medcode_icd10cm_is_valid("", 0, 20260101) == MEDCODE_ERR_SYNTAX, "empty code");
    CHECK(medcode_icd10cm_is_valid("E1\xff", 3, 20260101) == MEDCODE_ERR_UTF8, "invalid UTF-8");
    CHECK(medcode_icd10cm_is_valid("E11\0.9", 6, 20260101) == MEDCODE_ERR_NUL, "embedded NUL");
    CHECK(cm("E11.9", 20261341) == MEDCODE_ERR_DATE, "bad date");
    size_t big = 1 << 20;
    char *huge = malloc(big + 1);
    memset(huge, 'E', big);
    huge[big] = 0;
    CHECK(medcode_icd10cm_is_valid(huge, big, 20260101) == MEDCODE_ERR_TOO_LONG, "1 MB code (fast path)");
    CHECK(medcode_lookup(NULL, huge, NULL) == NULL && medcode_last_error_code() == MEDCODE_ERR_TOO_LONG,
          "1 MB code (lookup)");
    free(huge);

    /* Lookup. */
    char *json = medcode_lookup(NULL, "E11.9", "2026-01-01");
    CHECK(json != NULL && strstr(json, "\"code\":\"E11.9\"") && strstr(json, "\"valid\":true"), "lookup E11.9");
    if (json) printf("json %.80s...\n", json);
    medcode_string_free(json);
    json = medcode_lookup("icd10pcs", "0SRD0JZ", NULL);
    CHECK(json != NULL && strstr(json, "\"system\":\"icd10pcs\""), "lookup icd10pcs today");
    medcode_string_free(json);
    json = medcode_lookup("", "", "");
    CHECK(json != NULL && strstr(json, "\"error\":\"empty code\""), "lookup empty code answers with error");
    medcode_string_free(json);
    CHECK(medcode_lookup(NULL, NULL, NULL) == NULL && medcode_last_error_code() == MEDCODE_ERR_NULL, "lookup NULL code");
    CHECK(medcode_lookup("icd9", "E11.9", NULL) == NULL && medcode_last_error_code() == MEDCODE_ERR_SYSTEM,
          "lookup unknown system");
    CHECK(medcode_lookup(NULL, "E11.9", "2026-02-30") == NULL && medcode_last_error_code() == MEDCODE_ERR_DATE,
          "lookup bad date");
    CHECK(medcode_lookup(NULL, "E1\xff", NULL) == NULL && medcode_last_error_code() == MEDCODE_ERR_UTF8,
          "lookup invalid UTF-8");
    medcode_string_free(NULL);
    CHECK(1, "string_free(NULL) is a no-op");

    /* Threads. */
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
    long bad = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(threads[i], &r);
        bad += (long)r;
    }
    CHECK(bad == 0, "4 threads: answers and per-thread errors");

    /* The claims engine. */
    medcode_engine *engine = medcode_engine_new(NULL);
    CHECK(engine != NULL, "engine_new(NULL): defaults");
    json = medcode_check_json(engine, CLAIM);
    CHECK(json != NULL && strstr(json, "\"claim_id\":\"C1\"") && strstr(json, "\"code-not-valid-on-date\""),
          "check_json flags E11.A before 2025-10-01");
    medcode_string_free(json);
    json = medcode_check_json(engine, "{not json");
    CHECK(json != NULL && strstr(json, "\"malformed-claim\""), "check_json: malformed claim is a finding");
    medcode_string_free(json);
    CHECK(medcode_check_json(engine, NULL) == NULL && medcode_last_error_code() == MEDCODE_ERR_NULL,
          "check_json NULL claim");
    CHECK(medcode_check_json(NULL, CLAIM) == NULL && medcode_last_error_code() == MEDCODE_ERR_NULL,
          "check_json NULL engine");
    const char batch[] = "{\"id\":\"A\"}\n\n[]\r\n{\"id\":\"B\"}\n";
    json = medcode_check_jsonl(engine, batch, strlen(batch));
    int lines = 0;
    for (const char *p = json; p && *p; p++) lines += *p == '\n';
    CHECK(json != NULL && lines == 3 && strstr(json, "{\"line\":4,"), "check_jsonl: one output line per input line");
    medcode_string_free(json);
    CHECK(medcode_check_jsonl(engine, "a\0b", 3) == NULL && medcode_last_error_code() == MEDCODE_ERR_NUL,
          "check_jsonl: embedded NUL");
    {
        /* 3,000 lines (several 64 KiB pieces): the parallel form gives the same bytes. */
        size_t cap = 3000 * (strlen(CLAIM) + 2) + 16, len = 0;
        char *big = malloc(cap);
        for (int i = 0; i < 3000; i++) {
            const char *line = i % 7 == 3 ? "{not json" : i % 11 == 5 ? "" : CLAIM;
            len += (size_t)snprintf(big + len, cap - len, "%s%s", line, i % 2 ? "\r\n" : "\n");
        }
        char *one = medcode_check_jsonl(engine, big, len);
        char *par = medcode_check_jsonl_parallel(engine, big, len, 0);
        char *two = medcode_check_jsonl_parallel(engine, big, len, 2);
        CHECK(one && par && two && strcmp(one, par) == 0 && strcmp(one, two) == 0 && strstr(one, "{\"line\":3000,"),
              "check_jsonl_parallel: the same output as check_jsonl");
        medcode_string_free(one);
        medcode_string_free(par);
        medcode_string_free(two);
        free(big);
        CHECK(medcode_check_jsonl_parallel(engine, "a\0b", 3, 2) == NULL && medcode_last_error_code() == MEDCODE_ERR_NUL,
              "check_jsonl_parallel: embedded NUL");
    }
    CHECK(medcode_engine_load_table(engine, "nonsense", "/x") == MEDCODE_ERR_KIND, "load_table: unknown kind");
    CHECK(medcode_engine_load_table(engine, "mue", "/nonexistent/mue.csv") == MEDCODE_ERR_CONFIG,
          "load_table: unreadable file");
    garbage_tables(engine);
    CHECK(medcode_engine_new("{\"disabled\": 3}") == NULL && medcode_last_error_code() == MEDCODE_ERR_CONFIG,
          "engine_new: bad config");
    pthread_t ethreads[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&ethreads[i], NULL, engine_worker, engine);
    bad = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(ethreads[i], &r);
        bad += (long)r;
    }
    CHECK(bad == 0, "4 threads share one engine");
    medcode_engine_free(engine);
    medcode_engine_free(NULL);

    /* MS-DRG grouping. */
    static const char *INPATIENT =
        "{\"id\":\"IP1\",\"type\":\"institutional\",\"patient\":{\"sex\":\"F\",\"age\":78},"
        "\"discharge_date\":\"2026-05-02\",\"discharge_status\":\"01\","
        "\"diagnoses\":[{\"code\":\"I50.23\",\"poa\":\"Y\"},{\"code\":\"N18.4\",\"poa\":\"Y\"}]}";
    json = medcode_group_json(INPATIENT, NULL);
    CHECK(json != NULL && strstr(json, "{\"claim_id\":\"IP1\",\"version\":\"43.1\",") &&
              strstr(json, "\"final_drg\":292,") && strstr(json, "\"return_code\":\"OK\""),
          "group_json: heart failure with CC is DRG 292 (v43.1)");
    medcode_string_free(json);
    json = medcode_group_json(INPATIENT, "{\"version\":\"42.0\",\"hospital\":\"exempt\",\"tie_breaker\":\"alphabetical\"}");
    CHECK(json != NULL && strstr(json, "\"version\":\"42.0\""), "group_json: options name the version");
    medcode_string_free(json);
    CHECK(medcode_group_json("{\"type\":\"professional\"}", NULL) == NULL &&
              medcode_last_error_code() == MEDCODE_ERR_CLAIM &&
              strstr(medcode_last_error(), "not institutional") != NULL,
          "group_json: a professional claim is MEDCODE_ERR_CLAIM");
    CHECK(medcode_group_json("{not json", NULL) == NULL && medcode_last_error_code() == MEDCODE_ERR_CLAIM,
          "group_json: not JSON is MEDCODE_ERR_CLAIM");
    CHECK(medcode_group_json(INPATIENT, "{\"hospital\":\"maybe\"}") == NULL &&
              medcode_last_error_code() == MEDCODE_ERR_OPTIONS,
          "group_json: a bad option is MEDCODE_ERR_OPTIONS");
    CHECK(medcode_group_json(NULL, NULL) == NULL && medcode_last_error_code() == MEDCODE_ERR_NULL,
          "group_json: NULL claim");
    /* An outpatient claim (bill type 131) is edited by the I/OCE: NCCI edit 040
     * rejects the glucose line (82947), a component of the panel (80053). */
    static const char *OUTPATIENT =
        "{\"id\":\"OP-001\",\"bill_type\":\"131\",\"from_date\":\"2025-03-01\","
        "\"through_date\":\"2025-03-01\",\"patient\":{\"sex\":\"F\",\"age\":70},"
        "\"diagnoses\":[{\"code\":\"N186\"},{\"code\":\"E119\"}],\"lines\":["
        "{\"code\":\"G0463\",\"revenue_code\":\"0510\",\"units\":1,\"charge\":100,\"service_date\":\"2025-03-01\"},"
        "{\"code\":\"80053\",\"revenue_code\":\"0301\",\"units\":1,\"charge\":50,\"service_date\":\"2025-03-01\"},"
        "{\"code\":\"82947\",\"revenue_code\":\"0301\",\"units\":1,\"charge\":20,\"service_date\":\"2025-03-01\"}]}";
    json = medcode_group_json(OUTPATIENT, NULL);
    CHECK(json != NULL && strstr(json, "{\"claim_id\":\"OP-001\",\"engine\":\"ioce\",") &&
              strstr(json, "\"line_rejection_edits\":[\"040\"]"),
          "group_json: an outpatient claim gets the I/OCE's answer (edit 040)");
    medcode_string_free(json);
    {
        char obatch[4096];
        snprintf(obatch, sizeof obatch, "%s\n%s\n", OUTPATIENT, INPATIENT);
        json = medcode_group_jsonl(obatch, NULL);
        CHECK(json != NULL && strstr(json, "{\"claim_id\":\"OP-001\",\"line\":1,\"engine\":\"ioce\",") &&
                  strstr(json, "\n{\"claim_id\":\"IP1\",\"line\":2,\"version\":\"43.1\","),
              "group_jsonl: outpatient and inpatient claims in one batch, each to its engine");
        medcode_string_free(json);
    }
    {
        char gbatch[2048];
        snprintf(gbatch, sizeof gbatch, "%s\r\n{\"id\":\"P\",\"type\":\"professional\"}\n\n%s\n", INPATIENT, INPATIENT);
        json = medcode_group_jsonl(gbatch, "");
        int glines = 0;
        for (const char *p = json; p && *p; p++) glines += *p == '\n';
        CHECK(json != NULL && glines == 3 && strstr(json, "{\"claim_id\":\"IP1\",\"line\":1,") &&
                  strstr(json, "{\"claim_id\":\"P\",\"line\":2,\"error\":") &&
                  strstr(json, "{\"claim_id\":null,\"line\":3,\"error\":\"empty line") &&
                  strstr(json, "{\"claim_id\":\"IP1\",\"line\":4,"),
              "group_jsonl: one output line per input line, errors in place");
        medcode_string_free(json);
        CHECK(medcode_group_jsonl(gbatch, "[]") == NULL && medcode_last_error_code() == MEDCODE_ERR_OPTIONS,
              "group_jsonl: options must be an object");
    }

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
