/*
 * medcode's C ABI grouper alone, for instruction counts: every line of
 * CLAIMS.jsonl through medcode_group_json (default options), the answer
 * freed, ROUNDS times. Run under callgrind with 1 and 3 rounds; the
 * difference divided by twice the claims is the C ABI's instructions a
 * claim (the tables' load and the set-up cancel). BENCHMARKS.md, issue 24.
 *
 *   cc -O2 -std=c11 -Imedcode-ffi/include bench/compare/drg_callgrind.c -Ltarget/release \
 *      -lmedcode_ffi -Wl,-rpath,$PWD/target/release -o target/drg_callgrind
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null target/drg_callgrind CLAIMS.jsonl 1
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medcode.h"

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s CLAIMS.jsonl ROUNDS\n", argv[0]);
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
    int rounds = atoi(argv[2]);
    size_t failed = 0;
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++) {
            char *answer = medcode_group_json(lines[i], NULL);
            if (!answer) failed++;
            medcode_string_free(answer);
        }
    }
    if (failed) { fprintf(stderr, "%zu claims did not group\n", failed); return 1; }
    return 0;
}
