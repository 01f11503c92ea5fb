/*
 * NC-SI control packets carried over MCTP (message type 0x02, DMTF
 * DSP0261; the packets themselves are DSP0222's): the responder, which
 * any MCTP binding can host, and mctp-ncsi, an MCTP-over-I2C endpoint
 * hosting it beside the control protocol.
 *
 * The endpoint models one or more NC-SI packages of one or more channels
 * each: package selection, the channels' initial state and enable state,
 * link status, version, capabilities, parameters, temperatures, and the
 * Mellanox "Get MAC Address" OEM command.  Link state and temperatures
 * can be changed at run time with qom-set.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/bswap.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "net/net.h"
#include "hw/mctp/mctp-ncsi.h"
#include "trace.h"

#define NCSI_MAX_PACKAGES       MCTP_NCSI_MAX_PACKAGES
#define NCSI_MAX_CHANNELS       MCTP_NCSI_MAX_CHANNELS

/* Control packet header (DSP0222 8.2.1) */
#define NCSI_HDR_LEN            16
#define NCSI_HDR_REVISION       0x01
#define NCSI_CSUM_LEN           4
#define NCSI_LEN_MASK           0x0fff
#define NCSI_PKG_SHIFT          5
#define NCSI_CHANNEL_MASK       0x1f
/* Internal channel ID addressing the package as a whole */
#define NCSI_CHANNEL_PACKAGE    0x1f
#define NCSI_TYPE_RESPONSE      0x80
#define NCSI_FW_NAME_LEN        12

/* Command types */
#define NCSI_CMD_CIS            0x00    /* Clear Initial State */
#define NCSI_CMD_SP             0x01    /* Select Package */
#define NCSI_CMD_DP             0x02    /* Deselect Package */
#define NCSI_CMD_EC             0x03    /* Enable Channel */
#define NCSI_CMD_DC             0x04    /* Disable Channel */
#define NCSI_CMD_RC             0x05    /* Reset Channel */
#define NCSI_CMD_GLS            0x0a    /* Get Link Status */
#define NCSI_CMD_GVI            0x15    /* Get Version ID */
#define NCSI_CMD_GC             0x16    /* Get Capabilities */
#define NCSI_CMD_GP             0x17    /* Get Parameters */
#define NCSI_CMD_GAT            0x48    /* Get ASIC Temperature */
#define NCSI_CMD_GAMT           0x49    /* Get Ambient Temperature */
#define NCSI_CMD_GTT            0x4a    /* Get Transceiver Temperature */
#define NCSI_CMD_OEM            0x50    /* OEM command */

/* Response codes */
#define NCSI_RSP_COMPLETED      0x0000
#define NCSI_RSP_FAILED         0x0001
#define NCSI_RSP_UNSUPPORTED    0x0003

/* Reason codes */
#define NCSI_REASON_NONE        0x0000
#define NCSI_REASON_INIT_REQ    0x0001  /* interface initialization required */
#define NCSI_REASON_PARAM       0x0002  /* parameter invalid or unsupported */
#define NCSI_REASON_LENGTH      0x0005  /* invalid payload length */
#define NCSI_REASON_UNKNOWN     0x7fff  /* unknown/unsupported command type */

/* NC-SI 1.2.0, in the version encoding of Get Version ID */
#define NCSI_VERSION_MAJOR      0xf1
#define NCSI_VERSION_MINOR      0xf2
#define NCSI_VERSION_UPDATE     0xf0

/* Get Link Status: link flag, speed and duplex in bits 4:1 */
#define NCSI_LINK_UP            (1u << 0)
#define NCSI_LINK_SPEED_SHIFT   1
#define NCSI_LINK_SPEED_MAX     0xf

/* Get Parameters configuration flags */
#define NCSI_CONFIG_CHANNEL_ENABLED (1u << 1)

/* Mellanox OEM command (manufacturer ID = IANA enterprise number) */
#define NCSI_MLX_MFR_ID         MCTP_NCSI_MLX_MFR_ID
#define NCSI_MLX_CMD_GMA        0x00    /* Get MAC Address */
#define NCSI_MLX_GMA_PARAM      0x1b
/* manufacturer ID, command revision, command, parameter, optional */
#define NCSI_MLX_HDR_LEN        8
/* the MAC address is 8 bytes into the data that follows */
#define NCSI_MLX_GMA_MAC_OFF    8
#define NCSI_MLX_GMA_DATA_LEN   16

/* Largest response payload (Get Version ID), code and reason included */
#define NCSI_RSP_PAYLOAD_MAX    40

/* Package flags */
#define NCSI_PKG_SELECTED       (1u << 0)
#define NCSI_PKG_HW_ARB_DISABLE (1u << 1)

/* Channel flags */
#define NCSI_CH_INITIAL         (1u << 0)
#define NCSI_CH_ENABLED         (1u << 1)
#define NCSI_CH_ALLOW_LINK_DOWN (1u << 2)


static const char *const ncsi_drop_names[NCSI_DROP__MAX] = {
    [NCSI_DROP_SHORT] = "short",
    [NCSI_DROP_BAD_REVISION] = "bad-revision",
    [NCSI_DROP_BAD_CHECKSUM] = "bad-checksum",
    [NCSI_DROP_NOT_COMMAND] = "not-command",
    [NCSI_DROP_BAD_PACKAGE] = "bad-package",
    [NCSI_DROP_BAD_CHANNEL] = "bad-channel",
};


static const char *const ncsi_error_names[NCSI_ERR__MAX] = {
    [NCSI_ERR_UNSUPPORTED] = "unsupported",
    [NCSI_ERR_INIT_REQUIRED] = "init-required",
    [NCSI_ERR_BAD_LENGTH] = "bad-length",
    [NCSI_ERR_BAD_PARAM] = "bad-param",
};


static const struct {
    const char *name;
    int16_t def;
    const char *desc;
} ncsi_temps[NCSI_TEMP__MAX] = {
    [NCSI_TEMP_ASIC] = { "asic-temp", 45,
                         "Current ASIC temperature (degrees C)" },
    [NCSI_TEMP_ASIC_MAX] = { "asic-temp-max", 105,
                             "Maximum ASIC temperature (degrees C)" },
    [NCSI_TEMP_AMBIENT] = { "ambient-temp", 30,
                            "Current ambient temperature (degrees C)" },
    [NCSI_TEMP_AMBIENT_MAX] = { "ambient-temp-max", 70,
                                "Maximum ambient temperature (degrees C)" },
    [NCSI_TEMP_TRANSCEIVER] = { "transceiver-temp", 40,
                                "Current transceiver temperature "
                                "(degrees C)" },
    [NCSI_TEMP_TRANSCEIVER_MAX] = { "transceiver-temp-max", 85,
                                    "Maximum transceiver temperature "
                                    "(degrees C)" },
};


/* Result of a command: response code, reason code, data after them */
typedef struct NcsiRsp {
    uint16_t code;
    uint16_t reason;
    uint8_t *data;
    size_t len;
} NcsiRsp;

/*
 * DSP0222 checksum: the 32-bit two's complement of the sum of the
 * header and payload as big-endian 16-bit words (an odd last byte is
 * the high byte of a word padded with zero).
 */
static uint32_t ncsi_checksum(const uint8_t *buf, size_t len)
{
    uint32_t sum = 0;
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += lduw_be_p(buf + i);
    }
    if (len & 1) {
        sum += buf[len - 1] << 8;
    }
    return -sum;
}

static void ncsi_drop(MCTPNcsi *s, NcsiDrop reason)
{
    s->drops[reason]++;
    trace_mctp_ncsi_drop(ncsi_drop_names[reason]);
}

static uint8_t *ncsi_ch(MCTPNcsi *s, unsigned pkg, unsigned ch)
{
    return &s->ch_flags[pkg * NCSI_MAX_CHANNELS + ch];
}

static void ncsi_error(MCTPNcsi *s, NcsiRsp *r, NcsiError err,
                       uint16_t code, uint16_t reason)
{
    s->errors[err]++;
    r->code = code;
    r->reason = reason;
    r->len = 0;
}

static uint32_t ncsi_link_status(MCTPNcsi *s)
{
    if (!s->link_up) {
        return 0;
    }
    return NCSI_LINK_UP | s->link_speed << NCSI_LINK_SPEED_SHIFT;
}

static void ncsi_put_temp(MCTPNcsi *s, NcsiRsp *r, NcsiTemp cur,
                          NcsiTemp max)
{
    stw_be_p(r->data, s->temp[max]);
    stw_be_p(r->data + 2, s->temp[cur]);
    r->len = 4;
}

static void ncsi_get_version(MCTPNcsi *s, NcsiRsp *r)
{
    uint8_t *d = r->data;

    memset(d, 0, 36);
    d[0] = NCSI_VERSION_MAJOR;
    d[1] = NCSI_VERSION_MINOR;
    d[2] = NCSI_VERSION_UPDATE;
    d[3] = 0x00;                        /* alpha1 */
    d[7] = 0x00;                        /* alpha2 */
    if (s->fw_name) {
        memcpy(d + 8, s->fw_name, strlen(s->fw_name));
    }
    stl_be_p(d + 20, s->fw_version);
    stw_be_p(d + 24, s->pci_did);
    stw_be_p(d + 26, s->pci_vid);
    stw_be_p(d + 28, s->pci_ssid);
    stw_be_p(d + 30, s->pci_svid);
    stl_be_p(d + 32, s->manufacturer_id);
    r->len = 36;
}

static void ncsi_get_capabilities(MCTPNcsi *s, NcsiRsp *r)
{
    /*
     * No hardware arbitration, packet filters, buffering, AENs or VLAN
     * modes: the controller only answers control packets over MCTP.
     */
    memset(r->data, 0, 28);
    r->data[27] = s->nr_channels;
    r->len = 28;
}

static void ncsi_get_parameters(MCTPNcsi *s, NcsiRsp *r, uint8_t flags)
{
    /* no MAC address or VLAN filters, so no filter entries follow */
    memset(r->data, 0, 28);
    stl_be_p(r->data + 16, flags & NCSI_CH_ENABLED ?
                           NCSI_CONFIG_CHANNEL_ENABLED : 0);
    r->len = 28;
}

static void ncsi_oem(MCTPNcsi *s, NcsiRsp *r, const uint8_t *p,
                     size_t plen)
{
    uint8_t *d = r->data;

    if (plen < 4) {
        ncsi_error(s, r, NCSI_ERR_BAD_LENGTH, NCSI_RSP_FAILED,
                   NCSI_REASON_LENGTH);
        return;
    }
    if (ldl_be_p(p) != NCSI_MLX_MFR_ID || plen < NCSI_MLX_HDR_LEN ||
        p[5] != NCSI_MLX_CMD_GMA || p[6] != NCSI_MLX_GMA_PARAM) {
        ncsi_error(s, r, NCSI_ERR_UNSUPPORTED, NCSI_RSP_UNSUPPORTED,
                   NCSI_REASON_UNKNOWN);
        return;
    }
    if (plen != NCSI_MLX_HDR_LEN) {
        ncsi_error(s, r, NCSI_ERR_BAD_LENGTH, NCSI_RSP_FAILED,
                   NCSI_REASON_LENGTH);
        return;
    }
    /* echo manufacturer ID, revision, command, parameter, optional */
    memcpy(d, p, NCSI_MLX_HDR_LEN);
    memset(d + NCSI_MLX_HDR_LEN, 0, NCSI_MLX_GMA_DATA_LEN);
    memcpy(d + NCSI_MLX_HDR_LEN + NCSI_MLX_GMA_MAC_OFF, s->mac.a,
           sizeof(s->mac.a));
    r->len = NCSI_MLX_HDR_LEN + NCSI_MLX_GMA_DATA_LEN;
}

typedef struct NcsiCmdInfo {
    uint8_t type;
    bool package;       /* a package command (not subject to init state) */
    int plen;           /* expected payload length, -1: variable */
} NcsiCmdInfo;

static const NcsiCmdInfo ncsi_cmds[] = {
    { NCSI_CMD_CIS, false, 0 },
    { NCSI_CMD_SP, true, 4 },
    { NCSI_CMD_DP, true, 0 },
    { NCSI_CMD_EC, false, 0 },
    { NCSI_CMD_DC, false, 4 },
    { NCSI_CMD_RC, false, 4 },
    { NCSI_CMD_GLS, false, 0 },
    { NCSI_CMD_GVI, false, 0 },
    { NCSI_CMD_GC, false, 0 },
    { NCSI_CMD_GP, false, 0 },
    { NCSI_CMD_GAT, false, 0 },
    { NCSI_CMD_GAMT, false, 0 },
    { NCSI_CMD_GTT, false, 0 },
    { NCSI_CMD_OEM, false, -1 },
};

static const NcsiCmdInfo *ncsi_find_cmd(uint8_t type)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(ncsi_cmds); i++) {
        if (ncsi_cmds[i].type == type) {
            return &ncsi_cmds[i];
        }
    }
    return NULL;
}

/* Carry out a well-formed command addressed to an existing package */
static void ncsi_command(MCTPNcsi *s, NcsiRsp *r, uint8_t type,
                         unsigned pkg, unsigned ch, const uint8_t *p,
                         size_t plen)
{
    const NcsiCmdInfo *info = ncsi_find_cmd(type);
    uint8_t *chf = NULL;

    r->code = NCSI_RSP_COMPLETED;
    r->reason = NCSI_REASON_NONE;
    r->len = 0;

    /* any command to the package but Deselect Package selects it */
    if (type != NCSI_CMD_DP) {
        s->pkg_flags[pkg] |= NCSI_PKG_SELECTED;
    }
    if (!info) {
        ncsi_error(s, r, NCSI_ERR_UNSUPPORTED, NCSI_RSP_UNSUPPORTED,
                   NCSI_REASON_UNKNOWN);
        return;
    }
    if (!info->package) {
        if (ch == NCSI_CHANNEL_PACKAGE) {
            /* a channel command needs a channel */
            ncsi_error(s, r, NCSI_ERR_BAD_PARAM, NCSI_RSP_FAILED,
                       NCSI_REASON_PARAM);
            return;
        }
        chf = ncsi_ch(s, pkg, ch);
        if ((*chf & NCSI_CH_INITIAL) && type != NCSI_CMD_CIS) {
            ncsi_error(s, r, NCSI_ERR_INIT_REQUIRED, NCSI_RSP_FAILED,
                       NCSI_REASON_INIT_REQ);
            return;
        }
    }
    if (info->plen >= 0 && plen != info->plen) {
        ncsi_error(s, r, NCSI_ERR_BAD_LENGTH, NCSI_RSP_FAILED,
                   NCSI_REASON_LENGTH);
        return;
    }

    switch (type) {
    case NCSI_CMD_CIS:
        *chf &= ~NCSI_CH_INITIAL;
        break;
    case NCSI_CMD_SP:
        if (p[3] & 1) {
            s->pkg_flags[pkg] |= NCSI_PKG_HW_ARB_DISABLE;
        } else {
            s->pkg_flags[pkg] &= ~NCSI_PKG_HW_ARB_DISABLE;
        }
        break;
    case NCSI_CMD_DP:
        s->pkg_flags[pkg] &= ~NCSI_PKG_SELECTED;
        break;
    case NCSI_CMD_EC:
        *chf |= NCSI_CH_ENABLED;
        break;
    case NCSI_CMD_DC:
        *chf &= ~(NCSI_CH_ENABLED | NCSI_CH_ALLOW_LINK_DOWN);
        if (p[3] & 1) {
            *chf |= NCSI_CH_ALLOW_LINK_DOWN;
        }
        break;
    case NCSI_CMD_RC:
        *chf = NCSI_CH_INITIAL;
        break;
    case NCSI_CMD_GLS:
        /* link status, other indications, OEM link status */
        stl_be_p(r->data, ncsi_link_status(s));
        stl_be_p(r->data + 4, 0);
        stl_be_p(r->data + 8, 0);
        r->len = 12;
        break;
    case NCSI_CMD_GVI:
        ncsi_get_version(s, r);
        break;
    case NCSI_CMD_GC:
        ncsi_get_capabilities(s, r);
        break;
    case NCSI_CMD_GP:
        ncsi_get_parameters(s, r, *chf);
        break;
    case NCSI_CMD_GAT:
        ncsi_put_temp(s, r, NCSI_TEMP_ASIC, NCSI_TEMP_ASIC_MAX);
        break;
    case NCSI_CMD_GAMT:
        ncsi_put_temp(s, r, NCSI_TEMP_AMBIENT, NCSI_TEMP_AMBIENT_MAX);
        break;
    case NCSI_CMD_GTT:
        ncsi_put_temp(s, r, NCSI_TEMP_TRANSCEIVER,
                      NCSI_TEMP_TRANSCEIVER_MAX);
        break;
    case NCSI_CMD_OEM:
        ncsi_oem(s, r, p, plen);
        break;
    default:
        g_assert_not_reached();
    }
}

static void mctp_ncsi_handle(MCTPCore *core, void *opaque,
                             const MCTPMsgCtx *ctx,
                             const uint8_t *msg, size_t len)
{
    MCTPNcsi *s = opaque;
    uint8_t out[1 + NCSI_HDR_LEN + NCSI_RSP_PAYLOAD_MAX + NCSI_CSUM_LEN];
    uint8_t *rh = out + 1;
    const uint8_t *h = msg + 1;
    size_t avail = len - 1;
    size_t plen, rlen;
    uint32_t csum;
    unsigned pkg, ch;
    NcsiRsp r;

    if (len < 1 + NCSI_HDR_LEN) {
        ncsi_drop(s, NCSI_DROP_SHORT);
        return;
    }
    if (h[1] != NCSI_HDR_REVISION) {
        ncsi_drop(s, NCSI_DROP_BAD_REVISION);
        return;
    }
    plen = lduw_be_p(h + 6) & NCSI_LEN_MASK;
    if (NCSI_HDR_LEN + ROUND_UP(plen, 4) + NCSI_CSUM_LEN > avail) {
        ncsi_drop(s, NCSI_DROP_SHORT);
        return;
    }
    csum = ldl_be_p(h + NCSI_HDR_LEN + ROUND_UP(plen, 4));
    /* zero: the sender did not compute one */
    if (csum && csum != ncsi_checksum(h, NCSI_HDR_LEN + plen)) {
        ncsi_drop(s, NCSI_DROP_BAD_CHECKSUM);
        return;
    }
    if (h[4] & NCSI_TYPE_RESPONSE) {
        /* a response or an AEN (0xFF) */
        ncsi_drop(s, NCSI_DROP_NOT_COMMAND);
        return;
    }
    pkg = h[5] >> NCSI_PKG_SHIFT;
    ch = h[5] & NCSI_CHANNEL_MASK;
    if (pkg >= s->nr_packages) {
        /* another package's: not ours to answer */
        ncsi_drop(s, NCSI_DROP_BAD_PACKAGE);
        return;
    }
    if (ch != NCSI_CHANNEL_PACKAGE && ch >= s->nr_channels) {
        /* no such channel: a requester probing channels times out */
        ncsi_drop(s, NCSI_DROP_BAD_CHANNEL);
        return;
    }

    s->commands++;
    r.data = rh + NCSI_HDR_LEN + 4;
    ncsi_command(s, &r, h[4], pkg, ch, h + NCSI_HDR_LEN, plen);
    trace_mctp_ncsi_command(h[4], h[5], h[3], r.code, r.reason);

    rlen = 4 + r.len;
    out[0] = MCTP_MSG_TYPE_NCSI;
    memset(rh, 0, NCSI_HDR_LEN);
    rh[0] = h[0];                       /* MC ID */
    rh[1] = NCSI_HDR_REVISION;
    rh[3] = h[3];                       /* instance ID */
    rh[4] = h[4] | NCSI_TYPE_RESPONSE;
    rh[5] = h[5];
    stw_be_p(rh + 6, rlen);
    stw_be_p(rh + NCSI_HDR_LEN, r.code);
    stw_be_p(rh + NCSI_HDR_LEN + 2, r.reason);
    /* payload pad, then the checksum of header and payload */
    memset(rh + NCSI_HDR_LEN + rlen, 0, ROUND_UP(rlen, 4) - rlen);
    stl_be_p(rh + NCSI_HDR_LEN + ROUND_UP(rlen, 4),
             ncsi_checksum(rh, NCSI_HDR_LEN + rlen));
    mctp_core_respond(core, ctx, out,
                      1 + NCSI_HDR_LEN + ROUND_UP(rlen, 4) + NCSI_CSUM_LEN);
}

static const uint32_t mctp_ncsi_versions[] = {
    MCTP_VERSION(1, 0, MCTP_VERSION_NO_UPDATE),
};

static const MCTPResponderInfo mctp_ncsi_responder = {
    .type = MCTP_MSG_TYPE_NCSI,
    .versions = mctp_ncsi_versions,
    .nr_versions = ARRAY_SIZE(mctp_ncsi_versions),
    .handle = mctp_ncsi_handle,
};

void mctp_ncsi_reset(MCTPNcsi *s)
{
    /* after power-up or reset: packages deselected, channels initial */
    memset(s->pkg_flags, 0, sizeof(s->pkg_flags));
    memset(s->ch_flags, NCSI_CH_INITIAL, sizeof(s->ch_flags));
}

bool mctp_ncsi_attach(MCTPNcsi *s, MCTPCore *core, Error **errp)
{
    if (s->nr_packages < 1 || s->nr_packages > NCSI_MAX_PACKAGES) {
        error_setg(errp, "packages must be between 1 and %d",
                   NCSI_MAX_PACKAGES);
        return false;
    }
    if (s->nr_channels < 1 || s->nr_channels > NCSI_MAX_CHANNELS) {
        error_setg(errp, "channels must be between 1 and %d",
                   NCSI_MAX_CHANNELS);
        return false;
    }
    if (s->fw_name && strlen(s->fw_name) > NCSI_FW_NAME_LEN) {
        error_setg(errp, "fw-name is longer than %d characters",
                   NCSI_FW_NAME_LEN);
        return false;
    }
    qemu_macaddr_default_if_unset(&s->mac);
    mctp_ncsi_reset(s);
    return mctp_core_add_responder(core, &mctp_ncsi_responder, s, errp);
}

static int mctp_ncsi_post_load(void *opaque, int version_id)
{
    MCTPNcsi *s = opaque;

    if (s->link_speed > NCSI_LINK_SPEED_MAX) {
        return -EINVAL;
    }
    return 0;
}

const VMStateDescription vmstate_mctp_ncsi_responder = {
    .name = "mctp-ncsi-responder",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = mctp_ncsi_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(link_up, MCTPNcsi),
        VMSTATE_UINT8(link_speed, MCTPNcsi),
        VMSTATE_INT16_ARRAY(temp, MCTPNcsi, NCSI_TEMP__MAX),
        VMSTATE_UINT8_ARRAY(pkg_flags, MCTPNcsi, NCSI_MAX_PACKAGES),
        VMSTATE_UINT8_ARRAY(ch_flags, MCTPNcsi,
                            NCSI_MAX_PACKAGES * NCSI_MAX_CHANNELS),
        VMSTATE_UINT64(commands, MCTPNcsi),
        VMSTATE_UINT64_ARRAY(drops, MCTPNcsi, NCSI_DROP__MAX),
        VMSTATE_UINT64_ARRAY(errors, MCTPNcsi, NCSI_ERR__MAX),
        VMSTATE_END_OF_LIST()
    },
};

static void mctp_ncsi_set_link_speed(Object *obj, Visitor *v,
                                     const char *name, void *opaque,
                                     Error **errp)
{
    uint8_t value;

    if (!visit_type_uint8(v, name, &value, errp)) {
        return;
    }
    if (value > NCSI_LINK_SPEED_MAX) {
        error_setg(errp, "link-speed must be between 0 and %d",
                   NCSI_LINK_SPEED_MAX);
        return;
    }
    *(uint8_t *)opaque = value;
}

static void mctp_ncsi_get_link_up(Object *obj, Visitor *v, const char *name,
                                  void *opaque, Error **errp)
{
    visit_type_bool(v, name, opaque, errp);
}

static void mctp_ncsi_set_link_up(Object *obj, Visitor *v, const char *name,
                                  void *opaque, Error **errp)
{
    bool value;

    if (visit_type_bool(v, name, &value, errp)) {
        *(bool *)opaque = value;
    }
}

static void mctp_ncsi_get_u8(Object *obj, Visitor *v, const char *name,
                             void *opaque, Error **errp)
{
    visit_type_uint8(v, name, opaque, errp);
}

static void mctp_ncsi_get_temp(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    visit_type_int16(v, name, opaque, errp);
}

static void mctp_ncsi_set_temp(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    int16_t value;

    if (visit_type_int16(v, name, &value, errp)) {
        *(int16_t *)opaque = value;
    }
}

/* One bit per package */
static void mctp_ncsi_get_selected(Object *obj, Visitor *v, const char *name,
                                   void *opaque, Error **errp)
{
    MCTPNcsi *s = opaque;
    uint8_t mask = 0;
    int i;

    for (i = 0; i < NCSI_MAX_PACKAGES; i++) {
        if (s->pkg_flags[i] & NCSI_PKG_SELECTED) {
            mask |= 1u << i;
        }
    }
    visit_type_uint8(v, name, &mask, errp);
}

/* Bit package * 8 + channel set where the channel has flag @flag */
static uint64_t mctp_ncsi_ch_mask(MCTPNcsi *s, uint8_t flag)
{
    uint64_t mask = 0;
    int pkg, ch;

    for (pkg = 0; pkg < s->nr_packages && pkg < NCSI_MAX_PACKAGES; pkg++) {
        for (ch = 0; ch < s->nr_channels && ch < NCSI_MAX_CHANNELS; ch++) {
            if (*ncsi_ch(s, pkg, ch) & flag) {
                mask |= 1ull << (pkg * NCSI_MAX_CHANNELS + ch);
            }
        }
    }
    return mask;
}

static void mctp_ncsi_get_enabled(Object *obj, Visitor *v, const char *name,
                                  void *opaque, Error **errp)
{
    uint64_t mask = mctp_ncsi_ch_mask(opaque, NCSI_CH_ENABLED);

    visit_type_uint64(v, name, &mask, errp);
}

static void mctp_ncsi_get_initial(Object *obj, Visitor *v, const char *name,
                                  void *opaque, Error **errp)
{
    uint64_t mask = mctp_ncsi_ch_mask(opaque, NCSI_CH_INITIAL);

    visit_type_uint64(v, name, &mask, errp);
}

void mctp_ncsi_init(MCTPNcsi *s, Object *obj)
{
    int i;

    s->fw_name = g_strdup("QEMU NC-SI");
    s->link_up = true;
    s->link_speed = 0x7;                /* 1000BASE-T full duplex */
    for (i = 0; i < NCSI_TEMP__MAX; i++) {
        s->temp[i] = ncsi_temps[i].def;
    }
    object_property_add_uint64_ptr(obj, "ncsi-commands", &s->commands,
                                   OBJ_PROP_FLAG_READ);
    mctp_add_counter_properties(obj, "ncsi-drops-", ncsi_drop_names,
                                s->drops, NCSI_DROP__MAX);
    mctp_add_counter_properties(obj, "ncsi-errors-", ncsi_error_names,
                                s->errors, NCSI_ERR__MAX);

    object_property_add(obj, "link-up", "bool", mctp_ncsi_get_link_up,
                        mctp_ncsi_set_link_up, NULL, &s->link_up);
    object_property_set_description(obj, "link-up",
        "Link state reported by Get Link Status (settable at run time)");
    object_property_add(obj, "link-speed", "uint8", mctp_ncsi_get_u8,
                        mctp_ncsi_set_link_speed, NULL, &s->link_speed);
    object_property_set_description(obj, "link-speed",
        "Speed and duplex code of Get Link Status, 0-15 (settable at "
        "run time)");
    for (i = 0; i < NCSI_TEMP__MAX; i++) {
        object_property_add(obj, ncsi_temps[i].name, "int16",
                            mctp_ncsi_get_temp, mctp_ncsi_set_temp,
                            NULL, &s->temp[i]);
        object_property_set_description(obj, ncsi_temps[i].name,
                                        ncsi_temps[i].desc);
    }
    object_property_add(obj, "selected-packages", "uint8",
                        mctp_ncsi_get_selected, NULL, NULL, s);
    object_property_add(obj, "enabled-channels", "uint64",
                        mctp_ncsi_get_enabled, NULL, NULL, s);
    object_property_add(obj, "initial-state-channels", "uint64",
                        mctp_ncsi_get_initial, NULL, NULL, s);
}

void mctp_ncsi_class_describe(ObjectClass *oc)
{
    object_class_property_set_description(oc, "packages",
        "Number of NC-SI packages, IDs 0 up (1-8)");
    object_class_property_set_description(oc, "channels",
        "Channels per package, IDs 0 up (1-8)");
    object_class_property_set_description(oc, "fw-name",
        "Firmware name in Get Version ID (up to 12 characters)");
    object_class_property_set_description(oc, "fw-version",
        "Firmware version in Get Version ID");
    object_class_property_set_description(oc, "manufacturer-id",
        "IANA manufacturer ID in Get Version ID");
    object_class_property_set_description(oc, "mac",
        "MAC address returned by the Mellanox Get MAC Address OEM command "
        "(default: 52:54:00:12:34:xx)");
}
