/*
 * caliptra-rot: a root of trust with Caliptra's SoC-facing mailbox
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_ROT_CALIPTRA_ROT_H
#define HW_ROT_CALIPTRA_ROT_H

#include "hw/sysbus.h"
#include "qom/object.h"

#define TYPE_CALIPTRA_ROT "caliptra-rot"
OBJECT_DECLARE_SIMPLE_TYPE(CaliptraRotState, CALIPTRA_ROT)

/* The SoC window: mailbox CSRs at 0x20000, SoC interface at 0x30000 */
#define CALIPTRA_WINDOW_SIZE        0x40000
#define CALIPTRA_MBOX_CSR           0x20000
#define CALIPTRA_SOC_IFC            0x30000

/* Mailbox CSRs, relative to CALIPTRA_MBOX_CSR */
#define CALIPTRA_MBOX_LOCK          0x00
#define CALIPTRA_MBOX_USER          0x04
#define CALIPTRA_MBOX_CMD           0x08
#define CALIPTRA_MBOX_DLEN          0x0c
#define CALIPTRA_MBOX_DATAIN        0x10
#define CALIPTRA_MBOX_DATAOUT       0x14
#define CALIPTRA_MBOX_EXECUTE       0x18
#define CALIPTRA_MBOX_STATUS        0x1c
#define CALIPTRA_MBOX_UNLOCK        0x20

/* mbox_status: status in bits 3:0, the FSM state in bits 18:16 */
#define CALIPTRA_MBOX_STATUS_MASK   0xf
#define CALIPTRA_MBOX_FSM_SHIFT     16
#define CALIPTRA_MBOX_FSM_MASK      0x7

enum {
    CALIPTRA_STATUS_BUSY = 0,
    CALIPTRA_STATUS_DATA_READY = 1,
    CALIPTRA_STATUS_CMD_COMPLETE = 2,
    CALIPTRA_STATUS_CMD_FAILURE = 3,
};

typedef enum {
    CALIPTRA_FSM_IDLE = 0,
    CALIPTRA_FSM_RDY_FOR_CMD = 1,
    CALIPTRA_FSM_RDY_FOR_DATA = 2,
    CALIPTRA_FSM_RDY_FOR_DLEN = 3,
    CALIPTRA_FSM_EXECUTE_SOC = 4,
    CALIPTRA_FSM_EXECUTE_UC = 6,
} CaliptraMboxFsm;

/* SoC interface registers, relative to CALIPTRA_SOC_IFC */
#define CALIPTRA_HW_ERROR_FATAL     0x00
#define CALIPTRA_HW_ERROR_NON_FATAL 0x04
#define CALIPTRA_FW_ERROR_FATAL     0x08
#define CALIPTRA_FW_ERROR_NON_FATAL 0x0c
#define CALIPTRA_BOOT_STATUS        0x38
#define CALIPTRA_FLOW_STATUS        0x3c

/* CPTRA_FLOW_STATUS */
#define CALIPTRA_FLOW_BOOT_FSM_SHIFT        25
#define CALIPTRA_FLOW_BOOT_FSM_DONE         4
#define CALIPTRA_FLOW_READY_FOR_FW          (1u << 28)
#define CALIPTRA_FLOW_READY_FOR_RUNTIME     (1u << 29)
#define CALIPTRA_FLOW_MAILBOX_FLOW_DONE     (1u << 31)

/* CPTRA_BOOT_STATUS: this model's progress values */
enum {
    CALIPTRA_BOOT_READY_FOR_FW = 0x1,
    CALIPTRA_BOOT_VERIFYING = 0x2,
    CALIPTRA_BOOT_RUNTIME = 0x3,
    CALIPTRA_BOOT_FAILED = 0xf,
};

/* Mailbox commands */
#define CALIPTRA_CMD_FIRMWARE_LOAD  0x46574c44      /* "FWLD" */
#define CALIPTRA_CMD_IMAGE_DIGEST   0x49444754      /* "IDGT", this model */

/* Failure codes (CPTRA_FW_ERROR_*), after Caliptra's image verifier's */
#define CALIPTRA_ERR_IMAGE_EMPTY            0x000b0002
#define CALIPTRA_ERR_VENDOR_DIGEST_INVALID  0x000b0003
#define CALIPTRA_ERR_VENDOR_DIGEST_MISMATCH 0x000b0005
#define CALIPTRA_ERR_OWNER_DIGEST_MISMATCH  0x000b0007
#define CALIPTRA_ERR_UNKNOWN_COMMAND        0x000e0002
#define CALIPTRA_ERR_NOT_READY              0x000e0003

#define CALIPTRA_MBOX_BYTES         (128 * 1024)
#define CALIPTRA_DIGEST_BYTES       48          /* SHA-384 */

/* Mailbox misuse, counted per reason (properties "misuse-REASON") */
typedef enum {
    CALIPTRA_MISUSE_NO_LOCK,            /* written without holding the lock */
    CALIPTRA_MISUSE_DLEN_TOO_LONG,      /* dlen beyond the mailbox */
    CALIPTRA_MISUSE_DATAIN_PAST_DLEN,   /* more data than dlen announced */
    CALIPTRA_MISUSE_READ_PAST_DLEN,     /* dataout read beyond the response */
    CALIPTRA_MISUSE_OUT_OF_SEQUENCE,    /* written in the wrong state */
    CALIPTRA_MISUSE_UNLOCK_MID_COMMAND, /* forced unlock aborted a command */
    CALIPTRA_MISUSE_READ_ONLY,          /* write to a read-only register */
    CALIPTRA_MISUSE_UNMAPPED,           /* access outside the registers */
    CALIPTRA_MISUSE__MAX,
} CaliptraMisuse;

struct CaliptraRotState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    QEMUTimer *timer;           /* the command's processing time */
    qemu_irq data_avail;        /* sysbus IRQ 0: mailbox_data_avail */
    qemu_irq boot_go;           /* "boot-go": verified, verdict read */
    qemu_irq error_fatal;       /* "error-fatal": CPTRA_FW_ERROR_FATAL != 0 */

    /* properties */
    char *vendor_digest_hex;    /* fuses: SHA-384 of the firmware image */
    char *owner_digest_hex;
    uint32_t soc_user;          /* the id mbox_user reports for the SoC */
    uint64_t latency_ns;        /* virtual time a command takes */

    uint8_t vendor_digest[CALIPTRA_DIGEST_BYTES];
    uint8_t owner_digest[CALIPTRA_DIGEST_BYTES];
    bool owner_fused;

    /* mailbox */
    uint8_t mbox[CALIPTRA_MBOX_BYTES];
    uint32_t fsm;
    uint32_t status;
    bool locked;
    uint32_t user;
    uint32_t cmd;
    uint32_t dlen;
    uint32_t wptr;              /* bytes written through datain */
    uint32_t rptr;              /* bytes read through dataout */

    /* SoC interface */
    uint32_t boot_status;
    uint32_t flow_status;
    uint32_t fw_error_fatal;
    uint32_t fw_error_non_fatal;
    bool booted;                /* an image was verified */
    bool boot_go_level;
    uint8_t image_digest[CALIPTRA_DIGEST_BYTES];

    /* observability */
    uint64_t misuse[CALIPTRA_MISUSE__MAX];
    uint64_t fw_loads;
    uint64_t fw_load_failures;
};

#endif
