/*
 * mctp-setup: configure Linux MCTP over rtnetlink (what iproute2 6.1 and
 * busybox cannot): link up, local EID, routes and neighbours.
 *
 *   mctp-setup link IFNAME            bring the link up
 *   mctp-setup addr IFNAME EID        add a local EID
 *   mctp-setup route IFNAME EID [MTU] route to EID through IFNAME
 *   mctp-setup neigh IFNAME EID LLADDR  EID is at link address LLADDR
 *
 * Prints "mctp-setup: <what>: ok" or "FAILED (<error>)"; exits 0 on
 * success (an existing entry counts as success), 1 on failure.
 *
 * Copyright (c) 2026 qemu-composer contributors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tool-util.h"
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#ifndef AF_MCTP
#define AF_MCTP 45
#endif

struct req {
    struct nlmsghdr nh;
    char buf[256];
};

static void add_attr(struct req *r, int type, const void *data, int len)
{
    struct rtattr *rta = (struct rtattr *)((char *)r +
                                           NLMSG_ALIGN(r->nh.nlmsg_len));

    rta->rta_type = type;
    rta->rta_len = RTA_LENGTH(len);
    memcpy(RTA_DATA(rta), data, len);
    r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* Start @r as a request @type with @flags; its @len-byte header */
static void *nl_start(struct req *r, int type, size_t len, int flags)
{
    r->nh.nlmsg_len = NLMSG_LENGTH(len);
    r->nh.nlmsg_type = type;
    r->nh.nlmsg_flags = flags;
    return NLMSG_DATA(&r->nh);
}

/* Send one request, wait for its ACK; returns 0 or a negative errno. */
static int talk(struct req *r)
{
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    char buf[1024];
    int fd, n, ret = -EIO;

    fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    if (fd < 0) {
        return -errno;
    }
    r->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    r->nh.nlmsg_seq = 1;
    if (sendto(fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
               sizeof(sa)) < 0) {
        ret = -errno;
        goto out;
    }
    n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0) {
        ret = -errno;
        goto out;
    }
    if (n >= (int)NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
        struct nlmsghdr *h = (struct nlmsghdr *)buf;

        if (h->nlmsg_type == NLMSG_ERROR) {
            ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
        }
    }
out:
    close(fd);
    return ret;
}

int main(int argc, char **argv)
{
    struct req r;
    unsigned int ifindex;
    int ret;

    if (argc < 3) {
        fprintf(stderr, "usage: mctp-setup link|addr|route|neigh IFNAME "
                "[EID [MTU|LLADDR]]\n");
        return 2;
    }
    ifindex = if_nametoindex(argv[2]);
    if (!ifindex) {
        fprintf(stderr, "mctp-setup: no interface %s\n", argv[2]);
        return 1;
    }
    memset(&r, 0, sizeof(r));
    if (!strcmp(argv[1], "link") && argc == 3) {
        struct ifinfomsg *ifi = nl_start(&r, RTM_NEWLINK, sizeof(*ifi), 0);

        ifi->ifi_index = ifindex;
        ifi->ifi_flags = IFF_UP;
        ifi->ifi_change = IFF_UP;
    } else if (!strcmp(argv[1], "addr") && argc == 4) {
        struct ifaddrmsg *ifa = nl_start(&r, RTM_NEWADDR, sizeof(*ifa),
                                         NLM_F_CREATE | NLM_F_EXCL);
        unsigned char eid = num(argv[3], 255);

        ifa->ifa_family = AF_MCTP;
        ifa->ifa_index = ifindex;
        add_attr(&r, IFA_LOCAL, &eid, 1);
    } else if (!strcmp(argv[1], "route") && (argc == 4 || argc == 5)) {
        struct rtmsg *rtm = nl_start(&r, RTM_NEWROUTE, sizeof(*rtm),
                                     NLM_F_CREATE | NLM_F_EXCL);
        unsigned char eid = num(argv[3], 255);

        rtm->rtm_family = AF_MCTP;
        rtm->rtm_type = RTN_UNICAST;
        rtm->rtm_dst_len = 0;
        add_attr(&r, RTA_DST, &eid, 1);
        add_attr(&r, RTA_OIF, &ifindex, 4);
        if (argc == 5) {
            /* RTA_METRICS, nested: one RTAX_MTU attribute */
            struct {
                struct rtattr rta;
                unsigned int mtu;
            } nest = {
                .rta = { .rta_len = RTA_LENGTH(4), .rta_type = RTAX_MTU },
                .mtu = num(argv[4], 65535),
            };

            add_attr(&r, RTA_METRICS | NLA_F_NESTED, &nest, sizeof(nest));
        }
    } else if (!strcmp(argv[1], "neigh") && argc == 5) {
        struct ndmsg *ndm = nl_start(&r, RTM_NEWNEIGH, sizeof(*ndm),
                                     NLM_F_CREATE | NLM_F_EXCL);
        unsigned char eid = num(argv[3], 255);
        unsigned char ll = num(argv[4], 255);

        ndm->ndm_family = AF_MCTP;
        ndm->ndm_ifindex = ifindex;
        add_attr(&r, NDA_DST, &eid, 1);
        add_attr(&r, NDA_LLADDR, &ll, 1);
    } else {
        fprintf(stderr, "mctp-setup: bad command\n");
        return 2;
    }
    ret = talk(&r);
    if (ret == -EEXIST) {
        ret = 0;
    }
    printf("mctp-setup: %s %s%s%s: %s%s%s\n", argv[1], argv[2],
           argc > 3 ? " " : "", argc > 3 ? argv[3] : "",
           ret ? "FAILED (" : "ok", ret ? strerror(-ret) : "",
           ret ? ")" : "");
    return ret ? 1 : 0;
}
