/*
 * BMC side of an AST2600 I2C bus for qtests: master writes and
 * slave-mode (target) receive through the controller's old-mode
 * byte registers, as a BMC driver would do it.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef ASPEED_I2C_BMC_H
#define ASPEED_I2C_BMC_H

#include "libqtest.h"

typedef struct AspeedI2CBmc {
    QTestState *qts;
    uint32_t base;          /* register window of the bus */
    int bus;
    uint8_t own_addr;       /* 7-bit target address of the BMC */
} AspeedI2CBmc;

/* Enable master and slave mode on AST2600 bus @bus, answering @own_addr */
void aspeed_i2c_bmc_init(AspeedI2CBmc *b, QTestState *qts, int bus,
                         uint8_t own_addr);

/* Change the BMC's own target address (e.g. to make a sender see NAK) */
void aspeed_i2c_bmc_set_own_addr(AspeedI2CBmc *b, uint8_t own_addr);

/*
 * Master transfer in pieces: START + address (write), bytes, STOP.
 * aspeed_i2c_bmc_start() and _send() return false on a NAK.
 */
bool aspeed_i2c_bmc_start(AspeedI2CBmc *b, uint8_t addr);
bool aspeed_i2c_bmc_send(AspeedI2CBmc *b, uint8_t byte);
void aspeed_i2c_bmc_stop(AspeedI2CBmc *b);

/*
 * START + address without waiting for the outcome, as a driver does that
 * goes on when its interrupt arrives; aspeed_i2c_bmc_start_done() then
 * looks for that outcome: 1 acknowledged, 0 not acknowledged, -1 none
 * yet (the controller holds the START while another master owns the bus).
 */
void aspeed_i2c_bmc_start_nowait(AspeedI2CBmc *b, uint8_t addr);
int aspeed_i2c_bmc_start_done(AspeedI2CBmc *b);
/* The controller sees the bus busy (a transfer, or a master owning it) */
bool aspeed_i2c_bmc_bus_busy(AspeedI2CBmc *b);
/*
 * Withdraw a waiting master command as Linux's i2c-aspeed does when a
 * slave transfer to the BMC starts before its START went out: clear the
 * command bits of what it reads from the command register
 */
void aspeed_i2c_bmc_withdraw(AspeedI2CBmc *b);

/* A whole write of @len bytes to @addr; false if it was NAKed */
bool aspeed_i2c_bmc_write(AspeedI2CBmc *b, uint8_t addr,
                          const uint8_t *buf, size_t len);

/*
 * Receive one write addressed to the BMC in slave mode, acknowledging
 * each byte.  @buf[0] is the address byte (own_addr << 1).  Returns the
 * number of bytes received (possibly more than @size, which are then
 * not stored), or 0 if no transfer started within a few polls.
 */
/*
 * As master: write register pointer @reg to the target at @addr, then
 * read @len bytes with a repeated start.  false if a byte was not acked.
 */
bool aspeed_i2c_bmc_read_reg(AspeedI2CBmc *b, uint8_t addr, uint8_t reg,
                             uint8_t *buf, size_t len);
/* The same with a pointer of @plen bytes (EEPROMs with 2-byte offsets) */
bool aspeed_i2c_bmc_read_at(AspeedI2CBmc *b, uint8_t addr,
                            const uint8_t *ptr, size_t plen,
                            uint8_t *buf, size_t len);
size_t aspeed_i2c_bmc_receive(AspeedI2CBmc *b, uint8_t *buf, size_t size);

/* Raw interrupt status (old mode bits), and write-1-to-clear */
#define ASPEED_I2C_BMC_RX_DONE          (1 << 2)
#define ASPEED_I2C_BMC_NORMAL_STOP      (1 << 4)
#define ASPEED_I2C_BMC_SLAVE_ADDR_MATCH (1 << 7)
uint32_t aspeed_i2c_bmc_status(AspeedI2CBmc *b);
void aspeed_i2c_bmc_clear_status(AspeedI2CBmc *b, uint32_t bits);

#endif
