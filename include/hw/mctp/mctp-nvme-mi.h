/*
 * NVMe-MI 1.2 over MCTP (message type 0x04): the Management Endpoint
 * of an NVM subsystem, a responder any MCTP binding can host
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MCTP_MCTP_NVME_MI_H
#define HW_MCTP_MCTP_NVME_MI_H

#include "hw/mctp/mctp.h"

/* NVMe-MI messages are up to 4224 bytes */
#define MCTP_NVME_MI_MAX_MSG    4224
#define MCTP_NVME_MI_ERR_ENTRIES 4
#define MCTP_NVME_MI_ERR_ENTRY_LEN 64
/* NVMe Basic Management Command data structure */
#define MCTP_NVME_MI_BASIC_SIZE 32

/* Why a message was dropped without an answer; one QOM counter each */
typedef enum NmiDropReason {
    NMI_DROP_NO_IC,
    NMI_DROP_SHORT,
    NMI_DROP_BAD_MIC,
    NMI_DROP_NOT_REQUEST,
    NMI_DROP__MAX,
} NmiDropReason;

/* Error statuses counted, 0x01 (Internal Error) to 0x06 (Invalid Input Size) */
#define MCTP_NVME_MI_ERR_STATUS_MAX 7

typedef struct MCTPNvmeMi {
    MCTPCore *core;

    /* identity (properties) */
    char *serial;
    char *model;
    char *firmware;
    uint16_t vid;
    uint16_t did;
    uint16_t ssid;
    uint64_t ns_size;
    uint16_t port_max_mtu;
    uint32_t smbus_max_khz;
    BlockBackend *blk;

    /* health (QOM properties, settable at run time) */
    int32_t temperature;        /* composite temperature, degrees Celsius */
    uint8_t available_spare;
    uint8_t spare_threshold;
    uint8_t percentage_used;
    uint8_t critical_warning;

    /* state */
    uint16_t ccs;               /* Composite Controller Status */
    uint8_t smbus_freq;         /* 1 100 kHz, 2 400 kHz, 3 1 MHz */
    uint64_t err_count;
    uint8_t err_log[MCTP_NVME_MI_ERR_ENTRIES][MCTP_NVME_MI_ERR_ENTRY_LEN];
    uint32_t vpd_size;
    uint8_t *vpd;
    uint64_t drops[NMI_DROP__MAX];
    uint64_t errors[MCTP_NVME_MI_ERR_STATUS_MAX];   /* answers, by status */

    /* set by the host before mctp_nvme_mi_attach() */
    uint8_t me_address;         /* port 0 ME address (SMBus), or 0 */
    /* configuration derived at attach */
    uint32_t boot_mtu;          /* transmission unit after reset */
    uint8_t basic_address;      /* nvme-mi-basic linked to us, or 0 */
} MCTPNvmeMi;

/*
 * The configuration properties of the NVMe-MI state @_field of @_state
 * but "serial" (MCTP_NVME_MI_SERIAL_PROPERTY), which a USB device has
 */
#define DEFINE_MCTP_NVME_MI_PROPERTIES(_state, _field, _max_mtu)             \
    DEFINE_PROP_STRING("model", _state, _field.model),                       \
    DEFINE_PROP_STRING("firmware", _state, _field.firmware),                 \
    DEFINE_PROP_UINT16("vendor-id", _state, _field.vid, 0x1b36),             \
    DEFINE_PROP_UINT16("device-id", _state, _field.did, 0x0010),             \
    DEFINE_PROP_UINT16("subsystem-id", _state, _field.ssid, 0x0000),         \
    DEFINE_PROP_SIZE("namespace-size", _state, _field.ns_size, 1 * GiB),     \
    DEFINE_PROP_UINT16("port-max-mtu", _state, _field.port_max_mtu,          \
                       _max_mtu),                                            \
    DEFINE_PROP_UINT32("smbus-max-khz", _state, _field.smbus_max_khz, 400),  \
    DEFINE_PROP_DRIVE("drive", _state, _field.blk)

extern const VMStateDescription vmstate_mctp_nvme_mi_responder;

/* Describe the properties of DEFINE_MCTP_NVME_MI_PROPERTIES() */
void mctp_nvme_mi_class_describe(ObjectClass *oc);
/* Defaults, and the health and counter properties of @owner */
void mctp_nvme_mi_init(MCTPNvmeMi *s, Object *owner);
/* Check the configuration, load the VPD and register with @core */
bool mctp_nvme_mi_attach(MCTPNvmeMi *s, MCTPCore *core, Error **errp);
void mctp_nvme_mi_detach(MCTPNvmeMi *s);
void mctp_nvme_mi_reset(MCTPNvmeMi *s);
/*
 * The NVMe Basic Management Command data structure (status block at 0,
 * vendor ID and serial number at 8) without its two PECs
 */
void mctp_nvme_mi_basic_block(MCTPNvmeMi *s,
                              uint8_t buf[MCTP_NVME_MI_BASIC_SIZE]);

#endif
