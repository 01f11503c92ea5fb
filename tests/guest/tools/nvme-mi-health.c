/*
 * nvme-mi-health: NVMe-MI health status through libnvme's MI API, as
 * libnvme's examples/mi-mctp.c "info" command does, one field a line.
 *
 *   nvme-mi-health [-n NET] [-s] [-m MASK] [-c] EID
 *
 * Opens the NVMe-MI endpoint EID on MCTP network NET (default 1) with
 * nvme_mi_open_mctp(), then in this order:
 *   -s       Read NVMe-MI Data Structure, NVM Subsystem Information
 *            (nvme_mi_mi_read_mi_data_subsys): "mi-version MJR.MNR",
 *            "ports N"
 *   -m MASK  Configuration Set, Health Status Change: clears the
 *            Composite Controller Status bits in MASK
 *            (nvme_mi_mi_config_set_health_status_change)
 *   always   NVM Subsystem Health Status Poll
 *            (nvme_mi_mi_subsystem_health_status_poll), with Clear
 *            Status if -c: "nss 0x..", "sw 0x..", "ctemp C", "pdlu N",
 *            "ccs 0x....", "ccs-flags NAME..." (or "none")
 *
 * libnvme 1.3 has no Controller Health Status Poll.  Exit status: 0 on
 * success, 1 if a command fails (the NVMe-MI status or errno is printed
 * on stderr), 2 on a usage error.
 *
 * This tool is linked dynamically against Debian's libnvme-mi.so.1, so
 * that the guest exercises the real library's encoding and checks (MIC,
 * response lengths) rather than ours.
 *
 * Copyright (c) 2026 qemu-composer contributors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tool-util.h"
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libnvme-mi.h>

static const struct {
    unsigned int bit;
    const char *name;
} ccs_names[] = {
    { NVME_MI_CCS_RDY, "rdy" },
    { NVME_MI_CCS_CFS, "cfs" },
    { NVME_MI_CCS_SHST, "shst" },
    { NVME_MI_CCS_NSSRO, "nssro" },
    { NVME_MI_CCS_CECO, "ceco" },
    { NVME_MI_CCS_NAC, "nac" },
    { NVME_MI_CCS_FA, "fa" },
    { NVME_MI_CCS_CSTS, "csts" },
    { NVME_MI_CCS_CTEMP, "ctemp" },
    { NVME_MI_CCS_PDLU, "pdlu" },
    { NVME_MI_CCS_SPARE, "spare" },
    { NVME_MI_CCS_CCWARN, "ccwarn" },
};

static void usage(void)
{
    fprintf(stderr, "usage: nvme-mi-health [-n NET] [-s] [-m MASK] [-c] EID\n");
    exit(2);
}

/* libnvme: > 0 is an NVMe-MI status, < 0 an error with errno set */
static int failed(int rc, const char *what)
{
    if (rc > 0) {
        fprintf(stderr, "nvme-mi-health: %s: NVMe-MI status 0x%02x (%s)\n",
                what, rc, nvme_mi_status_to_string(rc));
    } else if (rc < 0) {
        fprintf(stderr, "nvme-mi-health: %s: %s\n", what, strerror(errno));
    }
    return rc != 0;
}

/* Composite Temperature, encoded as in the NVMe Basic Management Command */
static void print_ctemp(uint8_t t)
{
    if (t == 0x80) {
        printf("ctemp no-data\n");
    } else if (t == 0x81) {
        printf("ctemp sensor-failure\n");
    } else if (t > 0x81 && t < 0xc4) {
        printf("ctemp reserved-0x%02x\n", t);
    } else {
        /* 0x7f: 127 or more, 0xc4: -60 or less */
        printf("ctemp %d\n", (int8_t)t);
    }
}

static int poll_health(nvme_mi_ep_t ep, bool clear)
{
    struct nvme_mi_nvm_ss_health_status st;
    unsigned int ccs, i;
    int rc;

    memset(&st, 0, sizeof(st));
    rc = nvme_mi_mi_subsystem_health_status_poll(ep, clear, &st);
    if (failed(rc, "NVM Subsystem Health Status Poll")) {
        return 1;
    }
    ccs = le16toh(st.ccs);
    printf("nss 0x%02x\n", st.nss);
    printf("sw 0x%02x\n", st.sw);
    print_ctemp(st.ctemp);
    printf("pdlu %u\n", st.pdlu);
    printf("ccs 0x%04x\n", ccs);
    printf("ccs-flags");
    for (i = 0; i < sizeof(ccs_names) / sizeof(ccs_names[0]); i++) {
        if (ccs & ccs_names[i].bit) {
            printf(" %s", ccs_names[i].name);
            ccs &= ~ccs_names[i].bit;
        }
    }
    if (ccs) {
        printf(" unknown-0x%04x", ccs);
    }
    printf("%s\n", le16toh(st.ccs) ? "" : " none");
    return 0;
}

int main(int argc, char **argv)
{
    struct nvme_mi_read_nvm_ss_info info;
    unsigned int net = 1, eid;
    unsigned long mask = 0;
    bool subsys = false, clear = false, set_mask = false;
    nvme_root_t root;
    nvme_mi_ep_t ep;
    int opt, rc = 0;

    while ((opt = getopt(argc, argv, "n:sm:c")) != -1) {
        switch (opt) {
        case 'n':
            net = num(optarg, 0xffffffff);
            break;
        case 's':
            subsys = true;
            break;
        case 'm':
            mask = num(optarg, 0xffffffff);
            set_mask = true;
            break;
        case 'c':
            clear = true;
            break;
        default:
            usage();
        }
    }
    if (optind != argc - 1) {
        usage();
    }
    eid = num(argv[optind], 0xff);

    root = nvme_mi_create_root(stderr, LOG_WARNING);
    if (!root) {
        fprintf(stderr, "nvme-mi-health: no libnvme root: %s\n",
                strerror(errno));
        return 1;
    }
    ep = nvme_mi_open_mctp(root, net, eid);
    if (!ep) {
        fprintf(stderr, "nvme-mi-health: cannot open mctp:%u,%u: %s\n",
                net, eid, strerror(errno));
        nvme_mi_free_root(root);
        return 1;
    }

    if (subsys) {
        memset(&info, 0, sizeof(info));
        rc = nvme_mi_mi_read_mi_data_subsys(ep, &info);
        if (failed(rc, "Read NVMe-MI Data Structure (subsystem)")) {
            goto out;
        }
        printf("mi-version %u.%u\n", info.mjr, info.mnr);
        printf("ports %u\n", info.nump + 1);
    }
    if (set_mask) {
        rc = nvme_mi_mi_config_set_health_status_change(ep, mask);
        if (failed(rc, "Configuration Set (Health Status Change)")) {
            goto out;
        }
    }
    rc = poll_health(ep, clear);

out:
    nvme_mi_close(ep);
    nvme_mi_free_root(root);
    return rc ? 1 : 0;
}
