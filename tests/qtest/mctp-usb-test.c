/*
 * qtest of usb-mctp, MCTP over USB (DSP0283): the test plays the BMC's
 * USB stack on the AST2600's second EHCI (ehci-host.c) and checks the
 * device's descriptors and transfers byte for byte: transport headers,
 * packets per transfer, the control protocol, echo, NVMe-MI and NC-SI,
 * malformed transfers, flow control, unplug and replug, migration.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "ehci-host.h"
#include "mctp-util.h"

#define EHCI1_BASE      0x1e6a3000
#define SCRATCH         0x81000000
#define DEV_PATH        "/machine/peripheral/mctp"
#define BMC_EID         8
#define EP_EID          9
#define DMTF_ID         0x1ab4
#define XFER            512
#define MSG_MAX         4300

/* MCTP header flags */
#define SOM             0x80
#define EOM             0x40
#define TO              0x08

typedef struct T {
    QTestState *qts;
    const char *path;       /* the device's QOM path */
    EhciHost host;
    uint8_t tag;
    /* what the last message received came in */
    unsigned in_xfers;
    unsigned first_xfer_len;
    unsigned first_xfer_pkts;
} T;

/* The UUIDs of the tests: 2d5b4f1e-6c1a-4e55-9b8e-0b00000000<last> */
static void expect_uuid(const uint8_t *uuid, uint8_t last)
{
    uint8_t want[16] = { 0x2d, 0x5b, 0x4f, 0x1e, 0x6c, 0x1a, 0x4e, 0x55,
                         0x9b, 0x8e, 0x0b };

    want[15] = last;
    mctp_t_hexcmp(uuid, 16, want, 16);
}

static int64_t qom_get_int(T *t, const char *prop)
{
    QDict *rsp = qtest_qmp(t->qts, "{ 'execute': 'qom-get', 'arguments': "
                           "{ 'path': %s, 'property': %s } }",
                           t->path, prop);
    int64_t v;

    g_assert(qdict_haskey(rsp, "return"));
    v = qdict_get_int(rsp, "return");
    qobject_unref(rsp);
    return v;
}

static void qom_set_int(T *t, const char *prop, int64_t value)
{
    qtest_qmp_assert_success(t->qts, "{ 'execute': 'qom-set', 'arguments': "
                             "{ 'path': %s, 'property': %s, "
                             "'value': %lld } }", t->path, prop,
                             (long long)value);
}

/* Reset the port and configure the device as a host's USB core would */
static void enumerate(T *t)
{
    uint8_t d[18];

    g_assert_true(ehci_host_port_reset(&t->host, 0));
    g_assert_cmpint(ehci_host_control(&t->host, 0x80, 6, 0x0100, 0, d,
                                      sizeof(d)), ==, sizeof(d));
    /* SET_CONFIGURATION 1 */
    g_assert_cmpint(ehci_host_control(&t->host, 0x00, 9, 1, 0, NULL, 0),
                    ==, 0);
}

static void attach(T *t)
{
    ehci_host_init(&t->host, t->qts, EHCI1_BASE, SCRATCH);
    enumerate(t);
}

static void start(T *t, const char *props)
{
    memset(t, 0, sizeof(*t));
    t->path = DEV_PATH;
    t->qts = qtest_initf("-M ast2600-evb -device usb-mctp,id=mctp,"
                         "bus=usb-bus.1%s", props);
    attach(t);
}

/* [1A B4 00 count] [MCTP header] payload */
static size_t put_pkt(uint8_t *b, uint8_t deid, uint8_t flags,
                      const uint8_t *payload, size_t plen)
{
    stw_be_p(b, DMTF_ID);
    b[2] = 0;
    b[3] = 4 + 4 + plen;
    b[4] = 0x01;
    b[5] = deid;
    b[6] = BMC_EID;
    b[7] = flags;
    memcpy(b + 8, payload, plen);
    return 8 + plen;
}

/* A request, one packet of up to @mtu payload bytes per OUT transfer */
static void send_msg(T *t, uint8_t deid, const uint8_t *msg, size_t len,
                     size_t mtu)
{
    uint8_t xfer[XFER];
    size_t off = 0, chunk;
    uint8_t seq = 0;

    t->tag = (t->tag + 1) & 7;
    do {
        chunk = MIN(len - off, mtu);
        put_pkt(xfer, deid, (off == 0 ? SOM : 0) |
                (off + chunk == len ? EOM : 0) | (seq << 4) | TO | t->tag,
                msg + off, chunk);
        g_assert_true(ehci_host_bulk_out(&t->host, xfer, 8 + chunk, 1000));
        off += chunk;
        seq = (seq + 1) & 3;
    } while (off < len);
}

/*
 * Receive a message to the BMC from IN transfers, checking each
 * transport header and packet header; returns its length.  @flags gets
 * the first packet's flags.
 */
static size_t recv_msg(T *t, uint8_t *msg, size_t size, uint8_t *flags)
{
    uint8_t xfer[XFER];
    size_t len = 0, off, plen;
    uint8_t seq = 0;
    bool eom = false;
    int got;

    t->in_xfers = 0;
    while (!eom) {
        got = ehci_host_bulk_in(&t->host, xfer, sizeof(xfer), 2000);
        g_assert_cmpint(got, >, 0);
        if (!t->in_xfers++) {
            t->first_xfer_len = got;
            t->first_xfer_pkts = 0;
        }
        for (off = 0; off < got; off += xfer[off + 3]) {
            const uint8_t *p = xfer + off;

            g_assert_cmpint(got - off, >=, 9);
            g_assert_cmphex(lduw_be_p(p), ==, DMTF_ID);
            g_assert_cmphex(p[2], ==, 0);
            g_assert_cmpuint(p[3], <=, got - off);
            g_assert_cmphex(p[4] & 0xf, ==, 1);
            g_assert_cmphex(p[5], ==, BMC_EID);
            g_assert_false(eom);
            g_assert_cmphex((p[7] >> 4) & 3, ==, seq);
            g_assert_cmphex(!!(p[7] & SOM), ==, len == 0);
            if (len == 0) {
                *flags = p[7];
            }
            if (t->in_xfers == 1) {
                t->first_xfer_pkts++;
            }
            eom = p[7] & EOM;
            plen = p[3] - 8;
            g_assert_cmpuint(len + plen, <=, size);
            memcpy(msg + len, p + 8, plen);
            len += plen;
            seq = (seq + 1) & 3;
        }
    }
    return len;
}

/* A request to @deid and its response (TO clear, our tag) */
static size_t xfer_msg(T *t, uint8_t deid, const uint8_t *req, size_t len,
                       uint8_t *rsp)
{
    uint8_t flags;
    size_t n;

    send_msg(t, deid, req, len, 64);
    n = recv_msg(t, rsp, MSG_MAX, &flags);
    g_assert_cmphex(flags & (TO | 7), ==, t->tag);
    return n;
}

static void expect_silence(T *t)
{
    uint8_t xfer[XFER];

    g_assert_cmpint(ehci_host_bulk_in(&t->host, xfer, sizeof(xfer), 50),
                    ==, -1);
}

/* Set Endpoint ID (by the null EID, as a bus owner does), then Get EID */
static void assign_eid(T *t, uint8_t eid)
{
    uint8_t set[] = { 0x00, 0x81, 0x01, 0x00, eid };
    uint8_t get[] = { 0x00, 0x82, 0x02 };
    uint8_t rsp[MSG_MAX];

    g_assert_cmpuint(xfer_msg(t, 0, set, sizeof(set), rsp), ==, 7);
    mctp_t_hexcmp(rsp, 7,
                  (uint8_t[]) { 0x00, 0x01, 0x01, 0x00, 0x00, eid, 0x00 }, 7);
    g_assert_cmpuint(xfer_msg(t, eid, get, sizeof(get), rsp), ==, 7);
    g_assert_cmphex(rsp[3], ==, 0);
    g_assert_cmphex(rsp[4], ==, eid);
    g_assert_cmpint(qom_get_int(t, "current-eid"), ==, eid);
}

/* Echo @n bytes after 7E CC DE F0 and check what comes back */
static void echo(T *t, size_t n)
{
    g_autofree uint8_t *req = g_malloc(4 + n);
    uint8_t rsp[MSG_MAX];
    size_t i;

    memcpy(req, (uint8_t[]) { 0x7e, 0xcc, 0xde, 0xf0 }, 4);
    for (i = 0; i < n; i++) {
        req[4 + i] = i * 7 + n;
    }
    g_assert_cmpuint(xfer_msg(t, EP_EID, req, 4 + n, rsp), ==, 4 + n);
    g_assert(!memcmp(rsp, req, 4 + n));
}

static void test_descriptors(void)
{
    static const uint8_t dev[] = {
        0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, 0xde, 0xcc, 0x00,
        0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x01 };
    static const uint8_t cfg[] = {
        0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0xc0, 0x32,
        /* interface 0: class 0x14 MCTP, subclass 0, protocol 1 */
        0x09, 0x04, 0x00, 0x00, 0x02, 0x14, 0x00, 0x01, 0x04,
        /* bulk IN 0x81 and bulk OUT 0x02, 512 bytes */
        0x07, 0x05, 0x81, 0x02, 0x00, 0x02, 0x00,
        0x07, 0x05, 0x02, 0x02, 0x00, 0x02, 0x00 };
    const char *serial = "QEMU-NVME-MI-0001";
    uint8_t d[64];
    size_t i;
    T t;

    start(&t, "");
    g_assert_cmpint(ehci_host_control(&t.host, 0x80, 6, 0x0100, 0, d, 18),
                    ==, 18);
    mctp_t_hexcmp(d, 18, dev, sizeof(dev));
    g_assert_cmpint(ehci_host_control(&t.host, 0x80, 6, 0x0200, 0, d, 64),
                    ==, sizeof(cfg));
    mctp_t_hexcmp(d, sizeof(cfg), cfg, sizeof(cfg));
    g_assert_cmpint(ehci_host_control(&t.host, 0x80, 6, 0x0303, 0x0409, d,
                                      64), ==, 2 + 2 * strlen(serial));
    for (i = 0; serial[i]; i++) {
        g_assert_cmpint(d[2 + 2 * i], ==, serial[i]);
    }
    /* DSP0283 has no class requests */
    g_assert_cmpint(ehci_host_control(&t.host, 0x21, 0x01, 0, 0, NULL, 0),
                    ==, -1);
    qtest_quit(t.qts);

    start(&t, ",vendorid=0x1234,productid=0x5678,serial=SN42");
    g_assert_cmpint(ehci_host_control(&t.host, 0x80, 6, 0x0100, 0, d, 18),
                    ==, 18);
    g_assert_cmphex(lduw_le_p(d + 8), ==, 0x1234);
    g_assert_cmphex(lduw_le_p(d + 10), ==, 0x5678);
    qtest_quit(t.qts);
}

static void test_control(void)
{
    uint8_t types[] = { 0x00, 0x83, 0x05 };
    uint8_t uuid[] = { 0x00, 0x84, 0x03 };
    uint8_t rsp[MSG_MAX];
    T t;

    start(&t, ",uuid=2d5b4f1e-6c1a-4e55-9b8e-0b0000000005");
    assign_eid(&t, EP_EID);
    g_assert_cmpuint(xfer_msg(&t, EP_EID, uuid, sizeof(uuid), rsp), ==, 20);
    expect_uuid(rsp + 4, 0x05);
    /* control is implied; echo (0x7E) and NVMe-MI (0x04) by default */
    g_assert_cmpuint(xfer_msg(&t, EP_EID, types, sizeof(types), rsp), ==, 7);
    mctp_t_hexcmp(rsp, 7,
                  (uint8_t[]) { 0x00, 0x03, 0x05, 0x00, 0x02, 0x7e, 0x04 }, 7);
    g_assert_cmpint(qom_get_int(&t, "rx-messages"), ==, 4);
    g_assert_cmpint(qom_get_int(&t, "tx-messages"), ==, 4);
    qtest_quit(t.qts);

    start(&t, ",echo=off,nvme-mi=off,ncsi=on,eid=10");
    g_assert_cmpuint(xfer_msg(&t, 10, types, sizeof(types), rsp), ==, 6);
    mctp_t_hexcmp(rsp, 6,
                  (uint8_t[]) { 0x00, 0x03, 0x05, 0x00, 0x01, 0x02 }, 6);
    qtest_quit(t.qts);
}

static void test_echo(void)
{
    static const size_t sizes[] = { 1, 64, 65, 250, 1024, 4096 };
    size_t i;
    T t;

    start(&t, "");
    assign_eid(&t, EP_EID);
    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        echo(&t, sizes[i]);
    }
    /*
     * 4100 bytes at 64 per packet: 65 packets of 72 bytes with their
     * headers, 7 to a 512-byte transfer
     */
    g_assert_cmpuint(t.first_xfer_pkts, ==, 7);
    g_assert_cmpuint(t.first_xfer_len, ==, 7 * 72);
    g_assert_cmpuint(t.in_xfers, ==, 10);
    qtest_quit(t.qts);

    /* the largest packet USB carries: 247 bytes of payload, 2 a transfer */
    start(&t, ",tx-mtu=247,eid=9");
    echo(&t, 1020);
    g_assert_cmpuint(t.first_xfer_pkts, ==, 2);
    g_assert_cmpuint(t.first_xfer_len, ==, 2 * 255);
    g_assert_cmpuint(t.in_xfers, ==, 3);
    qtest_quit(t.qts);
}

/* Several packets in one OUT transfer, and two requests in one */
static void test_packed_out(void)
{
    uint8_t req[100], xfer[XFER], rsp[MSG_MAX], flags;
    uint8_t get[] = { 0x00, 0x85, 0x02 };
    size_t n, i;
    T t;

    start(&t, ",eid=9");
    memcpy(req, (uint8_t[]) { 0x7e, 0xcc, 0xde, 0xf0 }, 4);
    for (i = 4; i < sizeof(req); i++) {
        req[i] = i;
    }
    n = put_pkt(xfer, EP_EID, SOM | TO | 1, req, 64);
    n += put_pkt(xfer + n, EP_EID, EOM | (1 << 4) | TO | 1, req + 64, 36);
    g_assert_true(ehci_host_bulk_out(&t.host, xfer, n, 1000));
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &flags), ==, 100);
    g_assert(!memcmp(rsp, req, 100));
    g_assert_cmphex(flags & 0xf, ==, 1);

    /* the second request waits in the device until the first is answered */
    n = put_pkt(xfer, EP_EID, SOM | EOM | TO | 2, get, sizeof(get));
    n += put_pkt(xfer + n, EP_EID, SOM | EOM | TO | 3, req, 20);
    g_assert_true(ehci_host_bulk_out(&t.host, xfer, n, 1000));
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &flags), ==, 7);
    g_assert_cmphex(flags & 0xf, ==, 2);
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &flags), ==, 20);
    g_assert_cmphex(flags & 0xf, ==, 3);
    g_assert_cmpint(qom_get_int(&t, "drops-busy"), ==, 0);
    qtest_quit(t.qts);
}

/* An OUT transfer while a response is pending is NAKed, not dropped */
static void test_flow_control(void)
{
    uint8_t get[] = { 0x00, 0x86, 0x02 };
    uint8_t xfer[XFER], rsp[MSG_MAX], flags;
    size_t n;
    T t;

    start(&t, ",eid=9");
    n = put_pkt(xfer, EP_EID, SOM | EOM | TO | 4, get, sizeof(get));
    g_assert_true(ehci_host_bulk_out(&t.host, xfer, n, 1000));
    n = put_pkt(xfer, EP_EID, SOM | EOM | TO | 5, get, sizeof(get));
    g_assert_false(ehci_host_bulk_out(&t.host, xfer, n, 20));
    /* the pending response, then the device takes the NAKed transfer */
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &flags), ==, 7);
    g_assert_cmphex(flags & 0xf, ==, 4);
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &flags), ==, 7);
    g_assert_cmphex(flags & 0xf, ==, 5);
    g_assert_cmpint(qom_get_int(&t, "drops-busy"), ==, 0);
    qtest_quit(t.qts);
}

static void expect_drop(T *t, const uint8_t *xfer, size_t len,
                        const char *counter)
{
    int64_t before = qom_get_int(t, counter);

    g_assert_true(ehci_host_bulk_out(&t->host, xfer, len, 1000));
    g_assert_cmpint(qom_get_int(t, counter), ==, before + 1);
    expect_silence(t);
}

static void test_malformed(void)
{
    uint8_t get[] = { 0x00, 0x87, 0x02 };
    uint8_t xfer[XFER], rsp[MSG_MAX];
    size_t n;
    T t;

    start(&t, ",eid=9");
    n = put_pkt(xfer, EP_EID, SOM | EOM | TO, get, sizeof(get));

    expect_drop(&t, xfer, 0, "drops-zero-length");
    xfer[1] = 0xb5;
    expect_drop(&t, xfer, n, "drops-bad-dmtf-id");
    xfer[1] = 0xb4;
    xfer[3] = n + 1;
    expect_drop(&t, xfer, n, "drops-overrun");
    xfer[3] = 7;
    expect_drop(&t, xfer, n, "drops-truncated");
    xfer[3] = 0;
    expect_drop(&t, xfer, n, "drops-truncated");
    /* fewer bytes than a transport header */
    expect_drop(&t, xfer, 3, "drops-truncated");
    /* a transport header and an MCTP header without a message type */
    xfer[3] = 8;
    expect_drop(&t, xfer, 8, "drops-bad-length");
    xfer[3] = n;
    /* a good packet, then a header that does not fit */
    memcpy(xfer + n, (uint8_t[]) { 0x1a, 0xb4 }, 2);
    g_assert_true(ehci_host_bulk_out(&t.host, xfer, n + 2, 1000));
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &(uint8_t){0}), ==, 7);
    g_assert_cmpint(qom_get_int(&t, "drops-truncated"), ==, 4);

    /* and the next request is answered */
    g_assert_cmpuint(xfer_msg(&t, EP_EID, get, sizeof(get), rsp), ==, 7);
    g_assert_cmphex(rsp[4], ==, EP_EID);
    g_assert_cmpint(qom_get_int(&t, "drops-zero-length"), ==, 1);
    g_assert_cmpint(qom_get_int(&t, "drops-bad-dmtf-id"), ==, 1);
    g_assert_cmpint(qom_get_int(&t, "drops-overrun"), ==, 1);
    qtest_quit(t.qts);
}

/* An NVMe-MI request (MIC appended) and its response (MIC checked) */
static size_t nvme_mi(T *t, uint8_t opc, uint32_t cdw0, uint32_t cdw1,
                      uint8_t *rsp)
{
    uint8_t req[20] = { 0x84, 0x08 };
    size_t n;

    req[4] = opc;
    stl_le_p(req + 8, cdw0);
    stl_le_p(req + 12, cdw1);
    stl_le_p(req + 16, mctp_t_crc32c(req, 16));
    n = xfer_msg(t, EP_EID, req, sizeof(req), rsp);
    g_assert_cmpuint(n, >=, 8);
    g_assert_cmphex(rsp[0], ==, 0x84);
    g_assert_cmphex(rsp[1], ==, 0x88);
    g_assert_cmphex(ldl_le_p(rsp + n - 4), ==, mctp_t_crc32c(rsp, n - 4));
    return n - 4;
}

static void test_nvme_mi(void)
{
    uint8_t rsp[MSG_MAX];
    T t;

    start(&t, ",eid=9,serial=USBNVME-7");
    qom_set_int(&t, "temperature", 47);
    qom_set_int(&t, "percentage-used", 3);
    /* NVM Subsystem Health Status Poll */
    g_assert_cmpuint(nvme_mi(&t, 0x01, 0, 0, rsp), ==, 16);
    g_assert_cmphex(rsp[4], ==, 0);
    g_assert_cmphex(rsp[8], ==, 0x38);
    g_assert_cmpint(rsp[10], ==, 47);
    g_assert_cmpint(rsp[11], ==, 3);
    g_assert_cmphex(lduw_le_p(rsp + 12), ==, 1 | 1 << 9 | 1 << 10);
    /* Read NVMe-MI Data Structure, port 0: no SMBus address over USB */
    g_assert_cmpuint(nvme_mi(&t, 0x00, 1u << 24, 0, rsp), ==, 8 + 32);
    g_assert_cmphex(rsp[8], ==, 2);
    g_assert_cmpuint(lduw_le_p(rsp + 10), ==, 247);
    g_assert_cmphex(rsp[18], ==, 0);
    qtest_quit(t.qts);
}

static void test_ncsi(void)
{
    /* Clear Initial State, channel 0 of package 0, no checksum */
    uint8_t req[1 + 16 + 4] = { 0x02, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00 };
    uint8_t rsp[MSG_MAX];
    size_t n;
    T t;

    start(&t, ",ncsi=on,eid=9");
    n = xfer_msg(&t, EP_EID, req, sizeof(req), rsp);
    g_assert_cmpuint(n, ==, 1 + 16 + 4 + 4);
    g_assert_cmphex(rsp[0], ==, 0x02);
    g_assert_cmphex(rsp[5], ==, 0x80);
    g_assert_cmphex(lduw_be_p(rsp + 17), ==, 0);
    g_assert_cmpint(qom_get_int(&t, "ncsi-commands"), ==, 1);
    g_assert_cmpint(qom_get_int(&t, "initial-state-channels"), ==, 0);
    qtest_quit(t.qts);
}

static void test_hotplug(void)
{
    T t;

    start(&t, "");
    assign_eid(&t, EP_EID);
    echo(&t, 64);
    qtest_qmp_device_del_send(t.qts, "mctp");
    g_assert_false(ehci_host_port_reset(&t.host, 0));
    qtest_qmp_device_add(t.qts, "usb-mctp", "mctp",
                         "{'bus': 'usb-bus.1', 'port': '1', "
                         "'serial': 'REPLUGGED'}");
    enumerate(&t);
    /* a new device: no EID until the bus owner assigns one */
    g_assert_cmpint(qom_get_int(&t, "current-eid"), ==, 0);
    assign_eid(&t, EP_EID);
    echo(&t, 1024);
    qtest_quit(t.qts);
}

/*
 * Migration mid-conversation: the first packet of a request, and a
 * response not yet read, cross to the destination, which finishes both
 */
static void test_migration(void)
{
    g_autofree char *file = g_strdup_printf("%s/usb-mctp-mig-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);
    uint8_t req[100], xfer[XFER], rsp[MSG_MAX], flags;
    uint8_t get[] = { 0x00, 0x88, 0x02 };
    size_t n, i;
    T t;

    start(&t, "");
    assign_eid(&t, EP_EID);
    memcpy(req, (uint8_t[]) { 0x7e, 0xcc, 0xde, 0xf0 }, 4);
    for (i = 4; i < sizeof(req); i++) {
        req[i] = 0xa0 ^ i;
    }
    /* a response queued, and half a request reassembled */
    n = put_pkt(xfer, EP_EID, SOM | EOM | TO | 6, get, sizeof(get));
    g_assert_true(ehci_host_bulk_out(&t.host, xfer, n, 1000));
    n = put_pkt(xfer, EP_EID, SOM | TO | 2, req, 64);
    g_assert_false(ehci_host_bulk_out(&t.host, xfer, n, 20));

    qtest_qmp_assert_success(t.qts, "{ 'execute': 'migrate', 'arguments': "
                             "{ 'uri': %s } }", uri);
    mctp_t_wait_migration(t.qts);
    qtest_quit(t.qts);

    t.qts = qtest_initf("-M ast2600-evb -device usb-mctp,id=mctp,"
                        "bus=usb-bus.1 -incoming defer");
    t.path = DEV_PATH;
    t.host.qts = t.qts;
    qtest_qmp_assert_success(t.qts, "{ 'execute': 'migrate-incoming', "
                             "'arguments': { 'uri': %s } }", uri);
    qtest_qmp_eventwait(t.qts, "RESUME");
    unlink(file);
    g_assert_cmpint(qom_get_int(&t, "current-eid"), ==, EP_EID);

    /* the response that was pending, then the NAKed packet goes in */
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &flags), ==, 7);
    g_assert_cmphex(flags & 0xf, ==, 6);
    g_assert_cmphex(rsp[4], ==, EP_EID);
    n = put_pkt(xfer, EP_EID, EOM | (1 << 4) | TO | 2, req + 64, 36);
    g_assert_true(ehci_host_bulk_out(&t.host, xfer, n, 1000));
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &flags), ==, 100);
    g_assert(!memcmp(rsp, req, 100));
    g_assert_cmpint(qom_get_int(&t, "drops-busy"), ==, 0);
    qtest_quit(t.qts);
}

/*
 * The host controller looks at the async schedule soon after a transfer
 * completed with an interrupt, not only once: a request the guest queues
 * 0.3 ms after handling the previous response goes out within 0.25 ms
 * of virtual time (patch 0081; before it, 2 ms or more)
 */
static void test_ehci_quick_poll(void)
{
    uint8_t get[] = { 0x00, 0x8a, 0x02 };
    uint8_t xfer[XFER], rsp[MSG_MAX];
    size_t n;
    int steps;
    T t;

    start(&t, ",eid=9");
    g_assert_cmpuint(xfer_msg(&t, EP_EID, get, sizeof(get), rsp), ==, 7);
    /* the response's interrupt was raised: the guest handles it */
    qtest_clock_step(t.qts, 300 * 1000);
    t.tag = (t.tag + 1) & 7;
    n = put_pkt(xfer, EP_EID, SOM | EOM | TO | t.tag, get, sizeof(get));
    ehci_host_bulk_out_queue(&t.host, xfer, n);
    for (steps = 0; steps < 50 && !ehci_host_bulk_out_done(&t.host);
         steps++) {
        qtest_clock_step(t.qts, 50 * 1000);
    }
    g_assert_cmpint(steps, <=, 5);
    g_assert_cmpuint(recv_msg(&t, rsp, sizeof(rsp), &(uint8_t){0}), ==, 7);
    qtest_quit(t.qts);
}

/*
 * machines/ast2600-mctp.yaml: usb-mctp on the EVB's second EHCI, with
 * the description's UUID; NVMe-MI health set over QMP reaches the poll
 */
static void test_ast2600_mctp(void)
{
    g_autofree char *dir = g_path_get_dirname(g_getenv("QTEST_QEMU_BINARY"));
    g_autofree char *desc = g_build_filename(dir, "machines",
                                             "ast2600-mctp.yaml", NULL);
    uint8_t uuid[] = { 0x00, 0x89, 0x03 };
    uint8_t rsp[MSG_MAX];
    T t;

    memset(&t, 0, sizeof(t));
    t.path = "/machine/usb-mctp";
    t.qts = qtest_initf("-M composed,desc=%s", desc);
    attach(&t);
    assign_eid(&t, EP_EID);
    g_assert_cmpuint(xfer_msg(&t, EP_EID, uuid, sizeof(uuid), rsp), ==, 20);
    expect_uuid(rsp + 4, 0x04);
    qom_set_int(&t, "temperature", 61);
    g_assert_cmpuint(nvme_mi(&t, 0x01, 0, 0, rsp), ==, 16);
    g_assert_cmpint(rsp[10], ==, 61);
    echo(&t, 250);
    qtest_quit(t.qts);
}

static void expect_startup_error(const char *props, const char *msg)
{
    /* (bounded in time in case it wrongly starts) */
    g_autofree char *cmd = g_strdup_printf("timeout 60 %s -M ast2600-evb "
                                           "-display none -accel qtest -S "
                                           "-device usb-mctp,bus=usb-bus.1%s",
                                           getenv("QTEST_QEMU_BINARY"),
                                           props);
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert(g_spawn_command_line_sync(cmd, &out, &err, &status, NULL));
    g_assert_cmpint(status, !=, 0);
    g_assert_nonnull(strstr(err, msg));
}

static void test_errors(void)
{
    expect_startup_error(",tx-mtu=248", "tx-mtu must be between 64 and 247");
    expect_startup_error(",port-max-mtu=248",
                         "port-max-mtu must be between 64 and 247");
    expect_startup_error(",serial=123456789012345678901",
                         "serial is longer than 20");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/mctp-usb/descriptors", test_descriptors);
    qtest_add_func("/mctp-usb/control", test_control);
    qtest_add_func("/mctp-usb/echo", test_echo);
    qtest_add_func("/mctp-usb/packed-out", test_packed_out);
    qtest_add_func("/mctp-usb/flow-control", test_flow_control);
    qtest_add_func("/mctp-usb/malformed", test_malformed);
    qtest_add_func("/mctp-usb/nvme-mi", test_nvme_mi);
    qtest_add_func("/mctp-usb/ncsi", test_ncsi);
    qtest_add_func("/mctp-usb/hotplug", test_hotplug);
    qtest_add_func("/mctp-usb/migration", test_migration);
    qtest_add_func("/mctp-usb/errors", test_errors);
    qtest_add_func("/mctp-usb/ehci-quick-poll", test_ehci_quick_poll);
    if (qtest_has_machine("composed")) {
        qtest_add_func("/mctp-usb/ast2600-mctp", test_ast2600_mctp);
    }
    return g_test_run();
}
