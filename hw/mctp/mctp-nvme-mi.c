/*
 * An NVMe-MI (NVM Express Management Interface 1.2) Management Endpoint
 * responder, modelling an NVM subsystem with one controller (ID 0), one
 * namespace (NSID 1) and one port.  Any MCTP binding can host it: the
 * I2C endpoint mctp-nvme-mi (mctp-i2c-devices.c) and usb-mctp.  The
 * tunnelled Admin commands are in mctp-nvme-mi-admin.c.
 *
 * Messages are MCTP type 0x04 with the integrity check bit set: a CRC-32C
 * message integrity check (MIC) ends each of them.  Supported: NVMe-MI
 * commands (Read NVMe-MI Data Structure, NVM Subsystem and Controller
 * Health Status Poll, Configuration Get/Set, VPD Read/Write) and the
 * tunnelled Admin commands Identify and Get Log Page.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/crc32c.h"
#include "qemu/cutils.h"
#include "qemu/units.h"
#include "migration/vmstate.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-properties-system.h"
#include "hw/mctp/mctp-nvme-mi.h"
#include "system/block-backend.h"
#include "mctp-nvme-mi-int.h"
#include "trace.h"

static const char *const nmi_drop_names[NMI_DROP__MAX] = {
    [NMI_DROP_NO_IC] = "no-ic",
    [NMI_DROP_SHORT] = "short",
    [NMI_DROP_BAD_MIC] = "bad-mic",
    [NMI_DROP_NOT_REQUEST] = "response",
};

/* Requests answered with an error status, by status; one QOM counter each */
QEMU_BUILD_BUG_ON(NMI_INVALID_INPUT_SIZE + 1 != MCTP_NVME_MI_ERR_STATUS_MAX);
static const char *const nmi_error_names[MCTP_NVME_MI_ERR_STATUS_MAX] = {
    [NMI_INTERNAL_ERROR] = "internal-error",
    [NMI_INVALID_OPCODE] = "invalid-opcode",
    [NMI_INVALID_PARAM] = "invalid-param",
    [NMI_INVALID_CMD_SIZE] = "invalid-cmd-size",
    [NMI_INVALID_INPUT_SIZE] = "invalid-input-size",
};

static uint32_t nmi_mic(const uint8_t *buf, size_t len)
{
    return crc32c(0xffffffff, buf, len);  /* complements the result */
}

uint8_t nmi_ctemp(int32_t celsius)
{
    if (celsius >= 127) {
        return 0x7f;
    }
    if (celsius <= -60) {
        return 0xc4;
    }
    return (uint8_t)celsius;
}

uint16_t nmi_kelvin(MCTPNvmeMi *s)
{
    return s->temperature + 273;
}

uint8_t nmi_pdlu(MCTPNvmeMi *s)
{
    return s->percentage_used;
}

static uint8_t nmi_freq_code(uint32_t khz)
{
    return khz >= 1000 ? 3 : khz >= 400 ? 2 : 1;
}

void nmi_set_status(NmiReq *r, uint8_t status)
{
    r->rsp[4] = status;
    r->rsp[5] = r->rsp[6] = r->rsp[7] = 0;
    r->rsp_len = 8;
}

void nmi_invalid_param(NmiReq *r, uint16_t byte, uint8_t bit)
{
    nmi_set_status(r, NMI_INVALID_PARAM);
    r->rsp[5] = bit & 7;
    stw_le_p(r->rsp + 6, byte);
}

void nmi_data(NmiReq *r, size_t len, bool len_in_nmresp)
{
    nmi_set_status(r, NMI_SUCCESS);
    if (len_in_nmresp) {
        stw_le_p(r->rsp + 5, len);
    }
    r->rsp_len = 8 + len;
}

void nmi_strpad(uint8_t *dst, const char *src, size_t size)
{
    size_t n = MIN(strlen(src), size);

    memset(dst, ' ', size);
    memcpy(dst, src, n);
}

/*
 * NVMe-MI commands
 */

static void nmi_read_ds(MCTPNvmeMi *s, NmiReq *r, uint32_t cdw0)
{
    uint8_t dtyp = cdw0 >> 24;
    uint8_t portid = cdw0 >> 16;
    uint16_t ctrlid = cdw0;
    uint8_t *d = r->rsp + 8;

    switch (dtyp) {
    case NMI_DS_SUBSYS:
        memset(d, 0, 32);
        d[0] = 0;                       /* NUMP: one port */
        d[1] = NMI_VERSION_MAJOR;
        d[2] = NMI_VERSION_MINOR;
        nmi_data(r, 32, true);
        break;
    case NMI_DS_PORT:
        if (portid != 0) {
            nmi_invalid_param(r, 10, 0);
            return;
        }
        memset(d, 0, 32);
        d[0] = NMI_PORT_2WIRE;
        stw_le_p(d + 2, s->port_max_mtu);
        stl_le_p(d + 4, 0);             /* no management endpoint buffer */
        d[8] = 0;                       /* no VPD device on the bus */
        d[9] = 0;
        d[10] = s->me_address;
        d[11] = nmi_freq_code(s->smbus_max_khz);
        d[12] = s->basic_address ? 1 : 0;
        nmi_data(r, 32, true);
        break;
    case NMI_DS_CTRL_LIST:
        /* controllers with an ID greater than or equal to CTRLID */
        stw_le_p(d, ctrlid <= NMI_CTRL_ID ? 1 : 0);
        stw_le_p(d + 2, NMI_CTRL_ID);
        nmi_data(r, ctrlid <= NMI_CTRL_ID ? 4 : 2, true);
        break;
    case NMI_DS_CTRL_INFO:
        if (ctrlid != NMI_CTRL_ID) {
            nmi_invalid_param(r, 8, 0);
            return;
        }
        memset(d, 0, 32);
        d[0] = 0;                       /* port identifier */
        d[5] = 0;                       /* no PCIe routing information */
        stw_le_p(d + 8, s->vid);
        stw_le_p(d + 10, s->did);
        stw_le_p(d + 12, s->vid);
        stw_le_p(d + 14, s->ssid);
        nmi_data(r, 32, true);
        break;
    case NMI_DS_OPT_CMDS:
        /* command type (NMIMT), opcode */
        stw_le_p(d, 2);
        d[2] = NMI_NMIMT_MI;
        d[3] = NMI_OPC_VPD_READ;
        d[4] = NMI_NMIMT_MI;
        d[5] = NMI_OPC_VPD_WRITE;
        nmi_data(r, 6, true);
        break;
    case NMI_DS_MEB_CMDS:
        stw_le_p(d, 0);
        nmi_data(r, 2, true);
        break;
    default:
        nmi_invalid_param(r, 11, 0);
        break;
    }
}

static void nmi_subsys_health(MCTPNvmeMi *s, NmiReq *r, uint32_t cdw1)
{
    uint8_t *d = r->rsp + 8;

    d[0] = NMI_NSS;
    d[1] = ~s->critical_warning & 0x3f;
    d[2] = nmi_ctemp(s->temperature);
    d[3] = nmi_pdlu(s);
    stw_le_p(d + 4, s->ccs);
    d[6] = d[7] = 0;
    nmi_data(r, 8, false);
    if (cdw1 & (1u << 31)) {
        s->ccs = 0;
    }
}

static void nmi_ctrl_health(MCTPNvmeMi *s, NmiReq *r, uint32_t cdw0)
{
    uint16_t sctlid = cdw0;
    uint8_t *d = r->rsp + 8;
    uint8_t rent = 0;

    if (sctlid <= NMI_CTRL_ID) {
        memset(d, 0, 16);
        stw_le_p(d, NMI_CTRL_ID);
        stw_le_p(d + 2, 0x0001);        /* CSTS.RDY */
        stw_le_p(d + 4, nmi_kelvin(s));
        d[6] = nmi_pdlu(s);
        d[7] = s->available_spare;
        d[8] = s->critical_warning;
        rent = 1;
    }
    nmi_data(r, rent * 16, false);
    r->rsp[5] = rent;
}

static void nmi_config(MCTPNvmeMi *s, MCTPCore *core, NmiReq *r,
                       bool set, uint32_t cdw0, uint32_t cdw1)
{
    uint8_t id = cdw0;
    uint8_t port = cdw0 >> 24;
    uint8_t freq;
    uint32_t mtu;

    switch (id) {
    case NMI_CFG_SMBUS_FREQ:
        if (port != 0) {
            nmi_invalid_param(r, 11, 0);
            return;
        }
        if (set) {
            freq = (cdw0 >> 8) & 0xf;
            if (freq < 1 || freq > nmi_freq_code(s->smbus_max_khz)) {
                nmi_invalid_param(r, 9, 0);
                return;
            }
            s->smbus_freq = freq;
            nmi_set_status(r, NMI_SUCCESS);
        } else {
            nmi_set_status(r, NMI_SUCCESS);
            r->rsp[5] = s->smbus_freq;
        }
        break;
    case NMI_CFG_HEALTH_CHANGE:
        if (!set) {
            nmi_invalid_param(r, 8, 0);
            return;
        }
        s->ccs &= ~(cdw1 & NMI_CCS_ALL);
        nmi_set_status(r, NMI_SUCCESS);
        break;
    case NMI_CFG_MCTP_MTU:
        if (port != 0) {
            nmi_invalid_param(r, 11, 0);
            return;
        }
        if (set) {
            mtu = cdw1 & 0xffff;
            if (mtu < MCTP_BTU || mtu > s->port_max_mtu || (cdw1 >> 16)) {
                nmi_invalid_param(r, 12, 0);
                return;
            }
            /* the response still goes out with the old unit */
            r->new_mtu = mtu;
            nmi_set_status(r, NMI_SUCCESS);
        } else {
            nmi_set_status(r, NMI_SUCCESS);
            stw_le_p(r->rsp + 5, core->tx_mtu);
        }
        break;
    default:
        nmi_invalid_param(r, 8, 0);
        break;
    }
    trace_mctp_nvme_mi_config(set, id, port, cdw0, cdw1, r->rsp[4]);
}

static void nmi_vpd(MCTPNvmeMi *s, NmiReq *r, bool write,
                    uint32_t cdw0, uint32_t cdw1,
                    const uint8_t *data, size_t dlen)
{
    uint32_t off = cdw0 & 0xffff;
    uint32_t len = cdw1 & 0xffff;

    if (off > s->vpd_size) {
        nmi_invalid_param(r, 8, 0);
        return;
    }
    if (off + len > s->vpd_size || (!write && len > NMI_MAX_DATA)) {
        nmi_invalid_param(r, 12, 0);
        return;
    }
    if (!write) {
        memcpy(r->rsp + 8, s->vpd + off, len);
        nmi_data(r, len, false);
        return;
    }
    if (dlen != len) {
        nmi_set_status(r, NMI_INVALID_INPUT_SIZE);
        return;
    }
    memcpy(s->vpd + off, data, len);
    if (s->blk && len &&
        blk_pwrite(s->blk, off, len, s->vpd + off, 0) < 0) {
        nmi_set_status(r, NMI_INTERNAL_ERROR);
        return;
    }
    nmi_set_status(r, NMI_SUCCESS);
}

static void nmi_mi_command(MCTPNvmeMi *s, MCTPCore *core, NmiReq *r)
{
    uint8_t opc;
    uint32_t cdw0, cdw1;
    size_t dlen;

    if (r->len < 16) {
        nmi_set_status(r, NMI_INVALID_CMD_SIZE);
        trace_mctp_nvme_mi_mi_command(0xff, NMI_INVALID_CMD_SIZE);
        return;
    }
    opc = r->msg[4];
    cdw0 = ldl_le_p(r->msg + 8);
    cdw1 = ldl_le_p(r->msg + 12);
    dlen = r->len - 16;
    if (dlen && opc != NMI_OPC_VPD_WRITE && opc <= NMI_OPC_VPD_READ) {
        nmi_set_status(r, NMI_INVALID_INPUT_SIZE);
        trace_mctp_nvme_mi_mi_command(opc, r->rsp[4]);
        return;
    }
    switch (opc) {
    case NMI_OPC_READ_DS:
        nmi_read_ds(s, r, cdw0);
        break;
    case NMI_OPC_SUBSYS_HEALTH:
        nmi_subsys_health(s, r, cdw1);
        break;
    case NMI_OPC_CTRL_HEALTH:
        nmi_ctrl_health(s, r, cdw0);
        break;
    case NMI_OPC_CONFIG_SET:
    case NMI_OPC_CONFIG_GET:
        nmi_config(s, core, r, opc == NMI_OPC_CONFIG_SET, cdw0, cdw1);
        break;
    case NMI_OPC_VPD_READ:
    case NMI_OPC_VPD_WRITE:
        nmi_vpd(s, r, opc == NMI_OPC_VPD_WRITE, cdw0, cdw1,
                r->msg + 16, dlen);
        break;
    default:
        nmi_set_status(r, NMI_INVALID_OPCODE);
        break;
    }
    trace_mctp_nvme_mi_mi_command(opc, r->rsp[4]);
}

static void nmi_drop(MCTPNvmeMi *s, NmiDropReason reason)
{
    s->drops[reason]++;
    trace_mctp_nvme_mi_drop(nmi_drop_names[reason]);
}

static void nmi_handle(MCTPCore *core, void *opaque, const MCTPMsgCtx *ctx,
                       const uint8_t *msg, size_t len)
{
    MCTPNvmeMi *s = opaque;
    g_autofree uint8_t *rsp = NULL;
    NmiReq r = { 0 };
    uint8_t nmp, nmimt;

    if (!(msg[0] & MCTP_MSG_IC)) {
        nmi_drop(s, NMI_DROP_NO_IC);
        return;
    }
    /* type, NMP, two reserved bytes and the MIC at least */
    if (len < 4 + NMI_MIC_LEN) {
        nmi_drop(s, NMI_DROP_SHORT);
        return;
    }
    len -= NMI_MIC_LEN;
    if (ldl_le_p(msg + len) != nmi_mic(msg, len)) {
        nmi_drop(s, NMI_DROP_BAD_MIC);
        return;
    }
    nmp = msg[1];
    if (nmp & NMI_NMP_ROR) {
        nmi_drop(s, NMI_DROP_NOT_REQUEST);
        return;
    }
    nmimt = (nmp >> NMI_NMP_NMIMT_SHIFT) & NMI_NMP_NMIMT_MASK;

    rsp = g_malloc0(NMI_MAX_MSG);
    r.msg = msg;
    r.len = len;
    r.rsp = rsp;
    rsp[0] = MCTP_MSG_IC | MCTP_MSG_TYPE_NVME_MI;
    rsp[1] = NMI_NMP_ROR | (nmimt << NMI_NMP_NMIMT_SHIFT) |
             (nmp & NMI_NMP_CSI);

    switch (nmimt) {
    case NMI_NMIMT_MI:
        nmi_mi_command(s, core, &r);
        break;
    case NMI_NMIMT_ADMIN:
        nmi_admin_command(s, &r);
        break;
    default:
        /* control primitives, PCIe commands, asynchronous events */
        nmi_set_status(&r, NMI_INVALID_OPCODE);
        if (nmimt == NMI_NMIMT_CONTROL && len > 5) {
            rsp[5] = msg[5];            /* a control primitive's tag */
        }
        trace_mctp_nvme_mi_unsupported_nmimt(nmimt);
        break;
    }

    if (rsp[4] != NMI_SUCCESS && rsp[4] < MCTP_NVME_MI_ERR_STATUS_MAX) {
        s->errors[rsp[4]]++;
    }
    stl_le_p(rsp + r.rsp_len, nmi_mic(rsp, r.rsp_len));
    if (mctp_core_respond(core, ctx, rsp, r.rsp_len + NMI_MIC_LEN) &&
        r.new_mtu) {
        mctp_core_set_tx_mtu(core, r.new_mtu);
    }
}

static const uint32_t nmi_versions[] = {
    MCTP_VERSION(1, 2, MCTP_VERSION_NO_UPDATE),
};

static const MCTPResponderInfo nmi_responder = {
    .type = MCTP_MSG_TYPE_NVME_MI,
    .allow_ic = true,
    .max_msg_size = NMI_MAX_MSG,
    .versions = nmi_versions,
    .nr_versions = ARRAY_SIZE(nmi_versions),
    .handle = nmi_handle,
};

/*
 * Health values as QOM properties: a change raises the matching changed
 * flags that the health status polls report.
 */

typedef struct NmiHealthProp {
    const char *name;
    const char *desc;
    size_t offset;
    bool is_int32;
    int64_t min;
    int64_t max;
    uint16_t ccs;
} NmiHealthProp;

static const NmiHealthProp nmi_health_props[] = {
    { "temperature", "Composite temperature in degrees Celsius",
      offsetof(MCTPNvmeMi, temperature), true, -273, 1000,
      NMI_CCS_CTEMP },
    { "available-spare", "Available spare, percent",
      offsetof(MCTPNvmeMi, available_spare), false, 0, 100,
      NMI_CCS_SPARE },
    { "spare-threshold", "Available spare threshold, percent",
      offsetof(MCTPNvmeMi, spare_threshold), false, 0, 100, 0 },
    { "percentage-used", "Percentage of the rated life used (0-255)",
      offsetof(MCTPNvmeMi, percentage_used), false, 0, 255,
      NMI_CCS_PDLU },
    { "critical-warning", "SMART critical warning bits (0-0x3f)",
      offsetof(MCTPNvmeMi, critical_warning), false, 0, 0x3f,
      NMI_CCS_CCWARN },
};

static const NmiHealthProp *nmi_health_prop(const char *name)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(nmi_health_props); i++) {
        if (!strcmp(nmi_health_props[i].name, name)) {
            return &nmi_health_props[i];
        }
    }
    g_assert_not_reached();
}

static void nmi_health_get(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    const NmiHealthProp *p = nmi_health_prop(name);
    void *field = (uint8_t *)opaque + p->offset;
    int64_t value = p->is_int32 ? *(int32_t *)field : *(uint8_t *)field;

    visit_type_int(v, name, &value, errp);
}

static void nmi_health_set(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    MCTPNvmeMi *s = opaque;
    const NmiHealthProp *p = nmi_health_prop(name);
    void *field = (uint8_t *)opaque + p->offset;
    int64_t value;

    if (!visit_type_int(v, name, &value, errp)) {
        return;
    }
    if (value < p->min || value > p->max) {
        error_setg(errp, "%s must be between %" PRId64 " and %" PRId64,
                   name, p->min, p->max);
        return;
    }
    if (p->is_int32) {
        *(int32_t *)field = value;
    } else {
        *(uint8_t *)field = value;
    }
    s->ccs |= p->ccs;
    trace_mctp_nvme_mi_health(name, value);
}

/*
 * VPD: an IPMI FRU image; by default a product info area naming the
 * drive, or the contents of the "drive" block backend.
 */

static size_t nmi_fru_field(uint8_t *p, const char *str)
{
    size_t n = MIN(strlen(str), 63);

    p[0] = 0xc0 | n;
    memcpy(p + 1, str, n);
    return 1 + n;
}

static uint8_t nmi_fru_sum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    while (len--) {
        sum += *p++;
    }
    return -sum;
}

static void nmi_default_vpd(MCTPNvmeMi *s)
{
    uint8_t *h = s->vpd, *a = s->vpd + 8;
    size_t n = 3;

    h[0] = 0x01;                        /* format version */
    h[4] = 1;                           /* product info area at 8 */
    h[7] = nmi_fru_sum(h, 7);
    a[0] = 0x01;
    a[2] = 0x00;                        /* language: English */
    n += nmi_fru_field(a + n, "QEMU");
    n += nmi_fru_field(a + n, s->model);
    n += nmi_fru_field(a + n, "");      /* part number */
    n += nmi_fru_field(a + n, s->firmware);
    n += nmi_fru_field(a + n, s->serial);
    n += nmi_fru_field(a + n, "");      /* asset tag */
    n += nmi_fru_field(a + n, "");      /* FRU file id */
    a[n++] = 0xc1;                      /* end of fields */
    n = ROUND_UP(n + 1, 8);
    a[1] = n / 8;
    a[n - 1] = nmi_fru_sum(a, n - 1);
}

static bool nmi_check_str(const char *name, const char *value, size_t max,
                          Error **errp)
{
    size_t i;

    if (strlen(value) > max) {
        error_setg(errp, "%s is longer than %zu characters", name, max);
        return false;
    }
    for (i = 0; value[i]; i++) {
        if (value[i] < 0x20 || value[i] > 0x7e) {
            error_setg(errp, "%s must be printable ASCII", name);
            return false;
        }
    }
    return true;
}


bool mctp_nvme_mi_attach(MCTPNvmeMi *s, MCTPCore *core, Error **errp)
{
    if (!s->serial) {
        s->serial = g_strdup("QEMU-NVME-MI-0001");
    }
    if (!s->model) {
        s->model = g_strdup("QEMU NVMe-MI Subsystem");
    }
    if (!s->firmware) {
        s->firmware = g_strdup("1.0");
    }
    if (!nmi_check_str("serial", s->serial, 20, errp) ||
        !nmi_check_str("model", s->model, 40, errp) ||
        !nmi_check_str("firmware", s->firmware, 8, errp)) {
        return false;
    }
    if (s->port_max_mtu < MCTP_BTU || s->port_max_mtu > core->tx_mtu_max) {
        error_setg(errp, "port-max-mtu must be between %d and %u",
                   MCTP_BTU, core->tx_mtu_max);
        return false;
    }
    if (s->smbus_max_khz != 100 && s->smbus_max_khz != 400 &&
        s->smbus_max_khz != 1000) {
        error_setg(errp, "smbus-max-khz must be 100, 400 or 1000");
        return false;
    }
    if (core->tx_mtu > s->port_max_mtu) {
        error_setg(errp, "tx-mtu is larger than port-max-mtu");
        return false;
    }
    if (core->max_msg_size < NMI_MAX_MSG) {
        error_setg(errp, "max-msg-size must be at least %d for NVMe-MI",
                   NMI_MAX_MSG);
        return false;
    }
    if (s->ns_size < (1 << NMI_LBA_SHIFT)) {
        error_setg(errp, "namespace-size must be at least %d bytes",
                   1 << NMI_LBA_SHIFT);
        return false;
    }

    if (s->blk) {
        int64_t len = blk_getlength(s->blk);

        if (len < 8 || len > NMI_VPD_MAX_SIZE) {
            error_setg(errp, "VPD image must be 8 to %d bytes",
                       NMI_VPD_MAX_SIZE);
            return false;
        }
        if (blk_set_perm(s->blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                         BLK_PERM_ALL, errp) < 0) {
            return false;
        }
        s->vpd_size = len;
        s->vpd = g_malloc0(len);
        if (blk_pread(s->blk, 0, len, s->vpd, 0) < 0) {
            error_setg(errp, "cannot read the VPD image");
            g_clear_pointer(&s->vpd, g_free);
            return false;
        }
    } else {
        s->vpd_size = NMI_VPD_DEFAULT_SIZE;
        s->vpd = g_malloc0(s->vpd_size);
        nmi_default_vpd(s);
    }

    s->core = core;
    s->boot_mtu = core->tx_mtu;
    if (!mctp_core_add_responder(core, &nmi_responder, s, errp)) {
        mctp_nvme_mi_detach(s);
        return false;
    }
    return true;
}

void mctp_nvme_mi_detach(MCTPNvmeMi *s)
{
    g_clear_pointer(&s->vpd, g_free);
}

void mctp_nvme_mi_reset(MCTPNvmeMi *s)
{
    if (s->core && s->boot_mtu) {
        s->core->tx_mtu = s->boot_mtu;
    }
    s->ccs = NMI_CCS_RDY;
    s->smbus_freq = 1;
    s->err_count = 0;
    memset(s->err_log, 0, sizeof(s->err_log));
}

void mctp_nvme_mi_basic_block(MCTPNvmeMi *s,
                              uint8_t d[MCTP_NVME_MI_BASIC_SIZE])
{
    memset(d, 0, MCTP_NVME_MI_BASIC_SIZE);
    d[0] = 6;
    d[1] = 0x80 | NMI_NSS;              /* SMBus arbitration done, NSS */
    d[2] = ~s->critical_warning;
    d[3] = nmi_ctemp(s->temperature);
    d[4] = nmi_pdlu(s);
    d[8] = 22;
    d[9] = s->vid >> 8;
    d[10] = s->vid;
    nmi_strpad(d + 11, s->serial, 20);
}

static int nmi_post_load(void *opaque, int version_id)
{
    MCTPNvmeMi *s = opaque;

    if (s->smbus_freq < 1 || s->smbus_freq > 3 ||
        s->temperature < -273 || s->temperature > 1000 ||
        s->available_spare > 100 || s->spare_threshold > 100 ||
        s->critical_warning > 0x3f) {
        return -EINVAL;
    }
    return 0;
}

static bool nmi_vpd_size_ok(void *opaque, int version_id)
{
    MCTPNvmeMi *s = opaque;

    return s->vpd != NULL;
}

static bool nmi_errors_needed(void *opaque)
{
    MCTPNvmeMi *s = opaque;
    int i;

    for (i = 0; i < MCTP_NVME_MI_ERR_STATUS_MAX; i++) {
        if (s->errors[i]) {
            return true;
        }
    }
    return false;
}

static const VMStateDescription vmstate_nmi_errors = {
    .name = "mctp-nvme-mi-responder/errors",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = nmi_errors_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64_ARRAY(errors, MCTPNvmeMi, MCTP_NVME_MI_ERR_STATUS_MAX),
        VMSTATE_END_OF_LIST()
    },
};

const VMStateDescription vmstate_mctp_nvme_mi_responder = {
    .name = "mctp-nvme-mi-responder",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = nmi_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_INT32(temperature, MCTPNvmeMi),
        VMSTATE_UINT8(available_spare, MCTPNvmeMi),
        VMSTATE_UINT8(spare_threshold, MCTPNvmeMi),
        VMSTATE_UINT8(percentage_used, MCTPNvmeMi),
        VMSTATE_UINT8(critical_warning, MCTPNvmeMi),
        VMSTATE_UINT16(ccs, MCTPNvmeMi),
        VMSTATE_UINT8(smbus_freq, MCTPNvmeMi),
        VMSTATE_UINT64(err_count, MCTPNvmeMi),
        VMSTATE_UINT8_2DARRAY(err_log, MCTPNvmeMi, NMI_ERR_ENTRIES,
                              NMI_ERR_ENTRY_LEN),
        VMSTATE_UINT32_EQUAL(vpd_size, MCTPNvmeMi, NULL),
        VMSTATE_VBUFFER_UINT32(vpd, MCTPNvmeMi, 1, nmi_vpd_size_ok,
                               vpd_size),
        VMSTATE_UINT64_ARRAY(drops, MCTPNvmeMi, NMI_DROP__MAX),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_nmi_errors,
        NULL
    },
};

void mctp_nvme_mi_init(MCTPNvmeMi *s, Object *obj)
{
    size_t i;

    s->temperature = 35;
    s->available_spare = 100;
    s->spare_threshold = 10;
    s->percentage_used = 5;
    s->critical_warning = 0;
    s->ccs = NMI_CCS_RDY;
    s->smbus_freq = 1;
    mctp_add_counter_properties(obj, "nvme-mi-drops-", nmi_drop_names,
                                s->drops, NMI_DROP__MAX);
    mctp_add_counter_properties(obj, "nvme-mi-errors-", nmi_error_names,
                                s->errors, MCTP_NVME_MI_ERR_STATUS_MAX);
    for (i = 0; i < ARRAY_SIZE(nmi_health_props); i++) {
        const NmiHealthProp *p = &nmi_health_props[i];

        object_property_add(obj, p->name, "int", nmi_health_get,
                            nmi_health_set, NULL, s);
        object_property_set_description(obj, p->name, p->desc);
    }
}

void mctp_nvme_mi_class_describe(ObjectClass *oc)
{
    object_class_property_set_description(oc, "model",
        "Model number (up to 40 ASCII characters)");
    object_class_property_set_description(oc, "firmware",
        "Firmware revision (up to 8 ASCII characters)");
    object_class_property_set_description(oc, "vendor-id",
        "PCI vendor ID (also the subsystem vendor ID)");
    object_class_property_set_description(oc, "device-id",
        "PCI device ID reported in the controller information");
    object_class_property_set_description(oc, "subsystem-id",
        "PCI subsystem ID reported in the controller information");
    object_class_property_set_description(oc, "namespace-size",
        "Size of namespace 1 in bytes (512-byte blocks)");
    object_class_property_set_description(oc, "port-max-mtu",
        "Largest MCTP transmission unit Configuration Set accepts");
    object_class_property_set_description(oc, "smbus-max-khz",
        "Fastest SMBus frequency of the port: 100, 400 or 1000");
    object_class_property_set_description(oc, "drive",
        "Block backend holding the VPD image (8 bytes to 64 KiB)");
}
