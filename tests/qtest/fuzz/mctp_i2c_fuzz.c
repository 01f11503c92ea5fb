/*
 * Fuzz target: the MCTP endpoints of an AST2600 BMC's I2C bus, driven as
 * a guest drives them, through the I2C controller's registers.
 *
 * The machine is ast2600-evb with mctp-nvme-mi (and its nvme-mi-basic),
 * mctp-ncsi and mctp-echo on bus 15, where the BMC answers at 0x10.  An
 * input is a sequence of operations, each a byte then its arguments:
 *
 *   PACKET   one MCTP packet written to an endpoint: header fields and
 *            body from the input; SMBus byte count, PEC and command code
 *            right or as given
 *   MESSAGE  one message of a type (control, NVMe-MI, NC-SI, vendor),
 *            fragmented into packets; MIC or checksum right or as given
 *   SERVICE  the BMC's target side: take and acknowledge what endpoints
 *            send (or stop acknowledging)
 *   CLOCK    the virtual clock runs (retries, timeouts)
 *   REGISTER any write to the bus's register window or the controller's
 *            global registers
 *   BASIC    an SMBus block read from NVMe basic management
 *
 * Lengths and choices come from the input, so that libFuzzer reaches the
 * message-type parsers with well-formed frames as well as broken ones.
 * The machine is reset after each input.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "tests/qtest/libqtest.h"
#include "tests/qtest/mctp-util.h"
#include "fuzz.h"
#include "mctp_fuzz_input.h"

#define I2C_BASE        0x1e78a000
#define BUS             15
#define BUS_BASE        (I2C_BASE + 0x80 + BUS * 0x80)
#define BMC_ADDR        0x10
#define BMC_EID         0x08

/* old register mode */
#define FUN_CTRL        0x00
#define INTR_CTRL       0x0c
#define INTR_STS        0x10
#define CMD             0x14
#define DEV_ADDR        0x18
#define BYTE_BUF        0x20
#define TX_ACK          (1 << 0)
#define TX_NAK          (1 << 1)
#define RX_DONE         (1 << 2)
#define NORMAL_STOP     (1 << 4)
#define SLAVE_MATCH     (1 << 7)
#define M_START         (1 << 0)
#define M_TX            (1 << 1)
#define M_RX            (1 << 3)
#define M_RX_LAST       (1 << 4)
#define M_STOP          (1 << 5)

#define MAX_MSG         4400
#define MAX_POLLS       64

static const struct {
    uint8_t addr;
    uint8_t eid;
} endpoints[] = {
    { 0x1d, 9 },        /* mctp-nvme-mi */
    { 0x14, 10 },       /* mctp-ncsi */
    { 0x12, 11 },       /* mctp-echo */
    { 0x6a, 0 },        /* nvme-mi-basic (no MCTP) */
};

static uint32_t rd(QTestState *s, uint32_t reg)
{
    return qtest_readl(s, BUS_BASE + reg);
}

static void wr(QTestState *s, uint32_t reg, uint32_t val)
{
    qtest_writel(s, BUS_BASE + reg, val);
}

/*
 * A master command; true if acknowledged.  Targets acknowledge at once
 * (a held START shows neither ACK nor NAK); the main loop runs after the
 * START and after the STOP only, where other masters may step in.
 */
static bool master_cmd(QTestState *s, uint32_t cmd)
{
    uint32_t sts;

    wr(s, CMD, cmd);
    if (cmd & M_START) {
        mctp_fuzz_run_events();
    }
    sts = rd(s, INTR_STS);
    wr(s, INTR_STS, sts & (TX_ACK | TX_NAK));
    return (sts & TX_ACK) && !(sts & TX_NAK);
}

static void master_write(QTestState *s, uint8_t addr, const uint8_t *buf,
                         size_t len)
{
    bool ok;
    size_t i;

    wr(s, BYTE_BUF, addr << 1);
    ok = master_cmd(s, M_START | M_TX);
    for (i = 0; ok && i < len; i++) {
        wr(s, BYTE_BUF, buf[i]);
        ok = master_cmd(s, M_TX);
    }
    wr(s, CMD, M_STOP);
    wr(s, INTR_STS, NORMAL_STOP);
    mctp_fuzz_run_events();
}

/*
 * [0x0F][count][src][packet...][PEC], fixed up or not as @how says.  The
 * PEC covers the address byte, which the I2C core does not pass on.
 */
static void write_frame(QTestState *s, uint8_t addr, const uint8_t *pkt,
                        size_t len, uint8_t how, Input *in)
{
    uint8_t f[1 + 3 + 255 + 1];

    len = MIN(len, 255);
    f[0] = addr << 1;
    f[1] = how & 1 ? in_u8(in) : 0x0f;
    f[2] = how & 2 ? in_u8(in) : len + 1;
    f[3] = how & 4 ? in_u8(in) : BMC_ADDR << 1 | 1;
    memcpy(f + 4, pkt, len);
    f[4 + len] = how & 8 ? in_u8(in) : mctp_t_pec(f, 4 + len);
    master_write(s, addr, f + 1, 4 + len);
}

static void op_packet(QTestState *s, Input *in)
{
    uint8_t ep = in_u8(in) % ARRAY_SIZE(endpoints);
    uint8_t how = in_u8(in);
    uint8_t pkt[255];
    size_t len = in_u8(in);

    pkt[0] = how & 0x10 ? in_u8(in) : 0x01;
    pkt[1] = how & 0x20 ? in_u8(in) : endpoints[ep].eid;
    pkt[2] = BMC_EID;
    pkt[3] = in_u8(in);
    len = MIN(len, sizeof(pkt) - 4);
    in_bytes(in, pkt + 4, len);
    write_frame(s, endpoints[ep].addr, pkt, 4 + len, how, in);
}

/*
 * A message to endpoint 0-2 in packets of 64 (or 250) bytes: of the
 * endpoint's own type (NVMe-MI with IC, NC-SI, vendor-defined), or a
 * control message, or whatever the first byte says
 */
static void op_message(QTestState *s, Input *in)
{
    static const uint8_t types[] = { 0x84, 0x02, 0x7e };
    uint8_t ep = in_u8(in) % ARRAY_SIZE(types);
    uint8_t how = in_u8(in);
    size_t len = in_u16(in) % MAX_MSG + 1;
    size_t mtu = how & 0x40 ? 250 : 64;
    g_autofree uint8_t *msg = g_malloc(len);
    uint8_t pkt[4 + 250];
    size_t off = 0;
    uint8_t seq = 0;

    in_bytes(in, msg, len);
    if (!(how & 0x10)) {
        msg[0] = how & 0x08 ? 0x00 : types[ep];
    }
    if (how & 0x80) {
        mctp_fuzz_fix_integrity(msg, len);
    }
    do {
        size_t chunk = MIN(len - off, mtu);

        pkt[0] = 0x01;
        pkt[1] = endpoints[ep].eid;
        pkt[2] = BMC_EID;
        pkt[3] = (off == 0 ? 0x80 : 0) | (off + chunk == len ? 0x40 : 0) |
                 (seq++ & 3) << 4 | 0x08 | (how & 7);
        memcpy(pkt + 4, msg + off, chunk);
        write_frame(s, endpoints[ep].addr, pkt, 4 + chunk, 0, in);
        off += chunk;
    } while (off < len);
}

/* The BMC as target: take and acknowledge, or leave a byte waiting */
static void op_service(QTestState *s, Input *in)
{
    uint8_t polls = in_u8(in) % MAX_POLLS + 1;
    bool stall = in_u8(in) & 1;
    uint32_t sts;

    while (polls--) {
        mctp_fuzz_run_events();
        sts = rd(s, INTR_STS);
        if (sts & NORMAL_STOP) {
            wr(s, INTR_STS, NORMAL_STOP);
        }
        if (!(sts & RX_DONE) || stall) {
            /* nothing more comes before the clock runs */
            break;
        }
        (void)rd(s, BYTE_BUF);
        wr(s, INTR_STS, RX_DONE | SLAVE_MATCH);
    }
}

static void op_clock(QTestState *s, Input *in)
{
    qtest_clock_step(s, in_clock_step(in));
    mctp_fuzz_run_events();
}

static void op_register(QTestState *s, Input *in)
{
    uint8_t off = in_u8(in);
    uint32_t val = in_u32(in);

    if (off & 0x80) {
        /* the controller's global registers */
        qtest_writel(s, I2C_BASE + (off & 0x1c), val);
    } else {
        wr(s, off & 0x7c, val);
    }
    mctp_fuzz_run_events();
}

static void op_basic(QTestState *s, Input *in)
{
    uint8_t ptr = in_u8(in);
    uint8_t n = in_u8(in) % 40;
    uint8_t i;
    bool ok;

    wr(s, BYTE_BUF, 0x6a << 1);
    ok = master_cmd(s, M_START | M_TX);
    wr(s, BYTE_BUF, ptr);
    ok = ok && master_cmd(s, M_TX);
    wr(s, BYTE_BUF, 0x6a << 1 | 1);
    ok = ok && master_cmd(s, M_START | M_TX);
    for (i = 0; ok && i < n; i++) {
        wr(s, INTR_STS, RX_DONE);
        wr(s, CMD, i + 1 == n ? M_RX | M_RX_LAST : M_RX);
        mctp_fuzz_run_events();
        (void)rd(s, BYTE_BUF);
    }
    wr(s, INTR_STS, RX_DONE);
    wr(s, CMD, M_STOP);
    wr(s, INTR_STS, NORMAL_STOP);
    mctp_fuzz_run_events();
}

static void (*const ops[])(QTestState *, Input *) = {
    op_packet, op_message, op_service, op_clock, op_register, op_basic,
    op_message, op_service,     /* the useful ones more often */
};

static void mctp_i2c_fuzz(QTestState *s, const unsigned char *data,
                          size_t size)
{
    Input in = { data, size };

    /* the BMC: master and target at BMC_ADDR, all interrupts enabled */
    wr(s, INTR_CTRL, 0x7fff);
    wr(s, DEV_ADDR, BMC_ADDR);
    wr(s, FUN_CTRL, 0x3);
    while (in.n) {
        ops[in_u8(&in) % ARRAY_SIZE(ops)](s, &in);
    }
    /* what was left running runs out */
    qtest_clock_step(s, 7 * NANOSECONDS_PER_SECOND);
    mctp_fuzz_run_events();
    fuzz_reset(s);
}

static GString *mctp_i2c_cmdline(FuzzTarget *t)
{
    return g_string_new(TARGET_NAME " -machine ast2600-evb,accel=qtest "
                        "-display none -nodefaults "
                        "-device mctp-nvme-mi,id=nvme-mi,"
                        "bus=aspeed.i2c.bus.15,address=0x1d,eid=9 "
                        "-device nvme-mi-basic,bus=aspeed.i2c.bus.15,"
                        "nvme-mi=nvme-mi "
                        "-device mctp-ncsi,bus=aspeed.i2c.bus.15,"
                        "address=0x14,eid=10,channels=2 "
                        "-device mctp-echo,bus=aspeed.i2c.bus.15,"
                        "address=0x12,eid=11");
}

static void register_mctp_i2c_fuzz_targets(void)
{
    fuzz_add_target(&(FuzzTarget){
        .name = "mctp-i2c",
        .description = "MCTP endpoints on an AST2600 I2C bus, through the "
                       "controller's registers; reset after each input",
        .get_init_cmdline = mctp_i2c_cmdline,
        .fuzz = mctp_i2c_fuzz,
    });
}

fuzz_target_init(register_mctp_i2c_fuzz_targets);
