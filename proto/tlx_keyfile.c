/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_keyfile.c -- CURVE key files (see tlx_keyfile.h). */
#include "tlx_keyfile.h"

#include <stdio.h>
#include <string.h>

int tlx_keyfile_read(const char *path, char out[41])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    int rc = -1;
    while (rc && fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#') /* comment lines only: '#' is a Z85 digit */
            continue;
        size_t n = strcspn(p, " \t\r\n");
        if (n == 40) {
            memcpy(out, p, 40);
            out[40] = '\0';
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}
