/*
 * NVMe-MI responder: the tunnelled Admin commands (NVMe-MI message type
 * 2): Identify and Get Log Page of controller 0, with the error log
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/cutils.h"
#include "mctp-nvme-mi-int.h"
#include "trace.h"

/*
 * Admin commands: each fills @buf (NVMe data, up to NVME_ID_SIZE bytes,
 * zeroed by the caller) and returns an NVMe status; *xfer is the
 * command's data transfer length (which may exceed what is filled).
 */

static void nmi_id_ctrl(MCTPNvmeMi *s, uint8_t *id)
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

static void nmi_id_ns(MCTPNvmeMi *s, uint8_t *id)
{
    uint64_t blocks = s->ns_size >> NMI_LBA_SHIFT;

    stq_le_p(id, blocks);
    stq_le_p(id + 8, blocks);
    stq_le_p(id + 16, blocks);
    id[25] = 0;                         /* NLBAF: one format */
    id[26] = 0;                         /* FLBAS */
    id[128 + 2] = NMI_LBA_SHIFT;        /* LBAF0: 512-byte blocks */
}

static uint16_t nmi_identify(MCTPNvmeMi *s, const uint8_t *cmd,
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

static void nmi_log_smart(MCTPNvmeMi *s, uint8_t *log)
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

static uint16_t nmi_get_log(MCTPNvmeMi *s, const uint8_t *cmd,
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
static void nmi_log_error(MCTPNvmeMi *s, uint16_t status, uint32_t nsid)
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

void nmi_admin_command(MCTPNvmeMi *s, NmiReq *r)
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
