/*
 * The MCTP-over-I2C endpoints: each hosts the control protocol and one
 * transport-free responder (mctp-echo.c, mctp-ncsi.c, mctp-nvme-mi.c)
 * on the SMBus binding (mctp-i2c.c).  mctp-echo: echo and bench;
 * mctp-ncsi: NC-SI; mctp-nvme-mi: NVMe-MI, the subsystem's 2-wire port,
 * with nvme-mi-basic, the NVMe Basic Management Command (SMBus block
 * reads at 0x6A) of the same subsystem.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/units.h"
#include "migration/vmstate.h"
#include "hw/qdev-properties.h"
#include "hw/qdev-properties-system.h"
#include "hw/mctp/mctp-i2c.h"
#include "hw/mctp/mctp-echo.h"
#include "hw/mctp/mctp-ncsi.h"
#include "hw/mctp/mctp-nvme-mi.h"
#include "trace.h"

#define TYPE_MCTP_ECHO "mctp-echo"
OBJECT_DECLARE_SIMPLE_TYPE(MCTPEchoState, MCTP_ECHO)

#define TYPE_MCTP_NCSI "mctp-ncsi"
OBJECT_DECLARE_SIMPLE_TYPE(MCTPNcsiState, MCTP_NCSI)

#define TYPE_MCTP_NVME_MI "mctp-nvme-mi"
OBJECT_DECLARE_SIMPLE_TYPE(MCTPNvmeMiState, MCTP_NVME_MI)

#define TYPE_NVME_MI_BASIC "nvme-mi-basic"
OBJECT_DECLARE_SIMPLE_TYPE(NvmeMiBasicState, NVME_MI_BASIC)

#define NCSI_DEFAULT_ADDRESS    0x14
#define NMI_DEFAULT_ADDRESS     0x1d
#define NMI_BASIC_ADDRESS       0x6a

struct MCTPEchoState {
    MCTPI2CEndpoint parent_obj;

    MCTPEcho echo;
};

/* mctp-echo: the responder on an MCTP-over-I2C endpoint */

static DeviceRealize mctp_echo_parent_realize;
static ResettablePhases mctp_echo_parent_phases;

static void mctp_echo_realize(DeviceState *dev, Error **errp)
{
    MCTPEchoState *s = MCTP_ECHO(dev);
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(dev);
    ERRP_GUARD();

    mctp_echo_parent_realize(dev, errp);
    if (*errp) {
        return;
    }
    mctp_echo_attach(&s->echo, &e->core, errp);
}

static void mctp_echo_reset_hold(Object *obj, ResetType type)
{
    if (mctp_echo_parent_phases.hold) {
        mctp_echo_parent_phases.hold(obj, type);
    }
    mctp_echo_reset(&MCTP_ECHO(obj)->echo);
}

static const VMStateDescription vmstate_mctp_echo = {
    .name = TYPE_MCTP_ECHO,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, MCTPEchoState, 1,
                       vmstate_mctp_i2c_endpoint, MCTPI2CEndpoint),
        VMSTATE_STRUCT(echo, MCTPEchoState, 1, vmstate_mctp_echo_responder,
                       MCTPEcho),
        VMSTATE_END_OF_LIST()
    },
};
static void mctp_echo_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    dc->desc = "MCTP-over-I2C endpoint with echo and bench (type 0x7E)";
    dc->vmsd = &vmstate_mctp_echo;
    device_class_set_parent_realize(dc, mctp_echo_realize,
                                    &mctp_echo_parent_realize);
    resettable_class_set_parent_phases(rc, NULL, mctp_echo_reset_hold, NULL,
                                       &mctp_echo_parent_phases);
}

/* mctp-ncsi: the responder on an MCTP-over-I2C endpoint */

struct MCTPNcsiState {
    MCTPI2CEndpoint parent_obj;

    MCTPNcsi ncsi;
};

static DeviceRealize mctp_ncsi_parent_realize;
static ResettablePhases mctp_ncsi_parent_phases;

static void mctp_ncsi_realize(DeviceState *dev, Error **errp)
{
    MCTPNcsiState *s = MCTP_NCSI(dev);
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(dev);
    ERRP_GUARD();

    mctp_ncsi_parent_realize(dev, errp);
    if (*errp) {
        return;
    }
    mctp_ncsi_attach(&s->ncsi, &e->core, errp);
}

static void mctp_ncsi_reset_hold(Object *obj, ResetType type)
{
    if (mctp_ncsi_parent_phases.hold) {
        mctp_ncsi_parent_phases.hold(obj, type);
    }
    mctp_ncsi_reset(&MCTP_NCSI(obj)->ncsi);
}

static const VMStateDescription vmstate_mctp_ncsi = {
    .name = TYPE_MCTP_NCSI,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, MCTPNcsiState, 1,
                       vmstate_mctp_i2c_endpoint, MCTPI2CEndpoint),
        VMSTATE_STRUCT(ncsi, MCTPNcsiState, 1, vmstate_mctp_ncsi_responder,
                       MCTPNcsi),
        VMSTATE_END_OF_LIST()
    },
};

static const Property mctp_ncsi_properties[] = {
    DEFINE_MCTP_NCSI_PROPERTIES(MCTPNcsiState, ncsi),
};

static void mctp_ncsi_instance_init(Object *obj)
{
    I2C_SLAVE(obj)->address = NCSI_DEFAULT_ADDRESS;
    mctp_ncsi_init(&MCTP_NCSI(obj)->ncsi, obj);
}

static void mctp_ncsi_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    dc->desc = "MCTP-over-I2C endpoint with NC-SI (type 0x02)";
    dc->vmsd = &vmstate_mctp_ncsi;
    device_class_set_props(dc, mctp_ncsi_properties);
    device_class_set_parent_realize(dc, mctp_ncsi_realize,
                                    &mctp_ncsi_parent_realize);
    resettable_class_set_parent_phases(rc, NULL, mctp_ncsi_reset_hold, NULL,
                                       &mctp_ncsi_parent_phases);
    mctp_ncsi_class_describe(oc);
}

/* mctp-nvme-mi: the responder on an MCTP-over-I2C endpoint */

struct MCTPNvmeMiState {
    MCTPI2CEndpoint parent_obj;

    MCTPNvmeMi nmi;
};

static DeviceRealize nmi_parent_realize;
static DeviceUnrealize nmi_parent_unrealize;
static ResettablePhases nmi_parent_phases;

static void nmi_realize(DeviceState *dev, Error **errp)
{
    MCTPNvmeMiState *s = MCTP_NVME_MI(dev);
    MCTPI2CEndpoint *e = MCTP_I2C_ENDPOINT(dev);
    ERRP_GUARD();

    nmi_parent_realize(dev, errp);
    if (*errp) {
        return;
    }
    s->nmi.me_address = I2C_SLAVE(dev)->address;
    if (!mctp_nvme_mi_attach(&s->nmi, &e->core, errp)) {
        nmi_parent_unrealize(dev);
    }
}

static void nmi_unrealize(DeviceState *dev)
{
    mctp_nvme_mi_detach(&MCTP_NVME_MI(dev)->nmi);
    nmi_parent_unrealize(dev);
}

static void nmi_reset_hold(Object *obj, ResetType type)
{
    if (nmi_parent_phases.hold) {
        nmi_parent_phases.hold(obj, type);
    }
    mctp_nvme_mi_reset(&MCTP_NVME_MI(obj)->nmi);
}

static const VMStateDescription vmstate_mctp_nvme_mi = {
    .name = TYPE_MCTP_NVME_MI,
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(parent_obj, MCTPNvmeMiState, 1,
                       vmstate_mctp_i2c_endpoint, MCTPI2CEndpoint),
        VMSTATE_STRUCT(nmi, MCTPNvmeMiState, 1,
                       vmstate_mctp_nvme_mi_responder, MCTPNvmeMi),
        VMSTATE_END_OF_LIST()
    },
};

static const Property nmi_properties[] = {
    DEFINE_PROP_STRING("serial", MCTPNvmeMiState, nmi.serial),
    DEFINE_MCTP_NVME_MI_PROPERTIES(MCTPNvmeMiState, nmi,
                                   MCTP_I2C_MAX_PAYLOAD),
};

static void nmi_instance_init(Object *obj)
{
    /* the NVMe-MI default Management Endpoint address */
    I2C_SLAVE(obj)->address = NMI_DEFAULT_ADDRESS;
    mctp_nvme_mi_init(&MCTP_NVME_MI(obj)->nmi, obj);
}

static void nmi_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    ResettableClass *rc = RESETTABLE_CLASS(oc);

    dc->desc = "NVMe-MI management endpoint over MCTP (I2C)";
    dc->vmsd = &vmstate_mctp_nvme_mi;
    nmi_parent_unrealize = dc->unrealize;
    dc->unrealize = nmi_unrealize;
    device_class_set_props(dc, nmi_properties);
    device_class_set_parent_realize(dc, nmi_realize, &nmi_parent_realize);
    resettable_class_set_parent_phases(rc, NULL, nmi_reset_hold, NULL,
                                       &nmi_parent_phases);
    object_class_property_set_description(oc, "serial",
        "Serial number (up to 20 ASCII characters)");
    mctp_nvme_mi_class_describe(oc);
}

/*
 * nvme-mi-basic: NVMe Basic Management Command, an SMBus target whose
 * block reads return the data structure of NVMe-MI Appendix A: command
 * (offset) 0 the status block, 8 vendor ID and serial number, each
 * ending with a PEC over the whole transaction.
 */

#define NMI_BASIC_SIZE          MCTP_NVME_MI_BASIC_SIZE

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
    uint8_t addr = I2C_SLAVE(b)->address;
    uint8_t *d = b->buf;
    uint8_t pre[3] = { addr << 1, 0, addr << 1 | 1 };

    mctp_nvme_mi_basic_block(&b->mi->nmi, d);
    /* each block's PEC covers the whole transaction */
    pre[1] = 0;
    d[7] = mctp_i2c_pec(mctp_i2c_pec(0, pre, 3), d, 7);
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
    if (b->mi->nmi.basic_address) {
        error_setg(errp, "%s already has a basic management target",
                   object_get_canonical_path_component(OBJECT(b->mi)));
        return;
    }
    b->mi->nmi.basic_address = I2C_SLAVE(dev)->address;
}

static void nmi_basic_unrealize(DeviceState *dev)
{
    NvmeMiBasicState *b = NVME_MI_BASIC(dev);

    if (b->mi) {
        b->mi->nmi.basic_address = 0;
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

static const TypeInfo mctp_i2c_device_types[] = {
    {
        .name = TYPE_MCTP_ECHO,
        .parent = TYPE_MCTP_I2C_ENDPOINT,
        .instance_size = sizeof(MCTPEchoState),
        .class_init = mctp_echo_class_init,
    },
    {
        .name = TYPE_MCTP_NCSI,
        .parent = TYPE_MCTP_I2C_ENDPOINT,
        .instance_size = sizeof(MCTPNcsiState),
        .instance_init = mctp_ncsi_instance_init,
        .class_init = mctp_ncsi_class_init,
    },
    {
        .name = TYPE_MCTP_NVME_MI,
        .parent = TYPE_MCTP_I2C_ENDPOINT,
        .instance_size = sizeof(MCTPNvmeMiState),
        .instance_init = nmi_instance_init,
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

DEFINE_TYPES(mctp_i2c_device_types)
