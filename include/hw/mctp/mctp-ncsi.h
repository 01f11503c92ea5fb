/*
 * NC-SI over MCTP (DSP0261, message type 0x02): a responder any MCTP
 * binding can host
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MCTP_MCTP_NCSI_H
#define HW_MCTP_MCTP_NCSI_H

#include "hw/mctp/mctp.h"
#include "net/net.h"

#define MCTP_NCSI_MAX_PACKAGES  8
#define MCTP_NCSI_MAX_CHANNELS  8
/* Mellanox: the manufacturer ID the OEM command answers to by default */
#define MCTP_NCSI_MLX_MFR_ID    0x8119

typedef enum NcsiDrop {
    NCSI_DROP_SHORT,
    NCSI_DROP_BAD_REVISION,
    NCSI_DROP_BAD_CHECKSUM,
    NCSI_DROP_NOT_COMMAND,
    NCSI_DROP_BAD_PACKAGE,
    NCSI_DROP_BAD_CHANNEL,
    NCSI_DROP__MAX,
} NcsiDrop;

/* Commands answered with something other than Command Completed */
typedef enum NcsiError {
    NCSI_ERR_UNSUPPORTED,
    NCSI_ERR_INIT_REQUIRED,
    NCSI_ERR_BAD_LENGTH,
    NCSI_ERR_BAD_PARAM,
    NCSI_ERR__MAX,
} NcsiError;

typedef enum NcsiTemp {
    NCSI_TEMP_ASIC,
    NCSI_TEMP_ASIC_MAX,
    NCSI_TEMP_AMBIENT,
    NCSI_TEMP_AMBIENT_MAX,
    NCSI_TEMP_TRANSCEIVER,
    NCSI_TEMP_TRANSCEIVER_MAX,
    NCSI_TEMP__MAX,
} NcsiTemp;

typedef struct MCTPNcsi {
    /* configuration */
    uint8_t nr_packages;
    uint8_t nr_channels;
    char *fw_name;
    uint32_t fw_version;
    uint16_t pci_vid;
    uint16_t pci_did;
    uint16_t pci_svid;
    uint16_t pci_ssid;
    uint32_t manufacturer_id;
    MACAddr mac;

    /* run-time settable (qom-set) */
    bool link_up;
    uint8_t link_speed;
    int16_t temp[NCSI_TEMP__MAX];

    /* state */
    uint8_t pkg_flags[MCTP_NCSI_MAX_PACKAGES];
    uint8_t ch_flags[MCTP_NCSI_MAX_PACKAGES * MCTP_NCSI_MAX_CHANNELS];

    /* statistics */
    uint64_t commands;
    uint64_t drops[NCSI_DROP__MAX];
    uint64_t errors[NCSI_ERR__MAX];
} MCTPNcsi;

/* The configuration properties of the NC-SI state @_field of @_state */
#define DEFINE_MCTP_NCSI_PROPERTIES(_state, _field)                         \
    DEFINE_PROP_UINT8("packages", _state, _field.nr_packages, 1),           \
    DEFINE_PROP_UINT8("channels", _state, _field.nr_channels, 1),           \
    DEFINE_PROP_STRING("fw-name", _state, _field.fw_name),                  \
    DEFINE_PROP_UINT32("fw-version", _state, _field.fw_version, 0x01000000),\
    DEFINE_PROP_UINT16("pci-vid", _state, _field.pci_vid, 0x15b3),          \
    DEFINE_PROP_UINT16("pci-did", _state, _field.pci_did, 0x1017),          \
    DEFINE_PROP_UINT16("pci-svid", _state, _field.pci_svid, 0x15b3),        \
    DEFINE_PROP_UINT16("pci-ssid", _state, _field.pci_ssid, 0x0001),        \
    DEFINE_PROP_UINT32("manufacturer-id", _state, _field.manufacturer_id,   \
                       MCTP_NCSI_MLX_MFR_ID),                               \
    DEFINE_PROP_MACADDR("mac", _state, _field.mac)

extern const VMStateDescription vmstate_mctp_ncsi_responder;

/* Describe the properties of DEFINE_MCTP_NCSI_PROPERTIES() */
void mctp_ncsi_class_describe(ObjectClass *oc);
/* Defaults, and the run-time and read-only properties of @owner */
void mctp_ncsi_init(MCTPNcsi *s, Object *owner);
/* Check the configuration and register with @core */
bool mctp_ncsi_attach(MCTPNcsi *s, MCTPCore *core, Error **errp);
void mctp_ncsi_reset(MCTPNcsi *s);

#endif
