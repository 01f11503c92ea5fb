/*
 * MCTP control protocol responder (DSP0236 message type 0x00)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/mctp/mctp.h"
#include "trace.h"

/* Control message header: Rq | D | rsvd | Instance ID, then command */
#define MCTP_CTRL_RQ            0x80
#define MCTP_CTRL_D             0x40
#define MCTP_CTRL_IID_MASK      0x1f
#define MCTP_CTRL_HDR_LEN       3

enum {
    MCTP_CTRL_CMD_SET_EID = 0x01,
    MCTP_CTRL_CMD_GET_EID = 0x02,
    MCTP_CTRL_CMD_GET_UUID = 0x03,
    MCTP_CTRL_CMD_GET_VERSION = 0x04,
    MCTP_CTRL_CMD_GET_MSG_TYPES = 0x05,
    MCTP_CTRL_CMD_GET_VDM_SUPPORT = 0x06,
};

enum {
    MCTP_CTRL_CC_SUCCESS = 0x00,
    MCTP_CTRL_CC_ERROR = 0x01,
    MCTP_CTRL_CC_INVALID_DATA = 0x02,
    MCTP_CTRL_CC_INVALID_LENGTH = 0x03,
    MCTP_CTRL_CC_NOT_READY = 0x04,
    MCTP_CTRL_CC_UNSUPPORTED_CMD = 0x05,
    /* Get MCTP Version Support: message type number not supported */
    MCTP_CTRL_CC_VERSION_UNSUPPORTED = 0x80,
};

/* Set Endpoint ID operations */
enum {
    MCTP_SET_EID_SET = 0,
    MCTP_SET_EID_FORCE = 1,
    MCTP_SET_EID_RESET = 2,
    MCTP_SET_EID_DISCOVERED = 3,
};

/* DSP0236 versions this core implements, for type 0xFF and 0x00 */
static const uint32_t mctp_base_versions[] = {
    MCTP_VERSION(1, 0, MCTP_VERSION_NO_UPDATE),
    MCTP_VERSION(1, 1, MCTP_VERSION_NO_UPDATE),
    MCTP_VERSION(1, 2, MCTP_VERSION_NO_UPDATE),
    MCTP_VERSION(1, 3, 3),
};

static bool mctp_eid_assignable(uint8_t eid)
{
    return eid >= 0x08 && eid != MCTP_EID_BROADCAST;
}

static size_t mctp_ctrl_put_versions(uint8_t *p, const uint32_t *v,
                                     unsigned n)
{
    unsigned i;

    p[0] = n;
    for (i = 0; i < n; i++) {
        stl_be_p(p + 1 + 4 * i, v[i]);
    }
    return 1 + 4 * n;
}

/*
 * Fill in the response data after the completion code at @rsp[3];
 * return the response length.
 */
static size_t mctp_ctrl_command(MCTPCore *core, uint8_t cmd,
                                const uint8_t *data, size_t dlen,
                                uint8_t *rsp)
{
    const MCTPResponderInfo *r;
    uint8_t *out = rsp + 4;
    unsigned i, j, n;
    uint8_t eid;

    switch (cmd) {
    case MCTP_CTRL_CMD_SET_EID:
        if (dlen != 2) {
            rsp[3] = MCTP_CTRL_CC_INVALID_LENGTH;
            return 4;
        }
        eid = data[1];
        switch (data[0] & 0x3) {
        case MCTP_SET_EID_SET:
        case MCTP_SET_EID_FORCE:
            if (!mctp_eid_assignable(eid)) {
                rsp[3] = MCTP_CTRL_CC_INVALID_DATA;
                return 4;
            }
            break;
        default:
            /* Reset / Set Discovered: we are a simple endpoint on SMBus */
            rsp[3] = MCTP_CTRL_CC_INVALID_DATA;
            return 4;
        }
        trace_mctp_set_eid(core->name, core->eid, eid);
        core->eid = eid;
        rsp[3] = MCTP_CTRL_CC_SUCCESS;
        out[0] = 0x00;      /* accepted, no EID pool */
        out[1] = eid;
        out[2] = 0;         /* EID pool size */
        return 7;

    case MCTP_CTRL_CMD_GET_EID:
        if (dlen != 0) {
            rsp[3] = MCTP_CTRL_CC_INVALID_LENGTH;
            return 4;
        }
        rsp[3] = MCTP_CTRL_CC_SUCCESS;
        out[0] = core->eid;
        /* simple endpoint; dynamic, or static == / != current */
        if (core->static_eid == MCTP_EID_NULL) {
            out[1] = 0x00;
        } else {
            out[1] = core->eid == core->static_eid ? 0x02 : 0x03;
        }
        out[2] = 0;         /* medium-specific */
        return 7;

    case MCTP_CTRL_CMD_GET_UUID:
        if (dlen != 0) {
            rsp[3] = MCTP_CTRL_CC_INVALID_LENGTH;
            return 4;
        }
        rsp[3] = MCTP_CTRL_CC_SUCCESS;
        memcpy(out, core->uuid.data, sizeof(core->uuid.data));
        return 4 + sizeof(core->uuid.data);

    case MCTP_CTRL_CMD_GET_VERSION:
        if (dlen != 1) {
            rsp[3] = MCTP_CTRL_CC_INVALID_LENGTH;
            return 4;
        }
        if (data[0] == 0xff || data[0] == MCTP_MSG_TYPE_CONTROL) {
            rsp[3] = MCTP_CTRL_CC_SUCCESS;
            return 4 + mctp_ctrl_put_versions(out, mctp_base_versions,
                                              ARRAY_SIZE(mctp_base_versions));
        }
        r = mctp_core_find_responder(core, data[0]);
        if (!r || !r->nr_versions) {
            rsp[3] = MCTP_CTRL_CC_VERSION_UNSUPPORTED;
            return 4;
        }
        /* a control response must fit the baseline transmission unit */
        n = MIN(r->nr_versions, (MCTP_BTU - 5) / 4);
        rsp[3] = MCTP_CTRL_CC_SUCCESS;
        return 4 + mctp_ctrl_put_versions(out, r->versions, n);

    case MCTP_CTRL_CMD_GET_MSG_TYPES:
        if (dlen != 0) {
            rsp[3] = MCTP_CTRL_CC_INVALID_LENGTH;
            return 4;
        }
        rsp[3] = MCTP_CTRL_CC_SUCCESS;
        n = 0;
        /* DSP0236 Table 19: the types in addition to control */
        for (i = 0; i < core->nr_resp; i++) {
            if (core->resp[i]->type != MCTP_MSG_TYPE_CONTROL) {
                out[1 + n++] = core->resp[i]->type;
            }
        }
        out[0] = n;
        return 5 + n;

    case MCTP_CTRL_CMD_GET_VDM_SUPPORT:
        if (dlen != 1) {
            rsp[3] = MCTP_CTRL_CC_INVALID_LENGTH;
            return 4;
        }
        n = 0;
        for (i = 0; i < core->nr_resp; i++) {
            n += core->resp[i]->nr_vendor;
        }
        if (data[0] >= n) {
            rsp[3] = MCTP_CTRL_CC_INVALID_DATA;
            return 4;
        }
        for (i = 0, j = data[0]; j >= core->resp[i]->nr_vendor; i++) {
            j -= core->resp[i]->nr_vendor;
        }
        {
            const MCTPVendorSupport *v = &core->resp[i]->vendor[j];

            rsp[3] = MCTP_CTRL_CC_SUCCESS;
            out[0] = data[0] + 1 < n ? data[0] + 1 : 0xff;
            out[1] = v->format;
            if (v->format == 0x00) {
                stw_be_p(out + 2, v->vendor_id);
                stw_be_p(out + 4, v->cmd_set);
                return 10;
            }
            stl_be_p(out + 2, v->vendor_id);
            stw_be_p(out + 6, v->cmd_set);
            return 12;
        }

    default:
        /* incl. the transport-specific range 0xF0-0xFF */
        rsp[3] = MCTP_CTRL_CC_UNSUPPORTED_CMD;
        return 4;
    }
}

static void mctp_control_handle(MCTPCore *core, void *opaque,
                                const MCTPMsgCtx *ctx,
                                const uint8_t *msg, size_t len)
{
    uint8_t rsp[MCTP_BTU];
    size_t rlen;

    if (len < MCTP_CTRL_HDR_LEN) {
        mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    if (!(msg[1] & MCTP_CTRL_RQ)) {
        /* a control response: we never sent a request */
        mctp_core_drop(core, MCTP_DROP_NOT_REQUEST);
        return;
    }
    rsp[0] = MCTP_MSG_TYPE_CONTROL;
    rsp[1] = msg[1] & MCTP_CTRL_IID_MASK;
    rsp[2] = msg[2];
    rlen = mctp_ctrl_command(core, msg[2], msg + MCTP_CTRL_HDR_LEN,
                             len - MCTP_CTRL_HDR_LEN, rsp);
    trace_mctp_control(core->name, msg[2], msg[1] & MCTP_CTRL_IID_MASK,
                       !!(msg[1] & MCTP_CTRL_D), rsp[3]);
    if (msg[1] & MCTP_CTRL_D) {
        /* a datagram is an unacknowledged request: no response */
        core->datagrams++;
        return;
    }
    mctp_core_respond(core, ctx, rsp, rlen);
}

const MCTPResponderInfo mctp_control_responder = {
    .type = MCTP_MSG_TYPE_CONTROL,
    /* all control messages fit one baseline transmission unit */
    .max_msg_size = MCTP_BTU,
    .versions = mctp_base_versions,
    .nr_versions = ARRAY_SIZE(mctp_base_versions),
    .handle = mctp_control_handle,
};
