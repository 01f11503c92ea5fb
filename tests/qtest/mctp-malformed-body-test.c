/*
 * QTest: malformed NVMe-MI and NC-SI message bodies, field by field.
 *
 * Each case starts from a valid request, changes one field (a length,
 * an offset, a reserved value, the MIC or the checksum) and checks what
 * the specification asks for: dropped without a response, or answered
 * with the right error status (and, for NVMe-MI Invalid Parameter, the
 * offending byte and bit).  Exactly one counter moves (the drop or
 * error reason), and a valid request right after is still answered.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "mctp-util.h"

#define BUS             15
#define BMC_ADDR        0x10
#define BMC_EID         0x08
#define NMI_ADDR        0x1d
#define NMI_EID         0x09
#define NMI_PATH        "/machine/peripheral/nmi"
#define NCSI_ADDR       0x14
#define NCSI_EID        0x0a
#define NCSI_PATH       "/machine/peripheral/ncsi"
#define MSG_MAX         4400

/* --- counters: all of an endpoint's, before and after a case --- */

static const char *const mctp_counters[] = {
    "drops-bad-pec", "drops-bad-length", "drops-bad-command",
    "drops-bad-src-addr", "drops-bad-version", "drops-wrong-eid",
    "drops-bad-tag-owner", "drops-bad-seq", "drops-no-som",
    "drops-restart", "drops-timeout", "drops-oversize",
    "drops-unsupported-type", "drops-not-request", "drops-busy",
    "tx-errors",
};

static const char *const nmi_counters[] = {
    "nvme-mi-drops-no-ic", "nvme-mi-drops-short", "nvme-mi-drops-bad-mic",
    "nvme-mi-drops-response", "nvme-mi-errors-internal-error",
    "nvme-mi-errors-invalid-opcode", "nvme-mi-errors-invalid-param",
    "nvme-mi-errors-invalid-cmd-size", "nvme-mi-errors-invalid-input-size",
};

static const char *const ncsi_counters[] = {
    "ncsi-drops-short", "ncsi-drops-bad-revision", "ncsi-drops-bad-checksum",
    "ncsi-drops-not-command", "ncsi-drops-bad-package",
    "ncsi-drops-bad-channel", "ncsi-errors-unsupported",
    "ncsi-errors-init-required", "ncsi-errors-bad-length",
    "ncsi-errors-bad-param",
};

#define MAX_COUNTERS 32

typedef struct Counters {
    const char *name[MAX_COUNTERS];
    uint64_t val[MAX_COUNTERS];
    size_t n;
} Counters;

static void read_counters(MCTPTest *t, const char *const *own, size_t nown,
                          Counters *c)
{
    size_t i;

    c->n = 0;
    for (i = 0; i < ARRAY_SIZE(mctp_counters) + nown; i++) {
        const char *name = i < ARRAY_SIZE(mctp_counters) ?
            mctp_counters[i] : own[i - ARRAY_SIZE(mctp_counters)];

        g_assert_cmpuint(c->n, <, MAX_COUNTERS);
        c->name[c->n] = name;
        c->val[c->n++] = mctp_t_counter(t, name);
    }
}

/* Only @moved (if any) went up, by one */
static void assert_counted(const Counters *before, const Counters *after,
                           const char *moved)
{
    size_t i;

    for (i = 0; i < before->n; i++) {
        uint64_t want = before->val[i] +
                        (moved && g_str_equal(before->name[i], moved));

        if (after->val[i] != want) {
            g_test_message("%s: %" PRIu64 " -> %" PRIu64 ", want %" PRIu64,
                           before->name[i], before->val[i], after->val[i],
                           want);
        }
        g_assert_cmpuint(after->val[i], ==, want);
    }
}

/* --- NVMe-MI --- */

/* MI status */
#define ST_OK           0x00
#define ST_OPCODE       0x03
#define ST_PARAM        0x04
#define ST_CMD_SIZE     0x05
#define ST_INPUT_SIZE   0x06
#define DROPPED         -1

typedef enum NmiBase {
    HEALTH,         /* MI Subsystem Health Status Poll */
    READ_DS,        /* MI Read Data Structure: subsystem information */
    CONFIG_GET,     /* MI Configuration Get: SMBus frequency, port 0 */
    CONFIG_SET,     /* MI Configuration Set: MCTP unit 64, port 0 */
    VPD_READ,       /* MI VPD Read: 16 bytes at 0 */
    VPD_WRITE,      /* MI VPD Write: 4 bytes at 8 */
    IDENTIFY,       /* Admin Identify Controller, 4096 bytes */
    GET_LOG,        /* Admin Get Log Page: SMART, 512 bytes */
} NmiBase;

typedef struct Edit {
    int16_t off;        /* from the type byte; -1 ends the list */
    uint8_t val;
} Edit;

typedef struct NmiCase {
    const char *name;
    NmiBase base;
    Edit edit[4];       /* bytes changed after building */
    int len;            /* message length without MIC; 0: the base's */
    int mic_flip;       /* 1-4: that MIC byte changed after computing */
    int status;         /* DROPPED, or the MI status of the answer */
    int pbyte, pbit;    /* Invalid Parameter: offending byte and bit */
    const char *counter;
} NmiCase;

#define E(o, v) { (o), (v) }
#define END     { -1, 0 }

static const NmiCase nmi_cases[] = {
    /* message header: type byte, NMP, reserved bytes */
    { "ic-clear", HEALTH, { E(0, 0x04), END }, 0, 0, DROPPED, 0, 0,
      "nvme-mi-drops-no-ic" },
    { "ror-set", HEALTH, { E(1, 0x88), END }, 0, 0, DROPPED, 0, 0,
      "nvme-mi-drops-response" },
    { "nmimt-control", HEALTH, { E(1, 0x00), E(4, 0x7f), END }, 0, 0,
      ST_OPCODE, 0, 0, "nvme-mi-errors-invalid-opcode" },
    { "nmimt-pcie", HEALTH, { E(1, 0x18), END }, 0, 0, ST_OPCODE, 0, 0,
      "nvme-mi-errors-invalid-opcode" },
    { "nmimt-async-event", HEALTH, { E(1, 0x20), END }, 0, 0, ST_OPCODE,
      0, 0, "nvme-mi-errors-invalid-opcode" },
    { "nmimt-reserved", HEALTH, { E(1, 0x30), END }, 0, 0, ST_OPCODE, 0, 0,
      "nvme-mi-errors-invalid-opcode" },
    { "reserved-header-bytes", HEALTH, { E(2, 0xff), E(3, 0xff), END }, 0, 0,
      ST_OK, 0, 0, NULL },
    /* the message integrity check, byte by byte */
    { "mic-byte0", HEALTH, { END }, 0, 1, DROPPED, 0, 0,
      "nvme-mi-drops-bad-mic" },
    { "mic-byte1", HEALTH, { END }, 0, 2, DROPPED, 0, 0,
      "nvme-mi-drops-bad-mic" },
    { "mic-byte2", HEALTH, { END }, 0, 3, DROPPED, 0, 0,
      "nvme-mi-drops-bad-mic" },
    { "mic-byte3", HEALTH, { END }, 0, 4, DROPPED, 0, 0,
      "nvme-mi-drops-bad-mic" },
    /* message lengths */
    { "len-1", HEALTH, { END }, 1, 0, DROPPED, 0, 0, "nvme-mi-drops-short" },
    { "len-3", HEALTH, { END }, 3, 0, DROPPED, 0, 0, "nvme-mi-drops-short" },
    { "mi-len-4", HEALTH, { END }, 4, 0, ST_CMD_SIZE, 0, 0,
      "nvme-mi-errors-invalid-cmd-size" },
    { "mi-len-8", HEALTH, { END }, 8, 0, ST_CMD_SIZE, 0, 0,
      "nvme-mi-errors-invalid-cmd-size" },
    { "mi-len-15", HEALTH, { END }, 15, 0, ST_CMD_SIZE, 0, 0,
      "nvme-mi-errors-invalid-cmd-size" },
    { "mi-data-health", HEALTH, { END }, 20, 0, ST_INPUT_SIZE, 0, 0,
      "nvme-mi-errors-invalid-input-size" },
    { "mi-data-read-ds", READ_DS, { END }, 17, 0, ST_INPUT_SIZE, 0, 0,
      "nvme-mi-errors-invalid-input-size" },
    { "mi-data-config-set", CONFIG_SET, { END }, 24, 0, ST_INPUT_SIZE, 0, 0,
      "nvme-mi-errors-invalid-input-size" },
    { "mi-data-vpd-read", VPD_READ, { END }, 20, 0, ST_INPUT_SIZE, 0, 0,
      "nvme-mi-errors-invalid-input-size" },
    /* MI opcode */
    { "mi-opcode-07", HEALTH, { E(4, 0x07), END }, 0, 0, ST_OPCODE, 0, 0,
      "nvme-mi-errors-invalid-opcode" },
    { "mi-opcode-c0", HEALTH, { E(4, 0xc0), END }, 0, 0, ST_OPCODE, 0, 0,
      "nvme-mi-errors-invalid-opcode" },
    { "mi-reserved-bytes", HEALTH, { E(5, 0xff), E(6, 0xff), E(7, 0xff),
      END }, 0, 0, ST_OK, 0, 0, NULL },
    /* Read Data Structure: type, port, controller */
    { "read-ds-type", READ_DS, { E(11, 0x06), END }, 0, 0, ST_PARAM, 11, 0,
      "nvme-mi-errors-invalid-param" },
    { "read-ds-port", READ_DS, { E(11, 0x01), E(10, 0x01), END }, 0, 0,
      ST_PARAM, 10, 0, "nvme-mi-errors-invalid-param" },
    { "read-ds-ctrl", READ_DS, { E(11, 0x03), E(8, 0x01), END }, 0, 0,
      ST_PARAM, 8, 0, "nvme-mi-errors-invalid-param" },
    /* Configuration Get/Set: identifier, port, values */
    { "config-id-0", CONFIG_GET, { E(8, 0x00), END }, 0, 0, ST_PARAM, 8, 0,
      "nvme-mi-errors-invalid-param" },
    { "config-id-ff", CONFIG_GET, { E(8, 0xff), END }, 0, 0, ST_PARAM, 8, 0,
      "nvme-mi-errors-invalid-param" },
    { "config-port", CONFIG_GET, { E(11, 0x01), END }, 0, 0, ST_PARAM, 11, 0,
      "nvme-mi-errors-invalid-param" },
    { "config-get-health-change", CONFIG_GET, { E(8, 0x02), END }, 0, 0,
      ST_PARAM, 8, 0, "nvme-mi-errors-invalid-param" },
    { "config-set-freq-0", CONFIG_SET, { E(8, 0x01), E(9, 0x00), END }, 0, 0,
      ST_PARAM, 9, 0, "nvme-mi-errors-invalid-param" },
    { "config-set-freq-over", CONFIG_SET, { E(8, 0x01), E(9, 0x03), END },
      0, 0, ST_PARAM, 9, 0, "nvme-mi-errors-invalid-param" },
    { "config-set-mtu-small", CONFIG_SET, { E(12, 63), END }, 0, 0, ST_PARAM,
      12, 0, "nvme-mi-errors-invalid-param" },
    { "config-set-mtu-large", CONFIG_SET, { E(12, 251), END }, 0, 0, ST_PARAM,
      12, 0, "nvme-mi-errors-invalid-param" },
    { "config-set-mtu-reserved", CONFIG_SET, { E(14, 0x01), END }, 0, 0,
      ST_PARAM, 12, 0, "nvme-mi-errors-invalid-param" },
    /* VPD Read/Write: offset, length, data length */
    { "vpd-read-offset", VPD_READ, { E(9, 0x01), E(8, 0x01), END }, 0, 0,
      ST_PARAM, 8, 0, "nvme-mi-errors-invalid-param" },
    { "vpd-read-past-end", VPD_READ, { E(8, 0xf8), END }, 0, 0, ST_PARAM, 12,
      0, "nvme-mi-errors-invalid-param" },
    { "vpd-read-length", VPD_READ, { E(13, 0x20), E(12, 0x01), END }, 0, 0,
      ST_PARAM, 12, 0, "nvme-mi-errors-invalid-param" },
    { "vpd-write-short-data", VPD_WRITE, { END }, 19, 0, ST_INPUT_SIZE, 0, 0,
      "nvme-mi-errors-invalid-input-size" },
    { "vpd-write-long-data", VPD_WRITE, { END }, 24, 0, ST_INPUT_SIZE, 0, 0,
      "nvme-mi-errors-invalid-input-size" },
    { "vpd-write-no-data", VPD_WRITE, { END }, 16, 0, ST_INPUT_SIZE, 0, 0,
      "nvme-mi-errors-invalid-input-size" },
    { "vpd-write-offset", VPD_WRITE, { E(9, 0x02), END }, 0, 0, ST_PARAM, 8,
      0, "nvme-mi-errors-invalid-param" },
    /* Admin commands: lengths, opcode, flags, controller, DOFF, DLEN */
    { "admin-len-16", IDENTIFY, { END }, 16, 0, ST_CMD_SIZE, 0, 0,
      "nvme-mi-errors-invalid-cmd-size" },
    { "admin-len-67", IDENTIFY, { END }, 67, 0, ST_CMD_SIZE, 0, 0,
      "nvme-mi-errors-invalid-cmd-size" },
    { "admin-data", IDENTIFY, { END }, 72, 0, ST_INPUT_SIZE, 0, 0,
      "nvme-mi-errors-invalid-input-size" },
    { "admin-opcode", IDENTIFY, { E(4, 0x09), END }, 0, 0, ST_OPCODE, 0, 0,
      "nvme-mi-errors-invalid-opcode" },
    { "admin-flags-reserved", IDENTIFY, { E(5, 0x07), END }, 0, 0, ST_PARAM,
      5, 2, "nvme-mi-errors-invalid-param" },
    { "admin-ctrl-id", IDENTIFY, { E(6, 0x01), END }, 0, 0, ST_PARAM, 6, 0,
      "nvme-mi-errors-invalid-param" },
    { "admin-doff-unaligned", IDENTIFY, { E(5, 0x03), E(28, 0x02), END }, 0,
      0, ST_PARAM, 28, 0, "nvme-mi-errors-invalid-param" },
    { "admin-dlen-unaligned", IDENTIFY, { E(32, 0x41), END }, 0, 0, ST_PARAM,
      32, 0, "nvme-mi-errors-invalid-param" },
    { "admin-dlen-over-4096", IDENTIFY, { E(33, 0x10), E(32, 0x04), END },
      0, 0, ST_PARAM, 32, 0, "nvme-mi-errors-invalid-param" },
    { "admin-doff-dlen-past-data", IDENTIFY, { E(5, 0x03), E(29, 0x0f),
      E(32, 0x00), E(33, 0x02) }, 0, 0, ST_PARAM, 32, 0,
      "nvme-mi-errors-invalid-param" },
    { "admin-log-past-numd", GET_LOG, { E(5, 0x03), E(29, 0x01), END }, 0, 0,
      ST_PARAM, 32, 0, "nvme-mi-errors-invalid-param" },
    { "admin-dlen-ignored-without-flag", IDENTIFY,
      { E(5, 0x00), E(33, 0xff), E(28, 0x03), END }, 0, 0, ST_OK, 0, 0,
      NULL },
};

static size_t nmi_build(uint8_t *m, NmiBase base)
{
    memset(m, 0, 68);
    m[0] = 0x84;
    m[1] = 0x08;                            /* NMIMT 1: MI command */
    switch (base) {
    case HEALTH:
        m[4] = 0x01;
        return 16;
    case READ_DS:
        m[4] = 0x00;
        return 16;
    case CONFIG_GET:
        m[4] = 0x04;
        m[8] = 0x01;
        return 16;
    case CONFIG_SET:
        m[4] = 0x03;
        m[8] = 0x03;                        /* MCTP transmission unit */
        m[12] = 64;
        return 16;
    case VPD_READ:
        m[4] = 0x05;
        m[12] = 16;
        return 16;
    case VPD_WRITE:
        m[4] = 0x06;
        m[8] = 8;
        m[12] = 4;
        memcpy(m + 16, "QEMU", 4);
        return 20;
    case IDENTIFY:
    case GET_LOG:
        m[1] = 0x10;                        /* NMIMT 2: Admin command */
        m[5] = 0x03;                        /* DLEN and DOFF valid */
        if (base == IDENTIFY) {
            m[4] = 0x06;
            m[44] = 0x01;                   /* CDW10: CNS 1, controller */
            stl_le_p(m + 32, 4096);
        } else {
            m[4] = 0x02;
            stl_le_p(m + 8, 0xffffffff);    /* NSID: the controller */
            /* CDW10: SMART log, NUMDL 127: 512 bytes */
            stl_le_p(m + 44, 0x02 | 127 << 16);
            stl_le_p(m + 32, 512);
        }
        return 68;
    }
    g_assert_not_reached();
}

static void nmi_start(MCTPTest *t)
{
    t->qts = qtest_initf("-M ast2600-evb -device mctp-nvme-mi,id=nmi,"
                         "bus=aspeed.i2c.bus.%d,address=0x%x,eid=%d",
                         BUS, NMI_ADDR, NMI_EID);
    t->ep_addr = NMI_ADDR;
    t->bmc_addr = BMC_ADDR;
    t->bmc_eid = BMC_EID;
    t->ep_path = NMI_PATH;
    aspeed_i2c_bmc_init(&t->bmc, t->qts, BUS, BMC_ADDR);
}

/*
 * Send @m (@len bytes, MIC included); the answer without its MIC, or 0
 * if none came.  The answers of these cases fit one packet.
 */
static size_t nmi_xfer(MCTPTest *t, uint8_t tag, const uint8_t *m,
                       size_t len, uint8_t *rsp)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t n;

    mctp_t_send_msg(t, NMI_EID, tag, m, len, 64);
    n = mctp_t_recv_frame(t, f, sizeof(f));
    if (!n) {
        return 0;
    }
    g_assert_cmpuint(n, >=, 9 + 12);
    g_assert_cmphex(f[n - 1], ==, mctp_t_pec(f, n - 1));
    g_assert_cmphex(f[6], ==, NMI_EID);
    g_assert_cmphex(f[7] & (MCTP_T_SOM | MCTP_T_EOM | 0x0f), ==,
                    MCTP_T_SOM | MCTP_T_EOM | tag);
    n -= 9;
    memcpy(rsp, f + 8, n);
    g_assert_cmphex((uint32_t)ldl_le_p(rsp + n - 4), ==,
                    mctp_t_crc32c(rsp, n - 4));
    return n - 4;
}

static void nmi_still_serves(MCTPTest *t)
{
    uint8_t m[68], rsp[MSG_MAX];
    size_t len = nmi_build(m, HEALTH);

    stl_le_p(m + len, mctp_t_crc32c(m, len));
    g_assert_cmpuint(nmi_xfer(t, 7, m, len + 4, rsp), ==, 16);
    g_assert_cmphex(rsp[4], ==, ST_OK);
    g_assert_cmphex(rsp[8], ==, 0x38);
}

static MCTPTest nmi_shared;

static void run_nmi_case(const void *opaque)
{
    const NmiCase *c = opaque;
    MCTPTest *t = &nmi_shared;
    uint8_t m[MSG_MAX], rsp[MSG_MAX];
    Counters before, after;
    size_t len, n, i;

    if (!t->qts) {
        nmi_start(t);
    }
    len = nmi_build(m, c->base);
    for (i = 0; i < ARRAY_SIZE(c->edit) && c->edit[i].off >= 0; i++) {
        m[c->edit[i].off] = c->edit[i].val;
    }
    if (c->len) {
        /* longer: the bytes after the request are a pattern */
        for (i = len; i < c->len; i++) {
            m[i] = 0xa0 + i;
        }
        len = c->len;
    }
    stl_le_p(m + len, mctp_t_crc32c(m, len));
    if (c->mic_flip) {
        m[len + c->mic_flip - 1] ^= 0x10;
    }

    read_counters(t, nmi_counters, ARRAY_SIZE(nmi_counters), &before);
    n = nmi_xfer(t, 1, m, len + 4, rsp);
    if (c->status == DROPPED) {
        g_assert_cmpuint(n, ==, 0);
    } else {
        g_assert_cmpuint(n, >=, 8);
        g_assert_cmphex(rsp[0], ==, 0x84);
        g_assert_cmphex(rsp[1], ==, (m[1] & 0x79) | 0x80);
        g_assert_cmphex(rsp[4], ==, c->status);
        if (c->status != ST_OK) {
            g_assert_cmpuint(n, ==, 8);
        }
        if (c->status == ST_PARAM) {
            g_assert_cmpuint(rsp[5], ==, c->pbit);
            g_assert_cmpuint(lduw_le_p(rsp + 6), ==, c->pbyte);
        }
    }
    read_counters(t, nmi_counters, ARRAY_SIZE(nmi_counters), &after);
    assert_counted(&before, &after, c->counter);
    nmi_still_serves(t);
}

/* --- NC-SI --- */

#define MCID            0x5a
#define CH00            0x00    /* package 0, channel 0 */
#define PKG0            0x1f    /* package 0 itself */
#define R_COMPLETED     0x0000
#define R_FAILED        0x0001
#define R_UNSUPPORTED   0x0003
#define REASON_NONE     0x0000
#define REASON_INIT     0x0001
#define REASON_PARAM    0x0002
#define REASON_LENGTH   0x0005
#define REASON_UNKNOWN  0x7fff

typedef enum NcsiCsum {
    CSUM_RIGHT,
    CSUM_ZERO,          /* not computed: not checked */
    CSUM_FLIP0,         /* byte 0..3 of a right checksum changed */
    CSUM_FLIP1,
    CSUM_FLIP2,
    CSUM_FLIP3,
} NcsiCsum;

typedef struct NcsiCase {
    const char *name;
    uint8_t type;       /* command */
    uint8_t chan;
    int plen;           /* payload length sent (bytes 0x00...) */
    Edit edit[3];       /* header bytes set before the checksum (h[]) */
    int len_field;      /* payload length field, -1: @plen */
    NcsiCsum csum;
    int cut;            /* bytes cut from the end (>0) or added (<0) */
    bool dropped;
    uint16_t code, reason;
    const char *counter;
} NcsiCase;

static const NcsiCase ncsi_cases[] = {
    /* lengths */
    { "short-header", 0x0a, CH00, 0, { END }, -1, CSUM_RIGHT, 9, true, 0, 0,
      "ncsi-drops-short" },
    { "header-only", 0x0a, CH00, 0, { END }, -1, CSUM_RIGHT, 4, true, 0, 0,
      "ncsi-drops-short" },
    { "no-checksum-room", 0x01, PKG0, 4, { END }, -1, CSUM_RIGHT, 1, true, 0,
      0, "ncsi-drops-short" },
    { "length-field-past-end", 0x01, PKG0, 4, { END }, 12, CSUM_RIGHT, 0,
      true, 0, 0, "ncsi-drops-short" },
    { "length-field-max", 0x01, PKG0, 4, { END }, 0xfff, CSUM_RIGHT, 0, true,
      0, 0, "ncsi-drops-short" },
    { "length-field-reserved-bits", 0x0a, CH00, 0, { E(6, 0xf0), END }, -1,
      CSUM_RIGHT, 0, false, R_COMPLETED, REASON_NONE, NULL },
    { "bytes-after-checksum", 0x0a, CH00, 0, { END }, -1, CSUM_RIGHT, -3,
      false, R_COMPLETED, REASON_NONE, NULL },
    { "payload-short-for-command", 0x01, PKG0, 0, { END }, -1, CSUM_RIGHT, 0,
      false, R_FAILED, REASON_LENGTH, "ncsi-errors-bad-length" },
    { "payload-long-for-command", 0x01, PKG0, 8, { END }, -1, CSUM_RIGHT, 0,
      false, R_FAILED, REASON_LENGTH, "ncsi-errors-bad-length" },
    { "payload-for-no-payload-command", 0x0a, CH00, 4, { END }, -1,
      CSUM_RIGHT, 0, false, R_FAILED, REASON_LENGTH,
      "ncsi-errors-bad-length" },
    { "oem-shorter-than-mfr-id", 0x50, CH00, 3, { END }, -1, CSUM_RIGHT, 0,
      false, R_FAILED, REASON_LENGTH, "ncsi-errors-bad-length" },
    /* header fields */
    { "revision-0", 0x0a, CH00, 0, { E(1, 0x00), END }, -1, CSUM_RIGHT, 0,
      true, 0, 0, "ncsi-drops-bad-revision" },
    { "revision-2", 0x0a, CH00, 0, { E(1, 0x02), END }, -1, CSUM_RIGHT, 0,
      true, 0, 0, "ncsi-drops-bad-revision" },
    { "reserved-byte-2", 0x0a, CH00, 0, { E(2, 0xff), END }, -1, CSUM_RIGHT,
      0, false, R_COMPLETED, REASON_NONE, NULL },
    { "reserved-bytes-8-15", 0x0a, CH00, 0, { E(8, 0xff), E(15, 0xff), END },
      -1, CSUM_RIGHT, 0, false, R_COMPLETED, REASON_NONE, NULL },
    { "type-response", 0x8a, CH00, 0, { END }, -1, CSUM_RIGHT, 0, true, 0, 0,
      "ncsi-drops-not-command" },
    { "type-aen", 0xff, CH00, 0, { END }, -1, CSUM_RIGHT, 0, true, 0, 0,
      "ncsi-drops-not-command" },
    { "type-unknown", 0x7f, CH00, 0, { END }, -1, CSUM_RIGHT, 0, false,
      R_UNSUPPORTED, REASON_UNKNOWN, "ncsi-errors-unsupported" },
    { "package-absent", 0x0a, 0x20, 0, { END }, -1, CSUM_RIGHT, 0, true, 0, 0,
      "ncsi-drops-bad-package" },
    { "package-7", 0x0a, 0xe0, 0, { END }, -1, CSUM_RIGHT, 0, true, 0, 0,
      "ncsi-drops-bad-package" },
    { "channel-absent", 0x0a, 0x02, 0, { END }, -1, CSUM_RIGHT, 0, true, 0, 0,
      "ncsi-drops-bad-channel" },
    { "channel-1e", 0x0a, 0x1e, 0, { END }, -1, CSUM_RIGHT, 0, true, 0, 0,
      "ncsi-drops-bad-channel" },
    { "channel-command-to-package", 0x0a, PKG0, 0, { END }, -1, CSUM_RIGHT, 0,
      false, R_FAILED, REASON_PARAM, "ncsi-errors-bad-param" },
    { "channel-in-initial-state", 0x0a, 0x01, 0, { END }, -1, CSUM_RIGHT, 0,
      false, R_FAILED, REASON_INIT, "ncsi-errors-init-required" },
    /* checksum */
    { "checksum-zero", 0x0a, CH00, 0, { END }, -1, CSUM_ZERO, 0, false,
      R_COMPLETED, REASON_NONE, NULL },
    { "checksum-byte0", 0x0a, CH00, 0, { END }, -1, CSUM_FLIP0, 0, true, 0, 0,
      "ncsi-drops-bad-checksum" },
    { "checksum-byte1", 0x0a, CH00, 0, { END }, -1, CSUM_FLIP1, 0, true, 0, 0,
      "ncsi-drops-bad-checksum" },
    { "checksum-byte2", 0x0a, CH00, 0, { END }, -1, CSUM_FLIP2, 0, true, 0, 0,
      "ncsi-drops-bad-checksum" },
    { "checksum-byte3", 0x01, PKG0, 4, { END }, -1, CSUM_FLIP3, 0, true, 0, 0,
      "ncsi-drops-bad-checksum" },
};

static void ncsi_start(MCTPTest *t)
{
    t->qts = qtest_initf("-M ast2600-evb -device mctp-ncsi,id=ncsi,"
                         "bus=aspeed.i2c.bus.%d,address=0x%x,eid=%d,"
                         "channels=2", BUS, NCSI_ADDR, NCSI_EID);
    t->ep_addr = NCSI_ADDR;
    t->bmc_addr = BMC_ADDR;
    t->bmc_eid = BMC_EID;
    t->ep_path = NCSI_PATH;
    aspeed_i2c_bmc_init(&t->bmc, t->qts, BUS, BMC_ADDR);
}

/*
 * An NC-SI over MCTP message: type 0x02, the 16-byte header, @plen bytes
 * of payload, padding to 4 bytes, the checksum; header edits go in
 * before the checksum is computed.  Returns the message length.
 */
static size_t ncsi_build_case(uint8_t *m, const NcsiCase *c, uint8_t iid)
{
    uint8_t *h = m + 1;
    int plen = c->plen;
    size_t padded = ROUND_UP(plen, 4), i;
    int field = c->len_field >= 0 ? c->len_field : plen;
    uint32_t sum;

    memset(m, 0, 1 + 16 + padded + 4 + 8);
    m[0] = 0x02;
    h[0] = MCID;
    h[1] = 0x01;
    h[3] = iid;
    h[4] = c->type;
    h[5] = c->chan;
    h[6] = field >> 8;
    h[7] = field;
    for (i = 0; i < ARRAY_SIZE(c->edit) && c->edit[i].off >= 0; i++) {
        h[c->edit[i].off] = c->edit[i].val;
    }
    sum = c->csum == CSUM_ZERO ? 0 : mctp_t_ncsi_checksum(h, 16 + plen);
    stl_be_p(h + 16 + padded, sum);
    if (c->csum >= CSUM_FLIP0) {
        h[16 + padded + c->csum - CSUM_FLIP0] ^= 0x20;
    }
    return 1 + 16 + padded + 4 - c->cut;
}

/* Send @m; the answer, or 0 if none came */
static size_t ncsi_xfer(MCTPTest *t, const uint8_t *m, size_t len,
                        uint8_t *rsp)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t n;

    mctp_t_send_msg(t, NCSI_EID, 2, m, len, 64);
    n = mctp_t_recv_frame(t, f, sizeof(f));
    if (!n) {
        return 0;
    }
    /* these answers fit one packet */
    g_assert_cmphex(f[7] & (MCTP_T_SOM | MCTP_T_EOM | 0x0f), ==,
                    MCTP_T_SOM | MCTP_T_EOM | 2);
    g_assert_cmphex(f[n - 1], ==, mctp_t_pec(f, n - 1));
    memcpy(rsp, f + 8, n - 9);
    return n - 9;
}

/* A well-formed answer of @c to instance @iid: codes and checksum */
static void ncsi_check_answer(const NcsiCase *c, const uint8_t *rsp,
                              size_t n, uint8_t iid)
{
    const uint8_t *h = rsp + 1;
    size_t rlen;

    g_assert_cmpuint(n, >=, 1 + 16 + 4 + 4);
    g_assert_cmphex(rsp[0], ==, 0x02);
    g_assert_cmphex(h[0], ==, MCID);
    g_assert_cmphex(h[1], ==, 0x01);
    g_assert_cmphex(h[3], ==, iid);
    g_assert_cmphex(h[4], ==, c->type | 0x80);
    g_assert_cmphex(h[5], ==, c->chan);
    rlen = lduw_be_p(h + 6);
    g_assert_cmpuint(1 + 16 + ROUND_UP(rlen, 4) + 4, ==, n);
    g_assert_cmphex(lduw_be_p(h + 16), ==, c->code);
    g_assert_cmphex(lduw_be_p(h + 18), ==, c->reason);
    if (c->code != R_COMPLETED) {
        g_assert_cmpuint(rlen, ==, 4);
    }
    g_assert_cmphex((uint32_t)ldl_be_p(h + 16 + ROUND_UP(rlen, 4)), ==,
                    mctp_t_ncsi_checksum(h, 16 + rlen));
}

static void ncsi_still_serves(MCTPTest *t)
{
    static const NcsiCase gls = {
        "get-link-status", 0x0a, CH00, 0, { END }, -1, CSUM_RIGHT, 0, false,
        R_COMPLETED, REASON_NONE, NULL
    };
    uint8_t m[128], rsp[128];
    size_t len = ncsi_build_case(m, &gls, 0x77);
    size_t n = ncsi_xfer(t, m, len, rsp);

    ncsi_check_answer(&gls, rsp, n, 0x77);
    g_assert_cmpuint(lduw_be_p(rsp + 1 + 6), ==, 16);
}

static MCTPTest ncsi_shared;

static void run_ncsi_case(const void *opaque)
{
    static const NcsiCase cis = {
        "clear-initial-state", 0x00, CH00, 0, { END }, -1, CSUM_RIGHT, 0,
        false, R_COMPLETED, REASON_NONE, NULL
    };
    const NcsiCase *c = opaque;
    MCTPTest *t = &ncsi_shared;
    uint8_t m[128], rsp[128];
    Counters before, after;
    size_t len, n;

    if (!t->qts) {
        /* channel 0 out of its initial state, channel 1 left in it */
        ncsi_start(t);
        len = ncsi_build_case(m, &cis, 1);
        n = ncsi_xfer(t, m, len, rsp);
        ncsi_check_answer(&cis, rsp, n, 1);
    }
    len = ncsi_build_case(m, c, 0x42);
    read_counters(t, ncsi_counters, ARRAY_SIZE(ncsi_counters), &before);
    n = ncsi_xfer(t, m, len, rsp);
    if (c->dropped) {
        g_assert_cmpuint(n, ==, 0);
    } else {
        ncsi_check_answer(c, rsp, n, 0x42);
    }
    read_counters(t, ncsi_counters, ARRAY_SIZE(ncsi_counters), &after);
    assert_counted(&before, &after, c->counter);
    ncsi_still_serves(t);
}

/* An IC bit on a type that has none: the MCTP layer drops it */
static void test_ncsi_ic_bit(void)
{
    static const NcsiCase gls = {
        "get-link-status", 0x0a, CH00, 0, { END }, -1, CSUM_RIGHT, 0, false,
        R_COMPLETED, REASON_NONE, NULL
    };
    MCTPTest *t = &ncsi_shared;
    uint8_t m[128], rsp[128];
    Counters before, after;
    size_t len;

    if (!t->qts) {
        ncsi_start(t);
    }
    len = ncsi_build_case(m, &gls, 0x43);
    m[0] |= 0x80;
    read_counters(t, ncsi_counters, ARRAY_SIZE(ncsi_counters), &before);
    g_assert_cmpuint(ncsi_xfer(t, m, len, rsp), ==, 0);
    read_counters(t, ncsi_counters, ARRAY_SIZE(ncsi_counters), &after);
    assert_counted(&before, &after, "drops-unsupported-type");
}

int main(int argc, char **argv)
{
    size_t i;
    int ret;

    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("ast2600-evb") ||
        !qtest_has_device("mctp-nvme-mi") || !qtest_has_device("mctp-ncsi")) {
        g_test_skip("ast2600-evb or the MCTP endpoints not available");
        return g_test_run();
    }
    for (i = 0; i < ARRAY_SIZE(nmi_cases); i++) {
        g_autofree char *path = g_strdup_printf("/mctp-malformed-body/"
                                                "nvme-mi/%s",
                                                nmi_cases[i].name);

        qtest_add_data_func(path, &nmi_cases[i], run_nmi_case);
    }
    for (i = 0; i < ARRAY_SIZE(ncsi_cases); i++) {
        g_autofree char *path = g_strdup_printf("/mctp-malformed-body/"
                                                "ncsi/%s",
                                                ncsi_cases[i].name);

        qtest_add_data_func(path, &ncsi_cases[i], run_ncsi_case);
    }
    qtest_add_func("/mctp-malformed-body/ncsi/ic-bit", test_ncsi_ic_bit);
    ret = g_test_run();
    if (nmi_shared.qts) {
        qtest_quit(nmi_shared.qts);
    }
    if (ncsi_shared.qts) {
        qtest_quit(ncsi_shared.qts);
    }
    return ret;
}
