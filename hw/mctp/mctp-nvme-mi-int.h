/*
 * NVMe-MI responder internals shared by mctp-nvme-mi.c (the MI commands,
 * dispatch, properties) and mctp-nvme-mi-admin.c (Admin commands)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MCTP_NVME_MI_INT_H
#define HW_MCTP_NVME_MI_INT_H

#include "hw/mctp/mctp-nvme-mi.h"

#define NMI_MIC_LEN             4
#define NMI_MAX_MSG             MCTP_NVME_MI_MAX_MSG
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
#define NMI_ERR_ENTRIES         MCTP_NVME_MI_ERR_ENTRIES
#define NMI_ERR_ENTRY_LEN       MCTP_NVME_MI_ERR_ENTRY_LEN

#define NMI_VPD_DEFAULT_SIZE    256
#define NMI_VPD_MAX_SIZE        65536

/* A request being answered */
typedef struct NmiReq {
    const uint8_t *msg;         /* without MIC */
    size_t len;
    uint8_t *rsp;               /* NMI_MAX_MSG bytes */
    size_t rsp_len;             /* without MIC */
    uint32_t new_mtu;           /* apply after the response is queued */
} NmiReq;

uint8_t nmi_ctemp(int32_t celsius);
uint16_t nmi_kelvin(MCTPNvmeMi *s);
uint8_t nmi_pdlu(MCTPNvmeMi *s);
void nmi_set_status(NmiReq *r, uint8_t status);
/* Invalid Parameter, naming the request byte (from the type byte) and bit */
void nmi_invalid_param(NmiReq *r, uint16_t byte, uint8_t bit);
/* Success with @len bytes of response data already at rsp + 8 */
void nmi_data(NmiReq *r, size_t len, bool len_in_nmresp);
/* Space-padded, not terminated string field */
void nmi_strpad(uint8_t *dst, const char *src, size_t size);
/* A tunnelled Admin command (mctp-nvme-mi-admin.c) */
void nmi_admin_command(MCTPNvmeMi *s, NmiReq *r);

#endif
