/*
 * MCTP over SMBus/I2C (DMTF DSP0237) endpoint base device
 *
 * Requests arrive as SMBus block writes to our address: command code
 * 0x0F, byte count, source address (bit 0 set), MCTP packet, PEC.  The
 * core answers; responses go out as block writes from us, mastering the
 * bus asynchronously, to the requester's address.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-properties-system.h"
#include "migration/vmstate.h"
#include "hw/mctp/mctp-i2c.h"
#include "trace.h"

/* SMBus PEC: CRC-8, polynomial x^8 + x^2 + x + 1, initial value @crc */
uint8_t mctp_i2c_pec(uint8_t crc, const uint8_t *buf, size_t len)
{
    size_t i;
    int bit;

    for (i = 0; i < len; i++) {
        crc ^= buf[i];
        for (bit = 0; bit < 8; bit++) {
            crc = (crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1;
        }
    }
    return crc;
}

static const char *const mctp_i2c_drop_names[MCTP_I2C_DROP__MAX] = {
    [MCTP_I2C_DROP_BAD_PEC] = "bad-pec",
    [MCTP_I2C_DROP_BAD_COMMAND] = "bad-command",
    [MCTP_I2C_DROP_BAD_SRC_ADDR] = "bad-src-addr",
};

static void mctp_i2c_drop(MCTPI2CEndpoint *e, MCTPI2CDrop reason)
{
    mctp_count_drop(&e->drops[reason], e->core.name,
                    mctp_i2c_drop_names[reason]);
}

static void mctp_i2c_rx_frame(MCTPI2CEndpoint *e)
{
    MCTPCore *core = &e->core;
    const uint8_t *f = e->rx_buf;
    uint32_t n = e->rx_len;

    trace_mctp_i2c_rx_frame(core->name, n, n > 2 ? f[2] : 0);
    if (e->rx_overflow || n < 3) {
        mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    if (f[1] != MCTP_I2C_COMMAND_CODE) {
        mctp_i2c_drop(e, MCTP_I2C_DROP_BAD_COMMAND);
        return;
    }
    /*
     * address, command, count, source, 4 header bytes, PEC, and the byte
     * count must cover exactly what came between count and PEC.
     */
    if (n < 4 + 1 + MCTP_HDR_LEN || f[2] + 4 != n) {
        mctp_core_drop(core, MCTP_DROP_BAD_LENGTH);
        return;
    }
    if (mctp_i2c_pec(0, f, n - 1) != f[n - 1]) {
        mctp_i2c_drop(e, MCTP_I2C_DROP_BAD_PEC);
        return;
    }
    if (!(f[3] & 1)) {
        mctp_i2c_drop(e, MCTP_I2C_DROP_BAD_SRC_ADDR);
        return;
    }
    mctp_core_receive(core, f + 4, f[2] - 1, f[3] >> 1);
}

static int mctp_i2c_event(I2CSlave *s, enum i2c_event event)
{
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(s);

    switch (event) {
    case I2C_START_SEND:
        if (e->rx_len > 1) {
            /* repeated start in the middle of a block write */
            mctp_core_drop(&e->core, MCTP_DROP_BAD_LENGTH);
        }
        /* the I2C core does not pass the address byte: put it back */
        e->rx_buf[0] = s->address << 1;
        e->rx_len = 1;
        e->rx_overflow = false;
        return 0;
    case I2C_FINISH:
        if (e->rx_len) {
            mctp_i2c_rx_frame(e);
            e->rx_len = 0;
        }
        return 0;
    case I2C_NACK:
        return 0;
    case I2C_START_RECV:
    case I2C_START_SEND_ASYNC:
    default:
        /* MCTP endpoints are only ever written to */
        return -1;
    }
}

static int mctp_i2c_send(I2CSlave *s, uint8_t data)
{
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(s);

    if (!e->rx_len || e->rx_len >= sizeof(e->rx_buf)) {
        e->rx_overflow = true;
        return 0;
    }
    e->rx_buf[e->rx_len++] = data;
    return 0;
}

static uint8_t mctp_i2c_recv(I2CSlave *s)
{
    return 0xff;
}

static void mctp_i2c_request_bus(MCTPI2CEndpoint *e)
{
    e->tx_state = MCTP_I2C_TX_QUEUED;
    i2c_bus_master(e->bus, e->master_bh);
    /* after the current transfer, if any, has ended */
    qemu_bh_schedule(e->kick_bh);
}

static void mctp_i2c_tx_kick(void *opaque)
{
    MCTPI2CEndpoint *e = opaque;

    if (e->tx_state == MCTP_I2C_TX_IDLE) {
        mctp_i2c_request_bus(e);
    }
}

static void mctp_i2c_kick_bh(void *opaque)
{
    MCTPI2CEndpoint *e = opaque;

    i2c_schedule_pending_master(e->bus);
}

static void mctp_i2c_tx_failed(MCTPI2CEndpoint *e)
{
    timer_del(e->retry_timer);
    e->tx_state = MCTP_I2C_TX_IDLE;
    e->tx_retries = 0;
    mctp_core_tx_abort(&e->core);
}

/* Try the frame again later, or give up on it */
static void mctp_i2c_tx_retry(MCTPI2CEndpoint *e)
{
    if (e->tx_retries < MCTP_I2C_TX_RETRIES) {
        e->tx_retries++;
        e->tx_state = MCTP_I2C_TX_RETRY;
        timer_mod(e->retry_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  MCTP_I2C_RETRY_NS);
    } else {
        mctp_i2c_tx_failed(e);
    }
}

static void mctp_i2c_retry_cb(void *opaque)
{
    MCTPI2CEndpoint *e = opaque;

    switch (e->tx_state) {
    case MCTP_I2C_TX_RETRY:
        mctp_i2c_request_bus(e);
        break;
    case MCTP_I2C_TX_SENDING:
        /*
         * The target stopped acknowledging: free the bus and send the
         * frame again, as after a lost arbitration.  (A receiver drops
         * the partial frame: it has no stop, or a wrong PEC.)
         */
        trace_mctp_i2c_tx_timeout(e->core.name, e->tx_addr, e->tx_pos,
                                  e->tx_retries);
        if (e->bus->bh == e->master_bh) {
            i2c_end_transfer(e->bus);
            i2c_bus_release(e->bus);
        }
        mctp_i2c_tx_retry(e);
        break;
    default:
        break;
    }
}

static void mctp_i2c_arm_ack_watchdog(MCTPI2CEndpoint *e)
{
    timer_mod(e->retry_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
              MCTP_I2C_ACK_TIMEOUT_NS);
}

static bool mctp_i2c_build_frame(MCTPI2CEndpoint *e)
{
    I2CSlave *s = I2C_SLAVE(e);
    uint32_t phys;
    size_t len;
    uint8_t addr;

    len = mctp_core_tx_peek(&e->core, e->tx_buf + 3,
                            MCTP_I2C_FRAME_MAX - 4, &phys);
    if (!len) {
        return false;
    }
    e->tx_addr = phys & 0x7f;
    e->tx_buf[0] = MCTP_I2C_COMMAND_CODE;
    e->tx_buf[1] = len + 1;
    e->tx_buf[2] = s->address << 1 | 1;
    addr = e->tx_addr << 1;
    e->tx_buf[3 + len] = mctp_i2c_pec(mctp_i2c_pec(0, &addr, 1),
                                      e->tx_buf, 3 + len);
    e->tx_len = 4 + len;
    e->tx_pos = 0;
    return true;
}

static void mctp_i2c_master_bh(void *opaque)
{
    MCTPI2CEndpoint *e = opaque;
    MCTPCore *core = &e->core;

    switch (e->tx_state) {
    case MCTP_I2C_TX_QUEUED:
        /* we own the bus now */
        if (!mctp_i2c_build_frame(e)) {
            e->tx_state = MCTP_I2C_TX_IDLE;
            i2c_bus_release(e->bus);
            return;
        }
        if (i2c_start_send_async(e->bus, e->tx_addr)) {
            i2c_bus_release(e->bus);
            trace_mctp_i2c_tx_nak(core->name, e->tx_addr, e->tx_retries);
            mctp_i2c_tx_retry(e);
            return;
        }
        trace_mctp_i2c_tx_start(core->name, e->tx_addr, e->tx_len);
        e->tx_state = MCTP_I2C_TX_SENDING;
        mctp_i2c_arm_ack_watchdog(e);
        return;

    case MCTP_I2C_TX_SENDING:
        if (QLIST_EMPTY(&e->bus->current_devs)) {
            /*
             * Our transfer is gone: another master ended it (a controller
             * that had a START refused still counts itself the bus's
             * master, and its STOP ends the transfer on the bus).  The
             * frame did not get through: send it again.
             */
            trace_mctp_i2c_tx_ended(core->name, e->tx_addr, e->tx_pos,
                                    e->tx_retries);
            timer_del(e->retry_timer);
            if (e->bus->bh == e->master_bh) {
                i2c_bus_release(e->bus);
            }
            mctp_i2c_tx_retry(e);
            return;
        }
        /* the target acknowledged the previous byte */
        if (e->tx_pos < e->tx_len) {
            if (i2c_send_async(e->bus, e->tx_buf[e->tx_pos++])) {
                i2c_end_transfer(e->bus);
                i2c_bus_release(e->bus);
                mctp_i2c_tx_failed(e);
                return;
            }
            mctp_i2c_arm_ack_watchdog(e);
            return;
        }
        timer_del(e->retry_timer);
        i2c_end_transfer(e->bus);
        i2c_bus_release(e->bus);
        e->tx_state = MCTP_I2C_TX_IDLE;
        e->tx_retries = 0;
        mctp_core_tx_complete(core);
        if (e->tx_state == MCTP_I2C_TX_IDLE && mctp_core_tx_busy(core)) {
            mctp_i2c_request_bus(e);
        }
        return;

    default:
        /* granted after a reset dropped what we had to send */
        if (e->bus->bh == e->master_bh) {
            i2c_bus_release(e->bus);
        }
        return;
    }
}

static const MCTPTransportOps mctp_i2c_transport_ops = {
    .tx_kick = mctp_i2c_tx_kick,
};

static void mctp_i2c_realize(DeviceState *dev, Error **errp)
{
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(dev);
    I2CSlave *s = I2C_SLAVE(dev);

    if (s->address == 0 || s->address > 0x7f) {
        error_setg(errp, "address 0x%02x is not a valid 7-bit I2C address",
                   s->address);
        return;
    }
    if (qemu_uuid_is_null(&e->core.uuid)) {
        g_autofree char *addr = g_strdup_printf("0x%02x", s->address);

        mctp_default_uuid(&e->core.uuid, OBJECT(dev), addr);
    }
    e->core.name = object_get_typename(OBJECT(dev));
    e->core.tx_mtu_max = MCTP_I2C_MAX_PAYLOAD < MCTP_MAX_PKT_PAYLOAD ?
                         MCTP_I2C_MAX_PAYLOAD : MCTP_MAX_PKT_PAYLOAD;
    if (!mctp_core_realize(&e->core, &mctp_i2c_transport_ops, e, errp)) {
        mctp_core_unrealize(&e->core);
        return;
    }
    e->bus = I2C_BUS(qdev_get_parent_bus(dev));
    e->master_bh = qemu_bh_new_guarded(mctp_i2c_master_bh, e,
                                       &dev->mem_reentrancy_guard);
    e->kick_bh = qemu_bh_new_guarded(mctp_i2c_kick_bh, e,
                                     &dev->mem_reentrancy_guard);
    e->retry_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, mctp_i2c_retry_cb, e);
}

static void mctp_i2c_unrealize(DeviceState *dev)
{
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(dev);

    g_clear_pointer(&e->master_bh, qemu_bh_delete);
    g_clear_pointer(&e->kick_bh, qemu_bh_delete);
    g_clear_pointer(&e->retry_timer, timer_free);
    mctp_core_unrealize(&e->core);
}

static void mctp_i2c_reset_hold(Object *obj, ResetType type)
{
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(obj);

    if (e->tx_state == MCTP_I2C_TX_SENDING) {
        i2c_end_transfer(e->bus);
        i2c_bus_release(e->bus);
    }
    e->tx_state = MCTP_I2C_TX_IDLE;
    e->tx_retries = 0;
    if (e->retry_timer) {
        timer_del(e->retry_timer);
    }
    e->rx_len = 0;
    e->rx_overflow = false;
    mctp_core_reset(&e->core);
}

static int mctp_i2c_post_load(void *opaque, int version_id)
{
    MCTPI2CEndpoint *e = opaque;

    if (e->rx_len > sizeof(e->rx_buf)) {
        return -EINVAL;
    }
    /* the bus arbitration queue is not migrated: ask for the bus again */
    e->tx_state = MCTP_I2C_TX_IDLE;
    e->tx_retries = 0;
    if (mctp_core_tx_busy(&e->core)) {
        mctp_i2c_request_bus(e);
    }
    return 0;
}

const VMStateDescription vmstate_mctp_i2c_endpoint = {
    .name = TYPE_MCTP_I2C_ENDPOINT,
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = mctp_i2c_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_I2C_SLAVE(parent_obj, MCTPI2CEndpoint),
        VMSTATE_MCTP_CORE(core, MCTPI2CEndpoint),
        VMSTATE_UINT8_ARRAY(rx_buf, MCTPI2CEndpoint, 1 + MCTP_I2C_FRAME_MAX),
        VMSTATE_UINT32(rx_len, MCTPI2CEndpoint),
        VMSTATE_BOOL(rx_overflow, MCTPI2CEndpoint),
        VMSTATE_UINT64_ARRAY(drops, MCTPI2CEndpoint, MCTP_I2C_DROP__MAX),
        VMSTATE_END_OF_LIST()
    },
};

static const Property mctp_i2c_properties[] = {
    DEFINE_MCTP_CORE_PROPERTIES(MCTPI2CEndpoint, core),
};

static void mctp_i2c_instance_init(Object *obj)
{
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(obj);

    mctp_core_add_properties(&e->core, obj);
    mctp_add_counter_properties(obj, "drops-", mctp_i2c_drop_names,
                                e->drops, MCTP_I2C_DROP__MAX);
}

static void mctp_i2c_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    I2CSlaveClass *sc = I2C_SLAVE_CLASS(oc);
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    dc->realize = mctp_i2c_realize;
    dc->unrealize = mctp_i2c_unrealize;
    dc->vmsd = &vmstate_mctp_i2c_endpoint;
    rc->phases.hold = mctp_i2c_reset_hold;
    device_class_set_props(dc, mctp_i2c_properties);
    mctp_core_class_describe(oc);
    sc->event = mctp_i2c_event;
    sc->send = mctp_i2c_send;
    sc->recv = mctp_i2c_recv;
}

static const TypeInfo mctp_i2c_types[] = {
    {
        .name = TYPE_MCTP_I2C_ENDPOINT,
        .parent = TYPE_I2C_SLAVE,
        .instance_size = sizeof(MCTPI2CEndpoint),
        .instance_init = mctp_i2c_instance_init,
        .class_size = sizeof(MCTPI2CEndpointClass),
        .class_init = mctp_i2c_class_init,
        .abstract = true,
    },
};

DEFINE_TYPES(mctp_i2c_types)
