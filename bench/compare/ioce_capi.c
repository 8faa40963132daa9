/*
 * Outpatient claims through medcode's C ABI (issue 23: at least 100,000
 * four-line outpatient claims a second): every line of CLAIMS.jsonl through
 * medcode_group_json (default options, which routes an outpatient claim to
 * the I/OCE), the answer checked to be the I/OCE's and freed, ROUNDS times,
 * one thread. Prints each round's claims a second and the best round's.
 * The tables' load is taken off by a first call before the clock starts.
 *
 *   cargo build --release -p medcode-ffi
 *   cc -O2 -std=c11 -Imedcode-ffi/include bench/compare/ioce_capi.c -Ltarget/release \
 *      -lmedcode_ffi -Wl,-rpath,$PWD/target/release -o target/ioce_capi
 *   target/ioce_capi target/ioce-4line.jsonl 5
 *
 * With a third argument `print`, it prints every answer instead (to compare
 * two builds' answers byte for byte) and times nothing.
 *
 * For instruction counts run it under callgrind with 1 and 3 rounds: the
 * difference divided by twice the claims is the C ABI's instructions a
 * claim. BENCHMARKS.md, "Issue 23, speed, second pass".
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medcode.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s CLAIMS.jsonl ROUNDS [print]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, f) != (size_t)size) { perror(argv[1]); return 2; }
    fclose(f);
    text[size] = '\0';
    size_t cap = 1024, n = 0;
    char **lines = malloc(cap * sizeof *lines);
    for (char *p = text; *p;) {
        char *end = strchr(p, '\n');
        if (end) *end = '\0';
        if (*p) {
            if (n == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
            lines[n++] = p;
        }
        if (!end) break;
        p = end + 1;
    }
    if (n == 0) { fprintf(stderr, "no claims\n"); return 2; }
    int rounds = atoi(argv[2]);
    if (argc > 3 && strcmp(argv[3], "print") == 0) {
        for (size_t i = 0; i < n; i++) {
            char *answer = medcode_group_json(lines[i], NULL);
            printf("%s\n", answer ? answer : "NULL");
            medcode_string_free(answer);
        }
        return 0;
    }
    /* The tables read, and every answer checked to be the I/OCE's. */
    size_t not_ioce = 0;
    for (size_t i = 0; i < n; i++) {
        char *answer = medcode_group_json(lines[i], NULL);
        if (!answer || !strstr(answer, "\"engine\":\"ioce\"")) not_ioce++;
        medcode_string_free(answer);
    }
    if (not_ioce) { fprintf(stderr, "%zu claims not answered by the I/OCE\n", not_ioce); return 1; }
    double best = 0;
    for (int r = 0; r < rounds; r++) {
        double t = now();
        for (size_t i = 0; i < n; i++) {
            char *answer = medcode_group_json(lines[i], NULL);
            medcode_string_free(answer);
        }
        double rate = (double)n / (now() - t);
        if (rate > best) best = rate;
        printf("round %d: %.0f claims/s (%zu claims)\n", r + 1, rate, n);
    }
    if (rounds > 0) printf("best: %.0f claims/s\n", best);
    return 0;
}
