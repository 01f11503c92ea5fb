/*
 * QTest: malformed MCTP-over-SMBus input to an MCTP endpoint.  Every
 * case must be dropped without a response, counted in exactly the
 * expected drop counter, and a valid request right after still answered.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "mctp-util.h"

#define BUS             15
#define BMC_ADDR        0x10
#define EP_ADDR         0x1d
#define BMC_EID         0x08
#define EP_EID          0x09
#define EP_PATH         "/machine/peripheral/ep"
#define MAX_MSG         4224

static const char *const counters[] = {
    "bad-pec", "bad-length", "bad-command", "bad-src-addr", "bad-version",
    "wrong-eid", "bad-tag-owner", "bad-seq", "no-som", "restart", "timeout",
    "oversize", "unsupported-type", "not-request", "busy",
};

static const uint8_t get_eid[] = { 0x00, 0x80, 0x02 };
static const uint8_t echo_hdr[] = { 0x7e, 0xcc, 0xde, 0xf0 };

typedef struct Case {
    const char *name;
    const char *counter;
    void (*inject)(MCTPTest *t);
} Case;

static size_t frame(uint8_t *f, uint8_t deid, uint8_t flags,
                    const uint8_t *payload, size_t plen)
{
    return mctp_t_frame(f, EP_ADDR, BMC_ADDR, deid, BMC_EID, flags,
                        payload, plen);
}

static size_t get_eid_frame(uint8_t *f)
{
    return frame(f, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), get_eid,
                 sizeof(get_eid));
}

static void repec(uint8_t *f, size_t len)
{
    f[len - 1] = mctp_t_pec(f, len - 1);
}

static void write_raw(MCTPTest *t, const uint8_t *f, size_t len)
{
    /* the endpoint acknowledges every byte, even of garbage */
    g_assert(mctp_t_write_frame(t, f, len));
}

/* An echo message of @len bytes (incl. type and prefix) */
static uint8_t *echo_msg(size_t len)
{
    uint8_t *m = g_malloc(len);
    size_t i;

    memcpy(m, echo_hdr, 4);
    for (i = 4; i < len; i++) {
        m[i] = i;
    }
    return m;
}

static void recv_echo(MCTPTest *t, const uint8_t *msg, size_t len)
{
    uint8_t rsp[512];
    uint8_t seid, flags;
    size_t n = mctp_t_recv_msg(t, rsp, sizeof(rsp), &seid, &flags, 64);

    g_assert_cmpuint(n, ==, len);
    g_assert(memcmp(rsp, msg, len) == 0);
}

/* --- SMBus framing --- */

static void inj_bad_pec(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = get_eid_frame(f);

    f[len - 1] ^= 0x01;
    write_raw(t, f, len);
}

static void inj_pec_covers_payload(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = get_eid_frame(f);

    f[10] ^= 0x40;      /* corrupt the command after computing the PEC */
    write_raw(t, f, len);
}

static void inj_count_too_large(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = get_eid_frame(f);

    f[2]++;
    repec(f, len);
    write_raw(t, f, len);
}

static void inj_count_too_small(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = get_eid_frame(f);

    f[2]--;
    repec(f, len);
    write_raw(t, f, len);
}

static void inj_truncated(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];

    get_eid_frame(f);
    write_raw(t, f, 7);
}

static void inj_empty_write(MCTPTest *t)
{
    g_assert(aspeed_i2c_bmc_write(&t->bmc, EP_ADDR, NULL, 0));
}

static void inj_no_payload(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = frame(f, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), NULL, 0);

    write_raw(t, f, len);
}

static void inj_overlong(MCTPTest *t)
{
    uint8_t f[320];

    memset(f, 0xa5, sizeof(f));
    f[0] = EP_ADDR << 1;
    f[1] = 0x0f;
    f[2] = 0xff;
    f[3] = BMC_ADDR << 1 | 1;
    write_raw(t, f, sizeof(f));
}

static void inj_bad_command(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = get_eid_frame(f);

    f[1] = 0x0e;
    repec(f, len);
    write_raw(t, f, len);
}

static void inj_smbus_write_byte(MCTPTest *t)
{
    uint8_t f[] = { EP_ADDR << 1, 0x00, 0x55, 0x00 };

    repec(f, sizeof(f));
    write_raw(t, f, sizeof(f));
}

static void inj_src_addr_bit(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = get_eid_frame(f);

    f[3] &= ~1;
    repec(f, len);
    write_raw(t, f, len);
}

/* --- MCTP transport header --- */

static void inj_hdr_version(uint8_t v, MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = get_eid_frame(f);

    f[4] = v;
    repec(f, len);
    write_raw(t, f, len);
}

static void inj_hdr_version_2(MCTPTest *t)
{
    inj_hdr_version(0x02, t);
}

static void inj_hdr_version_0(MCTPTest *t)
{
    inj_hdr_version(0x00, t);
}

static void inj_wrong_dst(MCTPTest *t)
{
    mctp_t_send_pkt(t, 0x42, MCTP_T_FLAGS(1, 1, 0, 1, 0), get_eid,
                    sizeof(get_eid));
}

static void inj_reserved_dst(MCTPTest *t)
{
    mctp_t_send_pkt(t, 0x01, MCTP_T_FLAGS(1, 1, 0, 1, 0), get_eid,
                    sizeof(get_eid));
}

static void inj_broadcast_echo(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(8);

    mctp_t_send_pkt(t, 0xff, MCTP_T_FLAGS(1, 1, 0, 1, 0), m, 8);
}

static void inj_broadcast_src(MCTPTest *t)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t len = mctp_t_frame(f, EP_ADDR, BMC_ADDR, EP_EID, 0xff,
                              MCTP_T_FLAGS(1, 1, 0, 1, 0), get_eid,
                              sizeof(get_eid));

    write_raw(t, f, len);
}

static void inj_tag_owner_clear(MCTPTest *t)
{
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 0, 0), get_eid,
                    sizeof(get_eid));
}

/* --- reassembly --- */

static void inj_middle_without_som(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(64);

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 0, 1, 1, 1), m, 64);
}

static void inj_eom_without_som(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(20);

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 1, 1, 1, 1), m, 20);
}

static void inj_eom_bad_seq(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(100);

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 2), m, 64);
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 1, 2, 1, 2), m + 64, 36);
}

static void inj_middle_bad_seq(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(200);

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 3, 1, 2), m, 64);
    /* a repeated packet */
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 0, 3, 1, 2), m + 64, 64);
}

static void inj_som_restart(MCTPTest *t)
{
    g_autofree uint8_t *a = echo_msg(100);
    g_autofree uint8_t *b = echo_msg(100);

    b[50] = 0xee;
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 3), a, 64);
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 2, 1, 3), b, 64);
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 1, 3, 1, 3), b + 64, 36);
    /* the second message is the one answered */
    recv_echo(t, b, 100);
}

static void inj_interleaved_one_bad(MCTPTest *t)
{
    g_autofree uint8_t *a = echo_msg(100);
    g_autofree uint8_t *b = echo_msg(100);

    b[70] = 0xbb;
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 4), a, 64);
    t->bmc_eid = 0x0a;
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 4), b, 64);
    t->bmc_eid = BMC_EID;
    /* requester 8 gets its sequence wrong ... */
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 1, 3, 1, 4), a + 64, 36);
    /* ... which does not disturb requester 10 */
    t->bmc_eid = 0x0a;
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 1, 1, 1, 4), b + 64, 36);
    recv_echo(t, b, 100);
    t->bmc_eid = BMC_EID;
}

static void inj_short_first_fragment(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(32);

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 5), m, 32);
}

static void inj_middle_size_changes(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(200);

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 5), m, 64);
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 0, 1, 1, 5), m + 64, 40);
}

static void inj_last_fragment_larger(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(200);

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 5), m, 64);
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 1, 1, 1, 5), m + 64, 65);
}

static void inj_oversize(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(MAX_MSG + 250);
    size_t off;
    uint8_t seq = 0;

    /* stop at the first packet over the limit (4250 > 4224) */
    for (off = 0; off <= MAX_MSG; off += 250, seq++) {
        mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(off == 0, 0, seq, 1, 6),
                        m + off, 250);
    }
}

static void inj_oversize_single(MCTPTest *t)
{
    /* a control message must fit one baseline transmission unit */
    uint8_t m[100] = { 0x00, 0x80, 0x02 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 6), m, sizeof(m));
}

static void inj_control_two_packets(MCTPTest *t)
{
    uint8_t m[74] = { 0x00, 0x80, 0x02 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 6), m, 64);
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 1, 1, 1, 6), m + 64, 10);
}

static void inj_timeout(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(100);

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, 7), m, 64);
    qtest_clock_step(t->qts, 6000 * 1000 * 1000LL);
}

static void inj_no_free_context(MCTPTest *t)
{
    g_autofree uint8_t *m = echo_msg(100);
    int tag;

    for (tag = 0; tag < 5; tag++) {
        mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 0, 0, 1, tag), m, 64);
    }
    /* the four accepted ones complete */
    for (tag = 0; tag < 4; tag++) {
        mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(0, 1, 1, 1, tag), m + 64, 36);
        recv_echo(t, m, 100);
    }
}

static void inj_response_pending(MCTPTest *t)
{
    uint8_t rsp[64];
    uint8_t seid, flags;

    /* the BMC is away: the first answer waits for a retry */
    aspeed_i2c_bmc_set_own_addr(&t->bmc, BMC_ADDR + 1);
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 1), get_eid,
                    sizeof(get_eid));
    mctp_t_expect_silence(t);
    aspeed_i2c_bmc_set_own_addr(&t->bmc, BMC_ADDR);
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 2), get_eid,
                    sizeof(get_eid));
    qtest_clock_step(t->qts, 10 * 1000 * 1000);
    g_assert_cmpuint(mctp_t_recv_msg(t, rsp, sizeof(rsp), &seid, &flags, 64),
                     ==, 7);
    g_assert_cmphex(flags & 7, ==, 1);
}

/* --- message types --- */

static void inj_unsupported_type(MCTPTest *t)
{
    static const uint8_t spdm[] = { 0x05, 0x10, 0x84, 0x00, 0x00 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), spdm,
                    sizeof(spdm));
}

static void inj_control_with_ic(MCTPTest *t)
{
    static const uint8_t m[] = { 0x80, 0x80, 0x02, 0, 0, 0, 0 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), m, sizeof(m));
}

static void inj_echo_wrong_vendor(MCTPTest *t)
{
    static const uint8_t m[] = { 0x7e, 0x12, 0x34, 0xf0, 0x01 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), m, sizeof(m));
}

static void inj_echo_unknown_cmd(MCTPTest *t)
{
    static const uint8_t m[] = { 0x7e, 0xcc, 0xde, 0xf7, 0x01 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), m, sizeof(m));
}

static void inj_echo_too_short(MCTPTest *t)
{
    static const uint8_t m[] = { 0x7e, 0xcc };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), m, sizeof(m));
}

static void inj_control_response(MCTPTest *t)
{
    static const uint8_t m[] = { 0x00, 0x05, 0x02, 0x00, 0x08, 0x00, 0x00 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), m, sizeof(m));
}

static void inj_control_too_short(MCTPTest *t)
{
    static const uint8_t m[] = { 0x00, 0x80 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), m, sizeof(m));
}

static void inj_bench_response(MCTPTest *t)
{
    static const uint8_t m[] = { 0x7e, 0xcc, 0xde, 0xf1, 0xdd, 0x22, 0x01,
                                 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 };

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, 0), m, sizeof(m));
}

static const Case cases[] = {
    { "bad-pec", "bad-pec", inj_bad_pec },
    { "pec-covers-payload", "bad-pec", inj_pec_covers_payload },
    { "count-too-large", "bad-length", inj_count_too_large },
    { "count-too-small", "bad-length", inj_count_too_small },
    { "truncated", "bad-length", inj_truncated },
    { "empty-write", "bad-length", inj_empty_write },
    { "no-payload", "bad-length", inj_no_payload },
    { "overlong-write", "bad-length", inj_overlong },
    { "bad-command-code", "bad-command", inj_bad_command },
    { "smbus-write-byte", "bad-command", inj_smbus_write_byte },
    { "source-address-bit", "bad-src-addr", inj_src_addr_bit },
    { "header-version-2", "bad-version", inj_hdr_version_2 },
    { "header-version-0", "bad-version", inj_hdr_version_0 },
    { "wrong-dest-eid", "wrong-eid", inj_wrong_dst },
    { "reserved-dest-eid", "wrong-eid", inj_reserved_dst },
    { "broadcast-non-control", "wrong-eid", inj_broadcast_echo },
    { "broadcast-source-eid", "wrong-eid", inj_broadcast_src },
    { "tag-owner-clear", "bad-tag-owner", inj_tag_owner_clear },
    { "middle-without-som", "no-som", inj_middle_without_som },
    { "eom-without-som", "no-som", inj_eom_without_som },
    { "eom-bad-seq", "bad-seq", inj_eom_bad_seq },
    { "middle-bad-seq", "bad-seq", inj_middle_bad_seq },
    { "som-restart", "restart", inj_som_restart },
    { "interleaved-one-bad", "bad-seq", inj_interleaved_one_bad },
    { "short-first-fragment", "bad-length", inj_short_first_fragment },
    { "middle-size-changes", "bad-length", inj_middle_size_changes },
    { "last-fragment-larger", "bad-length", inj_last_fragment_larger },
    { "oversize-message", "oversize", inj_oversize },
    { "oversize-control", "oversize", inj_oversize_single },
    { "control-two-packets", "oversize", inj_control_two_packets },
    { "reassembly-timeout", "timeout", inj_timeout },
    { "no-free-context", "busy", inj_no_free_context },
    { "response-pending", "busy", inj_response_pending },
    { "unsupported-type", "unsupported-type", inj_unsupported_type },
    { "control-with-ic", "unsupported-type", inj_control_with_ic },
    { "echo-wrong-vendor", "unsupported-type", inj_echo_wrong_vendor },
    { "echo-unknown-command", "unsupported-type", inj_echo_unknown_cmd },
    { "echo-too-short", "bad-length", inj_echo_too_short },
    { "control-response", "not-request", inj_control_response },
    { "control-too-short", "bad-length", inj_control_too_short },
    { "bench-response", "not-request", inj_bench_response },
};

static void read_counters(MCTPTest *t, uint64_t *v)
{
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(counters); i++) {
        g_autofree char *name = g_strdup_printf("drops-%s", counters[i]);

        v[i] = mctp_t_counter(t, name);
    }
}

static void valid_request(MCTPTest *t, uint8_t tag)
{
    uint8_t rsp[64];
    uint8_t seid, flags;
    size_t n;

    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, tag), get_eid,
                    sizeof(get_eid));
    n = mctp_t_recv_msg(t, rsp, sizeof(rsp), &seid, &flags, 64);
    g_assert_cmpuint(n, ==, 7);
    g_assert_cmphex(rsp[2], ==, 0x02);
    g_assert_cmphex(rsp[3], ==, 0x00);
    g_assert_cmphex(rsp[4], ==, EP_EID);
    g_assert_cmphex(seid, ==, EP_EID);
    g_assert_cmphex(flags & 0x0f, ==, tag);
}

/* One endpoint for all cases: each must leave it healthy for the next */
static MCTPTest shared = {
    .ep_addr = EP_ADDR, .bmc_addr = BMC_ADDR, .bmc_eid = BMC_EID,
    .ep_path = EP_PATH,
};

static void run_case(const void *opaque)
{
    const Case *c = opaque;
    uint64_t before[ARRAY_SIZE(counters)], after[ARRAY_SIZE(counters)];
    uint64_t tx_errors;
    MCTPTest *t = &shared;
    unsigned i;

    if (!t->qts) {
        t->qts = qtest_initf("-M ast2600-evb -device mctp-echo,id=ep,"
                             "bus=aspeed.i2c.bus.%d,address=0x%x,eid=0x%x",
                             BUS, EP_ADDR, EP_EID);
        aspeed_i2c_bmc_init(&t->bmc, t->qts, BUS, BMC_ADDR);
    }
    valid_request(t, 0);
    read_counters(t, before);
    tx_errors = mctp_t_counter(t, "tx-errors");

    c->inject(t);
    mctp_t_expect_silence(t);

    read_counters(t, after);
    for (i = 0; i < ARRAY_SIZE(counters); i++) {
        uint64_t want = before[i] + !strcmp(counters[i], c->counter);

        if (after[i] != want) {
            g_test_message("drops-%s: %" PRIu64 " -> %" PRIu64,
                           counters[i], before[i], after[i]);
        }
        g_assert_cmpuint(after[i], ==, want);
    }
    g_assert_cmpuint(mctp_t_counter(t, "tx-errors"), ==, tx_errors);
    /* still healthy */
    valid_request(t, 5);
    valid_request(t, 6);
}

/*
 * Pseudo-random frames (fixed seed): garbage, and well-framed packets
 * with random headers and payloads.  Whatever the endpoint makes of
 * them, it must not crash or wedge, and must answer afterwards.
 */
static void test_random_frames(void)
{
    static const uint8_t types[] = { 0x00, 0x7e, 0x04, 0x80, 0xfe };
    g_autoptr(GRand) rnd = g_rand_new_with_seed(0x4d435450);
    MCTPTest t = {
        .ep_addr = EP_ADDR, .bmc_addr = BMC_ADDR, .bmc_eid = BMC_EID,
        .ep_path = EP_PATH,
    };
    uint8_t f[MCTP_T_FRAME_MAX], rsp[MCTP_T_FRAME_MAX];
    uint64_t drops = 0;
    unsigned i, j;
    size_t len;

    t.qts = qtest_initf("-M ast2600-evb -device mctp-echo,id=ep,"
                        "bus=aspeed.i2c.bus.%d,address=0x%x,eid=0x%x",
                        BUS, EP_ADDR, EP_EID);
    aspeed_i2c_bmc_init(&t.bmc, t.qts, BUS, BMC_ADDR);
    for (i = 0; i < 200; i++) {
        if (g_rand_boolean(rnd)) {
            len = g_rand_int_range(rnd, 1, 290);
            for (j = 0; j < len; j++) {
                f[j] = g_rand_int(rnd);
            }
            f[0] = EP_ADDR << 1;
            if (g_rand_boolean(rnd)) {
                f[1] = 0x0f;
            }
        } else {
            uint8_t payload[250];
            size_t plen = g_rand_int_range(rnd, 0, 251);
            uint8_t flags = g_rand_int(rnd) | (g_rand_boolean(rnd) ? 0x08 : 0);

            for (j = 0; j < plen; j++) {
                payload[j] = g_rand_int(rnd);
            }
            if (plen) {
                payload[0] = types[g_rand_int_range(rnd, 0,
                                                    ARRAY_SIZE(types))];
            }
            len = mctp_t_frame(f, EP_ADDR, BMC_ADDR,
                               g_rand_boolean(rnd) ? EP_EID : 0,
                               g_rand_int_range(rnd, 0, 256), flags,
                               payload, plen);
            if (!g_rand_int_range(rnd, 0, 8)) {
                f[4] = g_rand_int(rnd);
                f[len - 1] = mctp_t_pec(f, len - 1);
            }
        }
        write_raw(&t, f, len);
        /* take whatever answers come */
        while (mctp_t_recv_frame(&t, rsp, sizeof(rsp))) {
            /* keep reading */
        }
    }
    /* let pending retries and reassemblies run out */
    qtest_clock_step(t.qts, 7000 * 1000 * 1000LL);
    while (mctp_t_recv_frame(&t, rsp, sizeof(rsp))) {
        /* keep reading */
    }
    for (i = 0; i < ARRAY_SIZE(counters); i++) {
        g_autofree char *name = g_strdup_printf("drops-%s", counters[i]);

        drops += mctp_t_counter(&t, name);
    }
    g_test_message("%" PRIu64 " drops", drops);
    g_assert_cmpuint(drops, >, 150);
    valid_request(&t, 5);
    qtest_quit(t.qts);
}

int main(int argc, char **argv)
{
    unsigned i;
    int ret;

    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("ast2600-evb") || !qtest_has_device("mctp-echo")) {
        g_test_skip("ast2600-evb or mctp-echo not available");
        return g_test_run();
    }
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *path = g_strdup_printf("/mctp-malformed/%s",
                                                cases[i].name);

        qtest_add_data_func(path, &cases[i], run_case);
    }
    qtest_add_func("/mctp-malformed/random-frames", test_random_frames);
    ret = g_test_run();
    if (shared.qts) {
        qtest_quit(shared.qts);
    }
    return ret;
}
