/*
 * mctp-nvme-mi: an NVMe-MI (NVM Express Management Interface 1.2)
 * Management Endpoint reached over MCTP-over-I2C, modelling an NVM
 * subsystem with one controller (ID 0), one namespace (NSID 1) and one
 * 2-wire port; plus nvme-mi-basic, the NVMe Basic Management Command
 * (SMBus block reads at 0x6A) of the same subsystem.
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
#include "hw/mctp/mctp-i2c.h"
#include "system/block-backend.h"
#include "trace.h"

#define TYPE_MCTP_NVME_MI "mctp-nvme-mi"
OBJECT_DECLARE_SIMPLE_TYPE(MCTPNvmeMiState, MCTP_NVME_MI)

#define TYPE_NVME_MI_BASIC "nvme-mi-basic"
OBJECT_DECLARE_SIMPLE_TYPE(NvmeMiBasicState, NVME_MI_BASIC)

#define NMI_DEFAULT_ADDRESS     0x1d
#define NMI_BASIC_ADDRESS       0x6a
#define NMI_MIC_LEN             4
#define NMI_MAX_MSG             4224
#define NMI_MAX_DATA            4096

/* NMP byte */
#define NMI_NMP_ROR             0x80
#define NMI_NMP_NMIMT_SHIFT     3
#define NMI_NMP_NMIMT_MASK      0xf
#define NMI_NMP_CSI             0x01

enum {
    NMI_NMIMT_CONTROL = 0,
    NMI_NMIMT_MI = 1,
    NMI_NMIMT_ADMIN = 2,
};

/* Response message status */
enum {
    NMI_SUCCESS = 0x00,
    NMI_INTERNAL_ERROR = 0x02,
    NMI_INVALID_OPCODE = 0x03,
    NMI_INVALID_PARAM = 0x04,
    NMI_INVALID_CMD_SIZE = 0x05,
    NMI_INVALID_INPUT_SIZE = 0x06,
};

/* NVMe-MI command opcodes */
enum {
    NMI_OPC_READ_DS = 0x00,
    NMI_OPC_SUBSYS_HEALTH = 0x01,
    NMI_OPC_CTRL_HEALTH = 0x02,
    NMI_OPC_CONFIG_SET = 0x03,
    NMI_OPC_CONFIG_GET = 0x04,
    NMI_OPC_VPD_READ = 0x05,
    NMI_OPC_VPD_WRITE = 0x06,
};

/* Read NVMe-MI Data Structure types */
enum {
    NMI_DS_SUBSYS = 0,
    NMI_DS_PORT = 1,
    NMI_DS_CTRL_LIST = 2,
    NMI_DS_CTRL_INFO = 3,
    NMI_DS_OPT_CMDS = 4,
    NMI_DS_MEB_CMDS = 5,
};

/* Configuration identifiers */
enum {
    NMI_CFG_SMBUS_FREQ = 1,
    NMI_CFG_HEALTH_CHANGE = 2,
    NMI_CFG_MCTP_MTU = 3,
};

/* Composite Controller Status bits (changed flags) */
#define NMI_CCS_RDY             (1 << 0)
#define NMI_CCS_CTEMP           (1 << 9)
#define NMI_CCS_PDLU            (1 << 10)
#define NMI_CCS_SPARE           (1 << 11)
#define NMI_CCS_CCWARN          (1 << 12)
#define NMI_CCS_ALL             0x1ff7

/* NVM Subsystem Status: drive functional, reset not required, P0 link */
#define NMI_NSS                 0x38
#define NMI_VERSION_MAJOR       1
#define NMI_VERSION_MINOR       2
#define NMI_PORT_2WIRE          2
#define NMI_CTRL_ID             0
#define NMI_NSID                1
#define NMI_LBA_SHIFT           9

/* Admin tunnelling */
#define NMI_ADMIN_HDR_LEN       68
#define NMI_ADMIN_RSP_LEN       20
#define NMI_ADMIN_FLAG_DLEN     0x01
#define NMI_ADMIN_FLAG_DOFF     0x02
#define NVME_ADM_GET_LOG_PAGE   0x02
#define NVME_ADM_IDENTIFY       0x06
#define NVME_ID_SIZE            4096
#define NVME_SC_INVALID_FIELD   0x002
#define NVME_SC_INVALID_NS      0x00b
#define NVME_SC_INVALID_LOG     0x109
#define NVME_SC_DNR             0x4000

/* Log pages */
#define NVME_LOG_SUPPORTED      0x00
#define NVME_LOG_ERROR          0x01
#define NVME_LOG_SMART          0x02
#define NVME_LOG_FW_SLOT        0x03
#define NMI_ERR_ENTRIES         4
#define NMI_ERR_ENTRY_LEN       64

#define NMI_VPD_DEFAULT_SIZE    256
#define NMI_VPD_MAX_SIZE        65536

/* Why a message was dropped without an answer; one QOM counter each */
typedef enum NmiDropReason {
    NMI_DROP_NO_IC,
    NMI_DROP_SHORT,
    NMI_DROP_BAD_MIC,
    NMI_DROP_NOT_REQUEST,
    NMI_DROP__MAX,
} NmiDropReason;

static const char *const nmi_drop_names[NMI_DROP__MAX] = {
    [NMI_DROP_NO_IC] = "no-ic",
    [NMI_DROP_SHORT] = "short",
    [NMI_DROP_BAD_MIC] = "bad-mic",
    [NMI_DROP_NOT_REQUEST] = "response",
};

/* Requests answered with an error status, by status; one QOM counter each */
#define NMI_ERR__MAX            (NMI_INVALID_INPUT_SIZE + 1)
static const char *const nmi_error_names[NMI_ERR__MAX] = {
    [NMI_INTERNAL_ERROR] = "internal-error",
    [NMI_INVALID_OPCODE] = "invalid-opcode",
    [NMI_INVALID_PARAM] = "invalid-param",
    [NMI_INVALID_CMD_SIZE] = "invalid-cmd-size",
    [NMI_INVALID_INPUT_SIZE] = "invalid-input-size",
};

struct MCTPNvmeMiState {
    MCTPI2CEndpoint parent_obj;

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
    uint8_t err_log[NMI_ERR_ENTRIES][NMI_ERR_ENTRY_LEN];
    uint32_t vpd_size;
    uint8_t *vpd;
    uint64_t drops[NMI_DROP__MAX];
    uint64_t errors[NMI_ERR__MAX];

    /* configuration derived at realize */
    uint32_t boot_mtu;          /* transmission unit after reset */
    uint8_t basic_address;      /* nvme-mi-basic linked to us, or 0 */
};

/* A request being answered */
typedef struct NmiReq {
    const uint8_t *msg;         /* without MIC */
    size_t len;
    uint8_t *rsp;               /* NMI_MAX_MSG bytes */
    size_t rsp_len;             /* without MIC */
    uint32_t new_mtu;           /* apply after the response is queued */
} NmiReq;

static uint32_t nmi_mic(const uint8_t *buf, size_t len)
{
    return crc32c(0xffffffff, buf, len);  /* complements the result */
}

static uint8_t nmi_ctemp(int32_t celsius)
{
    if (celsius >= 127) {
        return 0x7f;
    }
    if (celsius <= -60) {
        return 0xc4;
    }
    return (uint8_t)celsius;
}

static uint16_t nmi_kelvin(MCTPNvmeMiState *s)
{
    return s->temperature + 273;
}

static uint8_t nmi_pdlu(MCTPNvmeMiState *s)
{
    return s->percentage_used;
}

static uint8_t nmi_freq_code(uint32_t khz)
{
    return khz >= 1000 ? 3 : khz >= 400 ? 2 : 1;
}

static void nmi_set_status(NmiReq *r, uint8_t status)
{
    r->rsp[4] = status;
    r->rsp[5] = r->rsp[6] = r->rsp[7] = 0;
    r->rsp_len = 8;
}

/* Invalid Parameter, naming the request byte (from the type byte) and bit */
static void nmi_invalid_param(NmiReq *r, uint16_t byte, uint8_t bit)
{
    nmi_set_status(r, NMI_INVALID_PARAM);
    r->rsp[5] = bit & 7;
    stw_le_p(r->rsp + 6, byte);
}

/* Success with @len bytes of response data already at rsp + 8 */
static void nmi_data(NmiReq *r, size_t len, bool len_in_nmresp)
{
    nmi_set_status(r, NMI_SUCCESS);
    if (len_in_nmresp) {
        stw_le_p(r->rsp + 5, len);
    }
    r->rsp_len = 8 + len;
}

/* Space-padded, not terminated string field */
static void nmi_strpad(uint8_t *dst, const char *src, size_t size)
{
    size_t n = MIN(strlen(src), size);

    memset(dst, ' ', size);
    memcpy(dst, src, n);
}

/*
 * NVMe-MI commands
 */

static void nmi_read_ds(MCTPNvmeMiState *s, NmiReq *r, uint32_t cdw0)
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
        d[10] = I2C_SLAVE(s)->address;
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

static void nmi_subsys_health(MCTPNvmeMiState *s, NmiReq *r, uint32_t cdw1)
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

static void nmi_ctrl_health(MCTPNvmeMiState *s, NmiReq *r, uint32_t cdw0)
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

static void nmi_config(MCTPNvmeMiState *s, MCTPCore *core, NmiReq *r,
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

static void nmi_vpd(MCTPNvmeMiState *s, NmiReq *r, bool write,
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

static void nmi_mi_command(MCTPNvmeMiState *s, MCTPCore *core, NmiReq *r)
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

/*
 * Admin commands: each fills @buf (NVMe data, up to NVME_ID_SIZE bytes,
 * zeroed by the caller) and returns an NVMe status; *xfer is the
 * command's data transfer length (which may exceed what is filled).
 */

static void nmi_id_ctrl(MCTPNvmeMiState *s, uint8_t *id)
{
    g_autofree char *nqn = g_strdup_printf("nqn.2019-08.org.qemu:%s",
                                           s->serial);

    stw_le_p(id, s->vid);
    stw_le_p(id + 2, s->vid);
    nmi_strpad(id + 4, s->serial, 20);
    nmi_strpad(id + 24, s->model, 40);
    nmi_strpad(id + 64, s->firmware, 8);
    id[72] = 6;                         /* RAB */
    id[73] = 0x00;                      /* IEEE OUI (QEMU's 52:54:00) */
    id[74] = 0x54;
    id[75] = 0x52;
    stw_le_p(id + 78, NMI_CTRL_ID);
    stl_le_p(id + 80, 0x00010400);      /* NVMe 1.4 */
    id[253] = 0x01;                     /* NVMSR: NVMe storage device */
    id[255] = 0x01;                     /* MEC: 2-wire port ME */
    id[258] = 3;                        /* ACL */
    id[259] = 3;                        /* AERL */
    id[260] = 0x03;                     /* FRMW: 1 slot, slot 1 read-only */
    id[262] = NMI_ERR_ENTRIES - 1;      /* ELPE */
    stw_le_p(id + 266, 343);            /* WCTEMP 70 C */
    stw_le_p(id + 268, 358);            /* CCTEMP 85 C */
    id[512] = 0x66;                     /* SQES */
    id[513] = 0x44;                     /* CQES */
    stl_le_p(id + 516, 1);              /* NN */
    pstrcpy((char *)id + 768, 256, nqn);
}

static void nmi_id_ns(MCTPNvmeMiState *s, uint8_t *id)
{
    uint64_t blocks = s->ns_size >> NMI_LBA_SHIFT;

    stq_le_p(id, blocks);
    stq_le_p(id + 8, blocks);
    stq_le_p(id + 16, blocks);
    id[25] = 0;                         /* NLBAF: one format */
    id[26] = 0;                         /* FLBAS */
    id[128 + 2] = NMI_LBA_SHIFT;        /* LBAF0: 512-byte blocks */
}

static uint16_t nmi_identify(MCTPNvmeMiState *s, const uint8_t *cmd,
                             uint8_t *buf, uint64_t *xfer)
{
    uint32_t nsid = ldl_le_p(cmd + 8);
    uint32_t cdw10 = ldl_le_p(cmd + 44);
    uint8_t cns = cdw10;
    uint16_t cntid = cdw10 >> 16;

    *xfer = NVME_ID_SIZE;
    switch (cns) {
    case 0x00:      /* namespace */
    case 0x11:      /* allocated namespace */
        if (nsid != NMI_NSID) {
            return NVME_SC_INVALID_NS | NVME_SC_DNR;
        }
        nmi_id_ns(s, buf);
        return 0;
    case 0x01:
        nmi_id_ctrl(s, buf);
        return 0;
    case 0x02:      /* active namespace IDs above NSID */
    case 0x10:      /* allocated namespace IDs above NSID */
        if (nsid >= 0xfffffffe) {
            return NVME_SC_INVALID_NS | NVME_SC_DNR;
        }
        if (nsid < NMI_NSID) {
            stl_le_p(buf, NMI_NSID);
        }
        return 0;
    case 0x12:      /* controllers attached to NSID */
    case 0x13:      /* controllers in the subsystem */
        if (cns == 0x12 && nsid != NMI_NSID) {
            return NVME_SC_INVALID_NS | NVME_SC_DNR;
        }
        if (cntid <= NMI_CTRL_ID) {
            stw_le_p(buf, 1);
            stw_le_p(buf + 2, NMI_CTRL_ID);
        }
        return 0;
    default:
        return NVME_SC_INVALID_FIELD | NVME_SC_DNR;
    }
}

static void nmi_log_smart(MCTPNvmeMiState *s, uint8_t *log)
{
    log[0] = s->critical_warning;
    stw_le_p(log + 1, nmi_kelvin(s));
    log[3] = s->available_spare;
    log[4] = s->spare_threshold;
    log[5] = s->percentage_used;
    stq_le_p(log + 112, 1);             /* power cycles */
    stq_le_p(log + 176, s->err_count);  /* error log entries */
    stw_le_p(log + 200, nmi_kelvin(s)); /* temperature sensor 1 */
}

static uint16_t nmi_get_log(MCTPNvmeMiState *s, const uint8_t *cmd,
                            uint8_t *buf, uint64_t *xfer)
{
    uint32_t nsid = ldl_le_p(cmd + 8);
    uint32_t cdw10 = ldl_le_p(cmd + 44);
    uint32_t cdw11 = ldl_le_p(cmd + 48);
    uint64_t lpo = ldq_le_p(cmd + 52);
    uint8_t lid = cdw10;
    uint64_t numd = (cdw10 >> 16) | (uint64_t)(cdw11 & 0xffff) << 16;
    uint8_t log[1024] = { 0 };
    size_t size;
    int i;

    *xfer = (numd + 1) * 4;
    switch (lid) {
    case NVME_LOG_SUPPORTED:
        size = 1024;
        for (i = NVME_LOG_SUPPORTED; i <= NVME_LOG_FW_SLOT; i++) {
            stl_le_p(log + 4 * i, 1);   /* LSUPP */
        }
        break;
    case NVME_LOG_ERROR:
        size = sizeof(s->err_log);
        memcpy(log, s->err_log, size);
        break;
    case NVME_LOG_SMART:
        if (nsid != 0 && nsid != NMI_NSID && nsid != 0xffffffff) {
            return NVME_SC_INVALID_NS | NVME_SC_DNR;
        }
        size = 512;
        nmi_log_smart(s, log);
        break;
    case NVME_LOG_FW_SLOT:
        size = 512;
        log[0] = 0x01;                  /* AFI: slot 1 active */
        nmi_strpad(log + 8, s->firmware, 8);
        break;
    default:
        return NVME_SC_INVALID_LOG | NVME_SC_DNR;
    }
    if (lpo & 3 || lpo > size) {
        return NVME_SC_INVALID_FIELD | NVME_SC_DNR;
    }
    memcpy(buf, log + lpo, MIN(size - lpo, *xfer));
    return 0;
}

/* Record a failed Admin command in the error information log */
static void nmi_log_error(MCTPNvmeMiState *s, uint16_t status, uint32_t nsid)
{
    uint8_t *e;

    memmove(s->err_log[1], s->err_log[0],
            (NMI_ERR_ENTRIES - 1) * NMI_ERR_ENTRY_LEN);
    e = s->err_log[0];
    memset(e, 0, NMI_ERR_ENTRY_LEN);
    s->err_count++;
    stq_le_p(e, s->err_count);
    stw_le_p(e + 8, 0);                 /* admin submission queue */
    stw_le_p(e + 10, 0xffff);           /* no command identifier */
    stw_le_p(e + 12, status << 1);
    stw_le_p(e + 14, 0xffff);           /* no parameter location */
    stl_le_p(e + 24, nsid);
}

static void nmi_admin_command(MCTPNvmeMiState *s, NmiReq *r)
{
    g_autofree uint8_t *buf = NULL;
    uint8_t opc, flags;
    uint16_t ctrl_id, status;
    uint32_t doff, dlen;
    uint64_t xfer = 0;
    uint8_t *d = r->rsp + 8;

    if (r->len < NMI_ADMIN_HDR_LEN) {
        nmi_set_status(r, NMI_INVALID_CMD_SIZE);
        trace_mctp_nvme_mi_admin_command(0xff, NMI_INVALID_CMD_SIZE, 0);
        return;
    }
    opc = r->msg[4];
    flags = r->msg[5];
    ctrl_id = lduw_le_p(r->msg + 6);
    doff = flags & NMI_ADMIN_FLAG_DOFF ? ldl_le_p(r->msg + 28) : 0;
    dlen = flags & NMI_ADMIN_FLAG_DLEN ? ldl_le_p(r->msg + 32) : 0;

    if (opc != NVME_ADM_IDENTIFY && opc != NVME_ADM_GET_LOG_PAGE) {
        nmi_set_status(r, NMI_INVALID_OPCODE);
    } else if (r->len != NMI_ADMIN_HDR_LEN) {
        /* neither command takes data from the host */
        nmi_set_status(r, NMI_INVALID_INPUT_SIZE);
    } else if (flags & ~(NMI_ADMIN_FLAG_DLEN | NMI_ADMIN_FLAG_DOFF)) {
        nmi_invalid_param(r, 5, 2);
    } else if (ctrl_id != NMI_CTRL_ID) {
        nmi_invalid_param(r, 6, 0);
    } else if (doff & 3) {
        nmi_invalid_param(r, 28, 0);
    } else if (dlen & 3 || dlen > NMI_MAX_DATA) {
        nmi_invalid_param(r, 32, 0);
    }
    if (r->rsp_len) {
        trace_mctp_nvme_mi_admin_command(opc, r->rsp[4], 0);
        return;
    }

    buf = g_malloc0(NVME_ID_SIZE);
    if (opc == NVME_ADM_IDENTIFY) {
        status = nmi_identify(s, r->msg, buf, &xfer);
    } else {
        status = nmi_get_log(s, r->msg, buf, &xfer);
    }
    trace_mctp_nvme_mi_admin_command(opc, NMI_SUCCESS, status);
    if (!status && (uint64_t)doff + dlen > xfer) {
        nmi_invalid_param(r, 32, 0);
        return;
    }

    memset(d, 0, NMI_ADMIN_RSP_LEN - 8);
    nmi_set_status(r, NMI_SUCCESS);
    if (status) {
        nmi_log_error(s, status, ldl_le_p(r->msg + 8));
        stl_le_p(d + 8, (uint32_t)status << 17);
        r->rsp_len = NMI_ADMIN_RSP_LEN;
        return;
    }
    /* data beyond what the command fills reads as zeros (rsp is zeroed) */
    if (doff < NVME_ID_SIZE) {
        memcpy(r->rsp + NMI_ADMIN_RSP_LEN, buf + doff,
               MIN(dlen, NVME_ID_SIZE - doff));
    }
    r->rsp_len = NMI_ADMIN_RSP_LEN + dlen;
}

static void nmi_drop(MCTPNvmeMiState *s, NmiDropReason reason)
{
    s->drops[reason]++;
    trace_mctp_nvme_mi_drop(nmi_drop_names[reason]);
}

static void nmi_handle(MCTPCore *core, void *opaque, const MCTPMsgCtx *ctx,
                       const uint8_t *msg, size_t len)
{
    MCTPNvmeMiState *s = opaque;
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

    if (rsp[4] != NMI_SUCCESS && rsp[4] < NMI_ERR__MAX) {
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
      offsetof(MCTPNvmeMiState, temperature), true, -273, 1000,
      NMI_CCS_CTEMP },
    { "available-spare", "Available spare, percent",
      offsetof(MCTPNvmeMiState, available_spare), false, 0, 100,
      NMI_CCS_SPARE },
    { "spare-threshold", "Available spare threshold, percent",
      offsetof(MCTPNvmeMiState, spare_threshold), false, 0, 100, 0 },
    { "percentage-used", "Percentage of the rated life used (0-255)",
      offsetof(MCTPNvmeMiState, percentage_used), false, 0, 255,
      NMI_CCS_PDLU },
    { "critical-warning", "SMART critical warning bits (0-0x3f)",
      offsetof(MCTPNvmeMiState, critical_warning), false, 0, 0x3f,
      NMI_CCS_CCWARN },
};

static void nmi_health_get(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    const NmiHealthProp *p = opaque;
    void *field = (uint8_t *)obj + p->offset;
    int64_t value = p->is_int32 ? *(int32_t *)field : *(uint8_t *)field;

    visit_type_int(v, name, &value, errp);
}

static void nmi_health_set(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    MCTPNvmeMiState *s = MCTP_NVME_MI(obj);
    const NmiHealthProp *p = opaque;
    void *field = (uint8_t *)obj + p->offset;
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

static void nmi_default_vpd(MCTPNvmeMiState *s)
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

static DeviceRealize nmi_parent_realize;
static DeviceUnrealize nmi_parent_unrealize;
static ResettablePhases nmi_parent_phases;

static void nmi_realize(DeviceState *dev, Error **errp)
{
    MCTPNvmeMiState *s = MCTP_NVME_MI(dev);
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(dev);
    ERRP_GUARD();

    if (!nmi_check_str("serial", s->serial, 20, errp) ||
        !nmi_check_str("model", s->model, 40, errp) ||
        !nmi_check_str("firmware", s->firmware, 8, errp)) {
        return;
    }
    if (s->port_max_mtu < MCTP_BTU || s->port_max_mtu > MCTP_I2C_MAX_PAYLOAD) {
        error_setg(errp, "port-max-mtu must be between %d and %d",
                   MCTP_BTU, MCTP_I2C_MAX_PAYLOAD);
        return;
    }
    if (s->smbus_max_khz != 100 && s->smbus_max_khz != 400 &&
        s->smbus_max_khz != 1000) {
        error_setg(errp, "smbus-max-khz must be 100, 400 or 1000");
        return;
    }
    if (e->core.tx_mtu > s->port_max_mtu) {
        error_setg(errp, "tx-mtu is larger than port-max-mtu");
        return;
    }
    if (e->core.max_msg_size < NMI_MAX_MSG) {
        error_setg(errp, "max-msg-size must be at least %d for NVMe-MI",
                   NMI_MAX_MSG);
        return;
    }
    if (s->ns_size < (1 << NMI_LBA_SHIFT)) {
        error_setg(errp, "namespace-size must be at least %d bytes",
                   1 << NMI_LBA_SHIFT);
        return;
    }

    if (s->blk) {
        int64_t len = blk_getlength(s->blk);

        if (len < 8 || len > NMI_VPD_MAX_SIZE) {
            error_setg(errp, "VPD image must be 8 to %d bytes",
                       NMI_VPD_MAX_SIZE);
            return;
        }
        if (blk_set_perm(s->blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                         BLK_PERM_ALL, errp) < 0) {
            return;
        }
        s->vpd_size = len;
        s->vpd = g_malloc0(len);
        if (blk_pread(s->blk, 0, len, s->vpd, 0) < 0) {
            error_setg(errp, "cannot read the VPD image");
            g_clear_pointer(&s->vpd, g_free);
            return;
        }
    } else {
        s->vpd_size = NMI_VPD_DEFAULT_SIZE;
        s->vpd = g_malloc0(s->vpd_size);
        nmi_default_vpd(s);
    }

    nmi_parent_realize(dev, errp);
    if (*errp) {
        g_clear_pointer(&s->vpd, g_free);
        return;
    }
    s->boot_mtu = e->core.tx_mtu;
    mctp_core_add_responder(&e->core, &nmi_responder, s, errp);
}

static void nmi_unrealize(DeviceState *dev)
{
    MCTPNvmeMiState *s = MCTP_NVME_MI(dev);

    g_clear_pointer(&s->vpd, g_free);
    nmi_parent_unrealize(dev);
}

static void nmi_reset_hold(Object *obj, ResetType type)
{
    MCTPNvmeMiState *s = MCTP_NVME_MI(obj);
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(obj);

    if (nmi_parent_phases.hold) {
        nmi_parent_phases.hold(obj, type);
    }
    if (s->boot_mtu) {
        e->core.tx_mtu = s->boot_mtu;
    }
    s->ccs = NMI_CCS_RDY;
    s->smbus_freq = 1;
    s->err_count = 0;
    memset(s->err_log, 0, sizeof(s->err_log));
}

static int nmi_post_load(void *opaque, int version_id)
{
    MCTPNvmeMiState *s = opaque;

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
    MCTPNvmeMiState *s = opaque;

    return s->vpd != NULL;
}

static bool nmi_errors_needed(void *opaque)
{
    MCTPNvmeMiState *s = opaque;
    int i;

    for (i = 0; i < NMI_ERR__MAX; i++) {
        if (s->errors[i]) {
            return true;
        }
    }
    return false;
}

static const VMStateDescription vmstate_nmi_errors = {
    .name = TYPE_MCTP_NVME_MI "/errors",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = nmi_errors_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64_ARRAY(errors, MCTPNvmeMiState, NMI_ERR__MAX),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_mctp_nvme_mi = {
    .name = TYPE_MCTP_NVME_MI,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = nmi_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, MCTPNvmeMiState, 1,
                       vmstate_mctp_i2c_endpoint, MCTPI2CEndpoint),
        VMSTATE_INT32(temperature, MCTPNvmeMiState),
        VMSTATE_UINT8(available_spare, MCTPNvmeMiState),
        VMSTATE_UINT8(spare_threshold, MCTPNvmeMiState),
        VMSTATE_UINT8(percentage_used, MCTPNvmeMiState),
        VMSTATE_UINT8(critical_warning, MCTPNvmeMiState),
        VMSTATE_UINT16(ccs, MCTPNvmeMiState),
        VMSTATE_UINT8(smbus_freq, MCTPNvmeMiState),
        VMSTATE_UINT64(err_count, MCTPNvmeMiState),
        VMSTATE_UINT8_2DARRAY(err_log, MCTPNvmeMiState, NMI_ERR_ENTRIES,
                              NMI_ERR_ENTRY_LEN),
        VMSTATE_UINT32_EQUAL(vpd_size, MCTPNvmeMiState, NULL),
        VMSTATE_VBUFFER_UINT32(vpd, MCTPNvmeMiState, 1, nmi_vpd_size_ok,
                               vpd_size),
        VMSTATE_UINT64_ARRAY(drops, MCTPNvmeMiState, NMI_DROP__MAX),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_nmi_errors,
        NULL
    },
};

static const Property nmi_properties[] = {
    DEFINE_PROP_STRING("serial", MCTPNvmeMiState, serial),
    DEFINE_PROP_STRING("model", MCTPNvmeMiState, model),
    DEFINE_PROP_STRING("firmware", MCTPNvmeMiState, firmware),
    DEFINE_PROP_UINT16("vendor-id", MCTPNvmeMiState, vid, 0x1b36),
    DEFINE_PROP_UINT16("device-id", MCTPNvmeMiState, did, 0x0010),
    DEFINE_PROP_UINT16("subsystem-id", MCTPNvmeMiState, ssid, 0x0000),
    DEFINE_PROP_SIZE("namespace-size", MCTPNvmeMiState, ns_size, 1 * GiB),
    DEFINE_PROP_UINT16("port-max-mtu", MCTPNvmeMiState, port_max_mtu,
                       MCTP_I2C_MAX_PAYLOAD),
    DEFINE_PROP_UINT32("smbus-max-khz", MCTPNvmeMiState, smbus_max_khz, 400),
    DEFINE_PROP_DRIVE("drive", MCTPNvmeMiState, blk),
};

static void nmi_instance_init(Object *obj)
{
    MCTPNvmeMiState *s = MCTP_NVME_MI(obj);
    int i;

    /* the NVMe-MI default Management Endpoint address */
    I2C_SLAVE(obj)->address = NMI_DEFAULT_ADDRESS;
    s->temperature = 35;
    s->available_spare = 100;
    s->spare_threshold = 10;
    s->percentage_used = 5;
    s->critical_warning = 0;
    s->ccs = NMI_CCS_RDY;
    s->smbus_freq = 1;
    for (i = 0; i < NMI_DROP__MAX; i++) {
        g_autofree char *name = g_strdup_printf("nvme-mi-drops-%s",
                                                nmi_drop_names[i]);
        object_property_add_uint64_ptr(obj, name, &s->drops[i],
                                       OBJ_PROP_FLAG_READ);
    }
    for (i = 0; i < NMI_ERR__MAX; i++) {
        g_autofree char *name = NULL;

        if (!nmi_error_names[i]) {
            continue;
        }
        name = g_strdup_printf("nvme-mi-errors-%s", nmi_error_names[i]);
        object_property_add_uint64_ptr(obj, name, &s->errors[i],
                                       OBJ_PROP_FLAG_READ);
    }
}

static void nmi_instance_post_init(Object *obj)
{
    MCTPNvmeMiState *s = MCTP_NVME_MI(obj);

    /* string defaults unless set (properties are applied later) */
    if (!s->serial) {
        s->serial = g_strdup("QEMU-NVME-MI-0001");
    }
    if (!s->model) {
        s->model = g_strdup("QEMU NVMe-MI Subsystem");
    }
    if (!s->firmware) {
        s->firmware = g_strdup("1.0");
    }
}

static void nmi_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    ResettableClass *rc = RESETTABLE_CLASS(oc);
    int i;

    dc->desc = "NVMe-MI management endpoint over MCTP (I2C)";
    dc->vmsd = &vmstate_mctp_nvme_mi;
    nmi_parent_unrealize = dc->unrealize;
    dc->unrealize = nmi_unrealize;
    device_class_set_props(dc, nmi_properties);
    device_class_set_parent_realize(dc, nmi_realize, &nmi_parent_realize);
    resettable_class_set_parent_phases(rc, NULL, nmi_reset_hold, NULL,
                                       &nmi_parent_phases);
    for (i = 0; i < ARRAY_SIZE(nmi_health_props); i++) {
        const NmiHealthProp *p = &nmi_health_props[i];

        object_class_property_add(oc, p->name, "int", nmi_health_get,
                                  nmi_health_set, NULL, (void *)p);
        object_class_property_set_description(oc, p->name, p->desc);
    }
    object_class_property_set_description(oc, "serial",
        "Serial number (up to 20 ASCII characters)");
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
        "Largest MCTP transmission unit Configuration Set accepts (64-250)");
    object_class_property_set_description(oc, "smbus-max-khz",
        "Fastest SMBus frequency of the port: 100, 400 or 1000");
    object_class_property_set_description(oc, "drive",
        "Block backend holding the VPD image (8 bytes to 64 KiB)");
}

/*
 * nvme-mi-basic: NVMe Basic Management Command, an SMBus target whose
 * block reads return the data structure of NVMe-MI Appendix A: command
 * (offset) 0 the status block, 8 vendor ID and serial number, each
 * ending with a PEC over the whole transaction.
 */

#define NMI_BASIC_SIZE          32

struct NvmeMiBasicState {
    I2CSlave parent_obj;

    MCTPNvmeMiState *mi;

    uint8_t offset;             /* command code: where reads start */
    bool cmd_written;           /* this transaction wrote the command */
    bool expect_cmd;
    uint8_t buf[NMI_BASIC_SIZE];
    uint8_t pos;
};

static void nmi_basic_fill(NvmeMiBasicState *b)
{
    MCTPNvmeMiState *s = b->mi;
    uint8_t addr = I2C_SLAVE(b)->address;
    uint8_t *d = b->buf;
    uint8_t pre[3] = { addr << 1, 0, addr << 1 | 1 };

    memset(d, 0, sizeof(b->buf));
    d[0] = 6;
    d[1] = 0x80 | NMI_NSS;              /* SMBus arbitration done, NSS */
    d[2] = ~s->critical_warning;
    d[3] = nmi_ctemp(s->temperature);
    d[4] = nmi_pdlu(s);
    pre[1] = 0;
    d[7] = mctp_i2c_pec(mctp_i2c_pec(0, pre, 3), d, 7);
    d[8] = 22;
    d[9] = s->vid >> 8;
    d[10] = s->vid;
    nmi_strpad(d + 11, s->serial, 20);
    pre[1] = 8;
    d[31] = mctp_i2c_pec(mctp_i2c_pec(0, pre, 3), d + 8, 23);
}

static int nmi_basic_event(I2CSlave *i2c, enum i2c_event event)
{
    NvmeMiBasicState *b = NVME_MI_BASIC(i2c);

    switch (event) {
    case I2C_START_SEND:
        b->expect_cmd = true;
        break;
    case I2C_START_RECV:
        nmi_basic_fill(b);
        b->pos = b->offset;
        trace_mctp_nvme_mi_basic_read(b->offset, b->cmd_written);
        break;
    case I2C_FINISH:
        b->cmd_written = false;
        b->expect_cmd = false;
        break;
    default:
        break;
    }
    return 0;
}

static int nmi_basic_send(I2CSlave *i2c, uint8_t data)
{
    NvmeMiBasicState *b = NVME_MI_BASIC(i2c);

    if (b->expect_cmd) {
        b->offset = data;
        b->cmd_written = true;
        b->expect_cmd = false;
    }
    /* further bytes would write the vendor area: ignored */
    return 0;
}

static uint8_t nmi_basic_recv(I2CSlave *i2c)
{
    NvmeMiBasicState *b = NVME_MI_BASIC(i2c);

    if (b->pos >= NMI_BASIC_SIZE) {
        return 0xff;                    /* vendor specific: not present */
    }
    return b->buf[b->pos++];
}

static void nmi_basic_realize(DeviceState *dev, Error **errp)
{
    NvmeMiBasicState *b = NVME_MI_BASIC(dev);

    if (!b->mi) {
        error_setg(errp, "nvme-mi-basic needs the link property 'nvme-mi' "
                   "naming its mctp-nvme-mi device");
        return;
    }
    if (b->mi->basic_address) {
        error_setg(errp, "%s already has a basic management target",
                   object_get_canonical_path_component(OBJECT(b->mi)));
        return;
    }
    b->mi->basic_address = I2C_SLAVE(dev)->address;
}

static void nmi_basic_unrealize(DeviceState *dev)
{
    NvmeMiBasicState *b = NVME_MI_BASIC(dev);

    if (b->mi) {
        b->mi->basic_address = 0;
    }
}

static void nmi_basic_reset_hold(Object *obj, ResetType type)
{
    NvmeMiBasicState *b = NVME_MI_BASIC(obj);

    b->offset = 0;
    b->pos = 0;
    b->cmd_written = false;
    b->expect_cmd = false;
}

static int nmi_basic_post_load(void *opaque, int version_id)
{
    NvmeMiBasicState *b = opaque;

    return b->pos > NMI_BASIC_SIZE ? -EINVAL : 0;
}

static const VMStateDescription vmstate_nmi_basic = {
    .name = TYPE_NVME_MI_BASIC,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = nmi_basic_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_I2C_SLAVE(parent_obj, NvmeMiBasicState),
        VMSTATE_UINT8(offset, NvmeMiBasicState),
        VMSTATE_BOOL(cmd_written, NvmeMiBasicState),
        VMSTATE_BOOL(expect_cmd, NvmeMiBasicState),
        VMSTATE_UINT8_ARRAY(buf, NvmeMiBasicState, NMI_BASIC_SIZE),
        VMSTATE_UINT8(pos, NvmeMiBasicState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property nmi_basic_properties[] = {
    DEFINE_PROP_LINK("nvme-mi", NvmeMiBasicState, mi, TYPE_MCTP_NVME_MI,
                     MCTPNvmeMiState *),
};

static void nmi_basic_instance_init(Object *obj)
{
    I2C_SLAVE(obj)->address = NMI_BASIC_ADDRESS;
}

static void nmi_basic_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    I2CSlaveClass *sc = I2C_SLAVE_CLASS(oc);
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    dc->desc = "NVMe Basic Management Command target (SMBus)";
    dc->realize = nmi_basic_realize;
    dc->unrealize = nmi_basic_unrealize;
    dc->vmsd = &vmstate_nmi_basic;
    rc->phases.hold = nmi_basic_reset_hold;
    device_class_set_props(dc, nmi_basic_properties);
    object_class_property_set_description(oc, "nvme-mi",
        "The mctp-nvme-mi device whose health this target reports");
    sc->event = nmi_basic_event;
    sc->send = nmi_basic_send;
    sc->recv = nmi_basic_recv;
}

static const TypeInfo nmi_types[] = {
    {
        .name = TYPE_MCTP_NVME_MI,
        .parent = TYPE_MCTP_I2C_ENDPOINT,
        .instance_size = sizeof(MCTPNvmeMiState),
        .instance_init = nmi_instance_init,
        .instance_post_init = nmi_instance_post_init,
        .class_init = nmi_class_init,
    },
    {
        .name = TYPE_NVME_MI_BASIC,
        .parent = TYPE_I2C_SLAVE,
        .instance_size = sizeof(NvmeMiBasicState),
        .instance_init = nmi_basic_instance_init,
        .class_init = nmi_basic_class_init,
    },
};

DEFINE_TYPES(nmi_types)
