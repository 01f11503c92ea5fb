/*
 * MCTP (DMTF DSP0236) endpoint core, independent of the physical binding
 *
 * The core validates MCTP packets handed over by a binding (SMBus/I2C,
 * and later USB or serial), reassembles messages per (source EID, tag,
 * tag owner), dispatches complete messages to the message-type
 * responders registered with it (the control protocol is always
 * present), and fragments the responses for the binding to send.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MCTP_MCTP_H
#define HW_MCTP_MCTP_H

#include "qemu/uuid.h"
#include "qemu/timer.h"
#include "migration/vmstate.h"
#include "qom/object.h"

#define MCTP_HDR_VERSION        0x1
#define MCTP_HDR_LEN            4
#define MCTP_EID_NULL           0x00
#define MCTP_EID_BROADCAST      0xff
/* Baseline transmission unit: packet payload every endpoint accepts */
#define MCTP_BTU                64
/* Largest packet payload the core accepts (Linux sends up to 250 on I2C) */
#define MCTP_MAX_PKT_PAYLOAD    250
#define MCTP_REASM_SLOTS        4
#define MCTP_REASM_TIMEOUT_NS   (6 * NANOSECONDS_PER_SECOND)
/* Large enough for NVMe-MI's 4224-byte messages */
#define MCTP_DEFAULT_MAX_MSG    4224
#define MCTP_MIN_MAX_MSG        64
#define MCTP_MAX_MAX_MSG        65536
#define MCTP_MAX_RESPONDERS     8

/* Packet header flags byte */
#define MCTP_HDR_SOM            0x80
#define MCTP_HDR_EOM            0x40
#define MCTP_HDR_SEQ_SHIFT      4
#define MCTP_HDR_SEQ_MASK       0x3
#define MCTP_HDR_TO             0x08
#define MCTP_HDR_TAG_MASK       0x07

/* Message type byte */
#define MCTP_MSG_IC             0x80
#define MCTP_MSG_TYPE_MASK      0x7f
#define MCTP_MSG_TYPE_CONTROL   0x00
#define MCTP_MSG_TYPE_NCSI      0x02
#define MCTP_MSG_TYPE_NVME_MI   0x04
#define MCTP_MSG_TYPE_VDM_PCI   0x7e
#define MCTP_MSG_TYPE_VDM_IANA  0x7f

/*
 * Encoded version entry {major, minor, update, alpha} with the 0xF-nibble
 * BCD of DSP0236 (1.3.3 = F1 F3 F3 00); MCTP_VERSION_NO_UPDATE as @upd
 * gives 0xFF ("no update version").
 */
#define MCTP_VERSION(maj, min, upd) \
    ((uint32_t)(0xf0 | (maj)) << 24 | (uint32_t)(0xf0 | (min)) << 16 | \
     (uint32_t)(0xf0 | (upd)) << 8)
#define MCTP_VERSION_NO_UPDATE  0xf

/*
 * Why a packet or message was dropped; one QOM counter each.  Reasons
 * of a physical binding's framing are the binding's own (MCTPI2CDrop,
 * MCTPUSBDrop); a binding counts a frame of the wrong length as
 * MCTP_DROP_BAD_LENGTH.
 */
typedef enum MCTPDropReason {
    MCTP_DROP_BAD_LENGTH,
    MCTP_DROP_BAD_VERSION,
    MCTP_DROP_WRONG_EID,
    MCTP_DROP_BAD_TAG_OWNER,
    MCTP_DROP_BAD_SEQ,
    MCTP_DROP_NO_SOM,
    MCTP_DROP_RESTART,
    MCTP_DROP_TIMEOUT,
    MCTP_DROP_OVERSIZE,
    MCTP_DROP_UNSUPPORTED_TYPE,
    MCTP_DROP_NOT_REQUEST,
    MCTP_DROP_BUSY,
    MCTP_DROP__MAX,
} MCTPDropReason;

typedef struct MCTPCore MCTPCore;

/* Where a received message came from; handed back to reply to it */
typedef struct MCTPMsgCtx {
    uint8_t src_eid;
    uint8_t dst_eid;
    uint8_t tag;
    uint32_t phys;      /* binding-specific physical address */
} MCTPMsgCtx;

/* One entry of Get Vendor Defined Message Support */
typedef struct MCTPVendorSupport {
    uint8_t format;     /* 0x00 PCI vendor ID, 0x01 IANA enterprise number */
    uint32_t vendor_id;
    uint16_t cmd_set;
} MCTPVendorSupport;

/*
 * A message-type responder.  Registering one with a core makes the type
 * appear in Get Message Type Support and Get MCTP Version Support (and
 * its vendor entries in Get Vendor Defined Message Support).
 */
typedef struct MCTPResponderInfo {
    uint8_t type;               /* 7-bit message type */
    bool allow_ic;              /* accept messages with the IC bit set */
    uint32_t max_msg_size;      /* incl. type byte; 0: the core's limit */
    const uint32_t *versions;   /* MCTP_VERSION() entries */
    unsigned nr_versions;
    const MCTPVendorSupport *vendor;
    unsigned nr_vendor;
    /* A complete request message (starting with the type byte) */
    void (*handle)(MCTPCore *core, void *opaque, const MCTPMsgCtx *ctx,
                   const uint8_t *msg, size_t len);
    /* Optional: a queued message was sent (@ok) or given up; TX is free */
    void (*tx_done)(MCTPCore *core, void *opaque, bool ok);
} MCTPResponderInfo;

/* What the core needs from its binding */
typedef struct MCTPTransportOps {
    /* A message is queued: start pulling packets with mctp_core_tx_peek() */
    void (*tx_kick)(void *opaque);
} MCTPTransportOps;

typedef struct MCTPReasm {
    bool active;
    uint8_t src_eid;
    uint8_t dst_eid;
    uint8_t tag;
    uint8_t next_seq;
    uint8_t frag_size;
    uint32_t phys;
    uint32_t limit;
    uint32_t len;
    int64_t deadline;
    uint32_t cap;       /* buffer size, not migrated */
    uint8_t *buf;
} MCTPReasm;

typedef struct MCTPTx {
    bool active;
    bool tag_owner;
    uint8_t dst_eid;
    uint8_t src_eid;
    uint8_t tag;
    uint8_t seq;
    uint32_t phys;
    uint32_t len;
    uint32_t off;
    uint32_t mtu;       /* payload per packet, fixed per message */
    uint32_t cap;       /* buffer size, not migrated */
    uint8_t *buf;
} MCTPTx;

struct MCTPCore {
    /* configuration, set before mctp_core_realize() */
    uint8_t static_eid;
    uint32_t max_msg_size;
    uint32_t tx_mtu;
    uint32_t tx_mtu_max;        /* largest payload the binding can carry */
    QemuUUID uuid;
    const char *name;           /* for trace events */

    /* binding */
    const MCTPTransportOps *ops;
    void *transport;

    /* responders */
    const MCTPResponderInfo *resp[MCTP_MAX_RESPONDERS];
    void *resp_opaque[MCTP_MAX_RESPONDERS];
    unsigned nr_resp;

    /* state */
    uint8_t eid;
    uint8_t next_tag;
    MCTPReasm reasm[MCTP_REASM_SLOTS];
    MCTPTx tx;
    QEMUTimer *timer;

    /* statistics */
    uint64_t drops[MCTP_DROP__MAX];
    uint64_t rx_messages;
    uint64_t tx_messages;
    uint64_t tx_errors;
    uint64_t datagrams;
};

extern const char *const mctp_drop_reason_names[MCTP_DROP__MAX];
extern const VMStateDescription vmstate_mctp_core;

#define VMSTATE_MCTP_CORE(_field, _state) \
    VMSTATE_STRUCT(_field, _state, 1, vmstate_mctp_core, MCTPCore)

/*
 * A name-based (version 5) UUID from @obj's type and QOM path and the
 * binding's address @where: the same from one run to the next
 */
void mctp_default_uuid(QemuUUID *uuid, Object *obj, const char *where);

/* The endpoint properties of every binding, for the core @_field of @_state */
#define DEFINE_MCTP_CORE_PROPERTIES(_state, _field)                          \
    DEFINE_PROP_UINT8("eid", _state, _field.static_eid, 0),                  \
    DEFINE_PROP_UUID_NODEFAULT("uuid", _state, _field.uuid),                 \
    DEFINE_PROP_UINT32("max-msg-size", _state, _field.max_msg_size,          \
                       MCTP_DEFAULT_MAX_MSG),                                \
    DEFINE_PROP_UINT32("tx-mtu", _state, _field.tx_mtu, MCTP_BTU)

/* Describe the properties of DEFINE_MCTP_CORE_PROPERTIES() */
void mctp_core_class_describe(ObjectClass *oc);

/* Add the counters and current-eid as read-only QOM properties of @obj */
void mctp_core_add_properties(MCTPCore *core, Object *obj);
/*
 * Add @n read-only uint64 QOM properties "<prefix><names[i]>" of @obj
 * for @counters[i] (drop counters of bindings and responders)
 */
void mctp_add_counter_properties(Object *obj, const char *prefix,
                                 const char *const *names,
                                 uint64_t *counters, unsigned n);
/* Count a drop by a binding or responder of @dev and emit its trace */
void mctp_count_drop(uint64_t *counter, const char *dev, const char *reason);

bool mctp_core_realize(MCTPCore *core, const MCTPTransportOps *ops,
                       void *transport, Error **errp);
void mctp_core_unrealize(MCTPCore *core);
void mctp_core_reset(MCTPCore *core);

bool mctp_core_add_responder(MCTPCore *core, const MCTPResponderInfo *info,
                             void *opaque, Error **errp);
const MCTPResponderInfo *mctp_core_find_responder(MCTPCore *core,
                                                  uint8_t type);

/* Count a drop and emit its trace event */
void mctp_core_drop(MCTPCore *core, MCTPDropReason reason);

/* Feed one MCTP packet (header + payload) received from @phys */
void mctp_core_receive(MCTPCore *core, const uint8_t *pkt, size_t len,
                       uint32_t phys);

/* Queue a response to the message described by @ctx (TO=0, same tag) */
bool mctp_core_respond(MCTPCore *core, const MCTPMsgCtx *ctx,
                       const uint8_t *msg, size_t len);
/* Queue a request of ours (TO=1, our own tag) to @dst_eid at @phys */
bool mctp_core_send_request(MCTPCore *core, uint8_t dst_eid, uint32_t phys,
                            const uint8_t *msg, size_t len);
bool mctp_core_tx_busy(MCTPCore *core);
/* Set the transmission unit (clamped to [BTU, binding maximum]) */
void mctp_core_set_tx_mtu(MCTPCore *core, uint32_t mtu);

/*
 * Binding side of transmission: mctp_core_tx_peek() builds the current
 * packet without consuming it; mctp_core_tx_complete() moves on after it
 * was delivered, mctp_core_tx_abort() drops the whole message.
 */
size_t mctp_core_tx_peek(MCTPCore *core, uint8_t *pkt, size_t size,
                         uint32_t *phys);
void mctp_core_tx_complete(MCTPCore *core);
void mctp_core_tx_abort(MCTPCore *core);

/* The control protocol responder (mctp-control.c) */
extern const MCTPResponderInfo mctp_control_responder;

#endif
