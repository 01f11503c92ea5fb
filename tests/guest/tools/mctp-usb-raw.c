/*
 * mctp-usb-raw: raw bulk transfers to an MCTP-over-USB device through
 * usbfs, as a broken host would send them, after taking the interface
 * from the mctp-usb driver.
 *
 *   mctp-usb-raw [-d VID:PID] unbind        detach mctp-usb from it
 *   mctp-usb-raw [-d VID:PID] out [HEX...]  one bulk OUT transfer of
 *                                           these bytes (none: a
 *                                           zero-length transfer)
 *   mctp-usb-raw [-d VID:PID] in [MS]       one bulk IN transfer (512
 *                                           bytes at most), printed as
 *                                           hex; status 1 on timeout
 *   mctp-usb-raw [-d VID:PID] bind          give it back to mctp-usb
 *
 * The device is the first whose USB ID is VID:PID (default ccde:0000,
 * usbnvme's); the interface is its first of class 0x14 (MCTP), with
 * its first bulk OUT and bulk IN endpoints.  Exit status: 0 done,
 * 1 timeout, 2 error.
 *
 * Copyright (c) 2026 qemu-composer contributors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tool-util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/usbdevice_fs.h>

#define SYS_DEVS    "/sys/bus/usb/devices"
#define DRIVER      "/sys/bus/usb/drivers/mctp-usb"
#define XFER_MAX    512

typedef struct Dev {
    char name[256];         /* sysfs name of the device, e.g. 1-1 */
    char intf[300];         /* of its MCTP interface, e.g. 1-1:1.0 */
    int ifnum;
    int busnum;
    int devnum;
    int ep_out;
    int ep_in;
} Dev;

/* The number in sysfs file @dir/@file, in @base; -1 if none */
static int read_num(const char *dir, const char *file, int base)
{
    char path[1024], buf[32] = "";
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    if (!fgets(buf, sizeof(buf), f)) {
        buf[0] = 0;
    }
    fclose(f);
    return buf[0] ? (int)strtol(buf, NULL, base) : -1;
}

/* The bulk endpoints of interface directory @dir (ep_XX subdirectories) */
static void find_eps(Dev *d, const char *dir)
{
    struct dirent *e;
    DIR *dd = opendir(dir);
    char sub[900], type[32];
    FILE *f;

    if (!dd) {
        return;
    }
    while ((e = readdir(dd))) {
        int addr;

        if (strncmp(e->d_name, "ep_", 3)) {
            continue;
        }
        snprintf(sub, sizeof(sub), "%s/%s/type", dir, e->d_name);
        f = fopen(sub, "r");
        if (!f) {
            continue;
        }
        if (!fgets(type, sizeof(type), f)) {
            type[0] = 0;
        }
        fclose(f);
        if (strncmp(type, "Bulk", 4)) {
            continue;
        }
        addr = strtol(e->d_name + 3, NULL, 16);
        if ((addr & 0x80) && d->ep_in < 0) {
            d->ep_in = addr;
        } else if (!(addr & 0x80) && d->ep_out < 0) {
            d->ep_out = addr;
        }
    }
    closedir(dd);
}

static int find_dev(Dev *d, int vid, int pid)
{
    char dir[300], idir[600];
    struct dirent *e;
    DIR *dd = opendir(SYS_DEVS);

    if (!dd) {
        perror("mctp-usb-raw: " SYS_DEVS);
        return -1;
    }
    while ((e = readdir(dd))) {
        int i;

        if (e->d_name[0] == '.' || strchr(e->d_name, ':')) {
            continue;
        }
        snprintf(dir, sizeof(dir), SYS_DEVS "/%s", e->d_name);
        if (read_num(dir, "idVendor", 16) != vid ||
            read_num(dir, "idProduct", 16) != pid) {
            continue;
        }
        for (i = 0; i < 32; i++) {
            snprintf(idir, sizeof(idir), "%s/%s:1.%d", dir, e->d_name, i);
            if (read_num(idir, "bInterfaceClass", 16) != 0x14) {
                continue;
            }
            snprintf(d->name, sizeof(d->name), "%s", e->d_name);
            snprintf(d->intf, sizeof(d->intf), "%s:1.%d", e->d_name, i);
            d->ifnum = read_num(idir, "bInterfaceNumber", 16);
            d->busnum = read_num(dir, "busnum", 10);
            d->devnum = read_num(dir, "devnum", 10);
            d->ep_in = d->ep_out = -1;
            find_eps(d, idir);
            closedir(dd);
            return d->ep_in < 0 || d->ep_out < 0 ? -1 : 0;
        }
    }
    closedir(dd);
    fprintf(stderr, "mctp-usb-raw: no MCTP interface on %04x:%04x\n",
            vid, pid);
    return -1;
}

static int sysfs_write(const char *file, const char *value)
{
    int fd = open(file, O_WRONLY);
    int rc = 0;

    if (fd < 0 || write(fd, value, strlen(value)) < 0) {
        rc = -1;
    }
    if (fd >= 0) {
        close(fd);
    }
    return rc;
}

/* usbfs file of the device, with the interface claimed */
static int open_claimed(const Dev *d)
{
    char path[64];
    unsigned int ifnum = d->ifnum;
    int fd;

    snprintf(path, sizeof(path), "/dev/bus/usb/%03d/%03d", d->busnum,
             d->devnum);
    fd = open(path, O_RDWR);
    if (fd < 0) {
        perror(path);
        return -1;
    }
    if (ioctl(fd, USBDEVFS_CLAIMINTERFACE, &ifnum) < 0) {
        perror("mctp-usb-raw: USBDEVFS_CLAIMINTERFACE");
        close(fd);
        return -1;
    }
    return fd;
}

static int bulk(const Dev *d, int ep, unsigned char *buf, int len,
                int timeout_ms)
{
    struct usbdevfs_bulktransfer b = {
        .ep = ep, .len = len, .timeout = timeout_ms, .data = buf,
    };
    int fd = open_claimed(d);
    int n;

    if (fd < 0) {
        return -2;
    }
    n = ioctl(fd, USBDEVFS_BULK, &b);
    if (n < 0 && errno == ETIMEDOUT) {
        n = -1;
    } else if (n < 0) {
        perror("mctp-usb-raw: USBDEVFS_BULK");
        n = -2;
    }
    close(fd);
    return n;
}

int main(int argc, char **argv)
{
    unsigned char buf[XFER_MAX];
    int vid = 0xccde, pid = 0x0000;
    const char *cmd;
    int i, n, len = 0;
    Dev d;

    if (argc > 2 && !strcmp(argv[1], "-d")) {
        if (sscanf(argv[2], "%x:%x", &vid, &pid) != 2) {
            fprintf(stderr, "mctp-usb-raw: bad -d %s\n", argv[2]);
            return 2;
        }
        argc -= 2;
        argv += 2;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: mctp-usb-raw [-d VID:PID] "
                "(unbind | bind | out [HEX...] | in [MS])\n");
        return 2;
    }
    cmd = argv[1];
    if (find_dev(&d, vid, pid) < 0) {
        return 2;
    }
    if (!strcmp(cmd, "unbind") || !strcmp(cmd, "bind")) {
        char file[360];

        snprintf(file, sizeof(file), DRIVER "/%s", cmd);
        if (sysfs_write(file, d.intf) < 0) {
            perror(file);
            return 2;
        }
        printf("mctp-usb-raw: %s %s\n", cmd, d.intf);
        return 0;
    }
    if (!strcmp(cmd, "out")) {
        for (i = 2; i < argc && len < XFER_MAX; i++) {
            buf[len++] = num(argv[i], 255);
        }
        n = bulk(&d, d.ep_out, buf, len, 1000);
        if (n < 0) {
            return -n;
        }
        printf("mctp-usb-raw: OUT %d bytes to 0x%02x\n", n, d.ep_out);
        return 0;
    }
    if (!strcmp(cmd, "in")) {
        n = bulk(&d, d.ep_in, buf, sizeof(buf),
                 argc > 2 ? (int)num(argv[2], 60000) : 1000);
        if (n < 0) {
            printf("mctp-usb-raw: IN timeout\n");
            return -n;
        }
        for (i = 0; i < n; i++) {
            printf("%s%02x", i ? " " : "", buf[i]);
        }
        printf("\n");
        return 0;
    }
    fprintf(stderr, "mctp-usb-raw: unknown command %s\n", cmd);
    return 2;
}
