/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_datefmt.c -- date forms of date lines and bylines (see tlx_datefmt.h). */
#include "tlx_datefmt.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "tlx_error.h"

/* The one month table of the text stages: names, and abbreviations as
   their first three letters (plus "Sept"). */
static const char *const s_months[12] = {"january",   "february", "march",    "april",
                                         "may",       "june",     "july",     "august",
                                         "september", "october",  "november", "december"};

const char *tlx_datefmt_month_name(int m)
{
    return m >= 1 && m <= 12 ? s_months[m - 1] : NULL;
}

int tlx_datefmt_month(const char *s, size_t len, size_t *used)
{
    int c0 = len ? s[0] | 0x20 : 0; /* months start with a, d, f, j, m, n, o, s */
    if (c0 != 'a' && c0 != 'd' && c0 != 'f' && c0 != 'j' && c0 != 'm' && c0 != 'n' && c0 != 'o' && c0 != 's')
        return 0;
    size_t w = 0;
    while (w < len && isalpha((unsigned char)s[w]))
        w++;
    if (w < 3)
        return 0;
    for (int m = 0; m < 12; m++)
        if ((w == 3 && strncasecmp(s, s_months[m], 3) == 0) ||
            (w == strlen(s_months[m]) && strncasecmp(s, s_months[m], w) == 0) ||
            (w == 4 && m == 8 && strncasecmp(s, "sept", 4) == 0)) {
            *used = w + (w < len && s[w] == '.');
            return m + 1;
        }
    return 0;
}

int tlx_datefmt_mdays(int y, int m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return md[m - 1];
}

int tlx_datefmt_valid(int y, int m, int d)
{
    if (y < 1900 || y > 2200 || m < 1 || m > 12)
        return 0;
    return d >= 1 && d <= tlx_datefmt_mdays(y, m);
}

int tlx_datefmt_num(const char *s, size_t len, size_t *i, int maxdig)
{
    int v = 0, n = 0;
    while (*i < len && n < maxdig && isdigit((unsigned char)s[*i]))
        v = v * 10 + (s[(*i)++] - '0'), n++;
    if (n && *i < len && isdigit((unsigned char)s[*i]))
        return -1; /* more digits than a date field has */
    return n ? v : -1;
}

/* A four-digit year (1900-2199) at *i. */
int tlx_datefmt_year(const char *s, size_t len, size_t *i)
{
    size_t st = *i;
    int y = tlx_datefmt_num(s, len, i, 4);
    return *i - st == 4 ? y : -1;
}

int tlx_datefmt_ymd(const char *s, size_t len, const char *seps, int *y, int *m, int *d, size_t *used)
{
    size_t i = 0;
    int yy = tlx_datefmt_year(s, len, &i);
    if (yy < 0 || i >= len || !strchr(seps, s[i]) || !s[i])
        return TLX_EMALFORMED;
    char sep = s[i++];
    int mm = tlx_datefmt_num(s, len, &i, 2);
    if (mm < 1 || mm > 12 || i >= len || s[i] != sep)
        return TLX_EMALFORMED;
    i++;
    int dd = tlx_datefmt_num(s, len, &i, 2);
    if (dd < 1 || dd > tlx_datefmt_mdays(yy, mm))
        return TLX_EMALFORMED;
    *y = yy, *m = mm, *d = dd, *used = i;
    return 0;
}

/* A date (and a time after it) starting exactly at s: 2016-11-16 16:07,
   2018.05.15, 2019/03/04, 16/11/2016, 04.03.2019, May 15, 2018,
   Dec 28,2017, Nov. 16, 2016, 15 May 2018, 09 Jul. 2025, 18:02,
   9:45am.  day_first for dd/dd/yyyy: 1 day first, 0 month first, -1 only
   when unambiguous.  *used: bytes read.  0 or TLX_EMALFORMED. */
int tlx_datefmt_parse(const char *s, size_t len, int day_first, tlx_datefmt_civil_t *c, size_t *used)
{
    size_t i = 0, mw;
    int y = -1, m = -1, d = -1;
    if (i + 4 < len && isdigit((unsigned char)s[i]) && isdigit((unsigned char)s[i + 3]) &&
        (s[i + 4] == '-' || s[i + 4] == '.' || s[i + 4] == '/')) { /* 2016-11-16, 2018.05.15 */
        if (tlx_datefmt_ymd(s, len, "-./", &y, &m, &d, &i))
            return TLX_EMALFORMED;
    } else if (i < len && isdigit((unsigned char)s[i])) {
        int a = tlx_datefmt_num(s, len, &i, 2);
        char sep = i < len ? s[i] : 0;
        if ((sep == '/' || sep == '.' || sep == '-') && i + 1 < len && isdigit((unsigned char)s[i + 1])) {
            i++; /* 16/11/2016 */
            int b = tlx_datefmt_num(s, len, &i, 2);
            if (i < len && s[i] == sep)
                i++, y = tlx_datefmt_year(s, len, &i);
            if (a > 12 || (b <= 12 && day_first == 1))
                d = a, m = b;
            else if (b > 12 || day_first == 0 || a == b)
                m = a, d = b;
            else
                return TLX_EMALFORMED; /* 04/03/2019 and nobody says which */
        } else {                       /* 15 May 2018 */
            while (i < len && s[i] == ' ')
                i++;
            if ((m = tlx_datefmt_month(s + i, len - i, &mw))) {
                i += mw;
                while (i < len && (s[i] == ' ' || s[i] == ','))
                    i++;
                d = a;
                y = tlx_datefmt_year(s, len, &i);
            }
        }
    } else if ((m = tlx_datefmt_month(s + i, len - i,
                                      &mw))) { /* May 15, 2018 / Nov. 16, 2016 / Dec 28,2017 */
        i += mw;
        while (i < len && s[i] == ' ')
            i++;
        d = tlx_datefmt_num(s, len, &i, 2);
        if (i + 1 < len && (strncmp(s + i, "st", 2) == 0 || strncmp(s + i, "nd", 2) == 0 ||
                            strncmp(s + i, "rd", 2) == 0 || strncmp(s + i, "th", 2) == 0))
            i += 2;
        while (i < len && (s[i] == ',' || s[i] == ' '))
            i++;
        y = tlx_datefmt_year(s, len, &i);
    }
    if (!tlx_datefmt_valid(y, m, d))
        return TLX_EMALFORMED;
    c->y = y, c->m = m, c->d = d, c->hh = c->mm = -1;
    *used = i;
    /* a time after it: " 16:07", ", 18:02", " - 09:55", "T16:07", " 12:26PM", ", 9:45am" */
    size_t t = i;
    while (t < len && t < i + 4 && (s[t] == ' ' || s[t] == 'T' || s[t] == ',' || s[t] == '-' || s[t] == '|'))
        t++;
    int hh = tlx_datefmt_num(s, len, &t, 2), mm = -1;
    if (hh >= 0 && t + 2 < len + 0 && s[t] == ':' && isdigit((unsigned char)s[t + 1])) {
        t++;
        mm = tlx_datefmt_num(s, len, &t, 2);
        if (t + 2 < len + 1 && t < len && s[t] == ':') { /* seconds */
            size_t t2 = t + 1;
            if (tlx_datefmt_num(s, len, &t2, 2) >= 0)
                t = t2;
        }
        size_t q = t;
        while (q < len && s[q] == ' ')
            q++;
        int pm = 0, am = 0;
        if (q + 1 < len && (s[q] == 'p' || s[q] == 'P') &&
            (s[q + 1] == 'm' || s[q + 1] == 'M' || s[q + 1] == '.'))
            pm = 1;
        else if (q + 1 < len && (s[q] == 'a' || s[q] == 'A') &&
                 (s[q + 1] == 'm' || s[q + 1] == 'M' || s[q + 1] == '.'))
            am = 1;
        if ((pm || am) && hh >= 1 && hh <= 12) {
            hh = pm ? (hh == 12 ? 12 : hh + 12) : (hh == 12 ? 0 : hh);
            t = q + 2;
        }
        if (hh < 24 && mm >= 0 && mm < 60) {
            c->hh = hh, c->mm = mm;
            *used = t;
        }
    }
    return 0;
}
