/*
 * QTest: a BMC's master START on an AST2600 I2C bus that an MCTP
 * endpoint owns (it is sending a response to the BMC's target address).
 *
 * The controller holds the START until the bus is idle; Linux's
 * i2c-aspeed relies on that (it withdraws the command when it sees the
 * slave address match first, or lets it go out later).  A START carried
 * out at once would be a repeated start inside the endpoint's transfer
 * and the BMC's frame would be lost.
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
#define SENSOR_ADDR     0x48
#define TMP105_T_HIGH   0x03

#define AST2600_I2C_CTRL_GLOBAL     0x1e78a00c
#define   I2C_CTRL_NEW_MODE         (1 << 2)
#define AST2600_I2C_NEW_CLK_DIVIDER 0x1e78a010
/* new register mode, bus 15 */
#define NEW_BUS(reg)                (0x1e78a000 + 0x80 + BUS * 0x80 + (reg))
#define I2CS_CMD                    0x28
#define   I2CS_RX_DMA_EN            (1 << 9)
#define   I2CS_AUTO_NAK_ACTIVE_ADDR (1 << 14)
#define I2CS_DMA_LEN                0x2c
#define   I2CS_RX_BUF_LEN_W1T       (1u << 31)
#define I2CS_DMA_RX_ADDR            0x3c
#define I2CS_DEV_ADDR               0x40
#define I2CC_DMA_LEN                0x54
#define AST2600_DRAM                0x80000000
/* old register mode, bus 14 (nothing on it) */
#define OLD_BUS(reg)                (0x1e78a000 + 0x80 + 14 * 0x80 + (reg))
#define I2CD_FUN_CTRL               0x00
#define   I2CD_MASTER_EN            (1 << 0)
#define I2CD_CMD                    0x14
#define   I2CD_M_START_CMD          (1 << 0)
#define   I2CD_M_TX_CMD             (1 << 1)
#define   I2CD_M_RX_CMD             (1 << 3)
#define   I2CD_M_S_RX_CMD_LAST      (1 << 4)
#define   I2CD_M_STOP_CMD           (1 << 5)
#define   I2CD_TX_DMA_EN            (1 << 8)
#define   I2CD_RX_DMA_EN            (1 << 9)
#define   I2CD_RX_BUFF_EN           (1 << 7)
#define I2CD_INTR_STS               0x10
#define   I2CD_TX_NAK               (1 << 1)
#define I2CD_POOL_CTRL              0x1c
#define   I2CD_BUF_ORGANIZATION     (1 << 0)
#define   I2CD_RX_SIZE(n)           (((n) - 1) << 16)
#define   I2CD_RX_COUNT(v)          (((v) >> 24) & 0x3f)
#define I2CD_BYTE_BUF               0x20
#define I2CD_DMA_ADDR               0x24
#define I2CD_DMA_LEN                0x28

static void start(MCTPTest *t)
{
    t->qts = qtest_initf("-M ast2600-evb "
                         "-device mctp-echo,id=ep,bus=aspeed.i2c.bus.%d,"
                         "address=0x%x,eid=%d "
                         "-device tmp105,bus=aspeed.i2c.bus.%d,address=0x%x",
                         BUS, EP_ADDR, EP_EID, BUS, SENSOR_ADDR);
    t->ep_addr = EP_ADDR;
    t->bmc_addr = BMC_ADDR;
    t->bmc_eid = BMC_EID;
    t->ep_path = "/machine/peripheral/ep";
    aspeed_i2c_bmc_init(&t->bmc, t->qts, BUS, BMC_ADDR);
}

/* Ask for the endpoint's EID; the response frame it will send is @rsp */
static size_t get_eid(MCTPTest *t, uint8_t tag, uint8_t *rsp)
{
    static const uint8_t req[] = { 0x00, 0x80, 0x02 };
    /* completion code, EID, static EID, medium-specific */
    static const uint8_t data[] = { 0x00, EP_EID, 0x02, 0x00 };
    uint8_t r[3 + sizeof(data)] = { 0x00, 0x00, 0x02 };

    memcpy(r + 3, data, sizeof(data));
    mctp_t_send_pkt(t, EP_EID, MCTP_T_FLAGS(1, 1, 0, 1, tag), req,
                    sizeof(req));
    return mctp_t_frame(rsp, BMC_ADDR, EP_ADDR, BMC_EID, EP_EID,
                        MCTP_T_FLAGS(1, 1, 0, 0, tag), r, sizeof(r));
}

/* The endpoint has started its frame: its address byte is waiting */
static void wait_slave_match(MCTPTest *t)
{
    uint32_t want = ASPEED_I2C_BMC_RX_DONE | ASPEED_I2C_BMC_SLAVE_ADDR_MATCH;
    uint32_t sts = 0;
    int i;

    for (i = 0; i < 64 && (sts & want) != want; i++) {
        sts = aspeed_i2c_bmc_status(&t->bmc);
    }
    g_assert_cmphex(sts & want, ==, want);
}

/* The BMC's START is neither acknowledged nor refused, but waits */
static void assert_start_held(MCTPTest *t)
{
    g_assert_cmpint(aspeed_i2c_bmc_start_done(&t->bmc), ==, -1);
    g_assert_true(aspeed_i2c_bmc_bus_busy(&t->bmc));
}

static void recv_expect(MCTPTest *t, const uint8_t *want, size_t len)
{
    uint8_t f[MCTP_T_FRAME_MAX];
    size_t n = mctp_t_recv_frame(t, f, sizeof(f));

    mctp_t_hexcmp(f, n, want, len);
}

/* The rest of the BMC's frame to the sensor: its T_HIGH limit */
static void finish_sensor_write(MCTPTest *t, uint8_t hi)
{
    g_assert(aspeed_i2c_bmc_send(&t->bmc, TMP105_T_HIGH));
    g_assert(aspeed_i2c_bmc_send(&t->bmc, hi));
    g_assert(aspeed_i2c_bmc_send(&t->bmc, 0x00));
    aspeed_i2c_bmc_stop(&t->bmc);
}

static void assert_sensor_limit(MCTPTest *t, uint8_t hi)
{
    uint8_t buf[2];

    g_assert(aspeed_i2c_bmc_read_reg(&t->bmc, SENSOR_ADDR, TMP105_T_HIGH,
                                     buf, 2));
    g_assert_cmphex(buf[0], ==, hi);
    g_assert_cmphex(buf[1], ==, 0x00);
}

/*
 * The START waits for the endpoint's frame to end, then goes out by
 * itself; the BMC's frame reaches the sensor and the endpoint's frame
 * reaches the BMC, whole.
 */
static void test_start_held(void)
{
    uint8_t rsp[MCTP_T_FRAME_MAX];
    size_t len;
    MCTPTest t;

    start(&t);
    len = get_eid(&t, 1, rsp);
    wait_slave_match(&t);
    aspeed_i2c_bmc_start_nowait(&t.bmc, SENSOR_ADDR);
    assert_start_held(&t);

    recv_expect(&t, rsp, len);
    /* the bus is idle: the START is out, and acknowledged */
    g_assert_cmpint(aspeed_i2c_bmc_start_done(&t.bmc), ==, 1);
    finish_sensor_write(&t, 0x4b);
    assert_sensor_limit(&t, 0x4b);

    g_assert_cmpuint(mctp_t_counter(&t, "tx-messages"), ==, 1);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    qtest_quit(t.qts);
}

/*
 * Linux's i2c-aspeed sees the slave address match before its START's
 * acknowledge: it withdraws the command and issues it again after the
 * slave transfer.  Nothing of the withdrawn command goes out, and the
 * endpoint gets the bus again afterwards.
 */
static void test_start_withdrawn(void)
{
    uint8_t rsp[MCTP_T_FRAME_MAX];
    size_t len;
    MCTPTest t;

    start(&t);
    len = get_eid(&t, 2, rsp);
    wait_slave_match(&t);
    aspeed_i2c_bmc_start_nowait(&t.bmc, SENSOR_ADDR);
    assert_start_held(&t);
    aspeed_i2c_bmc_withdraw(&t.bmc);

    recv_expect(&t, rsp, len);
    /* nothing went out after the endpoint's frame, and the bus is free */
    g_assert_cmpint(aspeed_i2c_bmc_start_done(&t.bmc), ==, -1);
    g_assert_false(aspeed_i2c_bmc_bus_busy(&t.bmc));

    g_assert(aspeed_i2c_bmc_start(&t.bmc, SENSOR_ADDR));
    finish_sensor_write(&t, 0x4c);
    assert_sensor_limit(&t, 0x4c);

    len = get_eid(&t, 3, rsp);
    recv_expect(&t, rsp, len);
    qtest_quit(t.qts);
}

/*
 * A two-packet response: the BMC's frame goes out between the
 * endpoint's two frames, which then waits for the BMC's STOP.
 */
static void test_between_frames(void)
{
    uint8_t msg[100], got[100], f[MCTP_T_FRAME_MAX];
    size_t n, i;
    MCTPTest t;

    for (i = 0; i < sizeof(msg); i++) {
        msg[i] = i * 7;
    }
    memcpy(msg, (const uint8_t[]){ 0x7e, 0xcc, 0xde, 0xf0 }, 4);
    start(&t);
    mctp_t_send_msg(&t, EP_EID, 4, msg, sizeof(msg), 64);
    wait_slave_match(&t);
    aspeed_i2c_bmc_start_nowait(&t.bmc, SENSOR_ADDR);
    assert_start_held(&t);

    n = mctp_t_recv_frame(&t, f, sizeof(f));
    g_assert_cmpuint(n, ==, 9 + 64);
    g_assert_cmphex(f[7] & (MCTP_T_SOM | MCTP_T_EOM), ==, MCTP_T_SOM);
    memcpy(got, f + 8, 64);
    g_assert_cmpint(aspeed_i2c_bmc_start_done(&t.bmc), ==, 1);
    /* the endpoint's second frame waits for the bus */
    mctp_t_expect_silence(&t);
    finish_sensor_write(&t, 0x4d);

    n = mctp_t_recv_frame(&t, f, sizeof(f));
    g_assert_cmpuint(n, ==, 9 + 36);
    g_assert_cmphex(f[7] & (MCTP_T_SOM | MCTP_T_EOM), ==, MCTP_T_EOM);
    g_assert_cmphex(f[n - 1], ==, mctp_t_pec(f, n - 1));
    memcpy(got + 64, f + 8, 36);
    mctp_t_hexcmp(got, sizeof(got), msg, sizeof(msg));
    assert_sensor_limit(&t, 0x4d);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    qtest_quit(t.qts);
}

/*
 * The endpoint gives its frame up (the guest did not acknowledge its
 * address byte for 100 ms) before the guest ran: the held START does not
 * take the bus from under the guest, which has not seen the frame yet,
 * but waits until the guest has acknowledged its target interrupts, and
 * the guest can still withdraw it as Linux does.  The endpoint's retry
 * then goes through, and the guest's START after it.
 */
static void test_start_after_abandoned_frame(void)
{
    uint8_t rsp[MCTP_T_FRAME_MAX];
    size_t len;
    MCTPTest t;

    start(&t);
    len = get_eid(&t, 3, rsp);
    wait_slave_match(&t);
    aspeed_i2c_bmc_start_nowait(&t.bmc, SENSOR_ADDR);
    assert_start_held(&t);
    qtest_clock_step(t.qts, 100 * 1000 * 1000);
    g_assert_cmpint(aspeed_i2c_bmc_start_done(&t.bmc), ==, -1);

    /* the guest sees the slave match first: withdraws, acknowledges */
    aspeed_i2c_bmc_withdraw(&t.bmc);
    aspeed_i2c_bmc_clear_status(&t.bmc, ASPEED_I2C_BMC_RX_DONE |
                                ASPEED_I2C_BMC_SLAVE_ADDR_MATCH |
                                ASPEED_I2C_BMC_NORMAL_STOP);
    g_assert_cmpint(aspeed_i2c_bmc_start_done(&t.bmc), ==, -1);
    qtest_clock_step(t.qts, 10 * 1000 * 1000);
    recv_expect(&t, rsp, len);
    g_assert(aspeed_i2c_bmc_start(&t.bmc, SENSOR_ADDR));
    finish_sensor_write(&t, 0x4f);
    assert_sensor_limit(&t, 0x4f);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    qtest_quit(t.qts);
}

/* Save @t's state to a file and start a copy from it: the destination */
static void migrate(MCTPTest *t, MCTPTest *d)
{
    g_autofree char *file = g_strdup_printf("%s/aspeed-i2c-collision-%d",
                                            g_get_tmp_dir(), getpid());
    g_autofree char *uri = g_strdup_printf("file:%s", file);

    qtest_qmp_assert_success(t->qts, "{ 'execute': 'migrate', 'arguments': "
                             "{ 'uri': %s } }", uri);
    mctp_t_wait_migration(t->qts);
    qtest_quit(t->qts);

    *d = *t;
    d->qts = qtest_initf("-M ast2600-evb "
                         "-device mctp-echo,id=ep,bus=aspeed.i2c.bus.%d,"
                         "address=0x%x,eid=%d "
                         "-device tmp105,bus=aspeed.i2c.bus.%d,address=0x%x "
                         "-incoming defer",
                         BUS, EP_ADDR, EP_EID, BUS, SENSOR_ADDR);
    d->bmc.qts = d->qts;
    qtest_qmp_assert_success(d->qts, "{ 'execute': 'migrate-incoming', "
                             "'arguments': { 'uri': %s } }", uri);
    mctp_t_wait_migration(d->qts);
    unlink(file);
}

/*
 * A held START is part of the controller's state: on the destination of
 * a migration it goes out after the endpoint, which held the bus, has
 * sent its frame again.  (Going first, it would take the bus from a
 * frame the guest has seen start, and a driver that waits for that
 * frame's end before it issues its own START would wait for ever.)
 */
static void test_held_across_migration(void)
{
    uint8_t rsp[MCTP_T_FRAME_MAX];
    MCTPTest t, d;
    size_t len;

    start(&t);
    len = get_eid(&t, 5, rsp);
    wait_slave_match(&t);
    aspeed_i2c_bmc_start_nowait(&t.bmc, SENSOR_ADDR);
    assert_start_held(&t);
    migrate(&t, &d);

    assert_start_held(&d);
    recv_expect(&d, rsp, len);
    g_assert_cmpint(aspeed_i2c_bmc_start_done(&d.bmc), ==, 1);
    finish_sensor_write(&d, 0x4e);
    assert_sensor_limit(&d, 0x4e);
    qtest_quit(d.qts);
}

/*
 * The controller keeps answering at the BMC's target address after a
 * migration (without the guest writing its registers again)
 */
static void test_target_address_migrated(void)
{
    uint8_t rsp[MCTP_T_FRAME_MAX];
    MCTPTest t, d;
    size_t len;

    start(&t);
    migrate(&t, &d);
    len = get_eid(&d, 6, rsp);
    recv_expect(&d, rsp, len);
    qtest_quit(d.qts);
}

/* ... and in the register mode the guest chose (global control) */
static void test_register_mode_migrated(void)
{
    MCTPTest t, d;

    start(&t);
    qtest_writel(t.qts, AST2600_I2C_CTRL_GLOBAL, I2C_CTRL_NEW_MODE);
    qtest_writel(t.qts, AST2600_I2C_NEW_CLK_DIVIDER, 0x12345678);
    migrate(&t, &d);
    g_assert_cmphex(qtest_readl(d.qts, AST2600_I2C_CTRL_GLOBAL), ==,
                    I2C_CTRL_NEW_MODE);
    g_assert_cmphex(qtest_readl(d.qts, AST2600_I2C_NEW_CLK_DIVIDER), ==,
                    0x12345678);
    qtest_quit(d.qts);
}

/* QEMU still answers */
static void assert_alive(QTestState *qts)
{
    qtest_qmp_assert_success(qts, "{ 'execute': 'query-status' }");
}

/*
 * The guest programs a slave-mode DMA transmit length (new register
 * mode): not modelled, reported, not a reason to abort QEMU
 */
static void test_slave_dma_tx_len(void)
{
    MCTPTest t;

    start(&t);
    qtest_writel(t.qts, AST2600_I2C_CTRL_GLOBAL, I2C_CTRL_NEW_MODE);
    qtest_writel(t.qts, NEW_BUS(I2CS_DMA_LEN), 0x10);
    assert_alive(t.qts);
    qtest_quit(t.qts);
}

/*
 * An endpoint writes to the BMC while the guest's slave DMA buffer
 * points outside DRAM (new register mode): the bytes are lost, reported,
 * the transfer completes
 */
static void test_slave_dma_bad_address(void)
{
    MCTPTest t;
    uint8_t rsp[MCTP_T_FRAME_MAX];
    int i;

    start(&t);
    /* the BMC is away: the response waits for a retry */
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR + 1);
    get_eid(&t, 7, rsp);
    g_assert_cmpint(aspeed_i2c_bmc_status(&t.bmc) &
                    ASPEED_I2C_BMC_SLAVE_ADDR_MATCH, ==, 0);
    qtest_writel(t.qts, AST2600_I2C_CTRL_GLOBAL, I2C_CTRL_NEW_MODE);
    qtest_writel(t.qts, NEW_BUS(I2CS_DEV_ADDR), BMC_ADDR);
    qtest_writel(t.qts, NEW_BUS(I2CS_DMA_RX_ADDR), 0x7ffff000);
    qtest_writel(t.qts, NEW_BUS(I2CS_DMA_LEN),
                 I2CS_RX_BUF_LEN_W1T | 63 << 16);
    qtest_writel(t.qts, NEW_BUS(I2CS_CMD), I2CS_RX_DMA_EN);
    qtest_clock_step(t.qts, 10 * 1000 * 1000);
    /*
     * The retry sends byte by byte from bottom halves, one main loop
     * iteration each, which a busy host may not have run yet
     */
    for (i = 0; i < 100 && !mctp_t_counter(&t, "tx-messages"); i++) {
        qtest_clock_step(t.qts, 1000 * 1000);
    }
    assert_alive(t.qts);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-messages"), ==, 1);
    qtest_quit(t.qts);
}

/*
 * An endpoint writes more bytes to the BMC than its slave DMA buffer
 * holds (new register mode): the rest is dropped, the count stops at
 * zero.  It used to wrap to 4 GiB, write past the buffer and make the
 * next master receive DMA loop for billions of bytes.
 */
static void test_slave_dma_overflow(void)
{
    const uint32_t buf = 0x1000;    /* offset in DRAM */
    uint8_t rsp[MCTP_T_FRAME_MAX];
    MCTPTest t;
    int i;

    start(&t);
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR + 1);
    get_eid(&t, 7, rsp);
    qtest_writeb(t.qts, AST2600_DRAM + buf + 4, 0xa5);
    qtest_writel(t.qts, AST2600_I2C_CTRL_GLOBAL, I2C_CTRL_NEW_MODE);
    qtest_writel(t.qts, NEW_BUS(I2CS_DEV_ADDR), BMC_ADDR);
    qtest_writel(t.qts, NEW_BUS(I2CS_DMA_RX_ADDR), buf);
    /* a buffer of 4 bytes */
    qtest_writel(t.qts, NEW_BUS(I2CS_DMA_LEN), I2CS_RX_BUF_LEN_W1T | 3 << 16);
    qtest_writel(t.qts, NEW_BUS(I2CS_CMD), I2CS_RX_DMA_EN);
    qtest_clock_step(t.qts, 10 * 1000 * 1000);
    for (i = 0; i < 100 && !mctp_t_counter(&t, "tx-messages"); i++) {
        qtest_clock_step(t.qts, 1000 * 1000);
    }
    g_assert_cmpuint(mctp_t_counter(&t, "tx-messages"), ==, 1);
    g_assert_cmphex(qtest_readl(t.qts, NEW_BUS(I2CC_DMA_LEN)), ==, 0);
    g_assert_cmphex(qtest_readb(t.qts, AST2600_DRAM + buf + 4), ==, 0xa5);
    assert_alive(t.qts);
    qtest_quit(t.qts);
}

/*
 * A master START whose address byte comes by DMA from an empty DMA
 * buffer: no byte is taken, the length stays 0.  It used to go below 0,
 * and the next DMA receive then wrote 4 GiB to guest memory (QEMU hung).
 */
static void test_master_dma_empty(void)
{
    const uint32_t buf = 0x2000;    /* offset in DRAM */
    MCTPTest t;

    start(&t);
    qtest_writeb(t.qts, AST2600_DRAM + buf + 1, 0xa5);
    qtest_writel(t.qts, OLD_BUS(I2CD_FUN_CTRL), I2CD_MASTER_EN);
    qtest_writel(t.qts, OLD_BUS(I2CD_DMA_ADDR), buf);
    qtest_writel(t.qts, OLD_BUS(I2CD_DMA_LEN), 0);
    qtest_writel(t.qts, OLD_BUS(I2CD_CMD),
                 I2CD_M_START_CMD | I2CD_TX_DMA_EN);
    g_assert_cmphex(qtest_readl(t.qts, OLD_BUS(I2CD_DMA_LEN)), ==, 0);
    qtest_writel(t.qts, OLD_BUS(I2CD_CMD), I2CD_M_RX_CMD |
                 I2CD_M_S_RX_CMD_LAST | I2CD_M_STOP_CMD | I2CD_RX_DMA_EN);
    g_assert_cmphex(qtest_readb(t.qts, AST2600_DRAM + buf + 1), ==, 0xa5);
    assert_alive(t.qts);
    qtest_quit(t.qts);
}

/*
 * A buffer-mode receive with the buffer split in halves (TX in the first
 * 16 bytes, RX in the second) takes at most 16 bytes, whatever RX size
 * the guest programs.  It used to write up to 16 bytes past the bus's
 * buffer, over the controller model's own state.
 */
static void test_master_pool_rx_half(void)
{
    MCTPTest t;
    uint32_t ctrl;

    /* bus 15 in the old register mode: its registers are at NEW_BUS() */
    start(&t);
    qtest_writel(t.qts, NEW_BUS(I2CD_FUN_CTRL), I2CD_MASTER_EN);
    qtest_writel(t.qts, NEW_BUS(I2CD_POOL_CTRL),
                 I2CD_BUF_ORGANIZATION | I2CD_RX_SIZE(32));
    /* read from the temperature sensor */
    qtest_writel(t.qts, NEW_BUS(I2CD_BYTE_BUF), SENSOR_ADDR << 1 | 1);
    qtest_writel(t.qts, NEW_BUS(I2CD_CMD), I2CD_M_START_CMD);
    qtest_writel(t.qts, NEW_BUS(I2CD_CMD), I2CD_M_RX_CMD |
                 I2CD_M_S_RX_CMD_LAST | I2CD_M_STOP_CMD | I2CD_RX_BUFF_EN);
    ctrl = qtest_readl(t.qts, NEW_BUS(I2CD_POOL_CTRL));
    g_assert_cmpuint(I2CD_RX_COUNT(ctrl), ==, 16);
    assert_alive(t.qts);
    qtest_quit(t.qts);
}

/*
 * The old and the new register layouts share the bus's registers: what
 * the guest wrote to I2CS_CMD in the new mode is I2CD_DMA_LEN in the old
 * one, which has 12 bits.  A receive DMA after the switch back takes
 * what those 12 bits say.  It used to take the whole register: a guest
 * that wrote 0xffffffff there made QEMU write 4 GiB, byte by byte.
 */
static void test_mode_switch_dma_len(void)
{
    const uint32_t buf = 0x3000;    /* offset in DRAM */
    MCTPTest t;

    start(&t);
    qtest_writeb(t.qts, AST2600_DRAM + buf + 16, 0xa5);
    qtest_writel(t.qts, AST2600_I2C_CTRL_GLOBAL, I2C_CTRL_NEW_MODE);
    qtest_writel(t.qts, NEW_BUS(I2CS_CMD), I2CS_AUTO_NAK_ACTIVE_ADDR | 16);
    qtest_writel(t.qts, AST2600_I2C_CTRL_GLOBAL, 0);
    g_assert_cmphex(qtest_readl(t.qts, NEW_BUS(I2CD_DMA_LEN)), ==, 16);
    /* 16 bytes from the temperature sensor */
    qtest_writel(t.qts, NEW_BUS(I2CD_FUN_CTRL), I2CD_MASTER_EN);
    qtest_writel(t.qts, NEW_BUS(I2CD_DMA_ADDR), buf);
    qtest_writel(t.qts, NEW_BUS(I2CD_BYTE_BUF), SENSOR_ADDR << 1 | 1);
    qtest_writel(t.qts, NEW_BUS(I2CD_CMD), I2CD_M_START_CMD);
    qtest_writel(t.qts, NEW_BUS(I2CD_CMD), I2CD_M_RX_CMD |
                 I2CD_M_S_RX_CMD_LAST | I2CD_M_STOP_CMD | I2CD_RX_DMA_EN);
    g_assert_cmphex(qtest_readl(t.qts, NEW_BUS(I2CD_DMA_LEN)), ==, 0);
    g_assert_cmphex(qtest_readb(t.qts, AST2600_DRAM + buf + 16), ==, 0xa5);
    assert_alive(t.qts);
    qtest_quit(t.qts);
}

/*
 * The BMC's START to an absent target is refused, but its controller
 * still counts itself the bus's master, and its STOP ends the transfer
 * on the bus: the endpoint's, which got the bus in between.  The
 * endpoint sends its frame again (it used to send the next byte into
 * the ended transfer and crash QEMU).
 */
static void test_frame_ended_by_stop(void)
{
    uint8_t rsp[MCTP_T_FRAME_MAX], f[MCTP_T_FRAME_MAX];
    size_t len, n;
    MCTPTest t;
    int i;

    start(&t);
    /* the endpoint's response finds no target: it waits to retry */
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR + 1);
    len = get_eid(&t, 6, rsp);
    /* a START to nobody, and no STOP yet */
    qtest_writel(t.qts, NEW_BUS(I2CD_BYTE_BUF), 0x50 << 1);
    qtest_writel(t.qts, NEW_BUS(I2CD_CMD), I2CD_M_START_CMD | I2CD_M_TX_CMD);
    g_assert_cmphex(aspeed_i2c_bmc_status(&t.bmc) & I2CD_TX_NAK, ==,
                    I2CD_TX_NAK);
    aspeed_i2c_bmc_clear_status(&t.bmc, I2CD_TX_NAK);
    aspeed_i2c_bmc_set_own_addr(&t.bmc, BMC_ADDR);
    qtest_clock_step(t.qts, 100 * 1000 * 1000);
    wait_slave_match(&t);
    qtest_writel(t.qts, NEW_BUS(I2CD_CMD), I2CD_M_STOP_CMD);
    aspeed_i2c_bmc_clear_status(&t.bmc, ASPEED_I2C_BMC_RX_DONE |
                                ASPEED_I2C_BMC_SLAVE_ADDR_MATCH |
                                ASPEED_I2C_BMC_NORMAL_STOP);
    assert_alive(t.qts);
    /* the pieces of the frame that was cut, then the whole frame again */
    for (i = 0, n = 0; i < 8 && n != len; i++) {
        qtest_clock_step(t.qts, 100 * 1000 * 1000);
        n = mctp_t_recv_frame(&t, f, sizeof(f));
    }
    mctp_t_hexcmp(f, n, rsp, len);
    g_assert_cmpuint(mctp_t_counter(&t, "tx-errors"), ==, 0);
    qtest_quit(t.qts);
}

/* A machine reset puts the controller back in the old register mode */
static void test_reset_register_mode(void)
{
    uint8_t rsp[MCTP_T_FRAME_MAX];
    MCTPTest t;
    size_t len;

    start(&t);
    qtest_writel(t.qts, AST2600_I2C_CTRL_GLOBAL, I2C_CTRL_NEW_MODE);
    qtest_writel(t.qts, AST2600_I2C_NEW_CLK_DIVIDER, 0x12345678);
    qtest_qmp_assert_success(t.qts, "{ 'execute': 'system_reset' }");
    qtest_qmp_eventwait(t.qts, "RESET");
    g_assert_cmphex(qtest_readl(t.qts, AST2600_I2C_CTRL_GLOBAL), ==, 0);
    /* old mode again: the endpoint answers through the old registers */
    aspeed_i2c_bmc_init(&t.bmc, t.qts, BUS, BMC_ADDR);
    len = get_eid(&t, 1, rsp);
    recv_expect(&t, rsp, len);
    qtest_quit(t.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/aspeed-i2c-collision/start-held", test_start_held);
    qtest_add_func("/aspeed-i2c-collision/start-withdrawn",
                   test_start_withdrawn);
    qtest_add_func("/aspeed-i2c-collision/between-frames",
                   test_between_frames);
    qtest_add_func("/aspeed-i2c-collision/abandoned-frame",
                   test_start_after_abandoned_frame);
    qtest_add_func("/aspeed-i2c-collision/migration",
                   test_held_across_migration);
    qtest_add_func("/aspeed-i2c-collision/migration/target-address",
                   test_target_address_migrated);
    qtest_add_func("/aspeed-i2c-collision/migration/register-mode",
                   test_register_mode_migrated);
    qtest_add_func("/aspeed-i2c-collision/new-mode/slave-dma-tx-len",
                   test_slave_dma_tx_len);
    qtest_add_func("/aspeed-i2c-collision/new-mode/slave-dma-overflow",
                   test_slave_dma_overflow);
    qtest_add_func("/aspeed-i2c-collision/new-mode/slave-dma-bad-address",
                   test_slave_dma_bad_address);
    qtest_add_func("/aspeed-i2c-collision/old-mode/master-dma-empty",
                   test_master_dma_empty);
    qtest_add_func("/aspeed-i2c-collision/old-mode/master-pool-rx-half",
                   test_master_pool_rx_half);
    qtest_add_func("/aspeed-i2c-collision/mode-switch/dma-len",
                   test_mode_switch_dma_len);
    qtest_add_func("/aspeed-i2c-collision/frame-ended-by-stop",
                   test_frame_ended_by_stop);
    qtest_add_func("/aspeed-i2c-collision/reset/register-mode",
                   test_reset_register_mode);
    return g_test_run();
}
