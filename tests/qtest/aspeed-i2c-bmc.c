/*
 * BMC side of an AST2600 I2C bus for qtests: master writes and
 * slave-mode (target) receive through the controller's old-mode
 * byte registers.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "aspeed-i2c-bmc.h"

#define AST2600_I2C_BASE        0x1e78a000
#define AST2600_I2C_BUS_BASE(n) (AST2600_I2C_BASE + 0x80 + (n) * 0x80)

/* old register mode, per bus */
#define I2CD_FUN_CTRL           0x00
#define   I2CD_MASTER_EN        (1 << 0)
#define   I2CD_SLAVE_EN         (1 << 1)
#define I2CD_INTR_CTRL          0x0c
#define I2CD_INTR_STS           0x10
#define   I2CD_TX_ACK           (1 << 0)
#define   I2CD_TX_NAK           (1 << 1)
#define   I2CD_RX_DONE          (1 << 2)
#define   I2CD_NORMAL_STOP      (1 << 4)
#define   I2CD_ABNORMAL         (1 << 5)
#define   I2CD_SLAVE_ADDR_MATCH (1 << 7)
#define I2CD_CMD                0x14
#define   I2CD_M_START          (1 << 0)
#define   I2CD_M_TX             (1 << 1)
#define   I2CD_M_RX             (1 << 3)
#define   I2CD_M_RX_LAST        (1 << 4)
#define   I2CD_M_STOP           (1 << 5)
#define   I2CD_BUS_BUSY         (1 << 16)
#define I2CD_DEV_ADDR           0x18
#define I2CD_BYTE_BUF           0x20

#define MASTER_STATUS (I2CD_TX_ACK | I2CD_TX_NAK | I2CD_NORMAL_STOP | \
                       I2CD_ABNORMAL)
#define MASTER_CMDS   (I2CD_M_START | I2CD_M_TX | I2CD_M_RX | \
                       I2CD_M_RX_LAST | I2CD_M_STOP)

/* polls without progress before giving up */
#define IDLE_POLLS              64
#define BYTE_POLLS              4096

static uint32_t bmc_read(AspeedI2CBmc *b, uint32_t reg)
{
    return qtest_readl(b->qts, b->base + reg);
}

static void bmc_write(AspeedI2CBmc *b, uint32_t reg, uint32_t val)
{
    qtest_writel(b->qts, b->base + reg, val);
}

void aspeed_i2c_bmc_set_own_addr(AspeedI2CBmc *b, uint8_t own_addr)
{
    b->own_addr = own_addr;
    bmc_write(b, I2CD_DEV_ADDR, own_addr);
    /* the target address is latched when SLAVE_EN is written */
    bmc_write(b, I2CD_FUN_CTRL, I2CD_MASTER_EN | I2CD_SLAVE_EN);
}

void aspeed_i2c_bmc_init(AspeedI2CBmc *b, QTestState *qts, int bus,
                         uint8_t own_addr)
{
    b->qts = qts;
    b->bus = bus;
    b->base = AST2600_I2C_BUS_BASE(bus);
    bmc_write(b, I2CD_INTR_CTRL, 0x7fff);
    aspeed_i2c_bmc_set_own_addr(b, own_addr);
}

static bool bmc_command(AspeedI2CBmc *b, uint32_t cmd)
{
    uint32_t sts;

    bmc_write(b, I2CD_CMD, cmd);
    sts = bmc_read(b, I2CD_INTR_STS);
    bmc_write(b, I2CD_INTR_STS, sts & (I2CD_TX_ACK | I2CD_TX_NAK));
    return (sts & I2CD_TX_ACK) && !(sts & I2CD_TX_NAK);
}

bool aspeed_i2c_bmc_start(AspeedI2CBmc *b, uint8_t addr)
{
    bmc_write(b, I2CD_INTR_STS, MASTER_STATUS);
    bmc_write(b, I2CD_BYTE_BUF, addr << 1);
    return bmc_command(b, I2CD_M_START | I2CD_M_TX);
}

void aspeed_i2c_bmc_start_nowait(AspeedI2CBmc *b, uint8_t addr)
{
    bmc_write(b, I2CD_INTR_STS, I2CD_TX_ACK | I2CD_TX_NAK);
    bmc_write(b, I2CD_BYTE_BUF, addr << 1);
    bmc_write(b, I2CD_CMD, I2CD_M_START | I2CD_M_TX);
}

int aspeed_i2c_bmc_start_done(AspeedI2CBmc *b)
{
    uint32_t sts = 0;
    int i;

    for (i = 0; i < IDLE_POLLS; i++) {
        sts = bmc_read(b, I2CD_INTR_STS) & (I2CD_TX_ACK | I2CD_TX_NAK);
        if (sts) {
            bmc_write(b, I2CD_INTR_STS, sts);
            return sts == I2CD_TX_ACK;
        }
    }
    return -1;
}

bool aspeed_i2c_bmc_bus_busy(AspeedI2CBmc *b)
{
    return bmc_read(b, I2CD_CMD) & I2CD_BUS_BUSY;
}

void aspeed_i2c_bmc_withdraw(AspeedI2CBmc *b)
{
    bmc_write(b, I2CD_CMD, bmc_read(b, I2CD_CMD) & ~MASTER_CMDS);
}

bool aspeed_i2c_bmc_send(AspeedI2CBmc *b, uint8_t byte)
{
    bmc_write(b, I2CD_BYTE_BUF, byte);
    return bmc_command(b, I2CD_M_TX);
}

void aspeed_i2c_bmc_stop(AspeedI2CBmc *b)
{
    bmc_write(b, I2CD_CMD, I2CD_M_STOP);
    /* leave RX_DONE alone: a target may already be writing to us */
    bmc_write(b, I2CD_INTR_STS, I2CD_NORMAL_STOP | I2CD_ABNORMAL);
}

bool aspeed_i2c_bmc_write(AspeedI2CBmc *b, uint8_t addr,
                          const uint8_t *buf, size_t len)
{
    bool ok = aspeed_i2c_bmc_start(b, addr);
    size_t i;

    for (i = 0; ok && i < len; i++) {
        ok = aspeed_i2c_bmc_send(b, buf[i]);
    }
    aspeed_i2c_bmc_stop(b);
    return ok;
}

bool aspeed_i2c_bmc_read_reg(AspeedI2CBmc *b, uint8_t addr, uint8_t reg,
                             uint8_t *buf, size_t len)
{
    return aspeed_i2c_bmc_read_at(b, addr, &reg, 1, buf, len);
}

bool aspeed_i2c_bmc_read_at(AspeedI2CBmc *b, uint8_t addr,
                            const uint8_t *ptr, size_t plen,
                            uint8_t *buf, size_t len)
{
    bool ok = aspeed_i2c_bmc_start(b, addr);
    size_t i;

    for (i = 0; ok && i < plen; i++) {
        ok = aspeed_i2c_bmc_send(b, ptr[i]);
    }

    if (ok) {
        /* repeated start, read direction */
        bmc_write(b, I2CD_BYTE_BUF, addr << 1 | 1);
        ok = bmc_command(b, I2CD_M_START | I2CD_M_TX);
    }
    for (i = 0; ok && i < len; i++) {
        bmc_write(b, I2CD_INTR_STS, I2CD_RX_DONE);
        bmc_write(b, I2CD_CMD, i == len - 1 ? I2CD_M_RX | I2CD_M_RX_LAST
                                            : I2CD_M_RX);
        ok = bmc_read(b, I2CD_INTR_STS) & I2CD_RX_DONE;
        buf[i] = bmc_read(b, I2CD_BYTE_BUF) >> 8;
    }
    bmc_write(b, I2CD_INTR_STS, I2CD_RX_DONE);
    aspeed_i2c_bmc_stop(b);
    return ok;
}

uint32_t aspeed_i2c_bmc_status(AspeedI2CBmc *b)
{
    return bmc_read(b, I2CD_INTR_STS);
}

void aspeed_i2c_bmc_clear_status(AspeedI2CBmc *b, uint32_t bits)
{
    bmc_write(b, I2CD_INTR_STS, bits);
}

size_t aspeed_i2c_bmc_receive(AspeedI2CBmc *b, uint8_t *buf, size_t size)
{
    size_t n = 0;
    int polls = 0;
    uint32_t sts;

    for (;;) {
        sts = bmc_read(b, I2CD_INTR_STS);
        if (n && (sts & I2CD_NORMAL_STOP)) {
            /*
             * The end of this write; RX_DONE may already announce the
             * next one (its address byte), which is left for later.
             */
            bmc_write(b, I2CD_INTR_STS, I2CD_NORMAL_STOP);
            return n;
        }
        if (sts & I2CD_RX_DONE) {
            uint8_t byte = bmc_read(b, I2CD_BYTE_BUF) >> 8;

            if (n < size) {
                buf[n] = byte;
            }
            n++;
            polls = 0;
            /* acknowledge: lets the sender go on with the next byte */
            bmc_write(b, I2CD_INTR_STS,
                      I2CD_RX_DONE | I2CD_SLAVE_ADDR_MATCH);
            continue;
        }
        if (++polls >= (n ? BYTE_POLLS : IDLE_POLLS)) {
            g_assert(n == 0);   /* a transfer must not stall half-way */
            return 0;
        }
    }
}
