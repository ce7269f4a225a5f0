/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_layout.c -- line features and the two-pass line classifier (see
    tlx_layout.h).

    The features are generic evidence only; their weights come from
    tools/train_layout.py (tlx_layout_model.h).  Adding a feature means:
    add it to the enum and the name table, compute it in s_raw(), rebuild,
    re-run the training tool (it reads the names from tools/layout_dump so
    the table and the code cannot drift apart: the model header carries the
    feature count and the build fails when it differs).
    Rejected: a CRF over the line sequence (better in principle, but the
    second pass over neighbour probabilities gets most of the context at a
    fraction of the code and time); per-outlet features (they do not carry
    to outlets the model has not seen).
*/
#include "tlx_layout.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "tlx_error.h"
#include "tlx_hash.h"
#include "tlx_layout_model.h"
#include "tlx_swar.h"
#include "tlx_wordset.h"

_Static_assert(TLX_LAYOUT_MODEL_NFEAT == TLX_LAYOUT_NFEAT,
               "tlx_layout_model.h is for another feature set: re-run tools/train_layout.py");
#include "tlx_datefmt.h"

/* ---- features ---------------------------------------------------------------- */

enum {
    F_BIAS,
    F_IDX0,
    F_IDX1,
    F_IDX2,
    F_IDX3_5,
    F_IDX6_10,
    F_IDX11P,
    F_LAST,
    F_NEAR_END, /* among the last three lines */
    F_HEAD,     /* before the first prose line */
    F_FIRST_PROSE,
    F_AFTER_PROSE_1, /* directly after the first prose line */
    F_REL_POS,       /* index / lines */
    F_LEN_LT20,
    F_LEN_20_40,
    F_LEN_40_80,
    F_LEN_80_150,
    F_LEN_150_300,
    F_LEN_GT300,
    F_W1,
    F_W2_3,
    F_W4_7,
    F_W8_15,
    F_W16P,
    F_PROSE,
    F_SENT_END,
    F_END_COLON,
    F_END_COMMA,
    F_END_QMARK,
    F_END_ELLIPSIS,
    F_BULLET,
    F_BAR,
    F_BRACKET_START,
    F_BRACKET_END,
    F_PAREN_END,
    F_CAP_RATIO, /* share of words starting with a capital */
    F_TITLECASE, /* >= 0.6 of the words capitalised, >= 3 words */
    F_ALLCAPS,
    F_START_LOWER,
    F_DIGIT_RATIO,
    F_NONLATIN,   /* share of letters outside ASCII */
    F_FUNC_RATIO, /* share of function words */
    F_NO_FUNC,    /* >= 3 words, none a function word */
    F_REPORT,     /* said, told, according ... */
    F_QUOTE,
    F_URL,
    F_EMAIL,
    F_BOIL_ANY,
    F_BOIL_RATIO,
    F_BOILW_ANY, /* weak furniture words (more, live, video, next) */
    F_CREDIT_ANY,
    F_CREDIT_RATIO,
    F_CREDIT_PAREN,   /* "(Reuters)", "(Photo: X)" at the end */
    F_CREDIT_SLASH,   /* "X/AFP", "REUTERS/Jason Lee" */
    F_CREDIT_START,   /* "Photo :", "FILE PHOTO:", "Image:" */
    F_CAPTION_WORDS,  /* "in this photo", "pictured", "(L)", "left," */
    F_BY_START,       /* "By ", "By:", "BY " */
    F_POSTED_BY,      /* "posted by", "written by", "reported by" */
    F_BYWORD,         /* reporter, correspondent, staff, writer, author */
    F_REPORTER_LABEL, /* "Reporter:", "Author:" */
    F_NAME_LIKE,      /* 1-4 capitalised words, no function word, no digit */
    F_BULLET_NAME,    /* "- Jane Doe", "• Jane Doe" */
    F_MONTH,
    F_WEEKDAY,
    F_YEAR,
    F_TIME,
    F_DATE,         /* a full date parses in the line */
    F_DATE_ONLY,    /* the date is most of the line */
    F_DATE_LABEL,   /* published, updated, date:, posted */
    F_DATE_AMBIG,   /* a dd/dd/yyyy that could be either */
    F_DATELINE,     /* "SEOUL, March 4 (Yonhap) --", "NEW DELHI (AA) -" */
    F_AGENCY_PAREN, /* "(AP)" "(Yonhap)" within the first 60 bytes */
    F_DUP_PREV,     /* same as an earlier line */
    F_DUP_NEXT,     /* the next line is the same */
    F_LABEL_COLON,  /* "Source:", "Tags:" within the first 24 bytes */
    F_SOURCE_LABEL, /* source / from / via at the start */
    F_COPYRIGHT,
    F_ARROW, /* >>, », ›, ▶ */
    F_PREV_PROSE,
    F_NEXT_PROSE,
    F_PREV_SHORT,
    F_NEXT_SHORT,
    F_PREV_BY,
    F_NEXT_BY,
    F_PREV_DATE,
    F_NEXT_DATE,
    F_PREV_CREDIT,
    F_NEXT_CREDIT,
    F_NEXT_DATELINE,
    F_PREV_BOIL,
    F_NEXT_BOIL,
    F_FIRST_TITLELIKE, /* the first line of the head with 4+ words, not furniture */
    F_TITLELIKE,
    F_GLUED,              /* a lower-case letter glued to a capital: "launchBy", "PressTOKYO" */
    F_PROSE_BEFORE_COUNT, /* prose lines before, capped at 3, / 3 */
    F_TAIL,               /* after the last prose line */
    F_NUMERIC_ONLY,
    F_INLINE_CREDIT,  /* "... Photo: X", "... Image: X" after caption text */
    F_PRE1,           /* the line right before the first prose line */
    F_PRE2_3,         /* two or three lines before it */
    F_PRE4P,          /* four or more lines before it */
    F_YOU,            /* the reader addressed: "you", "your" */
    F_OUR,            /* the site speaking: "our", "us" */
    F_CTA,            /* a sentence starts with a call to action: "Get ...", "Join ...", "Be the first ..." */
    F_MEDIA_SHAPE,    /* a short name of a medium or agency: "The Example Times", "Example News Agency" */
    F_UNFINISHED,     /* long, and stops mid-sentence (a teaser's cut summary), not the text's last line */
    F_DUP_NEAR,       /* the same line two lines away (alt text, credit, caption again) */
    F_STARTS_PREV,    /* starts with the whole short line before it (an author's bio under the name) */
    F_NEXT_STARTS_ME, /* the next line starts with this whole short line */
    F__RAW_END
};

_Static_assert(F__RAW_END <= TLX_LAYOUT_NRAW, "raw feature count");

static const char *const s_fnames[TLX_LAYOUT_NRAW] = {
    "bias",          "idx0",          "idx1",         "idx2",
    "idx3_5",        "idx6_10",       "idx11p",       "last",
    "near_end",      "head",          "first_prose",  "after_prose_1",
    "rel_pos",       "len_lt20",      "len_20_40",    "len_40_80",
    "len_80_150",    "len_150_300",   "len_gt300",    "w1",
    "w2_3",          "w4_7",          "w8_15",        "w16p",
    "prose",         "sent_end",      "end_colon",    "end_comma",
    "end_qmark",     "end_ellipsis",  "bullet",       "bar",
    "bracket_start", "bracket_end",   "paren_end",    "cap_ratio",
    "titlecase",     "allcaps",       "start_lower",  "digit_ratio",
    "nonlatin",      "func_ratio",    "no_func",      "report",
    "quote",         "url",           "email",        "boil_any",
    "boil_ratio",    "boilw_any",     "credit_any",   "credit_ratio",
    "credit_paren",  "credit_slash",  "credit_start", "caption_words",
    "by_start",      "posted_by",     "byword",       "reporter_label",
    "name_like",     "bullet_name",   "month",        "weekday",
    "year",          "time",          "date",         "date_only",
    "date_label",    "date_ambig",    "dateline",     "agency_paren",
    "dup_prev",      "dup_next",      "label_colon",  "source_label",
    "copyright",     "arrow",         "prev_prose",   "next_prose",
    "prev_short",    "next_short",    "prev_by",      "next_by",
    "prev_date",     "next_date",     "prev_credit",  "next_credit",
    "next_dateline", "prev_boil",     "next_boil",    "first_titlelike",
    "titlelike",     "glued",         "prose_before", "tail",
    "numeric_only",  "inline_credit", "pre1",         "pre2_3",
    "pre4p",         "you",           "our",          "cta",
    "media_shape",   "unfinished",    "dup_near",     "starts_prev",
    "next_starts_me"};

static const char *const s_cnames[TLX_LC__COUNT] = {"body",    "title",  "deck",   "meta",
                                                    "caption", "boiler", "subhead"};

const char *tlx_layout_class_name(uint32_t c)
{
    return c < TLX_LC__COUNT ? s_cnames[c] : NULL;
}

/* Pass-2 context features: the pass-1 probabilities of the lines around,
   and two running facts (a title-like line already seen, body already seen). */
enum {
    C_PREV = 0,                             /* 7: pass-1 p of the previous line */
    C_NEXT = TLX_LC__COUNT,                 /* 7: of the next line */
    C_MAX_TITLE_BEFORE = 2 * TLX_LC__COUNT, /* max p(title) on earlier lines */
    C_BODY_BEFORE,                          /* max p(body) on earlier lines */
    C_BOIL_WIN,                             /* mean p(boiler) of the two lines before and after */
    C_CAP_WIN,                              /* max p(caption) of the lines next to it */
    C_META_WIN,                             /* max p(meta) of the lines next to it */
    C_SELF_TITLE_RANK,                      /* 1 when no earlier line had a higher p(title) */
    C_BOIL_RUN_BEFORE,                      /* the previous two lines both boiler > .5 */
    C_BOIL_RUN_AFTER,
    C__END
};
_Static_assert(C__END <= TLX_LAYOUT_NCTX, "context feature count");

const char *tlx_layout_feature_name(uint32_t i)
{
    static const char *const ctx[TLX_LAYOUT_NCTX] = {
        "prev_p_body",     "prev_p_title",   "prev_p_deck",   "prev_p_meta",    "prev_p_caption",
        "prev_p_boiler",   "prev_p_subhead", "next_p_body",   "next_p_title",   "next_p_deck",
        "next_p_meta",     "next_p_caption", "next_p_boiler", "next_p_subhead", "max_title_before",
        "body_before",     "boil_win",       "cap_win",       "meta_win",       "self_title_rank",
        "boil_run_before", "boil_run_after", "ctx_unused_22", "ctx_unused_23"};
    if (i < TLX_LAYOUT_NRAW)
        return s_fnames[i] ? s_fnames[i] : "unused";
    if (i < TLX_LAYOUT_NFEAT)
        return ctx[i - TLX_LAYOUT_NRAW];
    return NULL;
}

/* ---- word classes ------------------------------------------------------------- */

enum {
    W_FUNC = 1,
    W_REPORT = 2,
    W_BOIL = 4,
    W_BOILW = 8,
    W_CREDIT = 16,
    W_BYWORD = 32,
    W_MONTH = 64,
    W_WEEKDAY = 128,
    W_DATELBL = 256,
    W_CAPTION = 512,
    W_SOURCE = 1024,
    W_COPY = 2048,
    W_YOU = 4096,   /* the reader addressed: you, your */
    W_OUR = 8192,   /* the site speaking: our, us */
    W_CTA = 16384,  /* verbs of a call to action at a sentence start: get, join, use, be */
    W_MEDIA = 32768 /* words of media and agency names: news, press, daily, agency, images */
};

static const struct {
    const char *w;
    unsigned cls;
} s_words_tab[] = {
    /* function words */
    {"the", W_FUNC},
    {"a", W_FUNC},
    {"an", W_FUNC},
    {"of", W_FUNC},
    {"in", W_FUNC},
    {"to", W_FUNC},
    {"and", W_FUNC},
    {"for", W_FUNC},
    {"on", W_FUNC | W_DATELBL},
    {"with", W_FUNC},
    {"is", W_FUNC},
    {"was", W_FUNC},
    {"at", W_FUNC},
    {"from", W_FUNC | W_SOURCE},
    {"that", W_FUNC},
    {"as", W_FUNC},
    {"has", W_FUNC},
    {"have", W_FUNC},
    {"had", W_FUNC},
    {"it", W_FUNC},
    {"its", W_FUNC},
    {"be", W_FUNC},
    {"are", W_FUNC},
    {"were", W_FUNC},
    {"will", W_FUNC},
    {"this", W_FUNC},
    {"by", W_FUNC},
    {"but", W_FUNC},
    {"not", W_FUNC},
    {"who", W_FUNC},
    {"which", W_FUNC},
    {"their", W_FUNC},
    {"his", W_FUNC},
    {"her", W_FUNC},
    {"he", W_FUNC},
    {"she", W_FUNC},
    {"they", W_FUNC},
    {"we", W_FUNC},
    {"i", W_FUNC},
    {"been", W_FUNC},
    {"would", W_FUNC},
    {"after", W_FUNC},
    {"than", W_FUNC},
    {"about", W_FUNC},
    {"into", W_FUNC},
    {"or", W_FUNC},
    {"if", W_FUNC},
    {"also", W_FUNC},
    {"more", W_FUNC | W_BOILW},
    {"said", W_REPORT},
    {"says", W_REPORT},
    {"told", W_REPORT},
    {"added", W_REPORT},
    {"according", W_REPORT},
    {"stated", W_REPORT},
    {"reported", W_REPORT},
    {"noted", W_REPORT},
    {"explained", W_REPORT},
    {"announced", W_REPORT},
    {"warned", W_REPORT},
    {"urged", W_REPORT},
    /* site furniture */
    {"share", W_BOIL},
    {"shares", W_BOILW},
    {"subscribe", W_BOIL},
    {"subscription", W_BOIL},
    {"subscribers", W_BOIL},
    {"newsletter", W_BOIL},
    {"newsletters", W_BOIL},
    {"login", W_BOIL},
    {"logout", W_BOIL},
    {"signup", W_BOIL},
    {"sign", W_BOILW},
    {"comment", W_BOIL},
    {"comments", W_BOIL},
    {"reply", W_BOIL},
    {"menu", W_BOIL},
    {"skip", W_BOIL},
    {"navigation", W_BOIL},
    {"cookie", W_BOIL},
    {"cookies", W_BOIL},
    {"privacy", W_BOIL},
    {"copyright", W_BOIL | W_COPY},
    {"reserved", W_BOIL | W_COPY},
    {"advertisement", W_BOIL},
    {"advertising", W_BOIL},
    {"popular", W_BOIL},
    {"trending", W_BOIL},
    {"recommended", W_BOIL},
    {"related", W_BOIL},
    {"continue", W_BOIL},
    {"click", W_BOIL},
    {"print", W_BOIL},
    {"font", W_BOIL},
    {"home", W_BOILW},
    {"tag", W_BOIL},
    {"tags", W_BOIL},
    {"category", W_BOIL},
    {"categories", W_BOIL},
    {"archive", W_BOIL},
    {"archives", W_BOIL},
    {"facebook", W_BOIL},
    {"twitter", W_BOIL},
    {"whatsapp", W_BOIL},
    {"linkedin", W_BOIL},
    {"instagram", W_BOIL},
    {"youtube", W_BOIL},
    {"telegram", W_BOILW},
    {"permalink", W_BOIL},
    {"search", W_BOIL},
    {"contact", W_BOIL},
    {"accessibility", W_BOIL},
    {"donate", W_BOIL},
    {"donation", W_BOIL},
    {"download", W_BOIL},
    {"app", W_BOILW},
    {"apps", W_BOILW},
    {"follow", W_BOIL},
    {"rss", W_BOIL},
    {"sitemap", W_BOIL},
    {"terms", W_BOILW},
    {"policy", W_BOILW},
    {"toggle", W_BOIL},
    {"enlarge", W_BOIL},
    {"decrease", W_BOILW},
    {"increase", W_BOILW},
    {"listen", W_BOIL},
    {"watch", W_BOILW},
    {"video", W_BOILW},
    {"videos", W_BOILW},
    {"podcast", W_BOIL},
    {"podcasts", W_BOIL},
    {"live", W_BOILW},
    {"logo", W_BOIL},
    {"next", W_BOILW},
    {"previous", W_BOILW},
    {"prev", W_BOIL},
    {"top", W_BOILW},
    {"scroll", W_BOIL},
    {"email", W_BOIL},
    {"e-mail", W_BOIL},
    {"visit", W_BOILW},
    {"contribute", W_BOIL},
    {"welcome", W_BOIL},
    {"breaking", W_BOILW},
    {"loading", W_BOIL},
    {"section", W_BOILW},
    {"dropdown", W_BOIL},
    {"sort", W_BOIL},
    {"posts", W_BOILW},
    {"edition", W_BOILW},
    {"editions", W_BOIL},
    {"opinion", W_BOILW},
    {"more", W_BOILW},
    {"read", W_BOILW},
    {"view", W_BOILW},
    {"views", W_BOILW},
    {"expressed", W_BOILW},
    {"disclaimer", W_BOIL},
    {"story", W_BOILW},
    {"stories", W_BOILW},
    {"upcoming", W_BOIL},
    {"radio", W_BOILW},
    {"stations", W_BOILW},
    {"discovery", W_BOILW},
    {"links", W_BOIL},
    {"link", W_BOILW},
    {"post", W_BOILW},
    {"submit", W_BOIL},
    {"required", W_BOILW},
    {"fields", W_BOILW},
    {"marked", W_BOILW},
    {"leave", W_BOILW},
    {"join", W_BOILW},
    {"free", W_BOILW},
    {"today", W_BOILW},
    {"success", W_BOILW},
    {"list", W_BOILW},
    {"page", W_BOILW},
    {"inbox", W_BOIL},
    {"briefing", W_BOILW},
    {"unsubscribe", W_BOIL},
    {"notifications", W_BOIL},
    {"bookmark", W_BOIL},
    {"sponsored", W_BOIL},
    {"advertise", W_BOIL},
    {"feedback", W_BOILW},
    {"reflect", W_BOILW},
    /* credits */
    {"photo", W_CREDIT},
    {"photos", W_CREDIT},
    {"image", W_CREDIT},
    {"images", W_CREDIT},
    {"courtesy", W_CREDIT},
    {"credit", W_CREDIT},
    {"pool", W_CREDIT},
    {"file", W_CREDIT},
    {"handout", W_CREDIT},
    {"illustration", W_CREDIT | W_CAPTION},
    {"photographer", W_CREDIT},
    {"picture", W_CREDIT | W_CAPTION},
    {"pictured", W_CAPTION},
    {"caption", W_CREDIT},
    {"seen", W_CAPTION},
    {"left", W_CAPTION},
    {"right", W_CAPTION},
    {"center", W_CAPTION},
    {"centre", W_CAPTION},
    {"taken", W_CAPTION},
    {"released", W_CAPTION},
    {"shows", W_CAPTION},
    /* bylines */
    {"posted", W_BYWORD | W_DATELBL},
    {"written", W_BYWORD},
    {"reporter", W_BYWORD},
    {"reporters", W_BYWORD},
    {"author", W_BYWORD},
    {"correspondent", W_BYWORD},
    {"staff", W_BYWORD},
    {"writer", W_BYWORD},
    {"editor", W_BYWORD},
    {"contributor", W_BYWORD},
    {"columnist", W_BYWORD},
    {"reporting", W_BYWORD},
    {"editing", W_BYWORD},
    /* dates */
    {"published", W_DATELBL},
    {"updated", W_DATELBL},
    {"update", W_DATELBL},
    {"date", W_DATELBL},
    {"modified", W_DATELBL},
    {"created", W_DATELBL},
    {"issued", W_DATELBL},
    {"january", W_MONTH},
    {"february", W_MONTH},
    {"march", W_MONTH},
    {"april", W_MONTH},
    {"may", W_MONTH},
    {"june", W_MONTH},
    {"july", W_MONTH},
    {"august", W_MONTH},
    {"september", W_MONTH},
    {"october", W_MONTH},
    {"november", W_MONTH},
    {"december", W_MONTH},
    {"jan", W_MONTH},
    {"feb", W_MONTH},
    {"mar", W_MONTH},
    {"apr", W_MONTH},
    {"jun", W_MONTH},
    {"jul", W_MONTH},
    {"aug", W_MONTH},
    {"sep", W_MONTH},
    {"sept", W_MONTH},
    {"oct", W_MONTH},
    {"nov", W_MONTH},
    {"dec", W_MONTH},
    {"monday", W_WEEKDAY},
    {"tuesday", W_WEEKDAY},
    {"wednesday", W_WEEKDAY},
    {"thursday", W_WEEKDAY},
    {"friday", W_WEEKDAY},
    {"saturday", W_WEEKDAY},
    {"sunday", W_WEEKDAY},
    {"mon", W_WEEKDAY},
    {"tue", W_WEEKDAY},
    {"wed", W_WEEKDAY},
    {"thu", W_WEEKDAY},
    {"fri", W_WEEKDAY},
    {"sat", W_WEEKDAY},
    {"sun", W_WEEKDAY},
    /* the reader addressed, the site speaking */
    {"you", W_YOU},
    {"your", W_YOU},
    {"yours", W_YOU},
    {"yourself", W_YOU},
    {"you're", W_YOU},
    {"you'll", W_YOU},
    {"you've", W_YOU},
    {"our", W_OUR},
    {"us", W_OUR},
    {"ours", W_OUR},
    /* calls to action (imperatives at a sentence start) */
    {"get", W_CTA},
    {"make", W_CTA},
    {"use", W_CTA},
    {"try", W_CTA},
    {"join", W_CTA | W_BOILW},
    {"sign", W_CTA | W_BOILW},
    {"subscribe", W_CTA | W_BOIL},
    {"read", W_CTA | W_BOILW},
    {"see", W_CTA},
    {"find", W_CTA},
    {"discover", W_CTA},
    {"learn", W_CTA},
    {"explore", W_CTA},
    {"enter", W_CTA},
    {"register", W_CTA},
    {"send", W_CTA},
    {"tell", W_CTA},
    {"check", W_CTA},
    {"stay", W_CTA},
    {"donate", W_CTA | W_BOIL},
    {"give", W_CTA},
    {"be", W_CTA | W_FUNC},
    {"don't", W_CTA},
    {"start", W_CTA},
    {"create", W_CTA},
    {"click", W_CTA | W_BOIL},
    {"support", W_CTA},
    {"follow", W_CTA | W_BOIL},
    {"download", W_CTA | W_BOIL},
    {"watch", W_CTA | W_BOILW},
    {"listen", W_CTA | W_BOIL},
    {"share", W_CTA | W_BOIL},
    {"visit", W_CTA | W_BOILW},
    {"upgrade", W_CTA},
    {"unlock", W_CTA},
    {"claim", W_CTA},
    {"escape", W_CTA},
    {"never", W_CTA},
    {"please", W_CTA},
    /* media and agency name words (no names: the words names are made of) */
    {"news", W_MEDIA},
    {"press", W_MEDIA},
    {"times", W_MEDIA},
    {"post", W_MEDIA | W_BOILW},
    {"herald", W_MEDIA},
    {"daily", W_MEDIA},
    {"tribune", W_MEDIA},
    {"gazette", W_MEDIA},
    {"journal", W_MEDIA},
    {"telegraph", W_MEDIA},
    {"chronicle", W_MEDIA},
    {"newspaper", W_MEDIA},
    {"shimbun", W_MEDIA},
    {"ilbo", W_MEDIA},
    {"sinmun", W_MEDIA},
    {"zeitung", W_MEDIA},
    {"agency", W_MEDIA},
    {"wire", W_MEDIA},
    {"media", W_MEDIA},
    {"images", W_MEDIA | W_CREDIT},
    {"photos", W_MEDIA | W_CREDIT},
    {"broadcasting", W_MEDIA},
    {"television", W_MEDIA},
    {"tv", W_MEDIA},
    {"network", W_MEDIA},
    {"service", W_MEDIA},
    {"magazine", W_MEDIA},
    {"weekly", W_MEDIA},
    {"bureau", W_MEDIA},
    {"channel", W_MEDIA},
    {"radio", W_MEDIA | W_BOILW},
    /* source labels */
    {"source", W_SOURCE},
    {"via", W_SOURCE},
    {"rights", W_COPY},
};

/* the word classes (words of at most S_WORD_MAX bytes), looked up with
   ASCII case folded */
#define S_WORD_MAX 15 /* longer words are in no class */
_Static_assert(S_WORD_MAX <= TLX_WORDSET_MAX, "class words fit the word set");
TLX_WORDSET_STATIC(s_wt, 1024, true);
/* bytes the line scan (s_scan) stops at; the others (lower-case letters
   but a few, spaces) are skipped by one table load */
static uint8_t s_scan_stop[256];
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
/* the model's weights by feature: [feature][class], classes padded to 8 */
#define S_KPAD 8
_Static_assert(TLX_LC__COUNT <= S_KPAD, "classes fit the padded rows");
static float s_w1t[TLX_LAYOUT_NFEAT][S_KPAD] __attribute__((aligned(32)));
static float s_w2t[TLX_LAYOUT_NFEAT][S_KPAD] __attribute__((aligned(32)));

static void s_init(void)
{
    for (size_t i = 0; i < sizeof s_words_tab / sizeof *s_words_tab; i++)
        tlx_wordset_put(&s_wt, s_words_tab[i].w, s_words_tab[i].cls);
    for (int c = 0; c < 256; c++)
        s_scan_stop[c] =
            (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 || strchr("\"@:.>b", c) != NULL;
    s_scan_stop[0] = 0;
    for (int j = 0; j < TLX_LAYOUT_NFEAT; j++)
        for (int k = 0; k < TLX_LC__COUNT; k++) {
            s_w1t[j][k] = tlx_layout_w1[k][j];
            s_w2t[j][k] = tlx_layout_w2[k][j];
        }
}

/* A hash of s[0..n) (repeated lines). */
static uint32_t s_line_hash(const char *s, size_t n)
{
    uint64_t h = tlx_swar_hash(0x9e3779b97f4a7c15ull ^ n, s, n);
    return (uint32_t)(h ^ h >> 32);
}

/* Classes of the word w[0..n) (any case). */
static unsigned s_wclass(const char *w, size_t n)
{
    return tlx_wordset_get(&s_wt, w, n);
}

/* ---- dates in a line ------------------------------------------------------------ */

int tlx_layout_find_date(const char *s, size_t len, int day_first, char *out, size_t *at, size_t *end)
{
    if (len > 400)
        len = 400; /* dates of a date line are near its start */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            continue;
        unsigned char pc = i ? (unsigned char)s[i - 1] : ' ';
        int pdig = pc >= '0' && pc <= '9';
        int palpha = (pc >= 'A' && pc <= 'Z') || (pc >= 'a' && pc <= 'z');
        /* a word start; a month glued after a lower-case letter or digits ("2025October") too */
        if (pdig && c >= '0' && c <= '9')
            continue;
        if (palpha && !(c >= 'A' && c <= 'Z' && pc >= 'a' && pc <= 'z') && !(c >= '0' && c <= '9'))
            continue;
        if (palpha && c >= '0' && c <= '9')
            continue;
        size_t used = 0;
        tlx_datefmt_civil_t cv;
        if (tlx_datefmt_parse(s + i, len - i, day_first, &cv, &used) == 0) {
            snprintf(out, 32, "%04d-%02d-%02d", cv.y, cv.m, cv.d);
            *at = i;
            *end = i + used;
            return 1;
        }
    }
    return 0;
}

/* ---- pass 1: raw features ---------------------------------------------------------- */

typedef struct {
    uint32_t words, len;
    uint8_t prose, by, date, credit, dateline, boil, sent_end;
    uint32_t hash;
} shape_t;

static int s_is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}
static int s_is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}
static int s_is_alpha(unsigned char c)
{
    return s_is_upper(c) || s_is_lower(c);
}
static int s_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int s_has_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s_is_upper((unsigned char)s[i]))
            return 1;
    return 0;
}

static int s_sentence_end(const char *s, size_t len)
{
    while (len && (s[len - 1] == ')' || s[len - 1] == '"' || s[len - 1] == '\'' || s[len - 1] == ' ' ||
                   (len >= 3 && (unsigned char)s[len - 3] == 0xe2 && (unsigned char)s[len - 2] == 0x80 &&
                    ((unsigned char)s[len - 1] == 0x9d || (unsigned char)s[len - 1] == 0x99)))) {
        if ((unsigned char)s[len - 1] >= 0x80)
            len -= 3;
        else
            len--;
    }
    return len && (s[len - 1] == '.' || s[len - 1] == '!' || s[len - 1] == '?');
}

static int s_prefix_ci(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    if (n > len)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)p[i];
        if (s_is_upper(a))
            a += 32;
        if (a != b)
            return 0;
    }
    return 1;
}

/* "SEOUL, March 4 (Yonhap) --", "NEW DELHI (AA) -", "BEIJING -", "TOKYO—",
   "Pyongyang, October 25 (KCNA) --", "(CNN) --": a place (or agency) and a
   dash or colon within the first 80 bytes. */
static int s_dateline_shape(const char *s, size_t len)
{
    size_t lim = len < 90 ? len : 90, i = 0;
    int caps = 0, letters = 0, paren = 0;
    if (i < len && s[0] == '(')
        paren = 1;
    for (; i < lim; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '(')
            paren = 1;
        if (s_is_alpha(c)) {
            letters++;
            caps += s_is_upper(c);
        }
        if (c == '-' && i + 1 < lim && s[i + 1] == '-')
            break;
        if ((c == '-' || c == ':') && i > 0 && s[i - 1] == ' ')
            break;
        if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x94 || (unsigned char)s[i + 2] == 0x93))
            break;
        if (c == ':' && i + 1 < lim && s[i + 1] == ' ' && !paren && letters > 2)
            break;
        if (c == '.' || c == '"' || c == '?' || c == '!')
            return 0;
    }
    if (i >= lim || letters < 2)
        return 0;
    /* the head is a place in capitals, or has an agency in parentheses */
    return paren || caps * 10 >= letters * 7;
}

static int s_credit_slash(const char *s, size_t len)
{
    /* a capitalised word, '/', a capitalised word: "REUTERS/Jason Lee", "AFP/Getty" */
    size_t end = len == 0 ? 0 : len - 1 < 300 ? len - 1 : 300; /* i + 1 < len, i < 300 */
    for (size_t i = 1; i < end; i++) {
        const char *q = memchr(s + i, '/', end - i); /* most lines have none */
        if (!q)
            break;
        i = (size_t)(q - s);
        if (s_is_alpha((unsigned char)s[i - 1]) && s_is_upper((unsigned char)s[i + 1])) {
            if (i >= 4 && s[i - 1] == 'p' && s[i - 2] == 't')
                continue; /* http/ */
            return 1;
        }
    }
    return 0;
}

/* What one pass over the first S_SCAN bytes of a line finds. */
#define S_SCAN 160
typedef struct {
    uint8_t quote, url, email, copy, arrow, glued, posted, year, year4, time, inline_credit;
} scan_t;

static int s_has_at(const char *s, size_t len, size_t k, const char *p, size_t pl)
{
    return k + pl <= len && memcmp(s + k, p, pl) == 0;
}

/* The colon at s[k] ends "http" or "https" starting before lim. */
static int s_url_colon(const char *s, size_t k, size_t lim)
{
    return (k >= 4 && k - 4 < lim && memcmp(s + k - 4, "http", 4) == 0) ||
           (k >= 5 && k - 5 < lim && memcmp(s + k - 5, "https", 5) == 0);
}

/* The dot at s[k] ends "www" starting before lim. */
static int s_url_dot(const char *s, size_t k, size_t lim)
{
    return k >= 3 && k - 3 < lim && memcmp(s + k - 3, "www", 3) == 0;
}

static void s_scan(const char *s, size_t len, scan_t *sc)
{
    memset(sc, 0, sizeof *sc);
    size_t lim = len < S_SCAN ? len : S_SCAN;
    /* a URL starting before lim ends its "https:" or "www." up to 5 bytes after it */
    for (size_t k = lim; k < len && k < lim + 5; k++)
        if ((s[k] == ':' && s_url_colon(s, k, lim)) || (s[k] == '.' && s_url_dot(s, k, lim)))
            sc->url = 1;
    for (size_t k = 0; k < lim; k++) {
        unsigned char c = (unsigned char)s[k];
        if (!s_scan_stop[c])
            continue;
        switch (c) {
        case '"':
            sc->quote = 1;
            break;
        case '@':
            sc->email = 1;
            break;
        case ':': /* "http:", "https:" found by their colon: 'h' is a frequent letter */
            sc->url |= s_url_colon(s, k, lim);
            break;
        case '.': /* ".com", and "www." by its dot */
            sc->url |= s_has_at(s, len, k, ".com", 4) || s_url_dot(s, k, lim);
            break;
        case '>':
            sc->arrow |= s_has_at(s, len, k, ">>", 2);
            break;
        case 0xc2:
            sc->copy |= s_has_at(s, len, k, "\xc2\xa9", 2);
            sc->arrow |= s_has_at(s, len, k, "\xc2\xbb", 2);
            break;
        case 0xe2:
            sc->quote |= s_has_at(s, len, k, "\xe2\x80\x9c", 3);
            sc->arrow |= s_has_at(s, len, k, "\xe2\x80\xba", 3) || s_has_at(s, len, k, "\xe2\x96\xb6", 3);
            break;
        case 'b':
        case 'B': /* "posted by", "written by", "reported by", "Reporting by" */
            if (k >= 7 && k < 200 && k + 2 < len && (s[k + 1] == 'y' || s[k + 1] == 'Y') && s[k + 2] == ' ' &&
                s[k - 1] == ' ' &&
                (s_prefix_ci(s + k - 7, 3, "ted") || s_prefix_ci(s + k - 7, 3, "ten") ||
                 s_prefix_ci(s + k - 7, 3, "rte") || s_prefix_ci(s + k - 7, 3, "ing") ||
                 s_prefix_ci(s + k - 6, 2, "ed")))
                sc->posted = 1;
            break;
        case 'P':
        case 'I': /* "... Photo: X", "... Image: X" */
            if (k >= 2 && s[k - 1] == ' ' &&
                (s_has_at(s, len, k, "Photo:", 6) || s_has_at(s, len, k, "Image:", 6) ||
                 s_has_at(s, len, k, "Photo :", 7) || s_has_at(s, len, k, "Photo by ", 9)))
                sc->inline_credit = 1;
            break;
        default:
            break;
        }
        /* "launchBy", "PressTOKYO": a capital glued after two lower-case letters */
        if (c >= 'A' && c <= 'Z' && k >= 2 && k + 1 < len && s_is_lower((unsigned char)s[k - 1]) &&
            s_is_lower((unsigned char)s[k - 2]) && (s_is_upper((unsigned char)s[k + 1]) || s[k + 1] == 'y'))
            sc->glued = 1;
        if (s_is_digit(c) && (k == 0 || !s_is_digit((unsigned char)s[k - 1]))) {
            size_t e = k;
            while (e < len && s_is_digit((unsigned char)s[e]))
                e++;
            if (e - k == 4) {
                sc->year4 = 1;
                if ((s[k] == '1' || s[k] == '2') && (s[k + 1] == '9' || s[k + 1] == '0'))
                    sc->year = 1;
            }
            if (e - k <= 2 && e + 2 < len && s[e] == ':' && s_is_digit((unsigned char)s[e + 1]) &&
                s_is_digit((unsigned char)s[e + 2]))
                sc->time = 1;
            k = e - 1;
        }
    }
}

/* What the words of a line are: counts over its first TLX_LAYOUT_WORDS_MAX
   words (a line with more counts as TLX_LAYOUT_WORDS_MAX + 1 words: every
   threshold on the count is below that), and the union of their classes. */
typedef struct {
    size_t words, caps, func, lower_start, digits, letters, nonascii, upl, boil, credit, looked, cta;
    unsigned any;
} wstat_t;

/* Adds the byte classes of s[0..n) to ws: letters, upper-case letters,
   digits and UTF-8 lead bytes (0xc0 and up), eight bytes at a time. */
static void s_count_classes(const char *s, size_t n, wstat_t *ws)
{
    size_t i = 0;
    while (i < n) {
        /* per-byte counters: at most 31 blocks, so no byte carries into the next */
        uint64_t lt = 0, up = 0, dg = 0, hb = 0;
        for (int blocks = 0; blocks < 31 && i < n; blocks++) {
            size_t k = n - i < 8 ? n - i : 8;
            uint64_t x = tlx_swar_load_n(s + i, k);
            uint64_t u = tlx_swar_in(x, 'A', 'Z');
            lt += (u | tlx_swar_in(x, 'a', 'z')) >> 7;
            up += u >> 7;
            dg += tlx_swar_in(x, '0', '9') >> 7;
            hb += (x & x << 1 & TLX_SWAR_HIGH) >> 7;
            i += k;
        }
        ws->letters += (lt * TLX_SWAR_ONES) >> 56;
        ws->upl += (up * TLX_SWAR_ONES) >> 56;
        ws->digits += (dg * TLX_SWAR_ONES) >> 56;
        ws->nonascii += (hb * TLX_SWAR_ONES) >> 56;
    }
}

static void s_word_stats(const char *s, size_t len, wstat_t *ws)
{
    memset(ws, 0, sizeof *ws);
    int sstart = 1; /* the word starts a sentence (or the line, or follows a dash or bar) */
    size_t end = 0; /* the end of the last word counted */
    for (size_t i = 0; i < len;) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        size_t st = i;
        i = tlx_swar_find(s, i, len, ' ');
        if (++ws->words > TLX_LAYOUT_WORDS_MAX)
            break;
        end = i;
        unsigned char wl = (unsigned char)s[i - 1];
        int starts = sstart;
        sstart = wl == '.' || wl == '!' || wl == '?' || wl == '|' || (i - st == 1 && wl == '-') ||
                 (i - st == 3 && wl == 0x94); /* "." ... "|", " - ", " — " */
        /* the word stripped of edge punctuation */
        size_t a = st, b = i;
        while (a < b && !s_is_alpha((unsigned char)s[a]) && !s_is_digit((unsigned char)s[a]) &&
               (unsigned char)s[a] < 0x80)
            a++;
        while (b > a && !s_is_alpha((unsigned char)s[b - 1]) && !s_is_digit((unsigned char)s[b - 1]) &&
               (unsigned char)s[b - 1] < 0x80)
            b--;
        if (a < b && s_is_upper((unsigned char)s[a]))
            ws->caps++;
        else if (a < b && s_is_lower((unsigned char)s[a]))
            ws->lower_start += ws->words == 1;
        /* "photo:" -> "photo"; "d.c." stays; a plural of a furniture or credit word */
        size_t n = b - a;
        unsigned cls = tlx_wordset_get_in(&s_wt, s + a, n, len - a);
        if (!cls && n > 1 && n <= S_WORD_MAX && (s[b - 1] | 0x20) == 's')
            cls = tlx_wordset_get_in(&s_wt, s + a, n - 1, len - a) & (W_BOIL | W_CREDIT);
        ws->any |= cls;
        ws->func += (cls & W_FUNC) != 0;
        ws->boil += (cls & W_BOIL) != 0;
        ws->credit += (cls & W_CREDIT) != 0;
        ws->cta += (cls & W_CTA) && starts && s_is_upper((unsigned char)s[a]);
    }
    /* the edge punctuation and the spaces have no class: the classes of the
       words counted are those of s[0..end) */
    s_count_classes(s, end, ws);
    ws->looked = ws->words < TLX_LAYOUT_WORDS_MAX ? ws->words : TLX_LAYOUT_WORDS_MAX;
}

/* Length, word count, ending, bullet, casing and word-class features. */
static void s_shape_feats(const char *s, size_t len, const wstat_t *ws, float *f, shape_t *sh)
{
    size_t words = ws->words, looked = ws->looked;
    float fw = words ? (float)words : 1.0f;
    int send = s_sentence_end(s, len);
    /* a long headline in title case ("Budget Keeps Subsidies for Food, Fuel and Jobs
       Unchanged at 4.5 Trillion") has function words too, but no sentence end */
    int titlecase = words >= 3 && ws->caps * 10 >= words * 6;
    int prose = (words >= 8 && send) || len > 200 || (words >= 14 && ws->func * 5 >= words && !titlecase);
    sh->words = (uint32_t)words;
    sh->prose = (uint8_t)prose;
    sh->sent_end = (uint8_t)send;
    sh->boil = ws->boil > 0;
    f[F_BIAS] = 1;
    f[F_LEN_LT20] = len < 20;
    f[F_LEN_20_40] = len >= 20 && len < 40;
    f[F_LEN_40_80] = len >= 40 && len < 80;
    f[F_LEN_80_150] = len >= 80 && len < 150;
    f[F_LEN_150_300] = len >= 150 && len < 300;
    f[F_LEN_GT300] = len >= 300;
    f[F_W1] = words == 1;
    f[F_W2_3] = words >= 2 && words <= 3;
    f[F_W4_7] = words >= 4 && words <= 7;
    f[F_W8_15] = words >= 8 && words <= 15;
    f[F_W16P] = words >= 16;
    f[F_PROSE] = (float)prose;
    f[F_SENT_END] = (float)send;
    unsigned char last = len ? (unsigned char)s[len - 1] : 0;
    f[F_END_COLON] = last == ':';
    f[F_END_COMMA] = last == ',';
    f[F_END_QMARK] = last == '?';
    f[F_END_ELLIPSIS] = (len >= 3 && memcmp(s + len - 3, "...", 3) == 0) ||
                        (len >= 3 && memcmp(s + len - 3, "\xe2\x80\xa6", 3) == 0);
    f[F_BAR] = memchr(s, '|', len < S_SCAN ? len : S_SCAN) != NULL;
    f[F_BRACKET_START] = len && s[0] == '[';
    f[F_BRACKET_END] = last == ']';
    f[F_PAREN_END] = last == ')';
    f[F_CAP_RATIO] = (float)ws->caps / fw;
    f[F_TITLECASE] = (float)titlecase;
    f[F_ALLCAPS] = ws->letters >= 4 && ws->upl * 10 >= ws->letters * 8;
    f[F_START_LOWER] = (float)ws->lower_start;
    size_t ld = ws->letters + ws->digits, ln = ws->letters + ws->nonascii;
    f[F_DIGIT_RATIO] = ld ? (float)ws->digits / (float)ld : 0;
    f[F_NONLATIN] = ln ? (float)ws->nonascii / (float)ln : 0;
    f[F_FUNC_RATIO] = looked ? (float)ws->func / (float)looked : 0;
    f[F_NO_FUNC] = words >= 3 && ws->func == 0;
    f[F_REPORT] = (ws->any & W_REPORT) != 0;
    f[F_BOIL_ANY] = ws->boil > 0;
    f[F_BOIL_RATIO] = looked ? (float)ws->boil / (float)looked : 0;
    f[F_BOILW_ANY] = (ws->any & W_BOILW) != 0;
    f[F_CREDIT_ANY] = ws->credit > 0;
    f[F_CREDIT_RATIO] = looked ? (float)ws->credit / (float)looked : 0;
    f[F_CAPTION_WORDS] = (ws->any & W_CAPTION) != 0;
    f[F_MONTH] = (ws->any & W_MONTH) != 0;
    f[F_WEEKDAY] = (ws->any & W_WEEKDAY) != 0;
    f[F_COPYRIGHT] = (ws->any & W_COPY) != 0;
    f[F_NUMERIC_ONLY] = ws->letters == 0 && len > 0;
    f[F_YOU] = (ws->any & W_YOU) != 0;
    f[F_OUR] = (ws->any & W_OUR) != 0;
    f[F_CTA] = ws->cta > 0;
    f[F_MEDIA_SHAPE] = words >= 1 && words <= 5 && len <= 60 && (ws->any & W_MEDIA) && ws->digits == 0 &&
                       !send && ws->caps + 1 >= words;
}

/* The line's bullet ("- ", "* ", "+ ", "• ", "▶", "·"): its length in bytes, 0 when none. */
static size_t s_bullet(const char *s, size_t len)
{
    unsigned char c0 = len ? (unsigned char)s[0] : 0;
    if ((c0 == '-' || c0 == '*' || c0 == '+') && (len == 1 || s[1] == ' '))
        return 1;
    if (len >= 3 && c0 == 0xe2 &&
        (((unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xa2) ||
         ((unsigned char)s[1] == 0x96 && (unsigned char)s[2] == 0xb6)))
        return 3;
    return len >= 2 && c0 == 0xc2 && (unsigned char)s[1] == 0xb7 ? 2 : 0;
}

/* The words before s[open] ("... Weapons of Mass Destruction (") spell the
   acronym a[0..n) with their initials: "(WMD)" expands them, it credits no one. */
static int s_acronym_of(const char *s, size_t open, const char *a, size_t n)
{
    size_t k = open, got = 0;
    while (got < n && k > 0) {
        while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '('))
            k--;
        size_t e = k;
        while (k > 0 && s[k - 1] != ' ')
            k--;
        if (e == k)
            break;
        if (!s_is_upper((unsigned char)s[k])) {
            if (!s_has_upper(s + k, e - k) && (s_wclass(s + k, e - k) & W_FUNC))
                continue; /* "of", "and": not in the acronym */
            return 0;
        }
        if ((unsigned char)s[k] != (unsigned char)a[n - 1 - got])
            return 0;
        got++;
    }
    return got == n;
}

int tlx_layout_credit_paren(const char *s, size_t len, size_t *openp)
{
    pthread_once(&s_once, s_init);
    if (len < 3 || len >= 600 || s[len - 1] != ')')
        return 0;
    size_t open = len - 1;
    while (open > 0 && s[open - 1] != '(' && len - open < 120)
        open--;
    if (open == 0 || s[open - 1] != '(' || open + 1 >= len)
        return 0;
    *openp = open;
    size_t words = 0, caps = 0, func = 0, digits = 0, ucaps = 0, letters = 0;
    unsigned any = 0;
    char w[S_WORD_MAX + 1];
    for (size_t k = open; k + 1 < len;) {
        unsigned char c = (unsigned char)s[k];
        if (s_is_digit(c))
            digits++;
        if (c == '/' && k > open && s_is_alpha((unsigned char)s[k - 1]) &&
            s_is_upper((unsigned char)s[k + 1]))
            return 1; /* "Agency/Jane Roe", "Photo/Agency" */
        if (!s_is_alpha(c)) {
            k++;
            continue;
        }
        size_t st = k, n = 0, up = 0;
        while (k + 1 < len && (s_is_alpha((unsigned char)s[k]) || s[k] == '\'' || s[k] == '-')) {
            up += s_is_upper((unsigned char)s[k]);
            if (n < sizeof w)
                w[n++] = (char)(s_is_upper((unsigned char)s[k]) ? s[k] + 32 : s[k]);
            k++;
        }
        unsigned cls = n < sizeof w ? s_wclass(w, n) : 0;
        if (cls & (W_CREDIT | W_MEDIA | W_SOURCE))
            return 1; /* "(Photo: ...)", "(File)", "(Example News)", "(X via Y)" */
        words++;
        letters += k - st;
        ucaps += up;
        caps += s_is_upper((unsigned char)s[st]);
        func += (cls & W_FUNC) != 0 && !s_is_upper((unsigned char)s[st]);
        any |= cls;
    }
    /* a name in capitals: "(Example Wire)", "(EXA)"; not a date, not an
       acronym of the words before it ("Weapons of Mass Destruction (WMD)") */
    if (words < 1 || words > 4 || digits || caps == 0 || caps + func != words || func >= caps ||
        (any & (W_MONTH | W_WEEKDAY | W_DATELBL | W_BOIL | W_BOILW | W_REPORT)))
        return 0;
    if (words == 1 && ucaps == letters && letters >= 2 && letters <= 8) {
        char a[8];
        size_t n = 0;
        for (size_t k = open; k + 1 < len && n < sizeof a; k++)
            if (s_is_alpha((unsigned char)s[k]))
                a[n++] = s[k];
        if (s_acronym_of(s, open - 1, a, n))
            return 0;
    }
    return 1;
}

/* A credit in a trailing parenthesis ("(Photo: X)", "(Example Wire)") or in
   trailing brackets in capitals ("[AGENCY NAME]"). */
static int s_credit_paren(const char *s, size_t len)
{
    unsigned char last = len ? (unsigned char)s[len - 1] : 0;
    size_t open;
    if (last == ')')
        return tlx_layout_credit_paren(s, len, &open);
    if (last == ']' && len > 4) {
        size_t open = len - 1, up = 0, al = 0;
        while (open > 0 && s[open - 1] != '[' && len - open < 80)
            open--;
        for (size_t k = open; k + 1 < len; k++)
            if (s_is_alpha((unsigned char)s[k]))
                al++, up += s_is_upper((unsigned char)s[k]);
        if (open > 0 && s[open - 1] == '[' && al >= 3 && up * 10 >= al * 8)
            return 1;
    }
    return 0;
}

/* Credit, byline and name features. */
static void s_credit_by_feats(const char *s, size_t len, const wstat_t *ws, const scan_t *sc, float *f,
                              shape_t *sh)
{
    unsigned char c0 = len ? (unsigned char)s[0] : 0, last = len ? (unsigned char)s[len - 1] : 0;
    size_t words = ws->words;
    int cparen = s_credit_paren(s, len);
    f[F_CREDIT_PAREN] = (float)cparen;
    if (cparen && f[F_CREDIT_ANY] == 0) /* "(Example Wire)": a credit by its shape is a credit word */
        f[F_CREDIT_ANY] = 1;
    f[F_CREDIT_SLASH] = (float)s_credit_slash(s, len < S_SCAN ? len : S_SCAN);
    int cstart = s_prefix_ci(s, len, "photo") || s_prefix_ci(s, len, "file photo") ||
                 s_prefix_ci(s, len, "image:") || s_prefix_ci(s, len, "file -") ||
                 s_prefix_ci(s, len, "file:") || s_prefix_ci(s, len, "picture:") ||
                 s_prefix_ci(s, len, "credit:") || (c0 == '[' && last == ']' && len < 80);
    f[F_CREDIT_START] = (float)cstart;
    f[F_INLINE_CREDIT] = sc->inline_credit;
    sh->credit = (uint8_t)(cparen || cstart || f[F_CREDIT_SLASH] > 0 || sc->inline_credit);
    size_t bl = s_bullet(s, len), b0 = bl;
    f[F_BULLET] = bl > 0;
    while (b0 < len && s[b0] == ' ')
        b0++;
    int by = (s_prefix_ci(s + b0, len - b0, "by ") || s_prefix_ci(s + b0, len - b0, "by:")) && words <= 16;
    f[F_BY_START] = (float)by;
    f[F_POSTED_BY] = (float)(sc->posted && words <= 20);
    f[F_BYWORD] = (ws->any & W_BYWORD) != 0;
    f[F_REPORTER_LABEL] =
        s_prefix_ci(s + b0, len - b0, "reporter") || s_prefix_ci(s + b0, len - b0, "author") ||
        s_prefix_ci(s + b0, len - b0, "written by") || s_prefix_ci(s + b0, len - b0, "posted by");
    sh->by = (uint8_t)(by || sc->posted || f[F_REPORTER_LABEL] > 0);
    int name = words >= 1 && words <= 4 && len <= 48 && ws->func == 0 && ws->digits == 0 && !sh->sent_end &&
               ws->caps == words && !(ws->any & (W_BOIL | W_MONTH | W_WEEKDAY | W_CREDIT));
    f[F_NAME_LIKE] = (float)name;
    f[F_BULLET_NAME] =
        (float)(bl && words >= 2 && words <= 5 && ws->caps + 1 >= words && ws->digits == 0 && ws->func == 0);
}

/* Date and time features. */
static void s_date_feats(const char *s, size_t len, const wstat_t *ws, const scan_t *sc, float *f,
                         shape_t *sh)
{
    f[F_YEAR] = sc->year;
    f[F_TIME] = sc->time;
    char iso[32];
    size_t at = 0, end = 0;
    /* every date read has a four-digit year: lines without one are not tried */
    int date = len <= 400 && sc->year4 && tlx_layout_find_date(s, len, 0, iso, &at, &end);
    f[F_DATE] = (float)date;
    sh->date = (uint8_t)date;
    f[F_DATE_ONLY] = date && len - (end - at) <= 16;
    f[F_DATE_LABEL] = (ws->any & W_DATELBL) != 0 && (date || sc->time);
    int ambig = 0;
    if (date && at + 5 < len && s_is_digit((unsigned char)s[at]) &&
        (s[at + 1] == '/' || s[at + 2] == '/' || s[at + 1] == '.' || s[at + 2] == '.')) {
        int a = 0, b = 0;
        size_t k = at;
        while (k < len && s_is_digit((unsigned char)s[k]))
            a = a * 10 + (s[k++] - '0');
        k++;
        while (k < len && s_is_digit((unsigned char)s[k]))
            b = b * 10 + (s[k++] - '0');
        ambig = a >= 1 && a <= 12 && b >= 1 && b <= 12 && a != b;
    }
    f[F_DATE_AMBIG] = (float)ambig;
}

/* Dateline, agency, label and source features. */
static void s_label_feats(const char *s, size_t len, const wstat_t *ws, float *f, shape_t *sh)
{
    int dl = s_dateline_shape(s, len);
    f[F_DATELINE] = (float)dl;
    sh->dateline = (uint8_t)dl;
    int ap = 0;
    for (size_t k = 0; k + 3 < len && k < 60 && !ap; k++)
        if (s[k] == '(') {
            size_t e = k + 1;
            while (e < len && e < k + 24 && (s_is_alpha((unsigned char)s[e]) || s[e] == ' ' || s[e] == '.'))
                e++;
            ap = e < len && s[e] == ')' && e > k + 1 && s_is_upper((unsigned char)s[k + 1]);
        }
    f[F_AGENCY_PAREN] = (float)ap;
    int lc = 0;
    for (size_t k = 1; k < len && k < 24 && !lc; k++)
        lc = s[k] == ':' && (k + 1 == len || s[k + 1] == ' ' || s_is_alpha((unsigned char)s[k + 1])) &&
             s_is_alpha((unsigned char)s[k - 1 - (s[k - 1] == ' ' && k > 1)]);
    f[F_LABEL_COLON] = (float)lc;
    f[F_SOURCE_LABEL] = s_prefix_ci(s, len, "source") || s_prefix_ci(s, len, "from:") ||
                        (s_prefix_ci(s, len, "from ") && ws->words <= 4) || s_prefix_ci(s, len, "via ");
}

/* The pass-1 features of one line that depend on it alone. */
static void s_raw(const char *s, size_t len, float *f, shape_t *sh)
{
    memset(sh, 0, sizeof *sh);
    sh->len = (uint32_t)len;
    wstat_t ws;
    scan_t sc;
    s_word_stats(s, len, &ws);
    s_scan(s, len, &sc);
    s_shape_feats(s, len, &ws, f, sh);
    f[F_QUOTE] = sc.quote;
    f[F_URL] = sc.url;
    f[F_EMAIL] = sc.email;
    f[F_COPYRIGHT] = f[F_COPYRIGHT] > 0 || sc.copy;
    f[F_ARROW] = sc.arrow;
    f[F_GLUED] = sc.glued;
    s_credit_by_feats(s, len, &ws, &sc, f, sh);
    s_date_feats(s, len, &ws, &sc, f, sh);
    s_label_feats(s, len, &ws, f, sh);
    f[F_TITLELIKE] = ws.words >= 3 && ws.words <= 25 && !sh->prose && !sh->sent_end &&
                     !(ws.boil && ws.words < 6) && !sh->date && !sh->by;
    /* repeated lines are told by their first 128 bytes and their length (a
       collision only sets a feature) */
    sh->hash = s_line_hash(s, len < 128 ? len : 128) ^ (uint32_t)len * 2654435761u;
}

/* Softmax of the class scores over the features listed in idx (the ones
   that are not zero); wt: the weights by feature, TLX_LAYOUT_KPAD classes
   a row, so that each feature adds to all the class scores at once. */
static void s_softmax(const float (*wt)[S_KPAD], const float *f, const uint8_t *idx, uint32_t nidx, float *p)
{
    float z[S_KPAD] = {0}, m = -1e30f;
    for (uint32_t i = 0; i < nidx; i++) {
        const float *w = wt[idx[i]];
        float v = f[idx[i]];
        for (int k = 0; k < S_KPAD; k++)
            z[k] += w[k] * v;
    }
    for (int k = 0; k < TLX_LC__COUNT; k++)
        if (z[k] > m)
            m = z[k];
    float sum = 0;
    for (int k = 0; k < TLX_LC__COUNT; k++)
        sum += (z[k] = expf(z[k] - m));
    for (int k = 0; k < TLX_LC__COUNT; k++)
        p[k] = z[k] / sum;
}

/* The non-empty lines of text[0..len), at most max_lines, with their raw
   features.  *out and *sh are allocated in `a`; *n = 0 when there is none. */
static int s_split(const char *text, size_t len, uint32_t max_lines, tlx_arena_t *a, tlx_layout_line_t **out,
                   shape_t **shp, uint32_t *n)
{
    uint32_t cnt = 0;
    for (size_t p = 0; p < len && cnt < max_lines;) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        cnt += e > p;
        p = e + 1;
    }
    *n = 0;
    if (!cnt)
        return 0;
    tlx_layout_line_t *L = tlx_arena_alloc(a, cnt * sizeof *L);
    shape_t *sh = tlx_arena_alloc(a, cnt * sizeof *sh);
    if (!L || !sh)
        return TLX_ENOMEM;
    memset(L, 0, cnt * sizeof *L);
    uint32_t k = 0;
    for (size_t p = 0; p < len && k < cnt;) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (e > p) {
            L[k].s = text + p;
            L[k].len = (uint32_t)(e - p);
            L[k].off = (uint32_t)p;
            s_raw(L[k].s, L[k].len, L[k].f, &sh[k]);
            L[k].prose = sh[k].prose;
            L[k].name_like = L[k].f[F_NAME_LIKE] > 0;
            L[k].bullet_name = L[k].f[F_BULLET_NAME] > 0;
            L[k].func = L[k].f[F_FUNC_RATIO] > 0;
            L[k].date = sh[k].date;
            L[k].by = sh[k].by;
            L[k].credit = sh[k].credit;
            L[k].arrow = L[k].f[F_ARROW] > 0;
            L[k].titlecase = L[k].f[F_TITLECASE] > 0;
            L[k].posted = L[k].f[F_POSTED_BY] > 0;
            L[k].sent_end = sh[k].sent_end;
            k++;
        }
        p = e + 1;
    }
    *out = L;
    *shp = sh;
    *n = cnt;
    return 0;
}

/* Lines i and j are the same. */
static int s_same(const tlx_layout_line_t *L, const shape_t *sh, uint32_t i, uint32_t j)
{
    return sh[i].hash == sh[j].hash && L[i].len == L[j].len && memcmp(L[i].s, L[j].s, L[i].len) == 0;
}

/* Line a starts with the whole of the short line b (1-6 words) and a space:
   "Jane Roe" then "Jane Roe is a correspondent ...". */
static int s_starts_with(const tlx_layout_line_t *a, const tlx_layout_line_t *b, const shape_t *shb)
{
    return shb->words >= 1 && shb->words <= 6 && a->len > b->len + 4 && a->s[b->len] == ' ' &&
           memcmp(a->s, b->s, b->len) == 0;
}

/* Features of line i from its neighbours' shapes. */
static void s_neighbours(tlx_layout_line_t *L, const shape_t *sh, uint32_t i, uint32_t cnt)
{
    float *f = L[i].f;
    if (i > 0) {
        f[F_PREV_PROSE] = sh[i - 1].prose;
        f[F_PREV_SHORT] = sh[i - 1].words <= 4;
        f[F_PREV_BY] = sh[i - 1].by;
        f[F_PREV_DATE] = sh[i - 1].date;
        f[F_PREV_CREDIT] = sh[i - 1].credit;
        f[F_PREV_BOIL] = sh[i - 1].boil;
    }
    if (i + 1 < cnt) {
        f[F_NEXT_PROSE] = sh[i + 1].prose;
        f[F_NEXT_SHORT] = sh[i + 1].words <= 4;
        f[F_NEXT_BY] = sh[i + 1].by;
        f[F_NEXT_DATE] = sh[i + 1].date;
        f[F_NEXT_CREDIT] = sh[i + 1].credit;
        f[F_NEXT_DATELINE] = sh[i + 1].dateline;
        f[F_NEXT_BOIL] = sh[i + 1].boil;
        f[F_DUP_NEXT] = s_same(L, sh, i, i + 1);
        L[i].next_starts_me = (uint8_t)s_starts_with(&L[i + 1], &L[i], &sh[i]);
        f[F_NEXT_STARTS_ME] = L[i].next_starts_me;
    }
    if (i > 0)
        f[F_STARTS_PREV] = s_starts_with(&L[i], &L[i - 1], &sh[i - 1]);
    f[F_DUP_NEAR] = (i >= 2 && s_same(L, sh, i, i - 2)) || (i + 2 < cnt && s_same(L, sh, i, i + 2));
}

/* Position features (index, head/tail, distance to the first prose line),
   neighbour features and repeats of an earlier line. */
static int s_context_raw(tlx_layout_line_t *L, const shape_t *sh, uint32_t cnt, tlx_arena_t *a)
{
    int first_prose = -1, last_prose = -1, prose_before = 0, first_tl = 0;
    for (uint32_t i = 0; i < cnt; i++)
        if (sh[i].prose) {
            if (first_prose < 0)
                first_prose = (int)i;
            last_prose = (int)i;
        }
    /* repeated lines: a small hash set of the line hashes seen (bounded probe) */
    uint32_t hcap = 1;
    while (hcap < cnt * 2)
        hcap <<= 1;
    uint32_t *hs = tlx_arena_alloc(a, hcap * sizeof *hs);
    if (!hs)
        return TLX_ENOMEM;
    memset(hs, 0, hcap * sizeof *hs);
    for (uint32_t i = 0; i < cnt; i++) {
        float *f = L[i].f;
        int before = first_prose - (int)i; /* lines to the first prose line */
        f[F_IDX0] = i == 0;
        f[F_IDX1] = i == 1;
        f[F_IDX2] = i == 2;
        f[F_IDX3_5] = i >= 3 && i <= 5;
        f[F_IDX6_10] = i >= 6 && i <= 10;
        f[F_IDX11P] = i >= 11;
        f[F_LAST] = i + 1 == cnt;
        f[F_NEAR_END] = i + 3 >= cnt;
        f[F_HEAD] = first_prose < 0 || (int)i < first_prose;
        f[F_FIRST_PROSE] = (int)i == first_prose;
        f[F_AFTER_PROSE_1] = first_prose >= 0 && (int)i == first_prose + 1;
        f[F_PRE1] = first_prose >= 0 && before == 1;
        f[F_PRE2_3] = first_prose >= 0 && before >= 2 && before <= 3;
        f[F_PRE4P] = first_prose >= 0 && before >= 4;
        f[F_REL_POS] = cnt > 1 ? (float)i / (float)(cnt - 1) : 0;
        f[F_TAIL] = last_prose >= 0 && (int)i > last_prose;
        unsigned char lastc = L[i].len ? (unsigned char)L[i].s[L[i].len - 1] : 0;
        f[F_UNFINISHED] = i + 1 < cnt && L[i].len >= 60 && sh[i].words >= 8 && !sh[i].sent_end &&
                          lastc != ':' && lastc != ')' && lastc != ']' && lastc != '"';
        f[F_PROSE_BEFORE_COUNT] = (float)(prose_before > 3 ? 3 : prose_before) / 3.0f;
        prose_before += sh[i].prose;
        s_neighbours(L, sh, i, cnt);
        /* the line seen before? (hash only: a collision merely sets a feature) */
        uint32_t h = sh[i].hash | 1u, slot = h & (hcap - 1);
        int seen = 0;
        for (uint32_t probe = 0; probe < hcap && hs[slot]; probe++, slot = (slot + 1) & (hcap - 1))
            if (hs[slot] == h) {
                seen = 1;
                break;
            }
        if (!seen)
            hs[slot] = h;
        f[F_DUP_PREV] = (float)seen;
        if (!first_tl && f[F_HEAD] > 0 && f[F_TITLELIKE] > 0 && !sh[i].boil && sh[i].words >= 4) {
            f[F_FIRST_TITLELIKE] = 1;
            first_tl = 1;
        }
    }
    return 0;
}

/* Pass-2 context features of line i from the pass-1 probabilities around it;
 *max_title and *max_body carry the running maxima. */
static void s_context_p1(tlx_layout_line_t *L, uint32_t i, uint32_t cnt, float *max_title, float *max_body)
{
    float *c = L[i].f + TLX_LAYOUT_NRAW;
    for (int q = 0; q < TLX_LC__COUNT; q++) {
        c[C_PREV + q] = i > 0 ? L[i - 1].p1[q] : 0;
        c[C_NEXT + q] = i + 1 < cnt ? L[i + 1].p1[q] : 0;
    }
    c[C_MAX_TITLE_BEFORE] = *max_title;
    c[C_BODY_BEFORE] = *max_body;
    float bw = 0;
    int nb = 0;
    for (int d = -2; d <= 2; d++) {
        int j = (int)i + d;
        if (d == 0 || j < 0 || j >= (int)cnt)
            continue;
        bw += L[j].p1[TLX_LC_BOILER];
        nb++;
    }
    c[C_BOIL_WIN] = nb ? bw / (float)nb : 0;
    float cw = 0, mw = 0;
    if (i > 0) {
        cw = L[i - 1].p1[TLX_LC_CAPTION];
        mw = L[i - 1].p1[TLX_LC_META];
    }
    if (i + 1 < cnt) {
        if (L[i + 1].p1[TLX_LC_CAPTION] > cw)
            cw = L[i + 1].p1[TLX_LC_CAPTION];
        if (L[i + 1].p1[TLX_LC_META] > mw)
            mw = L[i + 1].p1[TLX_LC_META];
    }
    c[C_CAP_WIN] = cw;
    c[C_META_WIN] = mw;
    c[C_SELF_TITLE_RANK] = L[i].p1[TLX_LC_TITLE] > *max_title;
    c[C_BOIL_RUN_BEFORE] = i >= 2 && L[i - 1].p1[TLX_LC_BOILER] > 0.5f && L[i - 2].p1[TLX_LC_BOILER] > 0.5f;
    c[C_BOIL_RUN_AFTER] =
        i + 2 < cnt && L[i + 1].p1[TLX_LC_BOILER] > 0.5f && L[i + 2].p1[TLX_LC_BOILER] > 0.5f;
    if (L[i].p1[TLX_LC_TITLE] > *max_title)
        *max_title = L[i].p1[TLX_LC_TITLE];
    if (L[i].p1[TLX_LC_BODY] > *max_body)
        *max_body = L[i].p1[TLX_LC_BODY];
}

/* ---- headline prefixes ------------------------------------------------------------ */

/* The word of s[0..len) at *i: its bounds, and the next word's start. */
static size_t s_word_at(const char *s, size_t len, size_t *i, size_t *st)
{
    while (*i < len && s[*i] == ' ')
        (*i)++;
    *st = *i;
    *i = tlx_swar_find(s, *i, len, ' ');
    return *i - *st;
}

/* Classes of the word s[0..n) with its edge punctuation dropped, lower-cased. */
static unsigned s_word_class_ci(const char *s, size_t n)
{
    char w[S_WORD_MAX + 1];
    size_t a = 0, k = 0;
    while (n && (s[n - 1] == ':' || s[n - 1] == ',' || s[n - 1] == '.'))
        n--;
    if (n > S_WORD_MAX)
        return 0;
    for (; a < n; a++)
        w[k++] = (char)(s[a] >= 'A' && s[a] <= 'Z' ? s[a] + 32 : s[a]);
    return s_wclass(w, k);
}

size_t tlx_layout_title_prefix(const char *s, size_t len)
{
    pthread_once(&s_once, s_init);
    size_t i = 0, st = 0, n, words = 0, strong = 0;
    /* furniture words glued before it: "Skip next section Headline ..." */
    size_t lower = 0; /* "Skip next section": not a title-case headline ("Popular Singer Dies") */
    while (words < 4 && (n = s_word_at(s, len, &i, &st)) > 0) {
        unsigned c = s_word_class_ci(s + st, n);
        if (!(c & (W_BOIL | W_BOILW)))
            break;
        strong += (c & W_BOIL) != 0;
        lower += words > 0 && s_is_lower((unsigned char)s[st]);
        words++;
    }
    if (words >= 2 && strong && lower && st < len && s_is_upper((unsigned char)s[st])) {
        size_t rest = 0, j = st, q;
        while (rest < 4 && s_word_at(s, len, &j, &q) > 0)
            rest++;
        if (rest >= 4)
            return st;
    }
    /* a feed's outlet before a dash: "The Example Weekly - Headline ..." */
    size_t lim = len < 48 ? len : 48;
    for (size_t k = 1; k + 3 < lim; k++) {
        size_t dl = s[k] == '-' ? 1
                    : (unsigned char)s[k] == 0xe2 && k + 2 < len && (unsigned char)s[k + 1] == 0x80 &&
                            ((unsigned char)s[k + 2] == 0x93 || (unsigned char)s[k + 2] == 0x94)
                        ? 3
                        : 0;
        if (!dl || s[k - 1] != ' ' || k + dl >= len || s[k + dl] != ' ')
            continue;
        size_t j = 0, w = 0, media = 0, caps = 0;
        while ((n = s_word_at(s, k - 1, &j, &st)) > 0) {
            unsigned c = s_word_class_ci(s + st, n);
            w++;
            caps += s_is_upper((unsigned char)s[st]);
            media += (c & W_MEDIA) != 0 || (w == 1 && n == 3 && memcmp(s + st, "The", 3) == 0);
            for (size_t q = st; q < st + n; q++)
                if (s_is_digit((unsigned char)s[q]) || s[q] == '.' || s[q] == ':' || s[q] == ',')
                    return 0;
        }
        size_t r = k + dl + 1, rw = 0, q;
        if (w < 1 || w > 4 || caps != w || !media || r >= len || !s_is_upper((unsigned char)s[r]))
            return 0;
        for (size_t jj = r; rw < 5 && s_word_at(s, len, &jj, &q) > 0;)
            rw++;
        return rw >= 5 ? r : 0;
    }
    return 0;
}

int tlx_layout_lines(const char *text, size_t len, uint32_t max_lines, tlx_arena_t *a,
                     tlx_layout_line_t **out, uint32_t *n)
{
    pthread_once(&s_once, s_init);
    *out = NULL;
    *n = 0;
    tlx_layout_line_t *L = NULL;
    shape_t *sh = NULL;
    uint32_t cnt;
    int rc;
    if ((rc = s_split(text, len, max_lines, a, &L, &sh, &cnt)) || !cnt)
        return rc;
    if ((rc = s_context_raw(L, sh, cnt, a)))
        return rc;
    /* pass 1, over the features that are set (a few dozen of the line's) */
    _Static_assert(TLX_LAYOUT_NFEAT <= 256, "feature indexes are bytes");
    uint8_t *nz = tlx_arena_alloc(a, (size_t)cnt * TLX_LAYOUT_NFEAT);
    uint8_t *nnz = tlx_arena_alloc(a, cnt);
    if (!nz || !nnz)
        return TLX_ENOMEM;
    for (uint32_t i = 0; i < cnt; i++) {
        uint8_t *ix = nz + (size_t)i * TLX_LAYOUT_NFEAT;
        uint32_t m = 0;
        for (uint32_t j = 0; j < TLX_LAYOUT_NRAW; j++) { /* branch-free: about half the bits are set */
            ix[m] = (uint8_t)j;
            m += L[i].f[j] != 0;
        }
        nnz[i] = (uint8_t)m;
        s_softmax(s_w1t, L[i].f, ix, m, L[i].p1);
    }
    /* pass 2: context from the pass-1 probabilities */
    float max_title = 0, max_body = 0;
    for (uint32_t i = 0; i < cnt; i++)
        s_context_p1(L, i, cnt, &max_title, &max_body);
    for (uint32_t i = 0; i < cnt; i++) {
        uint8_t *ix = nz + (size_t)i * TLX_LAYOUT_NFEAT;
        uint32_t m = nnz[i];
        for (uint32_t j = TLX_LAYOUT_NRAW; j < TLX_LAYOUT_NFEAT; j++)
            ix[m++] = (uint8_t)j;
        s_softmax(s_w2t, L[i].f, ix, m, L[i].p);
        int best = 0;
        for (int q = 1; q < TLX_LC__COUNT; q++)
            if (L[i].p[q] > L[i].p[best])
                best = q;
        L[i].cls = (tlx_layout_class_t)best;
    }
    *out = L;
    *n = cnt;
    return 0;
}
