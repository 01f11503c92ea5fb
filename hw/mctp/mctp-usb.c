/*
 * usb-mctp: an MCTP endpoint on USB (DMTF DSP0283), like Code
 * Construct's usbnvme firmware (ID ccde:0000) by default
 *
 * One interface of class 0x14 (MCTP), subclass 0, protocol 1, with a
 * bulk OUT and a bulk IN endpoint.  Every MCTP packet is preceded by a
 * 4-byte transport header: the DMTF ID 0x1AB4 (big-endian), a reserved
 * byte and a byte count covering header and packet.  A transfer carries
 * one or more such packets back to back, in both directions.  The
 * device is one endpoint (one EID) hosting the control protocol and the
 * transport-free responders chosen by properties: echo and bench,
 * NVMe-MI, NC-SI.
 *
 * Flow control is USB's: a request that gets a response holds the rest
 * of its OUT transfer, and further OUT transfers are NAKed (the host
 * controller retries them), until the response has gone; IN transfers
 * are NAKed while there is nothing to send.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/bswap.h"
#include "qemu/units.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-properties-system.h"
#include "migration/vmstate.h"
#include "hw/mctp/mctp-usb.h"
#include "trace.h"

#define USB_MCTP_EP_IN          1
#define USB_MCTP_EP_OUT         2
/* usbnvme's serial number unless the "serial" property says otherwise */
#define USB_MCTP_DEFAULT_SERIAL "QEMU-NVME-MI-0001"

static const char *const mctp_usb_drop_names[MCTP_USB_DROP__MAX] = {
    [MCTP_USB_DROP_ZERO_LENGTH] = "zero-length",
    [MCTP_USB_DROP_BAD_DMTF_ID] = "bad-dmtf-id",
    [MCTP_USB_DROP_OVERRUN] = "overrun",
    [MCTP_USB_DROP_TRUNCATED] = "truncated",
};

enum {
    STR_MANUFACTURER = 1,
    STR_PRODUCT,
    STR_SERIALNUMBER,
    STR_INTERFACE,
};

static const USBDescStrings usb_mctp_strings = {
    [STR_MANUFACTURER] = "QEMU",
    [STR_PRODUCT] = "QEMU MCTP endpoint",
    [STR_SERIALNUMBER] = USB_MCTP_DEFAULT_SERIAL,
    [STR_INTERFACE] = "MCTP",
};

/*
 * The interface and its bulk endpoints, and the device with its one
 * configuration, at full (64-byte packets) and high speed (512)
 */
#define USB_MCTP_IFACE(_max_packet) {                                   \
    .bInterfaceNumber = 0,                                              \
    .bNumEndpoints = 2,                                                 \
    .bInterfaceClass = MCTP_USB_CLASS,                                  \
    .bInterfaceSubClass = MCTP_USB_SUBCLASS,                            \
    .bInterfaceProtocol = MCTP_USB_PROTOCOL,                            \
    .iInterface = STR_INTERFACE,                                        \
    .eps = (USBDescEndpoint[]) {                                        \
        {                                                               \
            .bEndpointAddress = USB_DIR_IN | USB_MCTP_EP_IN,            \
            .bmAttributes = USB_ENDPOINT_XFER_BULK,                     \
            .wMaxPacketSize = (_max_packet),                            \
        }, {                                                            \
            .bEndpointAddress = USB_DIR_OUT | USB_MCTP_EP_OUT,          \
            .bmAttributes = USB_ENDPOINT_XFER_BULK,                     \
            .wMaxPacketSize = (_max_packet),                            \
        },                                                              \
    },                                                                  \
}

#define USB_MCTP_DEVICE(_iface) {                                       \
    .bcdUSB = 0x0200,                                                   \
    .bMaxPacketSize0 = 64,                                              \
    .bNumConfigurations = 1,                                            \
    .confs = (USBDescConfig[]) {                                        \
        {                                                               \
            .bNumInterfaces = 1,                                        \
            .bConfigurationValue = 1,                                   \
            .bmAttributes = USB_CFG_ATT_ONE | USB_CFG_ATT_SELFPOWER,    \
            .bMaxPower = 50,                                            \
            .nif = 1,                                                   \
            .ifs = (_iface),                                            \
        },                                                              \
    },                                                                  \
}

static const USBDescIface usb_mctp_iface_full = USB_MCTP_IFACE(64);
static const USBDescIface usb_mctp_iface_high = USB_MCTP_IFACE(512);
static const USBDescDevice usb_mctp_device_full =
    USB_MCTP_DEVICE(&usb_mctp_iface_full);
static const USBDescDevice usb_mctp_device_high =
    USB_MCTP_DEVICE(&usb_mctp_iface_high);

static const USBDesc usb_mctp_desc = {
    .id = {
        .bcdDevice = 0x0100,
        .iManufacturer = STR_MANUFACTURER,
        .iProduct = STR_PRODUCT,
        .iSerialNumber = STR_SERIALNUMBER,
    },
    .full = &usb_mctp_device_full,
    .high = &usb_mctp_device_high,
    .str = usb_mctp_strings,
};

static void usb_mctp_drop(USBMCTPState *s, MCTPUSBDrop reason)
{
    mctp_count_drop(&s->drops[reason], s->core.name,
                    mctp_usb_drop_names[reason]);
}

/*
 * Go on with the OUT transfer held in out_buf: packets, each behind its
 * transport header.  A header that cannot be trusted (wrong ID,
 * impossible byte count) drops the rest of the transfer: there is no
 * way to find the next packet.  A request that gets a response stops
 * the parse until the response is out: the rest waits (and further OUT
 * transfers are NAKed) instead of being dropped as busy.
 */
static void usb_mctp_parse_out(USBMCTPState *s)
{
    const uint8_t *buf = s->out_buf;
    uint32_t len = s->out_len;
    uint32_t count;

    while (s->out_off < len) {
        uint32_t off = s->out_off;

        if (mctp_core_tx_busy(&s->core)) {
            return;
        }
        s->out_off = len;       /* unless the packet below is good */
        if (len - off < MCTP_USB_HDR_LEN) {
            usb_mctp_drop(s, MCTP_USB_DROP_TRUNCATED);
            break;
        }
        if (lduw_be_p(buf + off) != MCTP_USB_DMTF_ID) {
            usb_mctp_drop(s, MCTP_USB_DROP_BAD_DMTF_ID);
            break;
        }
        count = buf[off + 3];
        if (count < MCTP_USB_HDR_LEN + MCTP_HDR_LEN) {
            usb_mctp_drop(s, MCTP_USB_DROP_TRUNCATED);
            break;
        }
        if (count > len - off) {
            usb_mctp_drop(s, MCTP_USB_DROP_OVERRUN);
            break;
        }
        s->out_off = off + count;
        mctp_core_receive(&s->core, buf + off + MCTP_USB_HDR_LEN,
                          count - MCTP_USB_HDR_LEN, 0);
    }
    s->out_len = s->out_off = 0;
}

static void usb_mctp_out(USBMCTPState *s, USBPacket *p)
{
    size_t len = p->iov.size;

    s->out_transfers++;
    trace_mctp_usb_out(s->core.name, len);
    if (!len) {
        usb_mctp_drop(s, MCTP_USB_DROP_ZERO_LENGTH);
        return;
    }
    if (len > MCTP_USB_OUT_MAX) {
        /* taken and thrown away: more than any message needs */
        usb_packet_skip(p, len);
        mctp_core_drop(&s->core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    s->out_buf = g_realloc(s->out_buf, len);
    usb_packet_copy(p, s->out_buf, len);
    s->out_len = len;
    s->out_off = 0;
    usb_mctp_parse_out(s);
}

/* TX drained: the rest of an OUT transfer, then the transfers NAKed */
static void usb_mctp_tx_drained(USBMCTPState *s)
{
    if (s->out_len) {
        usb_mctp_parse_out(s);
    }
    if (s->out_nakked && !s->out_len && !mctp_core_tx_busy(&s->core)) {
        /* the host controller retries the OUT transfer it holds */
        s->out_nakked = false;
        usb_wakeup(s->ep_out, 0);
    }
}

/*
 * An IN transfer: as many whole packets as fit, from the message being
 * sent and the ones the responders queue when it is done.
 */
static void usb_mctp_in(USBMCTPState *s, USBPacket *p)
{
    size_t room = MIN(p->iov.size, MCTP_USB_XFER_SIZE);
    uint8_t buf[MCTP_USB_XFER_SIZE];
    uint8_t pkt[MCTP_USB_MAX_COUNT];
    size_t off = 0, len;
    unsigned npkts = 0;
    uint32_t phys;

    for (;;) {
        len = mctp_core_tx_peek(&s->core, pkt + MCTP_USB_HDR_LEN,
                                sizeof(pkt) - MCTP_USB_HDR_LEN, &phys);
        if (!len || off + MCTP_USB_HDR_LEN + len > room) {
            break;
        }
        stw_be_p(pkt, MCTP_USB_DMTF_ID);
        pkt[2] = 0;
        pkt[3] = MCTP_USB_HDR_LEN + len;
        memcpy(buf + off, pkt, MCTP_USB_HDR_LEN + len);
        off += MCTP_USB_HDR_LEN + len;
        npkts++;
        mctp_core_tx_complete(&s->core);
    }
    if (!npkts) {
        /* a host buffer too small for a packet is the host's bug */
        p->status = len ? USB_RET_BABBLE : USB_RET_NAK;
        return;
    }
    s->in_transfers++;
    trace_mctp_usb_in(s->core.name, off, npkts);
    usb_packet_copy(p, buf, off);
    if (!mctp_core_tx_busy(&s->core)) {
        usb_mctp_tx_drained(s);
    }
}

static void usb_mctp_handle_data(USBDevice *dev, USBPacket *p)
{
    USBMCTPState *s = USB_MCTP(dev);

    switch (p->pid) {
    case USB_TOKEN_OUT:
        if (p->ep->nr != USB_MCTP_EP_OUT) {
            p->status = USB_RET_STALL;
            return;
        }
        if (mctp_core_tx_busy(&s->core) || s->out_len) {
            s->out_nakked = true;
            p->status = USB_RET_NAK;
            return;
        }
        usb_mctp_out(s, p);
        return;
    case USB_TOKEN_IN:
        if (p->ep->nr != USB_MCTP_EP_IN) {
            p->status = USB_RET_STALL;
            return;
        }
        usb_mctp_in(s, p);
        return;
    default:
        p->status = USB_RET_STALL;
        return;
    }
}

static void usb_mctp_handle_control(USBDevice *dev, USBPacket *p,
                                    int request, int value, int index,
                                    int length, uint8_t *data)
{
    if (usb_desc_handle_control(dev, p, request, value, index, length,
                                data) < 0) {
        /* no class-specific requests in DSP0283 */
        p->status = USB_RET_STALL;
    }
}

static void usb_mctp_tx_kick(void *opaque)
{
    USBMCTPState *s = opaque;

    usb_wakeup(s->ep_in, 0);
}

static const MCTPTransportOps usb_mctp_transport_ops = {
    .tx_kick = usb_mctp_tx_kick,
};

static void usb_mctp_handle_reset(USBDevice *dev)
{
    USBMCTPState *s = USB_MCTP(dev);

    s->out_nakked = false;
    s->out_len = s->out_off = 0;
    mctp_core_reset(&s->core);
    mctp_echo_reset(&s->echo);
    mctp_nvme_mi_reset(&s->nmi);
    mctp_ncsi_reset(&s->ncsi);
}

static bool usb_mctp_attach_responders(USBMCTPState *s, Error **errp)
{
    MCTPCore *core = &s->core;

    if (s->has_echo && !mctp_echo_attach(&s->echo, core, errp)) {
        return false;
    }
    if (s->has_nvme_mi && !mctp_nvme_mi_attach(&s->nmi, core, errp)) {
        return false;
    }
    if (s->has_ncsi && !mctp_ncsi_attach(&s->ncsi, core, errp)) {
        return false;
    }
    return true;
}

static void usb_mctp_realize(USBDevice *dev, Error **errp)
{
    USBMCTPState *s = USB_MCTP(dev);
    MCTPCore *core = &s->core;

    if (!dev->serial) {
        dev->serial = g_strdup(USB_MCTP_DEFAULT_SERIAL);
    }
    if (qemu_uuid_is_null(&core->uuid)) {
        mctp_default_uuid(&core->uuid, OBJECT(dev), "usb");
    }
    core->name = object_get_typename(OBJECT(dev));
    core->tx_mtu_max = MCTP_USB_MAX_PAYLOAD;
    if (!mctp_core_realize(core, &usb_mctp_transport_ops, s, errp)) {
        mctp_core_unrealize(core);
        return;
    }
    /* NVMe-MI SN is the USB serial number; port 0 has no SMBus address */
    g_free(s->nmi.serial);
    s->nmi.serial = g_strdup(dev->serial);
    s->nmi.me_address = 0;
    if (!usb_mctp_attach_responders(s, errp)) {
        mctp_nvme_mi_detach(&s->nmi);
        mctp_core_unrealize(core);
        return;
    }

    s->desc = usb_mctp_desc;
    s->desc.id.idVendor = s->vendor_id;
    s->desc.id.idProduct = s->product_id;
    dev->usb_desc = &s->desc;
    usb_desc_create_serial(dev);
    usb_desc_init(dev);
    s->ep_in = usb_ep_get(dev, USB_TOKEN_IN, USB_MCTP_EP_IN);
    s->ep_out = usb_ep_get(dev, USB_TOKEN_OUT, USB_MCTP_EP_OUT);
}

static void usb_mctp_unrealize(USBDevice *dev)
{
    USBMCTPState *s = USB_MCTP(dev);

    g_clear_pointer(&s->out_buf, g_free);
    s->out_len = s->out_off = 0;
    mctp_nvme_mi_detach(&s->nmi);
    mctp_core_unrealize(&s->core);
}

static int usb_mctp_post_load(void *opaque, int version_id)
{
    USBMCTPState *s = opaque;

    if (s->out_off > s->out_len || s->out_len > MCTP_USB_OUT_MAX) {
        return -EINVAL;
    }
    /* a response still to be sent: the host polls for it again */
    if (mctp_core_tx_busy(&s->core)) {
        usb_wakeup(s->ep_in, 0);
    }
    if (s->out_nakked) {
        usb_wakeup(s->ep_out, 0);
    }
    return 0;
}

static bool usb_mctp_has_echo(void *opaque, int version_id)
{
    return ((USBMCTPState *)opaque)->has_echo;
}

static bool usb_mctp_has_nvme_mi(void *opaque, int version_id)
{
    return ((USBMCTPState *)opaque)->has_nvme_mi;
}

static bool usb_mctp_has_ncsi(void *opaque, int version_id)
{
    return ((USBMCTPState *)opaque)->has_ncsi;
}

static const VMStateDescription vmstate_usb_mctp = {
    .name = TYPE_USB_MCTP,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = usb_mctp_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_USB_DEVICE(dev, USBMCTPState),
        VMSTATE_MCTP_CORE(core, USBMCTPState),
        VMSTATE_BOOL(out_nakked, USBMCTPState),
        VMSTATE_UINT32(out_len, USBMCTPState),
        VMSTATE_UINT32(out_off, USBMCTPState),
        VMSTATE_VBUFFER_ALLOC_UINT32(out_buf, USBMCTPState, 0, NULL,
                                     out_len),
        VMSTATE_STRUCT_TEST(echo, USBMCTPState, usb_mctp_has_echo, 1,
                            vmstate_mctp_echo_responder, MCTPEcho),
        VMSTATE_STRUCT_TEST(nmi, USBMCTPState, usb_mctp_has_nvme_mi, 1,
                            vmstate_mctp_nvme_mi_responder, MCTPNvmeMi),
        VMSTATE_STRUCT_TEST(ncsi, USBMCTPState, usb_mctp_has_ncsi, 1,
                            vmstate_mctp_ncsi_responder, MCTPNcsi),
        VMSTATE_UINT64_ARRAY(drops, USBMCTPState, MCTP_USB_DROP__MAX),
        VMSTATE_UINT64(out_transfers, USBMCTPState),
        VMSTATE_UINT64(in_transfers, USBMCTPState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property usb_mctp_properties[] = {
    DEFINE_MCTP_CORE_PROPERTIES(USBMCTPState, core),
    DEFINE_PROP_UINT16("vendorid", USBMCTPState, vendor_id, 0xccde),
    DEFINE_PROP_UINT16("productid", USBMCTPState, product_id, 0x0000),
    DEFINE_PROP_BOOL("echo", USBMCTPState, has_echo, true),
    DEFINE_PROP_BOOL("nvme-mi", USBMCTPState, has_nvme_mi, true),
    DEFINE_PROP_BOOL("ncsi", USBMCTPState, has_ncsi, false),
    DEFINE_MCTP_NVME_MI_PROPERTIES(USBMCTPState, nmi, MCTP_USB_MAX_PAYLOAD),
    DEFINE_MCTP_NCSI_PROPERTIES(USBMCTPState, ncsi),
};

static void usb_mctp_instance_init(Object *obj)
{
    USBMCTPState *s = USB_MCTP(obj);

    mctp_core_add_properties(&s->core, obj);
    mctp_add_counter_properties(obj, "drops-", mctp_usb_drop_names,
                                s->drops, MCTP_USB_DROP__MAX);
    object_property_add_uint64_ptr(obj, "out-transfers", &s->out_transfers,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "in-transfers", &s->in_transfers,
                                   OBJ_PROP_FLAG_READ);
    mctp_nvme_mi_init(&s->nmi, obj);
    mctp_ncsi_init(&s->ncsi, obj);
}

static void usb_mctp_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    USBDeviceClass *uc = USB_DEVICE_CLASS(oc);

    uc->product_desc = "QEMU MCTP endpoint";
    uc->usb_desc = &usb_mctp_desc;
    uc->realize = usb_mctp_realize;
    uc->unrealize = usb_mctp_unrealize;
    uc->handle_attach = usb_desc_attach;
    uc->handle_reset = usb_mctp_handle_reset;
    uc->handle_control = usb_mctp_handle_control;
    uc->handle_data = usb_mctp_handle_data;
    dc->desc = "MCTP-over-USB endpoint (DSP0283): control, echo, NVMe-MI, "
               "NC-SI";
    dc->vmsd = &vmstate_usb_mctp;
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    device_class_set_props(dc, usb_mctp_properties);
    mctp_core_class_describe(oc);
    mctp_nvme_mi_class_describe(oc);
    mctp_ncsi_class_describe(oc);
    object_class_property_set_description(oc, "vendorid",
        "USB vendor ID (default 0xccde, as usbnvme)");
    object_class_property_set_description(oc, "productid",
        "USB product ID (default 0x0000, as usbnvme)");
    object_class_property_set_description(oc, "echo",
        "Answer Code Construct's echo and bench (type 0x7E)");
    object_class_property_set_description(oc, "nvme-mi",
        "Answer NVMe-MI (type 0x04); its serial number is 'serial'");
    object_class_property_set_description(oc, "ncsi",
        "Answer NC-SI over MCTP (type 0x02)");
}

static const TypeInfo usb_mctp_types[] = {
    {
        .name = TYPE_USB_MCTP,
        .parent = TYPE_USB_DEVICE,
        .instance_size = sizeof(USBMCTPState),
        .instance_init = usb_mctp_instance_init,
        .class_init = usb_mctp_class_init,
    },
};

DEFINE_TYPES(usb_mctp_types)
