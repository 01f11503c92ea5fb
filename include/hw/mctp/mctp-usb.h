/*
 * MCTP over USB (DMTF DSP0283) endpoint device, usb-mctp
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MCTP_MCTP_USB_H
#define HW_MCTP_MCTP_USB_H

#include "qemu/units.h"
#include "hw/usb.h"
#include "hw/usb/desc.h"
#include "hw/mctp/mctp.h"
#include "hw/mctp/mctp-echo.h"
#include "hw/mctp/mctp-ncsi.h"
#include "hw/mctp/mctp-nvme-mi.h"

#define TYPE_USB_MCTP "usb-mctp"
OBJECT_DECLARE_SIMPLE_TYPE(USBMCTPState, USB_MCTP)

/* USB class code of MCTP; subclass 0, protocol 1 (DSP0283 1.0) */
#define MCTP_USB_CLASS          0x14
#define MCTP_USB_SUBCLASS       0x00
#define MCTP_USB_PROTOCOL       0x01
/* transport header: DMTF ID (big-endian), reserved, byte count */
#define MCTP_USB_HDR_LEN        4
#define MCTP_USB_DMTF_ID        0x1ab4
/* the byte count covers the transport header and the MCTP packet */
#define MCTP_USB_MAX_COUNT      255
#define MCTP_USB_MAX_PAYLOAD    (MCTP_USB_MAX_COUNT - MCTP_USB_HDR_LEN - \
                                 MCTP_HDR_LEN)
/* IN transfers we fill: what Linux's mctp-usb asks for, a bulk packet */
#define MCTP_USB_XFER_SIZE      512
/* OUT transfers taken: several times what the largest message needs */
#define MCTP_USB_OUT_MAX        (64 * KiB)

/* Transfers dropped by the USB binding itself (besides MCTPDropReason) */
typedef enum MCTPUSBDrop {
    MCTP_USB_DROP_ZERO_LENGTH,  /* an OUT transfer without data */
    MCTP_USB_DROP_BAD_DMTF_ID,  /* transport header ID not 0x1AB4 */
    MCTP_USB_DROP_OVERRUN,      /* byte count beyond the transfer */
    MCTP_USB_DROP_TRUNCATED,    /* no room for the transport and MCTP headers */
    MCTP_USB_DROP__MAX,
} MCTPUSBDrop;

struct USBMCTPState {
    USBDevice dev;

    MCTPCore core;
    USBDesc desc;               /* the class's, with our IDs */
    USBEndpoint *ep_in;
    USBEndpoint *ep_out;
    bool out_nakked;            /* an OUT transfer waits for TX to drain */
    uint8_t *out_buf;           /* the OUT transfer being parsed */
    uint32_t out_len;           /* its length; 0: none */
    uint32_t out_off;           /* the next packet in it */

    /* responders besides control; which ones are properties */
    bool has_echo;
    bool has_nvme_mi;
    bool has_ncsi;
    MCTPEcho echo;
    MCTPNvmeMi nmi;
    MCTPNcsi ncsi;

    /* properties */
    uint16_t vendor_id;
    uint16_t product_id;

    /* statistics */
    uint64_t drops[MCTP_USB_DROP__MAX];
    uint64_t out_transfers;
    uint64_t in_transfers;
};

#endif
