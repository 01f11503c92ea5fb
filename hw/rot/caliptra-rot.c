/*
 * caliptra-rot: a root of trust with Caliptra's SoC-facing mailbox
 *
 * The model implements what the SoC sees of a Caliptra root of trust:
 * the mailbox (lock, user, cmd, dlen, datain, dataout, execute, status
 * with its FSM state, unlock; 128 KiB), the boot and flow status
 * registers, fuses given as properties, and lines towards the SoC: the
 * "boot-go" output that releases the application CPUs, "error-fatal",
 * and mailbox_data_avail as sysbus IRQ 0.  No Caliptra firmware runs:
 * FIRMWARE_LOAD hashes the image with SHA-384 and compares the digest
 * with the vendor (and, when fused, owner) digest; boot-go rises once
 * the SoC has read that verdict and released the mailbox.  A command
 * takes "latency-ns" of virtual time, on a timer of QEMU's main loop.
 *
 * Mailbox misuse from the SoC (execute without the lock, dlen beyond the
 * mailbox, data past dlen, reads past the response, unlock in the middle
 * of a command...) has a defined outcome, is counted per reason in the
 * "misuse-*" properties and traced.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qemu/timer.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "hw/irq.h"
#include "hw/qdev-properties.h"
#include "hw/rot/caliptra-rot.h"
#include "migration/vmstate.h"
#include "trace.h"

/* keeps the deadline of a command far from the clock's range */
#define CALIPTRA_MAX_LATENCY_NS (3600 * NANOSECONDS_PER_SECOND)

static const char *const misuse_names[CALIPTRA_MISUSE__MAX] = {
    [CALIPTRA_MISUSE_NO_LOCK] = "no-lock",
    [CALIPTRA_MISUSE_DLEN_TOO_LONG] = "dlen-too-long",
    [CALIPTRA_MISUSE_DATAIN_PAST_DLEN] = "datain-past-dlen",
    [CALIPTRA_MISUSE_READ_PAST_DLEN] = "read-past-dlen",
    [CALIPTRA_MISUSE_OUT_OF_SEQUENCE] = "out-of-sequence",
    [CALIPTRA_MISUSE_UNLOCK_MID_COMMAND] = "unlock-mid-command",
    [CALIPTRA_MISUSE_READ_ONLY] = "read-only",
    [CALIPTRA_MISUSE_UNMAPPED] = "unmapped",
};

static const char *fsm_name(uint32_t fsm)
{
    switch (fsm) {
    case CALIPTRA_FSM_IDLE:
        return "idle";
    case CALIPTRA_FSM_RDY_FOR_CMD:
        return "ready-for-cmd";
    case CALIPTRA_FSM_RDY_FOR_DATA:
        return "ready-for-data";
    case CALIPTRA_FSM_RDY_FOR_DLEN:
        return "ready-for-dlen";
    case CALIPTRA_FSM_EXECUTE_SOC:
        return "execute-soc";
    case CALIPTRA_FSM_EXECUTE_UC:
        return "execute-uc";
    default:
        return "error";
    }
}

static void caliptra_misuse(CaliptraRotState *s, CaliptraMisuse why,
                            hwaddr addr, uint64_t value)
{
    s->misuse[why]++;
    trace_caliptra_rot_misuse(misuse_names[why], addr, value,
                              fsm_name(s->fsm));
    qemu_log_mask(LOG_GUEST_ERROR, "%s: %s at 0x%" HWADDR_PRIx
                  " (value 0x%" PRIx64 ", mailbox %s)\n", TYPE_CALIPTRA_ROT,
                  misuse_names[why], addr, value, fsm_name(s->fsm));
}

static void caliptra_set_boot_go(CaliptraRotState *s, bool level)
{
    s->boot_go_level = level;
    trace_caliptra_rot_boot_go(level);
    qemu_set_irq(s->boot_go, level);
}

/* The mailbox goes back to idle and unlocked */
static void caliptra_mbox_clear(CaliptraRotState *s)
{
    timer_del(s->timer);
    s->locked = false;
    s->user = 0;
    s->cmd = 0;
    s->dlen = 0;
    s->wptr = 0;
    s->rptr = 0;
    s->status = CALIPTRA_STATUS_BUSY;
    s->fsm = CALIPTRA_FSM_IDLE;
    s->flow_status |= CALIPTRA_FLOW_MAILBOX_FLOW_DONE;
}

/*
 * The SoC gives the mailbox back.  After a verified FIRMWARE_LOAD this is
 * when boot-go rises: the SoC has seen the verdict (mailbox_flow_done)
 * before the CPUs it releases start.
 */
static void caliptra_mbox_release(CaliptraRotState *s)
{
    caliptra_mbox_clear(s);
    qemu_irq_lower(s->data_avail);
    if (s->booted && !s->boot_go_level) {
        caliptra_set_boot_go(s, true);
    }
}

/* The command is done: the SoC may read the status and response */
static void caliptra_cmd_done(CaliptraRotState *s, uint32_t status,
                              uint32_t resp_len)
{
    s->status = status;
    s->dlen = resp_len;
    s->rptr = 0;
    s->fsm = CALIPTRA_FSM_EXECUTE_SOC;
    trace_caliptra_rot_cmd_done(s->cmd, status, resp_len);
    qemu_irq_raise(s->data_avail);
}

static void caliptra_fw_fail(CaliptraRotState *s, uint32_t code,
                             const char *digest)
{
    s->fw_load_failures++;
    s->fw_error_fatal = code;
    s->boot_status = CALIPTRA_BOOT_FAILED;
    /* as Caliptra's ROM, no second attempt before a reset */
    s->flow_status &= ~CALIPTRA_FLOW_READY_FOR_FW;
    trace_caliptra_rot_fw_load_failed(code, s->dlen, digest);
    qemu_irq_raise(s->error_fatal);
    caliptra_cmd_done(s, CALIPTRA_STATUS_CMD_FAILURE, 0);
}

/* FIRMWARE_LOAD: the image is the mailbox's first dlen bytes */
static void caliptra_firmware_load(CaliptraRotState *s)
{
    g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA384);
    uint8_t digest[CALIPTRA_DIGEST_BYTES];
    gsize len = sizeof(digest);
    static const uint8_t unfused[CALIPTRA_DIGEST_BYTES];

    if (s->booted || !(s->flow_status & CALIPTRA_FLOW_READY_FOR_FW)) {
        /* verified already, or failed until the next reset */
        s->fw_error_non_fatal = CALIPTRA_ERR_NOT_READY;
        trace_caliptra_rot_not_ready(s->booted);
        caliptra_cmd_done(s, CALIPTRA_STATUS_CMD_FAILURE, 0);
        return;
    }
    g_checksum_update(sum, s->mbox, s->dlen);
    g_checksum_get_digest(sum, digest, &len);
    if (s->dlen == 0) {
        caliptra_fw_fail(s, CALIPTRA_ERR_IMAGE_EMPTY,
                         g_checksum_get_string(sum));
    } else if (!memcmp(s->vendor_digest, unfused, sizeof(unfused))) {
        caliptra_fw_fail(s, CALIPTRA_ERR_VENDOR_DIGEST_INVALID,
                         g_checksum_get_string(sum));
    } else if (memcmp(digest, s->vendor_digest, sizeof(digest))) {
        caliptra_fw_fail(s, CALIPTRA_ERR_VENDOR_DIGEST_MISMATCH,
                         g_checksum_get_string(sum));
    } else if (s->owner_fused &&
               memcmp(digest, s->owner_digest, sizeof(digest))) {
        caliptra_fw_fail(s, CALIPTRA_ERR_OWNER_DIGEST_MISMATCH,
                         g_checksum_get_string(sum));
    } else {
        s->fw_loads++;
        s->booted = true;
        memcpy(s->image_digest, digest, sizeof(digest));
        s->boot_status = CALIPTRA_BOOT_RUNTIME;
        s->flow_status &= ~CALIPTRA_FLOW_READY_FOR_FW;
        s->flow_status |= CALIPTRA_FLOW_READY_FOR_RUNTIME;
        trace_caliptra_rot_fw_load_ok(s->dlen, g_checksum_get_string(sum));
        caliptra_cmd_done(s, CALIPTRA_STATUS_CMD_COMPLETE, 0);
    }
}

/* The command's processing time is over: carry it out */
static void caliptra_execute_timer(void *opaque)
{
    CaliptraRotState *s = opaque;

    if (s->fsm != CALIPTRA_FSM_EXECUTE_UC) {
        return;
    }
    switch (s->cmd) {
    case CALIPTRA_CMD_FIRMWARE_LOAD:
        caliptra_firmware_load(s);
        break;
    case CALIPTRA_CMD_IMAGE_DIGEST:
        if (!s->booted) {
            s->fw_error_non_fatal = CALIPTRA_ERR_NOT_READY;
            caliptra_cmd_done(s, CALIPTRA_STATUS_CMD_FAILURE, 0);
            break;
        }
        memcpy(s->mbox, s->image_digest, sizeof(s->image_digest));
        caliptra_cmd_done(s, CALIPTRA_STATUS_DATA_READY,
                          sizeof(s->image_digest));
        break;
    default:
        s->fw_error_non_fatal = CALIPTRA_ERR_UNKNOWN_COMMAND;
        caliptra_cmd_done(s, CALIPTRA_STATUS_CMD_FAILURE, 0);
        break;
    }
}

static uint32_t caliptra_mbox_read(CaliptraRotState *s, hwaddr reg)
{
    uint32_t v = 0;

    switch (reg) {
    case CALIPTRA_MBOX_LOCK:
        /* reading takes the lock: 0 means the reader got it */
        v = s->locked;
        if (!s->locked) {
            s->locked = true;
            s->user = s->soc_user;
            s->status = CALIPTRA_STATUS_BUSY;
            s->fsm = CALIPTRA_FSM_RDY_FOR_CMD;
            s->flow_status &= ~CALIPTRA_FLOW_MAILBOX_FLOW_DONE;
        }
        trace_caliptra_rot_lock(v, s->user);
        return v;
    case CALIPTRA_MBOX_USER:
        return s->user;
    case CALIPTRA_MBOX_CMD:
        return s->cmd;
    case CALIPTRA_MBOX_DLEN:
        return s->dlen;
    case CALIPTRA_MBOX_DATAOUT:
        if (s->fsm != CALIPTRA_FSM_EXECUTE_SOC || s->rptr >= s->dlen) {
            caliptra_misuse(s, CALIPTRA_MISUSE_READ_PAST_DLEN,
                            CALIPTRA_MBOX_CSR + reg, s->rptr);
            return 0;
        }
        v = ldl_le_p(s->mbox + s->rptr);
        s->rptr += 4;
        return v;
    case CALIPTRA_MBOX_EXECUTE:
        return s->fsm == CALIPTRA_FSM_EXECUTE_UC ||
               s->fsm == CALIPTRA_FSM_EXECUTE_SOC;
    case CALIPTRA_MBOX_STATUS:
        return s->status | (s->fsm << CALIPTRA_MBOX_FSM_SHIFT);
    case CALIPTRA_MBOX_UNLOCK:
        return 0;
    default:
        caliptra_misuse(s, CALIPTRA_MISUSE_UNMAPPED, CALIPTRA_MBOX_CSR + reg,
                        0);
        return 0;
    }
}

/* The SoC rings the doorbell (1) or gives the mailbox back (0) */
static void caliptra_mbox_execute(CaliptraRotState *s, uint32_t value)
{
    hwaddr addr = CALIPTRA_MBOX_CSR + CALIPTRA_MBOX_EXECUTE;

    if (value & 1) {
        if (s->fsm != CALIPTRA_FSM_RDY_FOR_DATA) {
            caliptra_misuse(s, CALIPTRA_MISUSE_OUT_OF_SEQUENCE, addr, value);
            return;
        }
        s->fsm = CALIPTRA_FSM_EXECUTE_UC;
        s->status = CALIPTRA_STATUS_BUSY;
        trace_caliptra_rot_execute(s->cmd, s->dlen);
        timer_mod(s->timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  s->latency_ns);
    } else if (s->fsm == CALIPTRA_FSM_EXECUTE_UC) {
        /* the command is still running: it cannot be taken back */
        caliptra_misuse(s, CALIPTRA_MISUSE_OUT_OF_SEQUENCE, addr, value);
    } else {
        trace_caliptra_rot_release(fsm_name(s->fsm));
        caliptra_mbox_release(s);
    }
}

static void caliptra_mbox_write(CaliptraRotState *s, hwaddr reg,
                                uint32_t value)
{
    hwaddr addr = CALIPTRA_MBOX_CSR + reg;

    switch (reg) {
    case CALIPTRA_MBOX_CMD:
    case CALIPTRA_MBOX_DLEN:
    case CALIPTRA_MBOX_DATAIN:
    case CALIPTRA_MBOX_EXECUTE:
    case CALIPTRA_MBOX_UNLOCK:
        if (!s->locked) {
            caliptra_misuse(s, CALIPTRA_MISUSE_NO_LOCK, addr, value);
            return;
        }
        break;
    case CALIPTRA_MBOX_LOCK:
    case CALIPTRA_MBOX_USER:
    case CALIPTRA_MBOX_DATAOUT:
    case CALIPTRA_MBOX_STATUS:
        caliptra_misuse(s, CALIPTRA_MISUSE_READ_ONLY, addr, value);
        return;
    default:
        caliptra_misuse(s, CALIPTRA_MISUSE_UNMAPPED, addr, value);
        return;
    }

    switch (reg) {
    case CALIPTRA_MBOX_CMD:
        if (s->fsm != CALIPTRA_FSM_RDY_FOR_CMD) {
            caliptra_misuse(s, CALIPTRA_MISUSE_OUT_OF_SEQUENCE, addr, value);
            return;
        }
        s->cmd = value;
        s->fsm = CALIPTRA_FSM_RDY_FOR_DLEN;
        break;
    case CALIPTRA_MBOX_DLEN:
        if (s->fsm != CALIPTRA_FSM_RDY_FOR_DLEN) {
            caliptra_misuse(s, CALIPTRA_MISUSE_OUT_OF_SEQUENCE, addr, value);
        } else if (value > CALIPTRA_MBOX_BYTES) {
            /* refused: the mailbox still waits for a usable length */
            caliptra_misuse(s, CALIPTRA_MISUSE_DLEN_TOO_LONG, addr, value);
        } else {
            s->dlen = value;
            s->wptr = 0;
            s->fsm = CALIPTRA_FSM_RDY_FOR_DATA;
        }
        break;
    case CALIPTRA_MBOX_DATAIN:
        if (s->fsm != CALIPTRA_FSM_RDY_FOR_DATA) {
            caliptra_misuse(s, CALIPTRA_MISUSE_OUT_OF_SEQUENCE, addr, value);
        } else if (s->wptr >= s->dlen) {
            caliptra_misuse(s, CALIPTRA_MISUSE_DATAIN_PAST_DLEN, addr, value);
        } else {
            stl_le_p(s->mbox + s->wptr, value);
            s->wptr += 4;
        }
        break;
    case CALIPTRA_MBOX_EXECUTE:
        caliptra_mbox_execute(s, value);
        break;
    case CALIPTRA_MBOX_UNLOCK:
        if (!(value & 1)) {
            break;
        }
        if (s->fsm != CALIPTRA_FSM_EXECUTE_SOC) {
            /* a command in flight is abandoned: no verdict, no boot-go */
            caliptra_misuse(s, CALIPTRA_MISUSE_UNLOCK_MID_COMMAND, addr,
                            value);
        }
        trace_caliptra_rot_release(fsm_name(s->fsm));
        caliptra_mbox_release(s);
        break;
    }
}

static uint32_t caliptra_soc_ifc_read(CaliptraRotState *s, hwaddr reg)
{
    switch (reg) {
    case CALIPTRA_HW_ERROR_FATAL:
    case CALIPTRA_HW_ERROR_NON_FATAL:
        return 0;
    case CALIPTRA_FW_ERROR_FATAL:
        return s->fw_error_fatal;
    case CALIPTRA_FW_ERROR_NON_FATAL:
        return s->fw_error_non_fatal;
    case CALIPTRA_BOOT_STATUS:
        return s->boot_status;
    case CALIPTRA_FLOW_STATUS:
        return s->flow_status;
    default:
        caliptra_misuse(s, CALIPTRA_MISUSE_UNMAPPED, CALIPTRA_SOC_IFC + reg,
                        0);
        return 0;
    }
}

static void caliptra_soc_ifc_write(CaliptraRotState *s, hwaddr reg,
                                   uint32_t value)
{
    hwaddr addr = CALIPTRA_SOC_IFC + reg;

    switch (reg) {
    case CALIPTRA_HW_ERROR_FATAL:
    case CALIPTRA_HW_ERROR_NON_FATAL:
        break;                  /* write 1 to clear; nothing is ever set */
    case CALIPTRA_FW_ERROR_FATAL:
        s->fw_error_fatal &= ~value;
        qemu_set_irq(s->error_fatal, s->fw_error_fatal != 0);
        break;
    case CALIPTRA_FW_ERROR_NON_FATAL:
        s->fw_error_non_fatal &= ~value;
        break;
    case CALIPTRA_BOOT_STATUS:
    case CALIPTRA_FLOW_STATUS:
        caliptra_misuse(s, CALIPTRA_MISUSE_READ_ONLY, addr, value);
        break;
    default:
        caliptra_misuse(s, CALIPTRA_MISUSE_UNMAPPED, addr, value);
        break;
    }
}

static uint64_t caliptra_read(void *opaque, hwaddr addr, unsigned size)
{
    CaliptraRotState *s = opaque;
    uint32_t v;

    if (addr >= CALIPTRA_SOC_IFC) {
        v = caliptra_soc_ifc_read(s, addr - CALIPTRA_SOC_IFC);
    } else if (addr >= CALIPTRA_MBOX_CSR) {
        v = caliptra_mbox_read(s, addr - CALIPTRA_MBOX_CSR);
    } else {
        /* the SoC reaches the mailbox only through datain/dataout */
        caliptra_misuse(s, CALIPTRA_MISUSE_UNMAPPED, addr, 0);
        v = 0;
    }
    trace_caliptra_rot_read(addr, v);
    return v;
}

static void caliptra_write(void *opaque, hwaddr addr, uint64_t value,
                           unsigned size)
{
    CaliptraRotState *s = opaque;

    trace_caliptra_rot_write(addr, value);
    if (addr >= CALIPTRA_SOC_IFC) {
        caliptra_soc_ifc_write(s, addr - CALIPTRA_SOC_IFC, value);
    } else if (addr >= CALIPTRA_MBOX_CSR) {
        caliptra_mbox_write(s, addr - CALIPTRA_MBOX_CSR, value);
    } else {
        caliptra_misuse(s, CALIPTRA_MISUSE_UNMAPPED, addr, value);
    }
}

static const MemoryRegionOps caliptra_ops = {
    .read = caliptra_read,
    .write = caliptra_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/* A fuse: 96 hex digits, or empty for an unfused (all zero) digest */
static bool caliptra_parse_digest(const char *hex, uint8_t *out,
                                  const char *name, Error **errp)
{
    size_t i;

    memset(out, 0, CALIPTRA_DIGEST_BYTES);
    if (!hex || !*hex) {
        return true;
    }
    if (strlen(hex) != 2 * CALIPTRA_DIGEST_BYTES) {
        error_setg(errp, "%s: expected %d hex digits (a SHA-384 digest), "
                   "got %zu characters", name, 2 * CALIPTRA_DIGEST_BYTES,
                   strlen(hex));
        return false;
    }
    for (i = 0; i < 2 * CALIPTRA_DIGEST_BYTES; i++) {
        int d = g_ascii_xdigit_value(hex[i]);

        if (d < 0) {
            error_setg(errp, "%s: '%c' at position %zu is not a hex digit",
                       name, hex[i], i + 1);
            return false;
        }
        out[i / 2] |= d << (i % 2 ? 0 : 4);
    }
    return true;
}

static void caliptra_realize(DeviceState *dev, Error **errp)
{
    CaliptraRotState *s = CALIPTRA_ROT(dev);
    static const uint8_t unfused[CALIPTRA_DIGEST_BYTES];

    if (!caliptra_parse_digest(s->vendor_digest_hex, s->vendor_digest,
                               "vendor-digest", errp) ||
        !caliptra_parse_digest(s->owner_digest_hex, s->owner_digest,
                               "owner-digest", errp)) {
        return;
    }
    if (s->latency_ns > CALIPTRA_MAX_LATENCY_NS) {
        error_setg(errp, "latency-ns: at most %" PRIu64 " (an hour)",
                   (uint64_t)CALIPTRA_MAX_LATENCY_NS);
        return;
    }
    s->owner_fused = memcmp(s->owner_digest, unfused, sizeof(unfused));
    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, caliptra_execute_timer, s);
}

static void caliptra_unrealize(DeviceState *dev)
{
    CaliptraRotState *s = CALIPTRA_ROT(dev);

    timer_free(s->timer);
}

static void caliptra_reset_hold(Object *obj, ResetType type)
{
    CaliptraRotState *s = CALIPTRA_ROT(obj);

    trace_caliptra_rot_reset();
    caliptra_mbox_clear(s);
    memset(s->mbox, 0, sizeof(s->mbox));
    s->boot_status = CALIPTRA_BOOT_READY_FOR_FW;
    s->flow_status = CALIPTRA_FLOW_READY_FOR_FW |
                     CALIPTRA_FLOW_MAILBOX_FLOW_DONE |
                     (CALIPTRA_FLOW_BOOT_FSM_DONE <<
                      CALIPTRA_FLOW_BOOT_FSM_SHIFT);
    s->fw_error_fatal = 0;
    s->fw_error_non_fatal = 0;
    s->booted = false;
    memset(s->image_digest, 0, sizeof(s->image_digest));
}

static void caliptra_reset_exit(Object *obj, ResetType type)
{
    CaliptraRotState *s = CALIPTRA_ROT(obj);

    /* the application CPUs wait for the next verified image */
    caliptra_set_boot_go(s, false);
    qemu_irq_lower(s->error_fatal);
    qemu_irq_lower(s->data_avail);
}

static void caliptra_get_state(Object *obj, Visitor *v, const char *name,
                               void *opaque, Error **errp)
{
    CaliptraRotState *s = CALIPTRA_ROT(obj);
    char *value = g_strdup(fsm_name(s->fsm));

    visit_type_str(v, name, &value, errp);
    g_free(value);
}

/* The digest of the verified image in hex, "" before one is verified */
static void caliptra_get_image_digest(Object *obj, Visitor *v,
                                      const char *name, void *opaque,
                                      Error **errp)
{
    CaliptraRotState *s = CALIPTRA_ROT(obj);
    char *value = g_malloc0(2 * CALIPTRA_DIGEST_BYTES + 1);
    int i;

    for (i = 0; s->booted && i < CALIPTRA_DIGEST_BYTES; i++) {
        sprintf(value + 2 * i, "%02x", s->image_digest[i]);
    }
    visit_type_str(v, name, &value, errp);
    g_free(value);
}

static bool caliptra_get_booted(Object *obj, Error **errp)
{
    return CALIPTRA_ROT(obj)->booted;
}

static bool caliptra_get_boot_go(Object *obj, Error **errp)
{
    return CALIPTRA_ROT(obj)->boot_go_level;
}

static void caliptra_init(Object *obj)
{
    CaliptraRotState *s = CALIPTRA_ROT(obj);
    int i;

    memory_region_init_io(&s->iomem, obj, &caliptra_ops, s,
                          TYPE_CALIPTRA_ROT, CALIPTRA_WINDOW_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->iomem);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->data_avail);
    qdev_init_gpio_out_named(DEVICE(obj), &s->boot_go, "boot-go", 1);
    qdev_init_gpio_out_named(DEVICE(obj), &s->error_fatal, "error-fatal", 1);

    for (i = 0; i < CALIPTRA_MISUSE__MAX; i++) {
        g_autofree char *name = g_strdup_printf("misuse-%s",
                                                misuse_names[i]);

        object_property_add_uint64_ptr(obj, name, &s->misuse[i],
                                       OBJ_PROP_FLAG_READ);
    }
    object_property_add(obj, "mbox-state", "str", caliptra_get_state,
                        NULL, NULL, NULL);
    object_property_add_uint32_ptr(obj, "mbox-status", &s->status,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint32_ptr(obj, "boot-status", &s->boot_status,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint32_ptr(obj, "flow-status", &s->flow_status,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint32_ptr(obj, "fw-error", &s->fw_error_fatal,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "fw-loads", &s->fw_loads,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(obj, "fw-load-failures",
                                   &s->fw_load_failures, OBJ_PROP_FLAG_READ);
    object_property_add_bool(obj, "booted", caliptra_get_booted, NULL);
    object_property_add_bool(obj, "boot-go", caliptra_get_boot_go, NULL);
    object_property_add(obj, "image-digest", "str",
                        caliptra_get_image_digest, NULL, NULL, NULL);
}

static const VMStateDescription vmstate_caliptra_rot = {
    .name = TYPE_CALIPTRA_ROT,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_TIMER_PTR(timer, CaliptraRotState),
        VMSTATE_UINT8_ARRAY(mbox, CaliptraRotState, CALIPTRA_MBOX_BYTES),
        VMSTATE_UINT32(fsm, CaliptraRotState),
        VMSTATE_UINT32(status, CaliptraRotState),
        VMSTATE_BOOL(locked, CaliptraRotState),
        VMSTATE_UINT32(user, CaliptraRotState),
        VMSTATE_UINT32(cmd, CaliptraRotState),
        VMSTATE_UINT32(dlen, CaliptraRotState),
        VMSTATE_UINT32(wptr, CaliptraRotState),
        VMSTATE_UINT32(rptr, CaliptraRotState),
        VMSTATE_UINT32(boot_status, CaliptraRotState),
        VMSTATE_UINT32(flow_status, CaliptraRotState),
        VMSTATE_UINT32(fw_error_fatal, CaliptraRotState),
        VMSTATE_UINT32(fw_error_non_fatal, CaliptraRotState),
        VMSTATE_BOOL(booted, CaliptraRotState),
        VMSTATE_BOOL(boot_go_level, CaliptraRotState),
        VMSTATE_UINT8_ARRAY(image_digest, CaliptraRotState,
                            CALIPTRA_DIGEST_BYTES),
        VMSTATE_UINT64_ARRAY(misuse, CaliptraRotState, CALIPTRA_MISUSE__MAX),
        VMSTATE_UINT64(fw_loads, CaliptraRotState),
        VMSTATE_UINT64(fw_load_failures, CaliptraRotState),
        VMSTATE_END_OF_LIST()
    },
};

static const Property caliptra_properties[] = {
    DEFINE_PROP_STRING("vendor-digest", CaliptraRotState, vendor_digest_hex),
    DEFINE_PROP_STRING("owner-digest", CaliptraRotState, owner_digest_hex),
    DEFINE_PROP_UINT32("soc-user", CaliptraRotState, soc_user, 1),
    DEFINE_PROP_UINT64("latency-ns", CaliptraRotState, latency_ns,
                       1000000),
};

static void caliptra_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->desc = "Root of trust with Caliptra's SoC mailbox (no firmware)";
    dc->realize = caliptra_realize;
    dc->unrealize = caliptra_unrealize;
    dc->vmsd = &vmstate_caliptra_rot;
    rc->phases.hold = caliptra_reset_hold;
    rc->phases.exit = caliptra_reset_exit;
    device_class_set_props(dc, caliptra_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo caliptra_info = {
    .name = TYPE_CALIPTRA_ROT,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(CaliptraRotState),
    .instance_init = caliptra_init,
    .class_init = caliptra_class_init,
};

static void caliptra_register_types(void)
{
    type_register_static(&caliptra_info);
}

type_init(caliptra_register_types)
