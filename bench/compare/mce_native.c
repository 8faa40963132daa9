/*
 * medcode's C ABI vs msdrg's native MCE (`mce_edit_json`), in one process,
 * on the same seeded random inpatient claims. No Python: both libraries are
 * called from C. See bench/compare/README.md ("Claims, native").
 *
 *   cc -O2 -std=c11 -Iinclude bench/compare/mce_native.c -Ltarget/release -lmedcode_ffi -ldl -lpthread \
 *      -Wl,-rpath,$PWD/target/release -o mce_native
 *   ./mce_native LIBMSDRG.so MSDRG.mdb CM_CODES PCS_CODES [CLAIMS [ROUNDS [SEED]]]
 *   MCE_NATIVE_DUMP=claims.jsonl ./mce_native ...   # write the medcode claims and stop
 *
 * CM_CODES: one ICD-10-CM code a line, undotted, a tab and 1 (billable) or 0
 * (header) after it (the union of `medcode export icd10cm --date D` over the
 * fiscal years); PCS_CODES: one ICD-10-PCS code a line (first column).
 *
 * The generator (SplitMix64, seed 14 by default) makes CLAIMS (20,000)
 * claims: discharge date uniform over 2015-10-01 .. 2026-09-30 (FY2016 to
 * FY2026), length of stay 0-20 days, age 0-124 (a few invalid), sex M/F/U,
 * a discharge status from CMS's list (a few invalid), 1-7 diagnoses drawn
 * from the codes of every year (so many are not valid on the claim's date),
 * some headers, some duplicates of the principal, POA Y/N/U/W, an admitting
 * diagnosis on 30%, 0-4 procedures of any year. Each claim is written as
 * medcode's claim JSON and as msdrg's MceInput JSON (undotted codes, sex
 * 0/1/2, integer dates): the same claim for both.
 *
 * Timed, in rounds that take turns (the VM changes speed for minutes at a
 * time, so each round's ratio compares like with like):
 *   msdrg       mce_edit_json(ctx, claim) per claim, msdrg_string_free
 *   medcode     medcode_check_json(engine, claim) per claim, medcode_string_free
 *   medcode-jsonl  medcode_check_jsonl(engine, all claims, len): one call
 *   medcode-jsonl-par  medcode_check_jsonl_parallel(..., 0): all cores
 * medcode's engine runs the code-validity and MCE rule families only (the
 * other families, the drg family's grouping included, are disabled in its
 * configuration).
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medcode.h"

typedef void *(*ctx_init_fn)(const char *);
typedef char *(*edit_fn)(void *, const char *);
typedef void (*free_fn)(void *);

static uint64_t rng_state;
static uint64_t next_u64(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static unsigned below(unsigned n) { return (unsigned)(next_u64() % n); }

typedef struct {
    char **v;
    size_t n, cap;
} list;
static void push(list *l, const char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = strdup(s);
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static long days_from_civil(long y, unsigned m, unsigned d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}
static void civil_from_days(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;
static void put(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void put(sbuf *s, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < s->cap - s->len) {
            s->len += (size_t)n;
            return;
        }
        s->cap = s->cap ? 2 * s->cap : 4096;
        s->buf = realloc(s->buf, s->cap);
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *DISABLED =
    "{\"disabled\":[\"excludes1-conflict\",\"code-first-sequence\",\"duplicate-diagnosis\","
    "\"too-many-diagnoses\",\"invalid-poa\",\"dx-pointer-invalid\",\"primary-pointer-invalid\","
    "\"units-invalid\",\"modifier-invalid\",\"too-many-modifiers\",\"modifier-conflict\","
    "\"laterality-mismatch\",\"duplicate-line\",\"service-date-invalid\","
    "\"em-with-procedure-missing-25\",\"ncci-ptp\",\"mue-exceeded\",\"addon-without-primary\","
    "\"drg-ungroupable\",\"hospital-acquired-condition\",\"cc-excluded-by-principal\"]}";

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s LIBMSDRG.so MSDRG.mdb CM_CODES PCS_CODES [CLAIMS [ROUNDS [SEED]]]\n",
                argv[0]);
        return 2;
    }
    int n_claims = argc > 5 ? atoi(argv[5]) : 20000;
    int rounds = argc > 6 ? atoi(argv[6]) : 9;
    rng_state = argc > 7 ? strtoull(argv[7], NULL, 10) : 14;

    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "dlopen %s: %s\n", argv[1], dlerror());
        return 1;
    }
    ctx_init_fn mce_init = (ctx_init_fn)dlsym(lib, "mce_context_init");
    edit_fn mce_edit = (edit_fn)dlsym(lib, "mce_edit_json");
    free_fn msdrg_free = (free_fn)dlsym(lib, "msdrg_string_free");
    if (!mce_init || !mce_edit || !msdrg_free) {
        fprintf(stderr, "libmsdrg: missing symbols\n");
        return 1;
    }
    void *ctx = mce_init(argv[2]);
    medcode_engine *engine = medcode_engine_new(DISABLED);
    if (!ctx || !engine) {
        fprintf(stderr, "init failed: msdrg %p medcode %p (%s)\n", ctx, (void *)engine,
                medcode_last_error() ? medcode_last_error() : "");
        return 1;
    }

    list billable = {0}, headers = {0}, pcs = {0};
    char line[256];
    FILE *f = fopen(argv[3], "r");
    if (!f) {
        perror(argv[3]);
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        push(tab[1] == '1' ? &billable : &headers, line);
    }
    fclose(f);
    f = fopen(argv[4], "r");
    if (!f) {
        perror(argv[4]);
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\t\r\n")] = 0;
        if (line[0]) push(&pcs, line);
    }
    fclose(f);
    if (!billable.n || !headers.n || !pcs.n) {
        fprintf(stderr, "empty code lists\n");
        return 1;
    }

    static const char *STATUS[] = {"01", "02", "03", "04", "05", "06", "07", "20", "21", "30",
                                   "43", "50", "51", "61", "62", "63", "65", "66", "69", "70",
                                   "81", "82", "94", "95"};
    static const char *POA[] = {"Y", "N", "U", "W"};
    static const char SEX[] = {'M', 'F', 'U'};
    long first = days_from_civil(2015, 10, 1), last = days_from_civil(2026, 9, 30);

    char **med = malloc((size_t)n_claims * sizeof *med);
    char **msd = malloc((size_t)n_claims * sizeof *msd);
    sbuf jsonl = {0};
    size_t med_bytes = 0;
    for (int i = 0; i < n_claims; i++) {
        long dis = first + (long)below((unsigned)(last - first + 1));
        unsigned los = below(100) < 80 ? below(8) : 8 + below(13);
        int dy, dm, dd, ay, am, ad;
        civil_from_days(dis, &dy, &dm, &dd);
        civil_from_days(dis - (long)los, &ay, &am, &ad);
        int age = below(100) < 95 ? (int)below(125) : 125 + (int)below(10);
        int sx = (int)below(3);
        const char *status = below(100) < 95 ? STATUS[below(24)] : "08";
        unsigned n_dx = 1 + below(7), n_pr = below(5);
        const char *dx[7], *poa[7], *pr[4], *admit = NULL, *admit_poa = "Y";
        for (unsigned k = 0; k < n_dx; k++) {
            unsigned r = below(100);
            if (k > 0 && r < 6)
                dx[k] = dx[0];
            else if (r < 12)
                dx[k] = headers.v[below((unsigned)headers.n)];
            else
                dx[k] = billable.v[below((unsigned)billable.n)];
            poa[k] = POA[below(4)];
        }
        if (below(100) < 30) {
            admit = billable.v[below((unsigned)billable.n)];
            admit_poa = POA[below(4)];
        }
        for (unsigned k = 0; k < n_pr; k++) pr[k] = pcs.v[below((unsigned)pcs.n)];

        sbuf m = {0};
        put(&m,
            "{\"id\":\"C%d\",\"type\":\"institutional\",\"patient\":{\"sex\":\"%c\",\"age\":%d},"
            "\"admission_date\":\"%04d-%02d-%02d\",\"discharge_date\":\"%04d-%02d-%02d\","
            "\"discharge_status\":\"%s\",\"diagnoses\":[",
            i + 1, SEX[sx], age, ay, am, ad, dy, dm, dd, status);
        for (unsigned k = 0; k < n_dx; k++)
            put(&m, "%s{\"code\":\"%s\",\"poa\":\"%s\"}", k ? "," : "", dx[k], poa[k]);
        put(&m, "]");
        if (admit) put(&m, ",\"admitting_diagnosis\":\"%s\"", admit);
        put(&m, ",\"procedures\":[");
        for (unsigned k = 0; k < n_pr; k++) put(&m, "%s{\"code\":\"%s\"}", k ? "," : "", pr[k]);
        put(&m, "]}");
        med[i] = m.buf;
        med_bytes += m.len;
        put(&jsonl, "%s\n", m.buf);

        sbuf s = {0};
        put(&s,
            "{\"discharge_date\":%04d%02d%02d,\"icd_version\":10,\"age\":%d,\"sex\":%d,"
            "\"discharge_status\":%d,\"pdx\":{\"code\":\"%s\",\"poa\":\"%s\"},\"sdx\":[",
            dy, dm, dd, age, sx == 0 ? 0 : sx == 1 ? 1 : 2, atoi(status), dx[0], poa[0]);
        for (unsigned k = 1; k < n_dx; k++)
            put(&s, "%s{\"code\":\"%s\",\"poa\":\"%s\"}", k > 1 ? "," : "", dx[k], poa[k]);
        put(&s, "],\"procedures\":[");
        for (unsigned k = 0; k < n_pr; k++) put(&s, "%s{\"code\":\"%s\"}", k ? "," : "", pr[k]);
        put(&s, "]");
        if (admit) put(&s, ",\"admit_dx\":{\"code\":\"%s\",\"poa\":\"%s\"}", admit, admit_poa);
        put(&s, "}");
        msd[i] = s.buf;
    }

    /* MCE_NATIVE_DUMP=FILE: write the claims as JSON Lines (for `medcode check`) and stop. */
    const char *dump = getenv("MCE_NATIVE_DUMP");
    if (dump && *dump) {
        FILE *o = fopen(dump, "w");
        if (!o || fwrite(jsonl.buf, 1, jsonl.len, o) != jsonl.len || fclose(o) != 0) {
            perror(dump);
            return 1;
        }
        return 0;
    }

    /* One untimed pass of each: warm caches, count what each found. */
    long msd_flagged = 0, msd_null = 0, med_flagged = 0, med_findings = 0;
    for (int i = 0; i < n_claims; i++) {
        char *r = mce_edit(ctx, msd[i]);
        if (!r) {
            msd_null++;
            continue;
        }
        if (!strstr(r, "\"edits\":[]")) msd_flagged++;
        msdrg_free(r);
        char *o = medcode_check_json(engine, med[i]);
        if (!strstr(o, "\"findings\":[]")) med_flagged++;
        for (char *p = o; (p = strstr(p, "\"rule\":")); p++) med_findings++;
        medcode_string_free(o);
    }
    {
        char *a = medcode_check_jsonl(engine, jsonl.buf, jsonl.len);
        char *b = medcode_check_jsonl_parallel(engine, jsonl.buf, jsonl.len, 0);
        if (!a || !b || strcmp(a, b) != 0) {
            fprintf(stderr, "medcode_check_jsonl_parallel differs from medcode_check_jsonl\n");
            return 1;
        }
        medcode_string_free(a);
        medcode_string_free(b);
    }
    printf("claims: %d (medcode JSON %.0f bytes a claim, seed %llu)\n", n_claims,
           (double)med_bytes / n_claims, (unsigned long long)(argc > 7 ? strtoull(argv[7], NULL, 10) : 14));
    printf("flagged: medcode %ld (%ld findings), msdrg %ld (%ld answered NULL)\n", med_flagged,
           med_findings, msd_flagged, msd_null);

    enum { MSDRG, JSON, JSONL, JSONL_PAR, KINDS };
    static const char *NAME[KINDS] = {"msdrg mce_edit_json (per claim)",
                                      "medcode_check_json (per claim)",
                                      "medcode_check_jsonl (one buffer)",
                                      "medcode_check_jsonl_parallel (all cores)"};
    double *t[KINDS], *ratio[KINDS];
    for (int k = 0; k < KINDS; k++) {
        t[k] = calloc((size_t)rounds, sizeof(double));
        ratio[k] = calloc((size_t)rounds, sizeof(double));
    }
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (int i = 0; i < n_claims; i++) {
            char *o = mce_edit(ctx, msd[i]);
            if (o) msdrg_free(o);
        }
        double t1 = now();
        for (int i = 0; i < n_claims; i++) medcode_string_free(medcode_check_json(engine, med[i]));
        double t2 = now();
        medcode_string_free(medcode_check_jsonl(engine, jsonl.buf, jsonl.len));
        double t3 = now();
        medcode_string_free(medcode_check_jsonl_parallel(engine, jsonl.buf, jsonl.len, 0));
        double t4 = now();
        t[MSDRG][r] = t1 - t0;
        t[JSON][r] = t2 - t1;
        t[JSONL][r] = t3 - t2;
        t[JSONL_PAR][r] = t4 - t3;
        for (int k = 0; k < KINDS; k++) ratio[k][r] = t[MSDRG][r] / t[k][r];
    }
    printf("%d rounds taking turns; per kind: median over rounds (fastest round), and the median of\n"
           "the per-round ratio msdrg time / this time\n",
           rounds);
    printf("| %-42s | %14s | %16s | %12s |\n", "path", "µs a claim", "claims/s", "× msdrg");
    printf("|---|---:|---:|---:|\n");
    for (int k = 0; k < KINDS; k++) {
        double best = t[k][0];
        for (int r = 1; r < rounds; r++)
            if (t[k][r] < best) best = t[k][r];
        double med_t = median(t[k], rounds);
        printf("| %-42s | %6.2f (%5.2f) | %16.0f | %12.2f |\n", NAME[k], med_t * 1e6 / n_claims,
               best * 1e6 / n_claims, n_claims / med_t, median(ratio[k], rounds));
    }
    return 0;
}
