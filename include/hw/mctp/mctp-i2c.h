/*
 * MCTP over SMBus/I2C (DMTF DSP0237) endpoint base device
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MCTP_MCTP_I2C_H
#define HW_MCTP_MCTP_I2C_H

#include "hw/i2c/i2c.h"
#include "hw/mctp/mctp.h"

#define TYPE_MCTP_I2C_ENDPOINT "mctp-i2c-endpoint"
OBJECT_DECLARE_TYPE(MCTPI2CEndpoint, MCTPI2CEndpointClass, MCTP_I2C_ENDPOINT)

#define MCTP_I2C_COMMAND_CODE   0x0f
/* command code, byte count, up to 255 counted bytes, PEC */
#define MCTP_I2C_FRAME_MAX      (2 + 255 + 1)
/* source address + MCTP header + payload must fit the byte count */
#define MCTP_I2C_MAX_PAYLOAD    (255 - 1 - MCTP_HDR_LEN)
#define MCTP_I2C_TX_RETRIES     3
#define MCTP_I2C_RETRY_NS       (10 * SCALE_MS)
/*
 * End an attempt whose target stops acknowledging our bytes: SMBus allows
 * a device to hold the clock for 35 ms; an emulated guest gets more, as
 * its vCPU may not run for a while
 */
#define MCTP_I2C_ACK_TIMEOUT_NS  (100 * SCALE_MS)

/* Frames dropped by the SMBus binding itself (besides MCTPDropReason) */
typedef enum MCTPI2CDrop {
    MCTP_I2C_DROP_BAD_PEC,
    MCTP_I2C_DROP_BAD_COMMAND,
    MCTP_I2C_DROP_BAD_SRC_ADDR,
    MCTP_I2C_DROP__MAX,
} MCTPI2CDrop;

typedef enum MCTPI2CTxState {
    MCTP_I2C_TX_IDLE,
    MCTP_I2C_TX_QUEUED,     /* waiting for the bus */
    MCTP_I2C_TX_SENDING,    /* started; waiting for the target's acks */
    MCTP_I2C_TX_RETRY,      /* NAKed; retry timer running */
} MCTPI2CTxState;

struct MCTPI2CEndpoint {
    I2CSlave parent_obj;

    MCTPCore core;
    I2CBus *bus;
    QEMUBH *master_bh;
    QEMUBH *kick_bh;
    QEMUTimer *retry_timer;     /* NAK retry, or ack watchdog */

    /* receive: the bytes of the current write, address re-inserted */
    uint8_t rx_buf[1 + MCTP_I2C_FRAME_MAX];
    uint32_t rx_len;
    bool rx_overflow;

    /* transmit */
    MCTPI2CTxState tx_state;
    uint8_t tx_retries;
    uint8_t tx_buf[MCTP_I2C_FRAME_MAX];
    uint32_t tx_len;
    uint32_t tx_pos;
    uint8_t tx_addr;

    /* statistics: drops-<reason> properties, as the core's */
    uint64_t drops[MCTP_I2C_DROP__MAX];
};

struct MCTPI2CEndpointClass {
    I2CSlaveClass parent_class;
};

extern const VMStateDescription vmstate_mctp_i2c_endpoint;

uint8_t mctp_i2c_pec(uint8_t crc, const uint8_t *buf, size_t len);

#endif
