/*
 * Fuzz target: usb-mctp, MCTP over USB (DSP0283), driven as a BMC's USB
 * stack drives it, through the AST2600's second EHCI: queue heads and
 * transfer descriptors in guest RAM, the controller's registers
 * (tests/qtest/ehci-host.c, lenient: a transfer that fails is counted,
 * not fatal).
 *
 * The device hosts the control protocol, echo, NVMe-MI and NC-SI.  Each
 * input starts with the device enumerated (port reset, SET_CONFIGURATION
 * 1) and is a sequence of operations, each a byte then its arguments:
 *
 *   TRANSFER  a bulk OUT transfer of bytes from the input, as they come
 *   MESSAGE   a message of a type (control, NVMe-MI, NC-SI, vendor)
 *             fragmented into packets of a size from the input, several
 *             packets per transfer; transport header, MCTP header and
 *             integrity check right or from the input
 *   IN        a bulk IN transfer of a size from the input: take what the
 *             device has to send
 *   CLOCK     the virtual clock runs
 *   CONTROL   a control transfer with a setup packet from the input
 *   PORT      the port is reset (and the device enumerated again, or
 *             not), or disabled
 *
 * The machine is reset after each input.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/module.h"
#include "tests/qtest/libqtest.h"
#include "tests/qtest/ehci-host.h"
#include "tests/qtest/mctp-util.h"
#include "fuzz.h"
#include "mctp_fuzz_input.h"

#define EHCI1_BASE      0x1e6a3000
#define USBCMD          0x00
#define PORTSC0         0x44
#define PORTSC_PED      (1u << 2)
#define PORTSC_PP       (1u << 12)
#define SCRATCH         0x81000000
#define BMC_EID         8
#define EP_EID          9
#define DMTF_ID         0x1ab4
#define XFER_MAX        2048
#define MSG_MAX         4400
/* virtual ms an operation waits for the device at most */
#define WAIT_MS         8

#define SOM             0x80
#define EOM             0x40
#define TO              0x08

/*
 * An OUT transfer: queued, then the clock runs until the device took it
 * or WAIT_MS passed; one the device holds (flow control) stays queued,
 * and the next one waits for it
 */
/* The clock steps; then what it made ready runs */
static void step(EhciHost *h, int64_t ns)
{
    qtest_clock_step(h->qts, ns);
    mctp_fuzz_run_events();
}

static void after_step(QTestState *qts)
{
    mctp_fuzz_run_events();
}

static void bulk_out(EhciHost *h, const uint8_t *buf, size_t len)
{
    int i;

    for (i = 0; i < WAIT_MS && !ehci_host_bulk_out_done(h); i++) {
        step(h, 1000 * 1000);
    }
    if (!ehci_host_bulk_out_done(h)) {
        return;
    }
    ehci_host_bulk_out_queue(h, buf, len);
    for (i = 0; i < WAIT_MS && !ehci_host_bulk_out_done(h); i++) {
        step(h, 1000 * 1000);
    }
}

static void enumerate(EhciHost *h)
{
    if (ehci_host_port_reset(h, 0)) {
        /* SET_CONFIGURATION 1 */
        ehci_host_control(h, 0x00, 9, 1, 0, NULL, 0);
    }
}

static void op_transfer(EhciHost *h, Input *in)
{
    size_t len = in_u16(in) % XFER_MAX;
    g_autofree uint8_t *buf = g_malloc(len + 1);

    in_bytes(in, buf, len);
    bulk_out(h, buf, len);
}

/*
 * [1A B4 00 count][ver dest src flags] payload, at @b; the header
 * fields right or from the input as @how says
 */
static size_t put_packet(uint8_t *b, const uint8_t *payload, size_t plen,
                         uint8_t flags, uint8_t how, Input *in)
{
    stw_be_p(b, how & 1 ? in_u16(in) : DMTF_ID);
    b[2] = how & 2 ? in_u8(in) : 0;
    b[3] = how & 4 ? in_u8(in) : 8 + plen;
    b[4] = 0x01;
    b[5] = how & 8 ? in_u8(in) : EP_EID;
    b[6] = BMC_EID;
    b[7] = flags;
    memcpy(b + 8, payload, plen);
    return 8 + plen;
}

static void op_message(EhciHost *h, Input *in)
{
    static const uint8_t types[] = { 0x00, 0x84, 0x02, 0x7e };
    uint8_t type = types[in_u8(in) % ARRAY_SIZE(types)];
    uint8_t how = in_u8(in);
    size_t len = in_u16(in) % MSG_MAX + 1;
    size_t mtu = in_u8(in) % 247 + 1;       /* up to 255 with headers */
    size_t per_xfer = in_u8(in) % 8 + 1;
    g_autofree uint8_t *msg = g_malloc(len);
    uint8_t xfer[8 * 255];
    size_t off = 0, pos = 0, pkts = 0, chunk;
    uint8_t seq = 0, tag = in_u8(in) & 7;

    in_bytes(in, msg, len);
    if (!(how & 0x10)) {
        msg[0] = type;
    }
    if (how & 0x20) {
        mctp_fuzz_fix_integrity(msg, len);
    }
    do {
        chunk = MIN(len - off, mtu);
        pos += put_packet(xfer + pos, msg + off, chunk,
                          (off == 0 ? SOM : 0) |
                          (off + chunk == len ? EOM : 0) |
                          (seq++ & 3) << 4 | TO | tag,
                          how & 0x40 ? in_u8(in) : 0, in);
        off += chunk;
        if (++pkts == per_xfer || off == len) {
            bulk_out(h, xfer, pos);
            pos = pkts = 0;
        }
    } while (off < len);
}

static void op_in(EhciHost *h, Input *in)
{
    uint8_t buf[XFER_MAX];
    size_t size = (in_u8(in) % 8 + 1) * 256;
    int polls = in_u8(in) % 4 + 1;

    while (polls-- && ehci_host_bulk_in(h, buf, size, WAIT_MS) > 0) {
        /* take what the device has, transfer after transfer */
    }
}

static void op_clock(EhciHost *h, Input *in)
{
    step(h, in_clock_step(in));
}

static void op_control(EhciHost *h, Input *in)
{
    uint8_t type = in_u8(in);
    uint8_t req = in_u8(in);
    uint16_t value = in_u16(in);
    uint16_t index = in_u16(in);
    uint16_t len = in_u8(in);
    uint8_t data[256];

    in_bytes(in, data, len);
    ehci_host_control(h, type, req, value, index, data, len);
}

static void op_port(EhciHost *h, Input *in)
{
    uint8_t what = in_u8(in);
    uint32_t sc;

    if (what & 1) {
        sc = qtest_readl(h->qts, h->op + PORTSC0);
        qtest_writel(h->qts, h->op + PORTSC0,
                     (sc | PORTSC_PP) & ~PORTSC_PED);
        step(h, 1000 * 1000);
    } else if (what & 2) {
        enumerate(h);
    } else {
        ehci_host_port_reset(h, 0);
    }
}

static void (*const ops[])(EhciHost *, Input *) = {
    op_transfer, op_message, op_in, op_clock, op_control, op_port,
    op_message, op_in,      /* the useful ones more often */
};

static void mctp_usb_fuzz(QTestState *s, const unsigned char *data,
                          size_t size)
{
    Input in = { data, size };
    EhciHost h;

    ehci_host_init(&h, s, EHCI1_BASE, SCRATCH);
    mctp_fuzz_run_events();
    h.lenient = true;
    h.after_step = after_step;
    enumerate(&h);
    while (in.n) {
        ops[in_u8(&in) % ARRAY_SIZE(ops)](&h, &in);
    }
    /*
     * what was left running runs out, with the controller stopped: its
     * frame timer would run every millisecond
     */
    qtest_writel(s, h.op + USBCMD, 0);
    step(&h, 7 * NANOSECONDS_PER_SECOND);
    fuzz_reset(s);
}

static GString *mctp_usb_cmdline(FuzzTarget *t)
{
    return g_string_new(TARGET_NAME " -machine ast2600-evb,accel=qtest "
                        "-display none -nodefaults "
                        "-device usb-mctp,bus=usb-bus.1,eid=9,ncsi=on");
}

static void register_mctp_usb_fuzz_targets(void)
{
    fuzz_add_target(&(FuzzTarget){
        .name = "mctp-usb",
        .description = "usb-mctp through the AST2600's EHCI, as a BMC's "
                       "USB stack drives it; reset after each input",
        .get_init_cmdline = mctp_usb_cmdline,
        .fuzz = mctp_usb_fuzz,
    });
}

fuzz_target_init(register_mctp_usb_fuzz_targets);
