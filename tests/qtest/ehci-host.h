/*
 * A minimal EHCI host driver for qtests: port reset, control transfers
 * on endpoint 0 and bulk transfers, through the controller's registers
 * and an asynchronous schedule in guest RAM (the qtest plays the
 * guest's USB stack, so a test sees a device's bytes exactly)
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef EHCI_HOST_H
#define EHCI_HOST_H

#include "libqtest.h"

typedef struct EhciHost {
    QTestState *qts;
    uint64_t op;            /* operational registers */
    uint64_t mem;           /* scratch RAM for the schedule and buffers */
    uint8_t bulk_out_ep;
    uint8_t bulk_in_ep;
    bool in_pending;        /* an IN transfer is queued */
    size_t in_size;         /* of that many bytes */
    /*
     * Set by a caller that expects errors (a fuzz target): a transfer
     * that fails returns failure, counted in @errors, instead of
     * failing the test
     */
    bool lenient;
    unsigned errors;
    /*
     * Called after each step of the clock, if set: a fuzz target, where
     * QEMU's main loop runs only when asked, runs it there
     */
    void (*after_step)(QTestState *qts);
} EhciHost;

/* Reset the controller at @mmio, run an empty async schedule at @mem */
void ehci_host_init(EhciHost *h, QTestState *qts, uint64_t mmio,
                    uint64_t mem);
/* Reset port @port (0-based); true if a high-speed device is enabled */
bool ehci_host_port_reset(EhciHost *h, int port);
/*
 * A control transfer to endpoint 0 of the device at address 0: SETUP,
 * optional data stage (direction from bit 7 of @type), status.  Returns
 * the data bytes moved, or -1 if the device stalled.
 */
int ehci_host_control(EhciHost *h, uint8_t type, uint8_t req,
                      uint16_t value, uint16_t index, void *data,
                      uint16_t len);
/* Point the bulk queues at these endpoint numbers (after SET_CONFIG) */
void ehci_host_set_bulk(EhciHost *h, uint8_t out_ep, uint8_t in_ep);
/*
 * A bulk OUT transfer of @len bytes (0: a zero-length one); returns
 * when the device took it, false if it did not within @max_ms.
 */
bool ehci_host_bulk_out(EhciHost *h, const void *data, size_t len,
                        int max_ms);
/*
 * Queue a bulk OUT transfer; ehci_host_bulk_out_done() says when taken
 * (or failed, if lenient)
 */
void ehci_host_bulk_out_queue(EhciHost *h, const void *data, size_t len);
bool ehci_host_bulk_out_done(EhciHost *h);
/*
 * Wait up to @max_ms for a bulk IN transfer (one is queued with a
 * @size byte buffer if none is); its length, or -1 if the device had
 * nothing to send (the transfer stays queued for the next call, with
 * its size); if lenient, -1 also when the transfer failed.
 */
int ehci_host_bulk_in(EhciHost *h, void *data, size_t size, int max_ms);

#endif
