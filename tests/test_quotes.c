/* SPDX-License-Identifier: Apache-2.0 */
/*  test_quotes.c -- tlx_quotes: sourcing phrases with anonymity and
    location; quotes in curly and straight marks, over paragraphs, nested,
    unbalanced, scare quotes; speaker attribution before and after, "he
    added", "the source", entity canonicals; seed goldens; quote storms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_error.h"
#include "tlx_quotes.h"

static tlx_arena_t *s_arena;

static int s_setup(void **state)
{
    (void)state;
    s_arena = tlx_arena_new(1 << 16);
    return s_arena ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void)state;
    tlx_arena_destroy(&s_arena);
    return 0;
}

static tlx_source_t *S;
static uint32_t NS;
static tlx_quote_t *Q;
static uint32_t NQ;

static void s_run_ents(const char *t, const tlx_entity_t *e, uint32_t ne)
{
    size_t len = strlen(t);
    assert_int_equal(tlx_quotes_sources(t, len, e, ne, s_arena, &S, &NS), 0);
    assert_int_equal(tlx_quotes_extract(t, len, S, NS, e, ne, s_arena, &Q, &NQ), 0);
}

static void s_run(const char *t)
{
    s_run_ents(t, NULL, 0);
}

static void s_src(const char *t, const char *text, const char *loc)
{
    s_run(t);
    if (NS != 1)
        fail_msg("'%s': %u sources (want 1)", t, NS);
    assert_string_equal(S[0].text, text);
    assert_true(S[0].anonymous);
    if (loc)
        assert_string_equal(S[0].location, loc);
    else
        assert_null(S[0].location);
    assert_memory_equal(t + S[0].span.start, text, strlen(text));
}

static void test_sources(void **state)
{
    (void)state;
    s_src(
        "Speaking recently, a source in North Pyongan Province informed Daily NK on Monday that prices rose.",
        "a source in North Pyongan Province", "North Pyongan Province");
    s_src("Meanwhile, a Daily NK source in Russia said Tuesday that the order came.",
          "a Daily NK source in Russia", "Russia");
    s_src("An official with the Ryanggang Provincial People's Committee said, the money was spent.",
          "An official with the Ryanggang Provincial People's Committee", "Ryanggang Province");
    s_src("Prices rose, said a South Hamgyong Province-based source on May 25.",
          "a South Hamgyong Province-based source", "South Hamgyong Province");
    s_src("a separate source in Ryanggang Province reported on November 12.",
          "a separate source in Ryanggang Province", "Ryanggang Province");
    s_src("During a call, an inside source from South Hamgyong Province said it changed.",
          "an inside source from South Hamgyong Province", "South Hamgyong Province");
    s_src("According to Daily NK's sources inside North Korea, officials worry.",
          "Daily NK's sources inside North Korea", "North Korea");
    s_src("According to sources inside the country, residents envy them.", "sources inside the country",
          "the country");
    s_src("a North Hamgyong source said the border was closed.", "a North Hamgyong source", "North Hamgyong");
    s_src("a source familiar with the matter said so.", "a source", NULL);
    s_src("Another source, in North Hamgyong Province, reported the same.",
          "Another source, in North Hamgyong Province", "North Hamgyong Province");
    /* not sourcing phrases */
    static const char *const none[] = {
        "These officials have come to appreciate that they are a steady source of bribe money.",
        "Government officials are now losing faith in a leader.",
        "The source said the ministry would have a hard time.",
        "Some officials in North Korea are suffering from anxiety.",
        "the official media reported nothing",
        "",
    };
    for (size_t k = 0; k < sizeof none / sizeof *none; k++) {
        s_run(none[k]);
        if (NS)
            fail_msg("'%s': unexpected source '%s'", none[k], S[0].text);
    }
}

static void test_anonymity(void **state)
{
    (void)state;
    const char *t = "Speaking on condition of anonymity, a source in North Pyongan Province said so. "
                    "The source, who asked not to be named, added more.";
    s_run(t);
    assert_int_equal(NS, 3);
    assert_string_equal(S[0].text, "Speaking on condition of anonymity");
    assert_true(S[0].anonymous);
    assert_string_equal(S[0].location, "North Pyongan Province");
    assert_string_equal(S[1].text, "a source in North Pyongan Province");
    assert_string_equal(S[2].text, "asked not to be named");
    /* every formula, each one found where it stands, in text order; the
       anchors ("anonymity", "to be ") also occur outside a formula */
    const char *all = "He spoke on the condition of anonymity. One requested anonymity. Anonymity matters. "
                      "A man who declined to be named said so. A woman, speaking on condition of anonymity, "
                      "agreed. A guard who asked not to be identified and a clerk who asked not to be named "
                      "left. Anyone is free to be here. A driver who declined to be named, declined to be "
                      "named again.";
    static const char *const want[] = {"on the condition of anonymity", "requested anonymity",
                                       "declined to be named",          "speaking on condition of anonymity",
                                       "asked not to be identified",    "asked not to be named",
                                       "declined to be named",          "declined to be named"};
    s_run(all);
    assert_int_equal(NS, sizeof want / sizeof *want);
    for (uint32_t k = 0; k < NS; k++) {
        assert_string_equal(S[k].text, want[k]);
        assert_true(S[k].anonymous);
    }
    /* named: an appositive of a person entity */
    const char *n = "Kim Chol, a trader in Hyesan, said prices rose.";
    tlx_span_t sp = {0, 8};
    tlx_entity_t e = {.text = "Kim Chol",
                      .type = TLX_ENT_PER,
                      .canonical = "Kim Chol",
                      .count = 1,
                      .spans = &sp,
                      .nspans = 1};
    /* "trader" is not a source head: add one that is */
    const char *n2 = "Kim Chol, an official in Hyesan, said prices rose.";
    (void)n;
    s_run_ents(n2, &e, 1);
    assert_int_equal(NS, 1);
    assert_false(S[0].anonymous);
    assert_string_equal(S[0].location, "Hyesan");
    /* a definite re-mention with a new location is a source; a known one is not */
    s_run("A source in Russia said A. The source in Russia said B. The source in China said C.");
    assert_int_equal(NS, 2);
    assert_string_equal(S[1].text, "The source in China");
}

static void s_quote(const char *t, const char *text, const char *speaker)
{
    s_run(t);
    if (NQ != 1)
        fail_msg("'%s': %u quotes (want 1)", t, NQ);
    assert_string_equal(Q[0].text, text);
    if (speaker) {
        assert_non_null(Q[0].speaker);
        assert_string_equal(Q[0].speaker, speaker);
    } else if (Q[0].speaker) {
        fail_msg("'%s': want no speaker, got '%s'", t, Q[0].speaker);
    }
}

static void test_quotes_after(void **state)
{
    (void)state;
    s_quote("\xe2\x80\x9cOfficers are targeting those involved in smuggling,\xe2\x80\x9d the source said.",
            "Officers are targeting those involved in smuggling,", "the source");
    s_quote("\"Defecting officials are motivated by the punishments,\" the source surmised.",
            "Defecting officials are motivated by the punishments,", "the source");
    s_quote("\xe2\x80\x9cMSS agents have been faced with trying times,\xe2\x80\x9d said a South Hamgyong "
            "Province-based source on May 25.",
            "MSS agents have been faced with trying times,", "a South Hamgyong Province-based source");
    s_quote("\xe2\x80\x9cWhy would they do that to us?\xe2\x80\x9d asked a source in Hyesan.",
            "Why would they do that to us?", "a source in Hyesan");
    s_quote(
        "\xe2\x80\x9cThe harassment is so widespread that people suffer,\xe2\x80\x9d Kim Chol told Daily NK.",
        "The harassment is so widespread that people suffer,", "Kim Chol");
    /* "the source" resolves to the latest source phrase */
    const char *t = "A source in North Pyongan Province said prices rose. \xe2\x80\x9cOfficers are targeting "
                    "everyone now,\xe2\x80\x9d the source said.";
    s_run(t);
    assert_int_equal(NQ, 1);
    assert_string_equal(Q[0].speaker, "A source in North Pyongan Province");
}

static void test_quotes_before(void **state)
{
    (void)state;
    s_quote(
        "A source in North Pyongan Province informed Daily NK on Monday that \xe2\x80\x9csecurity officers "
        "are targeting homes.\xe2\x80\x9d",
        "security officers are targeting homes.", "A source in North Pyongan Province");
    s_quote("Kim Chol told Daily NK that \xe2\x80\x9cthe market is closed to everyone now.\xe2\x80\x9d",
            "the market is closed to everyone now.", "Kim Chol");
    s_quote("According to the source, \xe2\x80\x9cprices have doubled in a month.\xe2\x80\x9d",
            "prices have doubled in a month.", "the source");
    s_quote(
        "An official with the Ryanggang Provincial People's Committee said, \"Tremendous amounts of foreign "
        "currency have been spent.",
        "Tremendous amounts of foreign currency have been spent.",
        "An official with the Ryanggang Provincial People's Committee");
    /* entity canonical */
    const char *t = "Kim Jong Un said, \xe2\x80\x9cWe will build more houses this year.\xe2\x80\x9d";
    tlx_span_t sp = {0, 11};
    tlx_entity_t e = {.text = "Kim Jong Un",
                      .type = TLX_ENT_PER,
                      .canonical = "Kim Jong-un",
                      .count = 1,
                      .spans = &sp,
                      .nspans = 1};
    s_run_ents(t, &e, 1);
    assert_int_equal(NQ, 1);
    assert_string_equal(Q[0].speaker, "Kim Jong-un");
}

static void test_quotes_chain(void **state)
{
    (void)state;
    /* "He added" and an unattributed follow-on quote take the previous speaker */
    const char *t =
        "The source in Russia said that even if the agent were fired, \xe2\x80\x9c"
        "frankly, it is like one thief leaving and another coming in.\xe2\x80\x9d He added, \xe2\x80\x9c"
        "Ultimately, the government has to change its perception.\xe2\x80\x9d\n\n\xe2\x80\x9c"
        "The border guards are having such a difficult time.\xe2\x80\x9d";
    tlx_source_t src = {
        .text = "a Daily NK source in Russia", .anonymous = true, .location = "Russia", .span = {0, 0}};
    assert_int_equal(tlx_quotes_extract(t, strlen(t), &src, 1, NULL, 0, s_arena, &Q, &NQ), 0);
    assert_int_equal(NQ, 3);
    for (uint32_t i = 0; i < 3; i++)
        assert_string_equal(Q[i].speaker, "a Daily NK source in Russia");
    assert_string_equal(Q[1].text, "Ultimately, the government has to change its perception.");
}

static void test_quotes_shapes(void **state)
{
    (void)state;
    /* over two paragraphs, the opening mark repeated */
    s_quote("\xe2\x80\x9cThe first paragraph of the quote runs on\n\n\xe2\x80\x9c"
            "and the second ends here,"
            "\xe2\x80\x9d the source said.",
            "The first paragraph of the quote runs on\n\nand the second ends here,", "the source");
    /* nested single and double */
    s_quote("\xe2\x80\x9cHe told me \xe2\x80\x98go home now\xe2\x80\x99 and then left,\xe2\x80\x9d the "
            "source said.",
            "He told me \xe2\x80\x98go home now\xe2\x80\x99 and then left,", "the source");
    s_quote("\xe2\x80\x9cHe said \xe2\x80\x9cgo home\xe2\x80\x9d and left us all there,\xe2\x80\x9d the "
            "source said.",
            "He said \xe2\x80\x9cgo home\xe2\x80\x9d and left us all there,", "the source");
    /* unbalanced: ends at the paragraph end */
    s_quote(
        "The source said, \xe2\x80\x9cthis quote never closes at all\n\nThe next paragraph is not a quote.",
        "this quote never closes at all", "The source");
    /* scare quotes are not quotes; a short attributed one is */
    s_run("raising \xe2\x80\x9cloyalty funds,\xe2\x80\x9d Daily NK has learned, and "
          "\xe2\x80\x9cvoluntary\xe2\x80\x9d "
          "gifts.");
    assert_int_equal(NQ, 0);
    /* "called it “…”" gives the words to the subject (a short attributed quote) */
    s_quote("The source called it \xe2\x80\x9cnonsense.\xe2\x80\x9d", "nonsense.", "The source");
    s_quote("It was, he said, \xe2\x80\x9cnonsense.\xe2\x80\x9d", "nonsense.", NULL);
    s_quote("The source said \xe2\x80\x9cnonsense.\xe2\x80\x9d", "nonsense.", "The source");
}

/* ---- attribution patterns (made-up sentences) ------------------------------- */

#define LQ "\xe2\x80\x9c"
#define RQ "\xe2\x80\x9d"
#define LS "\xe2\x80\x98"
#define RS "\xe2\x80\x99"

typedef struct {
    const char *name, *canon;
    tlx_ent_type_t type;
} ent_spec_t;

static tlx_entity_t E[8];
static tlx_span_t SP[8][8];

/* Entities for t: every occurrence of each name (whole words) is a mention. */
static uint32_t s_ents(const char *t, const ent_spec_t *spec, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        E[i] = (tlx_entity_t){
            .text = spec[i].name, .type = spec[i].type, .canonical = spec[i].canon, .spans = SP[i]};
        size_t l = strlen(spec[i].name);
        for (const char *p = t; (p = strstr(p, spec[i].name)) != NULL && E[i].nspans < 8; p += l) {
            if (p > t && (p[-1] >= 'A' && p[-1] <= 'z'))
                continue;
            SP[i][E[i].nspans].start = (uint32_t)(p - t);
            SP[i][E[i].nspans].end = (uint32_t)(p - t + l);
            E[i].nspans++;
        }
        E[i].count = E[i].nspans;
    }
    return n;
}

/* A capitalised modifier of a source is its place ("a Hyesan source"),
   unless the entity stage says it names an organisation: the publication
   or agency the source spoke to is not where the source is. */
static void test_source_publisher_not_place(void **state)
{
    (void)state;
    const char *t = "A Daily NK source said rice prices rose.";
    static const ent_spec_t org[] = {{"Daily NK", "Daily NK", TLX_ENT_ORG}};
    s_run_ents(t, E, s_ents(t, org, 1));
    assert_int_equal(NS, 1);
    assert_string_equal(S[0].text, "A Daily NK source");
    assert_null(S[0].location);
    const char *t2 = "A Herald Tribune official said on Monday that the plan was dropped.";
    static const ent_spec_t org2[] = {{"Herald Tribune", "Herald Tribune", TLX_ENT_ORG}};
    s_run_ents(t2, E, s_ents(t2, org2, 1));
    assert_int_equal(NS, 1);
    assert_null(S[0].location);
    const char *t3 = "A Hyesan source said rice prices rose.";
    static const ent_spec_t loc[] = {{"Hyesan", "Hyesan", TLX_ENT_LOC}};
    s_run_ents(t3, E, s_ents(t3, loc, 1));
    assert_int_equal(NS, 1);
    assert_string_equal(S[0].location, "Hyesan");
}

/* One quote expected: its text, speaker, attribution. */
static void s_one(const char *t, const ent_spec_t *spec, uint32_t n, const char *text, const char *speaker,
                  tlx_attr_t attr)
{
    s_run_ents(t, n ? E : NULL, n ? s_ents(t, spec, n) : 0);
    if (NQ != 1)
        fail_msg("'%s': %u quotes (want 1)", t, NQ);
    assert_string_equal(Q[0].text, text);
    if (!speaker) {
        if (Q[0].speaker)
            fail_msg("'%s': want no speaker, got '%s'", t, Q[0].speaker);
        assert_int_equal(Q[0].attribution, TLX_ATTR_NONE);
        return;
    }
    if (!Q[0].speaker)
        fail_msg("'%s': no speaker (want '%s')", t, speaker);
    assert_string_equal(Q[0].speaker, speaker);
    if (Q[0].attribution != attr)
        fail_msg("'%s': attribution %d (want %d)", t, (int)Q[0].attribution, (int)attr);
}

static void test_attr_orders(void **state)
{
    (void)state;
    static const ent_spec_t lena[] = {{"Lena Varga", NULL, TLX_ENT_PER}, {"Tarrow", NULL, TLX_ENT_LOC}};
    /* said X, with an apposition after the name */
    s_one(LQ "The harbour will reopen in May," RQ " said Lena Varga, an engineer at the port of Tarrow.",
          lena, 2, "The harbour will reopen in May,", "Lena Varga", TLX_ATTR_DIRECT);
    assert_string_equal(Q[0].entity, "Lena Varga");
    assert_string_equal(Q[0].speaker_text, "Lena Varga");
    /* X told Y, after the quote */
    s_one(LQ "Rates will stay high for now," RQ " Lena Varga told reporters on Tuesday.", lena, 1,
          "Rates will stay high for now,", "Lena Varga", TLX_ATTR_DIRECT);
    /* X said: before the quote */
    s_one("Lena Varga said: " LQ "Rates will stay high for a while." RQ, lena, 1,
          "Rates will stay high for a while.", "Lena Varga", TLX_ATTR_DIRECT);
    /* a lead-in with a colon and no reporting verb */
    static const ent_spec_t mette[] = {{"Mette Lund", NULL, TLX_ENT_PER}};
    s_one("The opposition leader, Mette Lund, was blunt: " LQ "This government has lost its way." RQ, mette,
          1, "This government has lost its way.", "Mette Lund", TLX_ATTR_DIRECT);
    /* a participle after the main clause */
    s_one("Lena Varga defended the plan on Monday, adding: " LQ "Nobody will lose their job." RQ, lena, 1,
          "Nobody will lose their job.", "Lena Varga", TLX_ATTR_DIRECT);
    /* "X was quoted as saying" */
    s_one("Lena Varga was quoted as saying " LQ "the harbour is safe for every ship." RQ, lena, 1,
          "the harbour is safe for every ship.", "Lena Varga", TLX_ATTR_DIRECT);
    /* a signed quotation */
    s_one(LQ "Every vote counts in this town." RQ " \xe2\x80\x94 Mette Lund\nThe count went on.", mette, 1,
          "Every vote counts in this town.", "Mette Lund", TLX_ATTR_DIRECT);
    /* an age between commas */
    s_one(LQ "It is a dream move for me," RQ " Varga, 24, told the club" RS "s website.", NULL, 0,
          "It is a dream move for me,", "Varga", TLX_ATTR_DIRECT);
    /* a lead-in ending in a colon, the quote in the next paragraph */
    s_one("Lena Varga said in a statement:\n\n" LQ "The harbour will reopen in May." RQ, lena, 1,
          "The harbour will reopen in May.", "Lena Varga", TLX_ATTR_DIRECT);
    /* according to X */
    s_one("According to Lena Varga, " LQ "the harbour will reopen in May." RQ, lena, 1,
          "the harbour will reopen in May.", "Lena Varga", TLX_ATTR_DIRECT);
    /* according to a document made by a body: the body */
    static const ent_spec_t inst[] = {{"Harbor Institute", NULL, TLX_ENT_ORG}};
    s_one("According to a survey published on Monday by Harbor Institute, " LQ
          "freight volumes fell again." RQ,
          inst, 1, "freight volumes fell again.", "Harbor Institute", TLX_ATTR_DIRECT);
    /* X said in a statement, a body without an entity */
    s_one(LQ "We reject the claim entirely," RQ " the transport ministry said in a statement.", NULL, 0,
          "We reject the claim entirely,", "the transport ministry", TLX_ATTR_DIRECT);
    /* a finished sentence in the quote, then "Name said." */
    s_one(LQ "The vote is over." RQ " Varga said.", NULL, 0, "The vote is over.", "Varga", TLX_ATTR_DIRECT);
    /* ... but a new sentence with its own reported speech is not an attribution */
    s_one("Officials met on Monday. " LQ "The vote is over." RQ " Varga noted that the count took two days.",
          NULL, 0, "The vote is over.", NULL, TLX_ATTR_NONE);
    /* straight quotes glued to the sentence before */
    s_one("Talks resumed on Friday.\"We are ready to sign the accord,\" the envoy said.", NULL, 0,
          "We are ready to sign the accord,", "the envoy", TLX_ATTR_DIRECT);
    /* ", according to X" after the quote */
    s_one(LQ "The harbour will reopen in May," RQ " according to Lena Varga.", lena, 1,
          "The harbour will reopen in May,", "Lena Varga", TLX_ATTR_DIRECT);
    /* "said the minister, Name": the name */
    static const ent_spec_t karl[] = {{"Karl Obst", NULL, TLX_ENT_PER}};
    s_one(LQ "The budget is balanced," RQ " said the finance minister, Karl Obst.", karl, 1,
          "The budget is balanced,", "Karl Obst", TLX_ATTR_DIRECT);
    /* "said <title> of <Body> <Name>" */
    static const ent_spec_t rosa[] = {{"Rosa Pell", NULL, TLX_ENT_PER}};
    s_one(LQ "We will keep the sanctions," RQ " said U.S. Secretary of State Rosa Pell.", rosa, 1,
          "We will keep the sanctions,", "Rosa Pell", TLX_ATTR_DIRECT);
    /* the attribution later in the sentence */
    s_one("Prices have risen at a " LQ "worrying pace" RQ " this year, a consumer group said on Monday.",
          NULL, 0, "worrying pace", "a consumer group", TLX_ATTR_DIRECT);
}

static void test_attr_apposition(void **state)
{
    (void)state;
    static const ent_spec_t ana[] = {{"Ana Ruiz", NULL, TLX_ENT_PER}, {"Tarrow", NULL, TLX_ENT_LOC}};
    s_one("Ana Ruiz, deputy mayor of Tarrow, told the council on Monday that the plan was a " LQ
          "reckless gamble" RQ " with public money.",
          ana, 2, "reckless gamble", "Ana Ruiz", TLX_ATTR_DIRECT);
    /* "X, a ... manager, says he ...": the pronoun goes back to X; the second
       stretch of a split quotation keeps the speaker */
    static const ent_spec_t ilse[] = {{"Ilse Moor", NULL, TLX_ENT_PER}};
    const char *t =
        "Ilse Moor, a veteran fund manager, says she expects a rally. \"Markets tend to overshoot in "
        "both directions,\" she said, \"and this time is no different.\"";
    s_run_ents(t, E, s_ents(t, ilse, 1));
    assert_int_equal(NQ, 2);
    assert_string_equal(Q[0].speaker, "Ilse Moor");
    assert_string_equal(Q[0].speaker_text, "she");
    assert_int_equal(Q[0].attribution, TLX_ATTR_INFERRED);
    assert_string_equal(Q[1].text, "and this time is no different.");
    assert_string_equal(Q[1].speaker, "Ilse Moor");
    /* a title before the name stays out of the speaker */
    static const ent_spec_t kar[] = {{"Karl Obst", NULL, TLX_ENT_PER}, {"Norland Rail", NULL, TLX_ENT_ORG}};
    s_one(LQ "Our trains will run on time," RQ " Norland Rail Chief Executive Karl Obst said.", kar, 2,
          "Our trains will run on time,", "Karl Obst", TLX_ATTR_DIRECT);
    /* "U.S." and "Ltd." do not end the attribution sentence */
    static const ent_spec_t amb[] = {{"Rosa Pell", NULL, TLX_ENT_PER}};
    s_one(LQ "The council must act now," RQ " U.S. Ambassador Rosa Pell told the council.", amb, 1,
          "The council must act now,", "Rosa Pell", TLX_ATTR_DIRECT);
}

static void test_attr_coreference(void **state)
{
    (void)state;
    /* a surname back to the full name, with the entity stage's link missing */
    static const ent_spec_t obst[] = {{"Karl Obst", NULL, TLX_ENT_PER}, {"Obst said", "Obst", TLX_ENT_PER}};
    const char *t = "Finance Minister Karl Obst presented the budget on Monday.\n\n" LQ
                    "This budget protects the poorest households," RQ " Obst said.";
    s_one(t, obst, 2, "This budget protects the poorest households,", "Karl Obst", TLX_ATTR_DIRECT);
    assert_string_equal(Q[0].speaker_text, "Obst");
    /* ... and with no entities at all: the name written earlier */
    s_one(t, NULL, 0, "This budget protects the poorest households,", "Karl Obst", TLX_ATTR_DIRECT);
    /* titles the entity stage kept stay out of the speaker, not of the entity */
    static const ent_spec_t mayor[] = {{"Mayor Ellen Whitfield", NULL, TLX_ENT_PER}};
    s_one(LQ "This budget protects core services," RQ " Mayor Ellen Whitfield said.", mayor, 1,
          "This budget protects core services,", "Ellen Whitfield", TLX_ATTR_DIRECT);
    assert_string_equal(Q[0].entity, "Mayor Ellen Whitfield");
    /* a role noun back to the latest person */
    static const ent_spec_t karl[] = {{"Karl Obst", NULL, TLX_ENT_PER}};
    s_one("Karl Obst unveiled the plan on Monday. " LQ "It is the fairest plan in years," RQ
          " the minister said.",
          karl, 1, "It is the fairest plan in years,", "Karl Obst", TLX_ATTR_INFERRED);
    /* a pronoun back to a name the entity stage missed */
    s_one("Mara Lind told reporters the talks had stalled.\n\n\"We have not given up on a deal,\" she added.",
          NULL, 0, "We have not given up on a deal,", "Mara Lind", TLX_ATTR_INFERRED);
    /* the nearer name is not preferred over the subject of the reporting verb */
    static const ent_spec_t two[] = {{"Petra Holm", NULL, TLX_ENT_PER}, {"Jonas Berg", NULL, TLX_ENT_PER}};
    s_one("Petra Holm said after meeting Jonas Berg that the plan was " LQ "dead on arrival" RQ ".", two, 2,
          "dead on arrival", "Petra Holm", TLX_ATTR_DIRECT);
    /* a pronoun after a new person became the subject goes to that person,
       not to the previous speaker */
    t = "Petra Holm said the plan " LQ "will fail in the vote" RQ
        " on Monday. Jonas Berg disagreed on every point.\n\n" LQ "It will pass with a large majority," RQ
        " he said.";
    s_run_ents(t, E, s_ents(t, two, 2));
    assert_int_equal(NQ, 2);
    assert_string_equal(Q[0].speaker, "Petra Holm");
    assert_string_equal(Q[1].speaker, "Jonas Berg");
    /* an unattributed quotation in the next paragraph continues the account */
    t = "Petra Holm said the plan would fail. " LQ "Nobody wants it," RQ " she said.\n\n" LQ
        "We will vote against it next week." RQ;
    s_run_ents(t, E, s_ents(t, two, 1));
    assert_int_equal(NQ, 2);
    assert_string_equal(Q[1].speaker, "Petra Holm");
    assert_int_equal(Q[1].attribution, TLX_ATTR_INFERRED);
    assert_null(Q[1].speaker_text); /* no words of its own */
}

static void test_attr_bodies(void **state)
{
    (void)state;
    /* an acronym resolved by the entity stage: the canonical name */
    static const ent_spec_t board[] = {{"NTSB", "National Transportation Safety Board", TLX_ENT_ORG}};
    s_one("The crash was the third this year. " LQ "The crew followed every procedure," RQ " the NTSB said.",
          board, 1, "The crew followed every procedure,", "National Transportation Safety Board",
          TLX_ATTR_DIRECT);
    assert_string_equal(Q[0].entity, "National Transportation Safety Board");
    /* a document's words go to the body that issued it */
    static const ent_spec_t inst[] = {{"Harbor Institute", NULL, TLX_ENT_ORG}};
    s_one("The Harbor Institute published its annual study on Friday.\n\n" LQ
          "Freight volumes fell for a third year," RQ " the report adds.",
          inst, 1, "Freight volumes fell for a third year,", "Harbor Institute", TLX_ATTR_INFERRED);
    /* "it added" keeps a body's quotation with the body */
    const char *t = LQ "The decision is final and binding," RQ " the league said. " LQ
                       "Clubs were consulted at every step," RQ " it added.";
    s_run(t);
    assert_int_equal(NQ, 2);
    assert_string_equal(Q[0].speaker, "the league");
    assert_string_equal(Q[1].speaker, "the league");
    assert_int_equal(Q[1].attribution, TLX_ATTR_INFERRED);
    /* a body as the subject of a stance verb, and a second short quotation
       in the same sentence */
    static const ent_spec_t jcs[] = {{"JCS", "Joint Chiefs of Staff", TLX_ENT_ORG}};
    t = "The JCS condemned the test as \"a grave threat\" to the region and as a \"clear\" breach of the "
        "accords.";
    s_run_ents(t, E, s_ents(t, jcs, 1));
    assert_int_equal(NQ, 2);
    assert_string_equal(Q[0].speaker, "Joint Chiefs of Staff");
    assert_string_equal(Q[1].text, "clear");
    assert_string_equal(Q[1].speaker, "Joint Chiefs of Staff");
    /* "X said, in what it called a “…”": "it" is X */
    s_one("Rebels shelled the port on Sunday, the harbour authority said, in what it called a " LQ
          "grave escalation." RQ,
          NULL, 0, "grave escalation.", "the harbour authority", TLX_ATTR_INFERRED);
    assert_string_equal(Q[0].speaker_text, "it");
    /* a body's words relayed by an agency stay the body's: the short phrase
       belongs to the sentence's own speaker */
    static const char *const relay = "The ministry warned of " LQ "unprecedented" RQ
                                     " countermeasures against the drills, the state news agency reported.";
    s_one(relay, NULL, 0, "unprecedented", "The ministry", TLX_ATTR_DIRECT);
    /* "a consumer group said ... the group <Name>": the name given after */
    static const ent_spec_t fair[] = {{"Fair Deal Now", NULL, TLX_ENT_ORG}};
    s_one("Prices rose at a " LQ "worrying pace" RQ
          " this year, a consumer group said on Monday. The group Fair Deal "
          "Now tracks prices in 40 towns.",
          fair, 1, "worrying pace", "Fair Deal Now", TLX_ATTR_INFERRED);
    /* a quotation with no reporting verb goes to the sentence's subject */
    static const ent_spec_t min[] = {{"Defense Ministry", NULL, TLX_ENT_ORG}};
    s_one("The Defense Ministry tied the rise to the " LQ "changing security situation in the region." RQ,
          min, 1, "changing security situation in the region.", "Defense Ministry", TLX_ATTR_INFERRED);
}

static void test_short_and_scare(void **state)
{
    (void)state;
    s_one("The mayor called the deal " LQ "reckless" RQ " on Monday.", NULL, 0, "reckless", "The mayor",
          TLX_ATTR_DIRECT);
    s_one("Rebel leaders vowed to " LQ "restore order" RQ " within days.", NULL, 0, "restore order",
          "Rebel leaders", TLX_ATTR_DIRECT);
    static const char *const none[] = {
        "The so-called " LQ "green wave" RQ " reached the city last spring.",
        "The council adopted a plan titled " LQ "roads for all" RQ " last year.",
        "Designers placed a " LQ "notch" RQ " at the top of the screen.",
        "Clubs are often criticised for their spending on the " LQ "beautiful game" RQ
        ", and it has been revealed that they spent more.", /* passive verbs name no speaker */
        "The critic said the film " LQ "Silent Harbor" RQ " was too slow.",              /* a title */
        "Crowds queued for " LQ "The Return Of The Silent Harbor King" RQ " all night.", /* a longer one */
        "Traders pay " LQ "loyalty money" RQ " each month. The source said the " LQ "loyalty money" RQ
        " keeps rising.", /* a term quoted again */
        "The players" RS " union wasn" RS "t consulted about the " LS "new" RS " rules.", /* apostrophes */
        "Minister says budget is " LS "fair" RS " for all\n\nThe minister spoke on Monday in the capital.",
        "Envoy warns of " LQ "grave consequences" RQ
        " if talks fail\n\nThe envoy spoke in the capital on Monday.",
    };
    for (size_t k = 0; k < sizeof none / sizeof *none; k++) {
        s_run(none[k]);
        if (NQ)
            fail_msg("'%s': unexpected quote '%s'", none[k], Q[0].text);
    }
}

static void test_more_shapes(void **state)
{
    (void)state;
    /* the opening mark lost: the quotation runs from the paragraph start */
    s_one("Update 2: The ferry service is suspended until further notice," RQ " the port authority said.",
          NULL, 0, "The ferry service is suspended until further notice,", "the port authority",
          TLX_ATTR_DIRECT);
    /* cut by the excerpt end: kept however short, no speaker named */
    s_one("Most firms named roads as their main problem.\n\n" LQ "Transport links h", NULL, 0,
          "Transport links h", NULL, TLX_ATTR_NONE);
    /* ... and a speaker cut by the end */
    s_one(LQ "The tax has always been in the way," RQ " an industry insid", NULL, 0,
          "The tax has always been in the way,", "an industry insid", TLX_ATTR_DIRECT);
    /* single curly marks as quotation marks */
    s_one("The coach said the win " LS "would lift the whole squad" RS ".", NULL, 0,
          "would lift the whole squad", "The coach", TLX_ATTR_DIRECT);
}

static char *s_read(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

static void test_seeds(void **state)
{
    (void)state;
    size_t len;
    char *t = s_read("000_b95e5fb43f31aefa.txt", &len);
    assert_int_equal(tlx_quotes_sources(t, len, NULL, 0, s_arena, &S, &NS), 0);
    assert_true(NS >= 2);
    assert_string_equal(S[0].text, "Speaking on condition of anonymity");
    assert_string_equal(S[1].text, "a source in North Pyongan Province");
    assert_int_equal(tlx_quotes_extract(t, len, S, NS, NULL, 0, s_arena, &Q, &NQ), 0);
    assert_int_equal(NQ,
                     4); /* the scare quotes "loyalty funds", "voluntary", "loyalty fund" are not quotes */
    for (uint32_t i = 0; i < NQ; i++)
        assert_string_equal(Q[i].speaker, "a source in North Pyongan Province");
    assert_true(strncmp(Q[0].text, "security officers in Sinuiju", 28) == 0);

    t = s_read("001_fb1bfa2ad44c6e4f.txt", &len);
    assert_int_equal(tlx_quotes_sources(t, len, NULL, 0, s_arena, &S, &NS), 0);
    assert_int_equal(tlx_quotes_extract(t, len, S, NS, NULL, 0, s_arena, &Q, &NQ), 0);
    assert_int_equal(NQ, 9);
    assert_null(Q[0].speaker); /* the order's wording */
    assert_string_equal(Q[1].speaker, "a Daily NK source in Russia");
    assert_string_equal(Q[2].speaker, "a source in North Korea");
    assert_string_equal(Q[6].speaker, "a Daily NK source in Russia"); /* "The source in Russia said" */
    assert_string_equal(Q[7].speaker, "a Daily NK source in Russia"); /* "He added," */
    assert_string_equal(Q[8].speaker, "a Daily NK source in Russia"); /* "He added:" */

    t = s_read("002_8907b5e82464a41b.txt", &len);
    assert_int_equal(tlx_quotes_sources(t, len, NULL, 0, s_arena, &S, &NS), 0);
    assert_int_equal(NS, 5);
    assert_string_equal(S[2].text, "An official with the Ryanggang Provincial People's Committee");
    assert_string_equal(S[2].location, "Ryanggang Province");
    assert_int_equal(tlx_quotes_extract(t, len, S, NS, NULL, 0, s_arena, &Q, &NQ), 0);
    assert_string_equal(Q[0].speaker, "A Daily NK source in North Hamgyong Province");
    assert_string_equal(Q[3].speaker, "An official with the Ryanggang Provincial People's Committee");
    assert_string_equal(Q[4].speaker, "a separate source in Ryanggang Province");

    t = s_read("003_cbb70c7f6c33b917.txt", &len);
    assert_int_equal(tlx_quotes_sources(t, len, NULL, 0, s_arena, &S, &NS), 0);
    assert_int_equal(NS, 2);
    assert_int_equal(tlx_quotes_extract(t, len, S, NS, NULL, 0, s_arena, &Q, &NQ), 0);
    assert_int_equal(NQ, 7);
    assert_string_equal(Q[0].speaker, "a South Hamgyong Province-based source");
    assert_string_equal(Q[3].speaker, "a source in North Hamgyong Province");
    assert_string_equal(
        Q[5].speaker, "a source in North Hamgyong Province"); /* "the North Hamgyong Province-based source" */

    t = s_read("004_50cf4b8f26c8f34a.txt", &len);
    assert_int_equal(tlx_quotes_sources(t, len, NULL, 0, s_arena, &S, &NS), 0);
    assert_int_equal(NS, 3);
    assert_string_equal(S[1].text, "an inside source from South Hamgyong Province");
    /* this feed lost its quotation marks: "... said, In the majority ..." */
    assert_int_equal(tlx_quotes_extract(t, len, S, NS, NULL, 0, s_arena, &Q, &NQ), 0);
    assert_int_equal(NQ, 9);
    assert_string_equal(Q[0].text, "traitors who have thrown away the motherland.");
    assert_null(Q[0].speaker);
    assert_true(strncmp(Q[1].text, "In the majority of cases", 24) == 0);
    assert_string_equal(Q[1].speaker, "an inside source from South Hamgyong Province");
    assert_true(strncmp(Q[3].text, "Those who have crossed the border", 33) == 0);
    assert_string_equal(Q[3].speaker, "an inside source from South Hamgyong Province");
    assert_string_equal(Q[8].speaker,
                        "a source from North Hamgyong Province"); /* "the North Hamgyong Source" */
}

static void test_lost_marks(void **state)
{
    (void)state;
    /* without evidence of lost marks, reported speech stays reported speech */
    s_run("Prices rose sharply last month, the source said. Traders were worried, a source in Hyesan added.");
    assert_int_equal(NQ, 0);
    s_run(
        "The source said, Now it is open to all of them.\n\nThose who crossed are still seen as traitors, "
        "but "
        "also as people who live well, the source added.\xc2\xa0\n\nIt was a long year for everyone there.");
    assert_int_equal(NQ, 2);
    assert_string_equal(Q[0].text, "Now it is open to all of them.");
    assert_string_equal(Q[1].text,
                        "Those who crossed are still seen as traitors, but also as people who live well");
    assert_string_equal(Q[1].speaker, "the source");
}

static void test_storms(void **state)
{
    (void)state;
    size_t n = 10000;
    char *t = malloc(n * 3 * 2 + 16);
    assert_non_null(t);
    const char *const marks[] = {"\"", "\xe2\x80\x9c", "\xe2\x80\x9d"};
    for (size_t m = 0; m < 3; m++) {
        size_t ml = strlen(marks[m]), k = 0;
        for (size_t i = 0; i < n; i++, k += ml)
            memcpy(t + k, marks[m], ml);
        t[k] = '\0';
        s_run(t);
    }
    /* alternating words and marks, unbalanced, across paragraphs */
    size_t cap = n * 16 + 1, k = 0;
    char *u = malloc(cap);
    assert_non_null(u);
    for (size_t i = 0; i < n; i++) {
        const char *p = (i % 3 == 0)   ? "\xe2\x80\x9cword said "
                        : (i % 3 == 1) ? "\" a source\n"
                                       : "\xe2\x80\x9d, ";
        size_t pl = strlen(p);
        memcpy(u + k, p, pl);
        k += pl;
    }
    u[k] = '\0';
    s_run(u);
    /* thousands of sources and attributed quotes: linear, all answered */
    const char *unit =
        "A source in Hyesan said, \xe2\x80\x9cone two three four.\xe2\x80\x9d The source in Musan "
        "said \xe2\x80\x9c"
        "five six seven eight.\xe2\x80\x9d ";
    size_t ul = strlen(unit), reps = 5000;
    char *w = malloc(ul * reps + 1);
    assert_non_null(w);
    for (size_t i = 0; i < reps; i++)
        memcpy(w + i * ul, unit, ul);
    w[ul * reps] = '\0';
    s_run(w);
    assert_int_equal(NQ, 2 * reps);
    assert_string_equal(Q[2 * reps - 1].speaker, "The source in Musan");
    free(w);
    /* pronouns, surnames, role nouns, single marks and lost opening marks by
       the thousand: every look-back is bounded, all are answered */
    const char *unit2 = "Lee Dong-su told reporters. " LQ "One two three four," RQ " he said. Lee "
                        "called it " LS "five six" RS " and the minister said " LQ "seven." RQ "\n"
                        "Eight nine ten eleven," RQ " the report adds.\n";
    size_t ul2 = strlen(unit2);
    char *w2 = malloc(ul2 * reps + 1);
    assert_non_null(w2);
    for (size_t i = 0; i < reps; i++)
        memcpy(w2 + i * ul2, unit2, ul2);
    w2[ul2 * reps] = '\0';
    s_run(w2);
    /* the short ones repeat a term quoted before after the first unit */
    assert_int_equal(NQ, 2 * reps + 2);
    assert_string_equal(Q[1].text, "five six");
    assert_string_equal(Q[1].speaker, "Lee Dong-su");
    assert_string_equal(Q[2 * reps].speaker, "Lee Dong-su");
    assert_string_equal(Q[2 * reps + 1].speaker, "the report");
    free(w2);
    /* invalid UTF-8 and lone lead bytes */
    const char bad[] = "\xe2\x80 \xe2 \"\xff\xfe\" said \xe2\x80\x9c";
    assert_int_equal(tlx_quotes_extract(bad, sizeof bad - 1, NULL, 0, NULL, 0, s_arena, &Q, &NQ), 0);
    assert_int_equal(tlx_quotes_sources(bad, sizeof bad - 1, NULL, 0, s_arena, &S, &NS), 0);
    free(t);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sources),          cmocka_unit_test(test_source_publisher_not_place),
        cmocka_unit_test(test_anonymity),        cmocka_unit_test(test_quotes_after),
        cmocka_unit_test(test_quotes_before),    cmocka_unit_test(test_quotes_chain),
        cmocka_unit_test(test_quotes_shapes),    cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_storms),           cmocka_unit_test(test_lost_marks),
        cmocka_unit_test(test_attr_orders),      cmocka_unit_test(test_attr_apposition),
        cmocka_unit_test(test_attr_coreference), cmocka_unit_test(test_attr_bodies),
        cmocka_unit_test(test_short_and_scare),  cmocka_unit_test(test_more_shapes),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
