/*
 * MCTP (DMTF DSP0236) endpoint core: packet checks, reassembly,
 * dispatch to message-type responders, fragmentation
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/mctp/mctp.h"
#include "trace.h"

const char *const mctp_drop_reason_names[MCTP_DROP__MAX] = {
    [MCTP_DROP_BAD_LENGTH] = "bad-length",
    [MCTP_DROP_BAD_VERSION] = "bad-version",
    [MCTP_DROP_WRONG_EID] = "wrong-eid",
    [MCTP_DROP_BAD_TAG_OWNER] = "bad-tag-owner",
    [MCTP_DROP_BAD_SEQ] = "bad-seq",
    [MCTP_DROP_NO_SOM] = "no-som",
    [MCTP_DROP_RESTART] = "restart",
    [MCTP_DROP_TIMEOUT] = "timeout",
    [MCTP_DROP_OVERSIZE] = "oversize",
    [MCTP_DROP_UNSUPPORTED_TYPE] = "unsupported-type",
    [MCTP_DROP_NOT_REQUEST] = "not-request",
    [MCTP_DROP_BUSY] = "busy",
};

void mctp_count_drop(uint64_t *counter, const char *dev, const char *reason)
{
    (*counter)++;
    trace_mctp_drop(dev, reason);
}

void mctp_core_drop(MCTPCore *core, MCTPDropReason reason)
{
    mctp_count_drop(&core->drops[reason], core->name,
                    mctp_drop_reason_names[reason]);
}

void mctp_add_counter_properties(Object *obj, const char *prefix,
                                 const char *const *names,
                                 uint64_t *counters, unsigned n)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        g_autofree char *name = NULL;

        if (!names[i]) {
            continue;           /* a value that is not counted */
        }
        name = g_strconcat(prefix, names[i], NULL);
        object_property_add_uint64_ptr(obj, name, &counters[i],
                                       OBJ_PROP_FLAG_READ);
    }
}

void mctp_default_uuid(QemuUUID *uuid, Object *obj, const char *where)
{
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA1);
    g_autofree char *path = object_get_canonical_path(obj);
    g_autofree char *name = g_strdup_printf("qemu-mctp:%s:%s:%s",
                                            object_get_typename(obj),
                                            path ? path : "", where);
    uint8_t digest[20];
    gsize dlen = sizeof(digest);

    g_checksum_update(sum, (const guchar *)name, strlen(name));
    g_checksum_get_digest(sum, digest, &dlen);
    memcpy(uuid->data, digest, sizeof(uuid->data));
    /* RFC 4122 name-based (version 5) UUID */
    uuid->data[6] = (uuid->data[6] & 0x0f) | 0x50;
    uuid->data[8] = (uuid->data[8] & 0x3f) | 0x80;
}

void mctp_core_class_describe(ObjectClass *oc)
{
    object_class_property_set_description(oc, "eid",
        "Static endpoint ID (0x08-0xfe), 0 = none until Set Endpoint ID");
    object_class_property_set_description(oc, "uuid",
        "Endpoint UUID; default: derived from the QOM path and address");
    object_class_property_set_description(oc, "max-msg-size",
        "Largest message reassembled, in bytes (64-65536)");
    object_class_property_set_description(oc, "tx-mtu",
        "Payload bytes per transmitted packet (64 up to the binding's "
        "largest)");
}

void mctp_core_add_properties(MCTPCore *core, Object *obj)
{
    mctp_add_counter_properties(obj, "drops-", mctp_drop_reason_names,
                                core->drops, MCTP_DROP__MAX);
    object_property_add_uint64_ptr(obj, "rx-messages", &core->rx_messages,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "tx-messages", &core->tx_messages,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "tx-errors", &core->tx_errors,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "datagrams", &core->datagrams,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint8_ptr(obj, "current-eid", &core->eid,
                                  OBJ_PROP_FLAG_READ);
}

const MCTPResponderInfo *mctp_core_find_responder(MCTPCore *core,
                                                  uint8_t type)
{
    unsigned i;

    for (i = 0; i < core->nr_resp; i++) {
        if (core->resp[i]->type == type) {
            return core->resp[i];
        }
    }
    return NULL;
}

static void *mctp_core_responder_opaque(MCTPCore *core,
                                        const MCTPResponderInfo *info)
{
    unsigned i;

    for (i = 0; i < core->nr_resp; i++) {
        if (core->resp[i] == info) {
            return core->resp_opaque[i];
        }
    }
    return NULL;
}

bool mctp_core_add_responder(MCTPCore *core, const MCTPResponderInfo *info,
                             void *opaque, Error **errp)
{
    if (mctp_core_find_responder(core, info->type)) {
        error_setg(errp, "MCTP message type 0x%02x registered twice",
                   info->type);
        return false;
    }
    if (core->nr_resp >= MCTP_MAX_RESPONDERS) {
        error_setg(errp, "too many MCTP message types");
        return false;
    }
    core->resp[core->nr_resp] = info;
    core->resp_opaque[core->nr_resp] = opaque;
    core->nr_resp++;
    return true;
}

/* Largest message (incl. type byte) accepted for @type */
static uint32_t mctp_core_msg_limit(MCTPCore *core, uint8_t type)
{
    const MCTPResponderInfo *r = mctp_core_find_responder(core, type);

    if (r && r->max_msg_size && r->max_msg_size < core->max_msg_size) {
        return r->max_msg_size;
    }
    return core->max_msg_size;
}

static void mctp_core_arm_timer(MCTPCore *core)
{
    int64_t next = INT64_MAX;
    int i;

    for (i = 0; i < MCTP_REASM_SLOTS; i++) {
        if (core->reasm[i].active && core->reasm[i].deadline < next) {
            next = core->reasm[i].deadline;
        }
    }
    if (next == INT64_MAX) {
        timer_del(core->timer);
    } else {
        timer_mod(core->timer, next);
    }
}

static void mctp_core_timer_cb(void *opaque)
{
    MCTPCore *core = opaque;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    int i;

    for (i = 0; i < MCTP_REASM_SLOTS; i++) {
        MCTPReasm *r = &core->reasm[i];

        if (r->active && r->deadline <= now) {
            trace_mctp_reasm_timeout(core->name, r->src_eid, r->tag, r->len);
            r->active = false;
            mctp_core_drop(core, MCTP_DROP_TIMEOUT);
        }
    }
    mctp_core_arm_timer(core);
}

static MCTPReasm *mctp_core_find_reasm(MCTPCore *core, uint8_t src_eid,
                                       uint8_t tag)
{
    int i;

    for (i = 0; i < MCTP_REASM_SLOTS; i++) {
        MCTPReasm *r = &core->reasm[i];

        if (r->active && r->src_eid == src_eid && r->tag == tag) {
            return r;
        }
    }
    return NULL;
}

static void mctp_core_dispatch(MCTPCore *core, const MCTPMsgCtx *ctx,
                               const uint8_t *msg, size_t len)
{
    uint8_t type = msg[0] & MCTP_MSG_TYPE_MASK;
    const MCTPResponderInfo *r = mctp_core_find_responder(core, type);

    if (!r || ((msg[0] & MCTP_MSG_IC) && !r->allow_ic)) {
        mctp_core_drop(core, MCTP_DROP_UNSUPPORTED_TYPE);
        return;
    }
    if (len > mctp_core_msg_limit(core, type)) {
        mctp_core_drop(core, MCTP_DROP_OVERSIZE);
        return;
    }
    if (core->tx.active) {
        mctp_core_drop(core, MCTP_DROP_BUSY);
        return;
    }
    core->rx_messages++;
    trace_mctp_rx_message(core->name, ctx->src_eid, ctx->tag, msg[0], len);
    r->handle(core, mctp_core_responder_opaque(core, r), ctx, msg, len);
}

void mctp_core_receive(MCTPCore *core, const uint8_t *pkt, size_t len,
                       uint32_t phys)
{
    uint8_t dst, src, flags, tag, seq;
    const uint8_t *payload;
    size_t plen;
    MCTPMsgCtx ctx;
    MCTPReasm *r;
    int i;

    if (len <= MCTP_HDR_LEN || len > MCTP_HDR_LEN + MCTP_MAX_PKT_PAYLOAD) {
        mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    dst = pkt[1];
    src = pkt[2];
    flags = pkt[3];
    tag = flags & MCTP_HDR_TAG_MASK;
    seq = (flags >> MCTP_HDR_SEQ_SHIFT) & MCTP_HDR_SEQ_MASK;
    payload = pkt + MCTP_HDR_LEN;
    plen = len - MCTP_HDR_LEN;
    trace_mctp_rx_packet(core->name, dst, src, flags, plen);

    if ((pkt[0] & 0x0f) != MCTP_HDR_VERSION) {
        mctp_core_drop(core, MCTP_DROP_BAD_VERSION);
        return;
    }
    if (src == MCTP_EID_BROADCAST ||
        !(dst == MCTP_EID_NULL || dst == MCTP_EID_BROADCAST ||
          (core->eid != MCTP_EID_NULL && dst == core->eid))) {
        mctp_core_drop(core, MCTP_DROP_WRONG_EID);
        return;
    }
    /* We only answer requests: a TO=0 message would be a response to us */
    if (!(flags & MCTP_HDR_TO)) {
        mctp_core_drop(core, MCTP_DROP_BAD_TAG_OWNER);
        return;
    }
    /* Broadcast is for (single-packet) control messages only */
    if (dst == MCTP_EID_BROADCAST &&
        (!(flags & MCTP_HDR_SOM) ||
         (payload[0] & MCTP_MSG_TYPE_MASK) != MCTP_MSG_TYPE_CONTROL)) {
        mctp_core_drop(core, MCTP_DROP_WRONG_EID);
        return;
    }

    if (flags & MCTP_HDR_SOM) {
        r = mctp_core_find_reasm(core, src, tag);
        if (r) {
            /* A new start abandons the message in progress */
            r->active = false;
            mctp_core_drop(core, MCTP_DROP_RESTART);
            mctp_core_arm_timer(core);
        }
        if (flags & MCTP_HDR_EOM) {
            ctx = (MCTPMsgCtx) {
                .src_eid = src, .dst_eid = dst, .tag = tag, .phys = phys,
            };
            mctp_core_dispatch(core, &ctx, payload, plen);
            return;
        }
        /* Packets other than the last carry a full transmission unit */
        if (plen < MCTP_BTU) {
            mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
            return;
        }
        r = NULL;
        for (i = 0; i < MCTP_REASM_SLOTS; i++) {
            if (!core->reasm[i].active) {
                r = &core->reasm[i];
                break;
            }
        }
        if (!r) {
            mctp_core_drop(core, MCTP_DROP_BUSY);
            return;
        }
        r->limit = mctp_core_msg_limit(core,
                                       payload[0] & MCTP_MSG_TYPE_MASK);
        if (plen > r->limit || plen > r->cap) {
            mctp_core_drop(core, MCTP_DROP_OVERSIZE);
            return;
        }
        r->active = true;
        r->src_eid = src;
        r->dst_eid = dst;
        r->tag = tag;
        r->phys = phys;
        r->frag_size = plen;
        r->next_seq = (seq + 1) & MCTP_HDR_SEQ_MASK;
        r->len = plen;
        memcpy(r->buf, payload, plen);
        r->deadline = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                      MCTP_REASM_TIMEOUT_NS;
        mctp_core_arm_timer(core);
        return;
    }

    r = mctp_core_find_reasm(core, src, tag);
    if (!r) {
        mctp_core_drop(core, MCTP_DROP_NO_SOM);
        return;
    }
    if (seq != r->next_seq) {
        r->active = false;
        mctp_core_arm_timer(core);
        mctp_core_drop(core, MCTP_DROP_BAD_SEQ);
        return;
    }
    if (plen > r->frag_size ||
        (!(flags & MCTP_HDR_EOM) && plen != r->frag_size)) {
        r->active = false;
        mctp_core_arm_timer(core);
        mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    if (r->len + plen > r->limit || r->len + plen > r->cap) {
        r->active = false;
        mctp_core_arm_timer(core);
        mctp_core_drop(core, MCTP_DROP_OVERSIZE);
        return;
    }
    memcpy(r->buf + r->len, payload, plen);
    r->len += plen;
    r->next_seq = (r->next_seq + 1) & MCTP_HDR_SEQ_MASK;
    if (flags & MCTP_HDR_EOM) {
        r->active = false;
        mctp_core_arm_timer(core);
        ctx = (MCTPMsgCtx) {
            .src_eid = r->src_eid, .dst_eid = r->dst_eid, .tag = r->tag,
            .phys = r->phys,
        };
        mctp_core_dispatch(core, &ctx, r->buf, r->len);
    }
}

static bool mctp_core_queue(MCTPCore *core, uint8_t dst_eid, uint8_t tag,
                            bool tag_owner, uint32_t phys,
                            const uint8_t *msg, size_t len)
{
    MCTPTx *tx = &core->tx;

    if (tx->active || len == 0 || len > tx->cap) {
        core->tx_errors++;
        trace_mctp_tx_refused(core->name, len, tx->active);
        return false;
    }
    tx->active = true;
    tx->tag_owner = tag_owner;
    tx->dst_eid = dst_eid;
    tx->src_eid = core->eid;
    tx->tag = tag;
    tx->seq = 0;
    tx->phys = phys;
    tx->len = len;
    tx->off = 0;
    tx->mtu = core->tx_mtu;
    memcpy(tx->buf, msg, len);
    trace_mctp_tx_message(core->name, dst_eid, tag, tag_owner, msg[0], len);
    core->ops->tx_kick(core->transport);
    return true;
}

bool mctp_core_respond(MCTPCore *core, const MCTPMsgCtx *ctx,
                       const uint8_t *msg, size_t len)
{
    return mctp_core_queue(core, ctx->src_eid, ctx->tag, false, ctx->phys,
                           msg, len);
}

bool mctp_core_send_request(MCTPCore *core, uint8_t dst_eid, uint32_t phys,
                            const uint8_t *msg, size_t len)
{
    uint8_t tag = core->next_tag & MCTP_HDR_TAG_MASK;

    core->next_tag = (core->next_tag + 1) & MCTP_HDR_TAG_MASK;
    return mctp_core_queue(core, dst_eid, tag, true, phys, msg, len);
}

bool mctp_core_tx_busy(MCTPCore *core)
{
    return core->tx.active;
}

void mctp_core_set_tx_mtu(MCTPCore *core, uint32_t mtu)
{
    core->tx_mtu = MIN(MAX(mtu, MCTP_BTU), core->tx_mtu_max);
}

size_t mctp_core_tx_peek(MCTPCore *core, uint8_t *pkt, size_t size,
                         uint32_t *phys)
{
    MCTPTx *tx = &core->tx;
    uint32_t chunk;

    if (!tx->active || size <= MCTP_HDR_LEN) {
        return 0;
    }
    chunk = MIN(tx->len - tx->off, tx->mtu);
    chunk = MIN(chunk, size - MCTP_HDR_LEN);
    pkt[0] = MCTP_HDR_VERSION;
    pkt[1] = tx->dst_eid;
    pkt[2] = tx->src_eid;
    pkt[3] = (tx->off == 0 ? MCTP_HDR_SOM : 0) |
             (tx->off + chunk == tx->len ? MCTP_HDR_EOM : 0) |
             (tx->seq << MCTP_HDR_SEQ_SHIFT) |
             (tx->tag_owner ? MCTP_HDR_TO : 0) | tx->tag;
    memcpy(pkt + MCTP_HDR_LEN, tx->buf + tx->off, chunk);
    *phys = tx->phys;
    return MCTP_HDR_LEN + chunk;
}

static void mctp_core_tx_finish(MCTPCore *core, bool ok)
{
    unsigned i;

    core->tx.active = false;
    for (i = 0; i < core->nr_resp; i++) {
        if (core->resp[i]->tx_done && !core->tx.active) {
            core->resp[i]->tx_done(core, core->resp_opaque[i], ok);
        }
    }
}

void mctp_core_tx_complete(MCTPCore *core)
{
    MCTPTx *tx = &core->tx;
    uint32_t chunk;

    if (!tx->active) {
        return;
    }
    chunk = MIN(tx->len - tx->off, tx->mtu);
    tx->off += chunk;
    tx->seq = (tx->seq + 1) & MCTP_HDR_SEQ_MASK;
    if (tx->off >= tx->len) {
        core->tx_messages++;
        mctp_core_tx_finish(core, true);
    }
}

void mctp_core_tx_abort(MCTPCore *core)
{
    if (!core->tx.active) {
        return;
    }
    core->tx_errors++;
    trace_mctp_tx_abort(core->name, core->tx.dst_eid, core->tx.off,
                        core->tx.len);
    mctp_core_tx_finish(core, false);
}

bool mctp_core_realize(MCTPCore *core, const MCTPTransportOps *ops,
                       void *transport, Error **errp)
{
    int i;

    if (core->max_msg_size < MCTP_MIN_MAX_MSG ||
        core->max_msg_size > MCTP_MAX_MAX_MSG) {
        error_setg(errp, "max-msg-size must be between %d and %d",
                   MCTP_MIN_MAX_MSG, MCTP_MAX_MAX_MSG);
        return false;
    }
    if (core->static_eid != MCTP_EID_NULL &&
        (core->static_eid < 0x08 || core->static_eid == MCTP_EID_BROADCAST)) {
        error_setg(errp, "eid 0x%02x is reserved (valid: 0x08-0xfe, "
                   "or 0 for unassigned)", core->static_eid);
        return false;
    }
    if (core->tx_mtu_max < MCTP_BTU ||
        core->tx_mtu_max > MCTP_MAX_PKT_PAYLOAD) {
        error_setg(errp, "binding transmission unit %u out of range",
                   core->tx_mtu_max);
        return false;
    }
    if (core->tx_mtu < MCTP_BTU || core->tx_mtu > core->tx_mtu_max) {
        error_setg(errp, "tx-mtu must be between %d and %u",
                   MCTP_BTU, core->tx_mtu_max);
        return false;
    }
    core->ops = ops;
    core->transport = transport;
    for (i = 0; i < MCTP_REASM_SLOTS; i++) {
        core->reasm[i].cap = core->max_msg_size;
        core->reasm[i].buf = g_malloc0(core->max_msg_size);
    }
    core->tx.cap = core->max_msg_size;
    core->tx.buf = g_malloc0(core->max_msg_size);
    core->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, mctp_core_timer_cb, core);
    core->eid = core->static_eid;
    return mctp_core_add_responder(core, &mctp_control_responder, NULL, errp);
}

void mctp_core_unrealize(MCTPCore *core)
{
    int i;

    if (core->timer) {
        timer_free(core->timer);
        core->timer = NULL;
    }
    for (i = 0; i < MCTP_REASM_SLOTS; i++) {
        g_clear_pointer(&core->reasm[i].buf, g_free);
    }
    g_clear_pointer(&core->tx.buf, g_free);
    core->nr_resp = 0;
}

void mctp_core_reset(MCTPCore *core)
{
    int i;

    for (i = 0; i < MCTP_REASM_SLOTS; i++) {
        core->reasm[i].active = false;
    }
    if (core->timer) {
        timer_del(core->timer);
    }
    core->tx.active = false;
    core->eid = core->static_eid;
    core->next_tag = 0;
}

static bool mctp_reasm_valid(void *opaque, int version_id)
{
    MCTPReasm *r = opaque;

    return !r->active ||
           (r->len <= r->cap && r->len <= r->limit &&
            r->frag_size >= MCTP_BTU && r->frag_size <= MCTP_MAX_PKT_PAYLOAD &&
            r->next_seq <= MCTP_HDR_SEQ_MASK && r->tag <= MCTP_HDR_TAG_MASK);
}

static bool mctp_reasm_has_data(void *opaque, int version_id)
{
    return ((MCTPReasm *)opaque)->active;
}

static const VMStateDescription vmstate_mctp_reasm = {
    .name = "mctp-reasm",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(active, MCTPReasm),
        VMSTATE_UINT8(src_eid, MCTPReasm),
        VMSTATE_UINT8(dst_eid, MCTPReasm),
        VMSTATE_UINT8(tag, MCTPReasm),
        VMSTATE_UINT8(next_seq, MCTPReasm),
        VMSTATE_UINT8(frag_size, MCTPReasm),
        VMSTATE_UINT32(phys, MCTPReasm),
        VMSTATE_UINT32(limit, MCTPReasm),
        VMSTATE_UINT32(len, MCTPReasm),
        VMSTATE_INT64(deadline, MCTPReasm),
        VMSTATE_VALIDATE("reassembly state", mctp_reasm_valid),
        VMSTATE_VBUFFER_UINT32(buf, MCTPReasm, 0, mctp_reasm_has_data, len),
        VMSTATE_END_OF_LIST()
    },
};

static bool mctp_tx_valid(void *opaque, int version_id)
{
    MCTPTx *tx = opaque;

    return !tx->active ||
           (tx->len > 0 && tx->len <= tx->cap && tx->off < tx->len &&
            tx->mtu >= MCTP_BTU && tx->mtu <= MCTP_MAX_PKT_PAYLOAD &&
            tx->seq <= MCTP_HDR_SEQ_MASK && tx->tag <= MCTP_HDR_TAG_MASK);
}

static bool mctp_tx_has_data(void *opaque, int version_id)
{
    return ((MCTPTx *)opaque)->active;
}

static const VMStateDescription vmstate_mctp_tx = {
    .name = "mctp-tx",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(active, MCTPTx),
        VMSTATE_BOOL(tag_owner, MCTPTx),
        VMSTATE_UINT8(dst_eid, MCTPTx),
        VMSTATE_UINT8(src_eid, MCTPTx),
        VMSTATE_UINT8(tag, MCTPTx),
        VMSTATE_UINT8(seq, MCTPTx),
        VMSTATE_UINT32(phys, MCTPTx),
        VMSTATE_UINT32(len, MCTPTx),
        VMSTATE_UINT32(off, MCTPTx),
        VMSTATE_UINT32(mtu, MCTPTx),
        VMSTATE_VALIDATE("transmit state", mctp_tx_valid),
        VMSTATE_VBUFFER_UINT32(buf, MCTPTx, 0, mctp_tx_has_data, len),
        VMSTATE_END_OF_LIST()
    },
};

static int mctp_core_post_load(void *opaque, int version_id)
{
    MCTPCore *core = opaque;

    if (core->tx_mtu < MCTP_BTU || core->tx_mtu > core->tx_mtu_max) {
        return -EINVAL;
    }
    mctp_core_arm_timer(core);
    return 0;
}

const VMStateDescription vmstate_mctp_core = {
    .name = "mctp-core",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = mctp_core_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(eid, MCTPCore),
        VMSTATE_UINT8(next_tag, MCTPCore),
        VMSTATE_UINT32(tx_mtu, MCTPCore),
        VMSTATE_STRUCT_ARRAY(reasm, MCTPCore, MCTP_REASM_SLOTS, 1,
                             vmstate_mctp_reasm, MCTPReasm),
        VMSTATE_STRUCT(tx, MCTPCore, 1, vmstate_mctp_tx, MCTPTx),
        VMSTATE_UINT64_ARRAY(drops, MCTPCore, MCTP_DROP__MAX),
        VMSTATE_UINT64(rx_messages, MCTPCore),
        VMSTATE_UINT64(tx_messages, MCTPCore),
        VMSTATE_UINT64(tx_errors, MCTPCore),
        VMSTATE_UINT64(datagrams, MCTPCore),
        VMSTATE_END_OF_LIST()
    },
};
