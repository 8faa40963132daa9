/*
 * medcode's C ABI grouper vs msdrg's native grouper (`msdrg_group_json`), in
 * one process, on the same claims: issue 24's speed measurement. No Python:
 * both libraries are called from C, each with its own claim JSON.
 *
 *   MEDCODE_DRG_MIX=bench MEDCODE_DRG_DUMP=$PWD/target/drg-bench \
 *       cargo test --release --test drg_conformance        # the claims, checked equal
 *   cc -O2 -std=c11 -Imedcode-ffi/include bench/compare/drg_native.c -Ltarget/release \
 *      -lmedcode_ffi -ldl -lpthread -Wl,-rpath,$PWD/target/release -o drg_native
 *   ./drg_native LIBMSDRG.so MSDRG.mdb CLAIMS.jsonl MSDRG.jsonl [ROUNDS]
 *
 * CLAIMS.jsonl: medcode's claim JSON, one claim a line; MSDRG.jsonl: msdrg's
 * input object for the same claim on the same line. The claims are the
 * differential test's (tests/drg_conformance.rs, the benchmark mix: a
 * principal diagnosis, 0-6 secondary diagnoses with POA indicators, 0-4
 * procedures, every version v40.0-v44.0), on which the two groupers agree.
 *
 * Timed, in rounds that take turns (the VM changes speed for minutes at a
 * time, so each round's ratio compares like with like):
 *   msdrg          msdrg_group_json(ctx, claim) per claim, msdrg_string_free
 *   medcode        medcode_group_json(claim, NULL) per claim, medcode_string_free
 *   medcode-jsonl  medcode_group_jsonl(all claims, NULL): one call
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medcode.h"

typedef void *(*ctx_init_fn)(const char *);
typedef char *(*group_fn)(void *, const char *);
typedef void (*free_fn)(void *);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads a file's lines (without their '\n'); *all gets the whole text. */
static char **read_lines(const char *path, size_t *n, char **all) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, f) != (size_t)size) { perror(path); exit(2); }
    fclose(f);
    text[size] = '\0';
    *all = strdup(text);
    size_t cap = 1024, count = 0;
    char **lines = malloc(cap * sizeof *lines);
    for (char *p = text; *p;) {
        char *end = strchr(p, '\n');
        if (end) *end = '\0';
        if (*p) {
            if (count == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
            lines[count++] = p;
        }
        if (!end) break;
        p = end + 1;
    }
    *n = count;
    return lines;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: %s LIBMSDRG.so MSDRG.mdb CLAIMS.jsonl MSDRG.jsonl [ROUNDS]\n", argv[0]);
        return 2;
    }
    int rounds = argc > 5 ? atoi(argv[5]) : 5;
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 2; }
    ctx_init_fn init = (ctx_init_fn)dlsym(lib, "msdrg_context_init");
    group_fn group = (group_fn)dlsym(lib, "msdrg_group_json");
    free_fn sfree = (free_fn)dlsym(lib, "msdrg_string_free");
    if (!init || !group || !sfree) { fprintf(stderr, "libmsdrg: missing symbols\n"); return 2; }
    void *ctx = init(argv[2]);
    if (!ctx) { fprintf(stderr, "msdrg_context_init failed\n"); return 2; }

    size_t n, m;
    char *all, *all_m;
    char **claims = read_lines(argv[3], &n, &all);
    char **theirs = read_lines(argv[4], &m, &all_m);
    if (n != m || n == 0) { fprintf(stderr, "%zu medcode claims, %zu msdrg claims\n", n, m); return 2; }

    /* Warm both up (medcode reads its tables on first use) and check that
       every claim groups. */
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        char *a = medcode_group_json(claims[i], NULL);
        if (!a) failed++; else medcode_string_free(a);
        char *b = group(ctx, theirs[i]);
        if (!b) failed++; else sfree(b);
    }
    if (failed) { fprintf(stderr, "%zu claims did not group\n", failed); return 1; }

    printf("%zu claims, %d rounds (per claim: microseconds; ratio: msdrg / medcode)\n", n, rounds);
    printf("round  msdrg  medcode  ratio  medcode-jsonl  ratio\n");
    for (int r = 1; r <= rounds; r++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) sfree(group(ctx, theirs[i]));
        double t_m = (now() - t0) / (double)n * 1e6;
        t0 = now();
        for (size_t i = 0; i < n; i++) medcode_string_free(medcode_group_json(claims[i], NULL));
        double t_c = (now() - t0) / (double)n * 1e6;
        t0 = now();
        medcode_string_free(medcode_group_jsonl(all, NULL));
        double t_l = (now() - t0) / (double)n * 1e6;
        printf("%5d  %5.2f  %7.2f  %5.1f  %13.2f  %5.1f\n", r, t_m, t_c, t_m / t_c, t_l, t_m / t_l);
        fflush(stdout);
    }
    return 0;
}
