/* SPDX-License-Identifier: Apache-2.0 */
/*  layout_dump -- the layout model's input for the training tool
    (tools/train_layout.py): for each FILE, one JSON line per text line with
    its pass-1 features and the first date it holds.

    usage: layout_dump --names | FILE...
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_arena.h"
#include "tlx_layout.h"
#include "tlx_norm.h"

static void s_json_str(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--names") == 0) {
        for (uint32_t i = 0; tlx_layout_feature_name(i); i++)
            printf("%s\n", tlx_layout_feature_name(i));
        return 0;
    }
    tlx_arena_t *a = tlx_arena_new(1 << 20);
    if (!a)
        return 2;
    for (int k = 1; k < argc; k++) {
        FILE *f = fopen(argv[k], "rb");
        if (!f) {
            fprintf(stderr, "layout_dump: cannot read %s\n", argv[k]);
            return 2;
        }
        static char buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        tlx_arena_reset(a);
        char *norm;
        size_t nlen;
        uint32_t flags = 0;
        if (tlx_norm_text(buf, len, a, &norm, &nlen, &flags))
            return 2;
        /* the crawl prefix "date 2023-09-09 " is not a line of the page (as in tlx_structure.c) */
        size_t skip = 0;
        if (nlen > 12 && strncmp(norm, "date ", 5) == 0 && norm[5] >= '0' && norm[5] <= '9') {
            skip = 5;
            while (skip < nlen && ((norm[skip] >= '0' && norm[skip] <= '9') || norm[skip] == '-'))
                skip++;
            while (skip < nlen && norm[skip] == ' ')
                skip++;
        }
        tlx_layout_line_t *L;
        uint32_t n;
        if (tlx_layout_lines(norm + skip, nlen - skip, 2000, a, &L, &n))
            return 2;
        for (uint32_t i = 0; i < n; i++) {
            printf("{\"file\":");
            s_json_str(argv[k], strlen(argv[k]));
            printf(",\"i\":%u,\"text\":", i);
            s_json_str(L[i].s, L[i].len);
            char iso[32];
            size_t at, end;
            if (tlx_layout_find_date(L[i].s, L[i].len, 0, iso, &at, &end))
                printf(",\"date\":\"%s\"", iso);
            printf(",\"p\":[");
            for (int c = 0; c < TLX_LC__COUNT; c++)
                printf(c ? ",%.3f" : "%.3f", (double)L[i].p[c]);
            printf("],\"f\":[");
            for (uint32_t j = 0; j < TLX_LAYOUT_NRAW; j++)
                printf(j ? ",%g" : "%g", (double)L[i].f[j]);
            printf("]}\n");
        }
    }
    tlx_arena_destroy(&a);
    return 0;
}
