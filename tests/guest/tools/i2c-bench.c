/*
 * i2c-bench: the floor of the guest's own I2C driver, for comparing
 * MCTP-over-I2C echo with: COUNT round trips, each a write of SIZE
 * bytes to an AT24C-style EEPROM (2 address bytes, then data) and a
 * read of SIZE bytes back from it, through /dev/i2c-BUS (I2C_RDWR).
 *
 *   i2c-bench -b BUS -a ADDR -s SIZE -n COUNT
 *
 * Prints the rate and p50/p99 latency as mctp-req -n does.  The bytes
 * read must be the ones written.  Exit status: 0 done, 1 a failed
 * transfer or wrong data, 2 error.
 *
 * Copyright (c) 2026 qemu-composer contributors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tool-util.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>

#define MAX_SIZE 4096

static int xfer(int fd, struct i2c_msg *msgs, int n)
{
    struct i2c_rdwr_ioctl_data d = { .msgs = msgs, .nmsgs = n };

    return ioctl(fd, I2C_RDWR, &d) == n ? 0 : -1;
}

int main(int argc, char **argv)
{
    static uint8_t wbuf[2 + MAX_SIZE], rbuf[MAX_SIZE];
    int bus = -1, addr = -1, size = 64, count = 100;
    int fd, opt, i, j;
    char dev[32];
    long *lat, start;

    while ((opt = getopt(argc, argv, "b:a:s:n:")) != -1) {
        switch (opt) {
        case 'b':
            bus = num(optarg, 255);
            break;
        case 'a':
            addr = num(optarg, 127);
            break;
        case 's':
            size = num(optarg, MAX_SIZE);
            break;
        case 'n':
            count = num(optarg, 1000000);
            break;
        default:
            return 2;
        }
    }
    if (bus < 0 || addr < 0 || size < 3 || !count) {
        fprintf(stderr, "usage: i2c-bench -b BUS -a ADDR -s SIZE -n COUNT\n");
        return 2;
    }
    snprintf(dev, sizeof(dev), "/dev/i2c-%d", bus);
    fd = open(dev, O_RDWR);
    lat = calloc(count, sizeof(*lat));
    if (fd < 0 || !lat) {
        perror(dev);
        return 2;
    }
    start = now_us();
    for (i = 0; i < count; i++) {
        /* the write: word address 0, then SIZE - 2 data bytes */
        struct i2c_msg w = { .addr = addr, .len = size, .buf = wbuf };
        /* set the address back to 0, then read SIZE bytes */
        struct i2c_msg r[2] = {
            { .addr = addr, .len = 2, .buf = wbuf },
            { .addr = addr, .flags = I2C_M_RD, .len = size, .buf = rbuf },
        };
        long t0 = now_us();

        for (j = 2; j < size; j++) {
            wbuf[j] = i + j;
        }
        if (xfer(fd, &w, 1) < 0 || xfer(fd, r, 2) < 0) {
            perror("i2c-bench: I2C_RDWR");
            return 1;
        }
        lat[i] = now_us() - t0;
        if (memcmp(rbuf, wbuf + 2, size - 2)) {
            printf("i2c-bench: round trip %d: wrong data\n", i);
            return 1;
        }
    }
    return bench_report(lat, count, size, now_us() - start, 0);
}
