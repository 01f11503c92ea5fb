/*
 * mctp-req: send one MCTP message over AF_MCTP and print the reply.
 *
 *   mctp-req [-t MS] -e EID HEX...           to an EID (routed)
 *   mctp-req [-t MS] -i IF -a ADDR HEX...    to EID 0 at a physical
 *                                            address (like mctpd's Set
 *                                            EID, sockaddr_mctp_ext)
 *   mctp-req [-t MS] -i IF HEX...            to EID 0 on a link without
 *                                            physical addresses (USB)
 *   mctp-req [-t MS] -e EID -x LEN           echo: send 7E CC DE F0 and
 *                                            LEN pattern bytes, check
 *                                            that the reply is the same
 *
 * HEX is the message: the type byte first (00 = control, its Rq bit and
 * instance ID are filled in by the caller, e.g. "00 80 02" for Get EID).
 * The reply (type byte first) is printed as hex on one line.  Exit
 * status: 0 reply (and, with -x, equal), 1 timeout or mismatch, 2 error.
 *
 *   mctp-req -e EID -x LEN -n COUNT          COUNT echo round trips, one
 *                                            at a time: prints the rate
 *                                            and the p50/p99 latency
 *
 * Copyright (c) 2026 qemu-composer contributors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tool-util.h"
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/mctp.h>

#ifndef AF_MCTP
#define AF_MCTP 45
#endif
#ifndef SOL_MCTP
#define SOL_MCTP 285
#endif

#define MAX_MSG 65536

/*
 * @count echo round trips of @msg; prints rate and latency percentiles of
 * those answered, and how many were lost (no answer within @timeout ms:
 * the request is not repeated, the next one is sent).  A wrong answer
 * ends the run.
 */
static int bench(int fd, struct sockaddr_mctp_ext *addr,
                 const unsigned char *msg, size_t len, int count,
                 int timeout)
{
    static unsigned char rsp[MAX_MSG];
    long *lat = calloc(count, sizeof(*lat));
    long start = now_us(), t0;
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    int i, done = 0, lost = 0;
    ssize_t n;

    if (!lat) {
        return 2;
    }
    for (i = 0; i < count; i++) {
        t0 = now_us();
        if (sendto(fd, msg + 1, len - 1, 0, (struct sockaddr *)addr,
                   sizeof(addr->smctp_base)) < 0) {
            perror("mctp-req: sendto");
            return 2;
        }
        if (poll(&pfd, 1, timeout) <= 0) {
            lost++;
            continue;
        }
        n = recv(fd, rsp + 1, sizeof(rsp) - 1, 0);
        if (n != (ssize_t)len - 1 || memcmp(rsp + 1, msg + 1, len - 1)) {
            printf("mctp-req: round trip %d: wrong echo\n", i);
            return 1;
        }
        lat[done++] = now_us() - t0;
    }
    return bench_report(lat, done, len, now_us() - start, lost);
}

int main(int argc, char **argv)
{
    static unsigned char msg[MAX_MSG], rsp[MAX_MSG];
    struct sockaddr_mctp_ext addr;
    struct sockaddr_mctp from;
    socklen_t fromlen = sizeof(from);
    struct pollfd pfd;
    const char *ifname = NULL;
    int eid = -1, haddr = -1, echo = -1, timeout = 2000, count = 0;
    int fd, opt, one = 1;
    size_t len = 0, i;
    ssize_t n;

    while ((opt = getopt(argc, argv, "e:i:a:x:t:n:")) != -1) {
        switch (opt) {
        case 'e':
            eid = num(optarg, 255);
            break;
        case 'i':
            ifname = optarg;
            break;
        case 'a':
            haddr = num(optarg, 127);
            break;
        case 'x':
            echo = num(optarg, MAX_MSG - 4);
            break;
        case 't':
            timeout = num(optarg, 600000);
            break;
        case 'n':
            count = num(optarg, 1000000);
            break;
        default:
            return 2;
        }
    }
    if (echo >= 0) {
        memcpy(msg, "\x7e\xcc\xde\xf0", 4);
        for (i = 0; i < (size_t)echo; i++) {
            msg[4 + i] = i * 7 + 1;
        }
        len = 4 + echo;
    } else {
        for (; optind < argc; optind++) {
            msg[len++] = num(argv[optind], 255);
        }
    }
    if (!len || (eid < 0) == !ifname || (haddr >= 0 && !ifname) ||
        (count && (echo < 0 || eid < 0))) {
        fprintf(stderr, "usage: mctp-req [-t MS] (-e EID | -i IF [-a ADDR]) "
                "(-x LEN | HEX...)\n");
        return 2;
    }

    fd = socket(AF_MCTP, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("mctp-req: socket");
        return 2;
    }
    memset(&addr, 0, sizeof(addr));
    addr.smctp_base.smctp_family = AF_MCTP;
    addr.smctp_base.smctp_network = MCTP_NET_ANY;
    addr.smctp_base.smctp_addr.s_addr = eid >= 0 ? eid : 0;
    addr.smctp_base.smctp_type = msg[0];
    addr.smctp_base.smctp_tag = MCTP_TAG_OWNER;
    if (ifname) {
        if (setsockopt(fd, SOL_MCTP, MCTP_OPT_ADDR_EXT, &one,
                       sizeof(one)) < 0) {
            perror("mctp-req: MCTP_OPT_ADDR_EXT");
            return 2;
        }
        addr.smctp_ifindex = if_nametoindex(ifname);
        if (!addr.smctp_ifindex) {
            fprintf(stderr, "mctp-req: no interface %s\n", ifname);
            return 2;
        }
        if (haddr >= 0) {
            addr.smctp_halen = 1;
            addr.smctp_haddr[0] = haddr;
        }
    }
    if (count) {
        return bench(fd, &addr, msg, len, count, timeout);
    }
    /* the type byte goes in the address, the rest is the payload */
    if (sendto(fd, msg + 1, len - 1, 0, (struct sockaddr *)&addr,
               ifname ? sizeof(addr) : sizeof(addr.smctp_base)) < 0) {
        perror("mctp-req: sendto");
        return 2;
    }
    pfd.fd = fd;
    pfd.events = POLLIN;
    if (poll(&pfd, 1, timeout) <= 0) {
        printf("mctp-req: timeout after %d ms\n", timeout);
        return 1;
    }
    n = recvfrom(fd, rsp + 1, sizeof(rsp) - 1, 0, (struct sockaddr *)&from,
                 &fromlen);
    if (n < 0) {
        perror("mctp-req: recvfrom");
        return 2;
    }
    rsp[0] = from.smctp_type;
    n++;
    if (echo >= 0) {
        if ((size_t)n != len || memcmp(rsp, msg, len)) {
            printf("mctp-req: echo of %zu bytes: got %zd bytes, different\n",
                   len, n);
            return 1;
        }
        printf("mctp-req: echo of %zu bytes from eid %d: equal\n", len,
               from.smctp_addr.s_addr);
        return 0;
    }
    for (i = 0; i < (size_t)n; i++) {
        printf("%s%02x", i ? " " : "", rsp[i]);
    }
    printf("\n");
    return 0;
}
