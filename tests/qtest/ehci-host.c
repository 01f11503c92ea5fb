/*
 * A minimal EHCI host driver for qtests (see ehci-host.h)
 *
 * The asynchronous schedule is a ring of three queue heads (control
 * endpoint 0, bulk OUT, bulk IN) for the device at address 0, high
 * speed.  A transfer is one queue element (qTD) hung on its idle queue
 * head; the controller runs on the virtual clock, which the driver steps
 * 1 ms at a time while it waits.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "ehci-host.h"

/* operational registers (from CAPLENGTH) */
#define USBCMD              0x00
#define USBCMD_RS           (1u << 0)
#define USBCMD_HCRESET      (1u << 1)
#define USBCMD_ASE          (1u << 5)
#define USBCMD_ITC_1        (1u << 16)
#define ASYNCLISTADDR       0x18
#define CONFIGFLAG          0x40
#define PORTSC(n)           (0x44 + 4 * (n))
#define PORTSC_CCS          (1u << 0)
#define PORTSC_PED          (1u << 2)
#define PORTSC_PR           (1u << 8)
#define PORTSC_PP           (1u << 12)

/* queue head and qTD */
#define LINK_T              1u
#define LINK_QH             (1u << 1)
#define QH_DEVADDR(a)       (a)
#define QH_EP(e)            ((e) << 8)
#define QH_EPS_HIGH         (2u << 12)
#define QH_DTC              (1u << 14)
#define QH_H                (1u << 15)
#define QH_MAXPKT(n)        ((n) << 16)
#define QH_MULT1            (1u << 30)
#define TOK_ACTIVE          (1u << 7)
#define TOK_HALTED          (1u << 6)
#define TOK_ERRORS          0x7c        /* halted, buffer, babble, xact */
#define TOK_PID_OUT         (0u << 8)
#define TOK_PID_IN          (1u << 8)
#define TOK_PID_SETUP       (2u << 8)
#define TOK_CERR3           (3u << 10)
#define TOK_IOC             (1u << 15)
#define TOK_BYTES(n)        ((uint32_t)(n) << 16)
#define TOK_BYTES_LEFT(t)   (((t) >> 16) & 0x7fff)
#define TOK_DT              (1u << 31)

/* scratch memory layout */
#define QH_CTRL             0x000
#define QH_OUT              0x040
#define QH_IN               0x080
#define QTD_SETUP           0x100
#define QTD_DATA            0x120
#define QTD_STATUS          0x140
#define QTD_OUT             0x160
#define QTD_IN              0x180
#define BUF_SETUP           0x1000
#define BUF_CTRL            0x2000
#define BUF_OUT             0x4000      /* 16 KiB */
#define BUF_IN              0x8000      /* 16 KiB */
#define BUF_MAX             0x4000

static uint32_t op_read(EhciHost *h, uint32_t reg)
{
    return qtest_readl(h->qts, h->op + reg);
}

static void op_write(EhciHost *h, uint32_t reg, uint32_t val)
{
    qtest_writel(h->qts, h->op + reg, val);
}

static void step_ms(EhciHost *h)
{
    qtest_clock_step(h->qts, 1000 * 1000);
    if (h->after_step) {
        h->after_step(h->qts);
    }
}

static void qh_init(EhciHost *h, uint32_t off, uint32_t next, uint32_t epchar)
{
    uint32_t qh[12] = {
        (uint32_t)(h->mem + next) | LINK_QH, epchar, QH_MULT1, 0,
        LINK_T, LINK_T, 0,
    };
    int i;

    for (i = 0; i < 12; i++) {
        qtest_writel(h->qts, h->mem + off + 4 * i, qh[i]);
    }
}

static void qtd_write(EhciHost *h, uint32_t off, uint32_t next,
                      uint32_t token, uint32_t buf)
{
    uint64_t a = h->mem + off;
    int i;

    qtest_writel(h->qts, a, next ? (uint32_t)(h->mem + next) : LINK_T);
    qtest_writel(h->qts, a + 4, LINK_T);
    qtest_writel(h->qts, a + 8, token);
    for (i = 0; i < 5; i++) {
        qtest_writel(h->qts, a + 12 + 4 * i,
                     (uint32_t)(h->mem + buf) + 0x1000 * i);
    }
}

/* Hang the qTD chain at @qtd on the idle queue head @qh */
static void qh_start(EhciHost *h, uint32_t qh, uint32_t qtd)
{
    qtest_writel(h->qts, h->mem + qh + 16, (uint32_t)(h->mem + qtd));
}

static uint32_t qtd_token(EhciHost *h, uint32_t qtd)
{
    return qtest_readl(h->qts, h->mem + qtd + 8);
}

/*
 * A transfer on @qh failed: fail the test, or (lenient) count it and
 * clear the halted queue head for the next transfer, as a USB stack does
 */
static void transfer_failed(EhciHost *h, uint32_t qh, uint32_t token)
{
    if (!h->lenient) {
        g_assert_cmphex(token & TOK_ERRORS, ==, 0);
        g_assert_not_reached();
    }
    h->errors++;
    qtest_writel(h->qts, h->mem + qh + 24, 0);
    qtest_writel(h->qts, h->mem + qh + 16, LINK_T);
}

/* Step the clock until the qTD is no longer active; false on timeout */
static bool qtd_wait(EhciHost *h, uint32_t qtd, int max_ms)
{
    int i;

    for (i = 0; i <= max_ms; i++) {
        if (!(qtd_token(h, qtd) & TOK_ACTIVE)) {
            return true;
        }
        step_ms(h);
    }
    return false;
}

void ehci_host_init(EhciHost *h, QTestState *qts, uint64_t mmio,
                    uint64_t mem)
{
    int i;

    memset(h, 0, sizeof(*h));
    h->qts = qts;
    h->op = mmio + qtest_readb(qts, mmio);
    h->mem = mem;
    h->bulk_out_ep = 2;
    h->bulk_in_ep = 1;
    /* no transfer left from a previous user of the scratch memory */
    for (i = QTD_SETUP; i <= QTD_IN; i += 0x20) {
        qtest_writel(qts, mem + i + 8, 0);
    }
    op_write(h, USBCMD, USBCMD_HCRESET);
    for (i = 0; i < 100 && (op_read(h, USBCMD) & USBCMD_HCRESET); i++) {
        step_ms(h);
    }
    g_assert_false(op_read(h, USBCMD) & USBCMD_HCRESET);
    qh_init(h, QH_CTRL, QH_OUT, QH_DEVADDR(0) | QH_EP(0) | QH_EPS_HIGH |
            QH_DTC | QH_H | QH_MAXPKT(64));
    ehci_host_set_bulk(h, h->bulk_out_ep, h->bulk_in_ep);
    op_write(h, CONFIGFLAG, 1);
    op_write(h, ASYNCLISTADDR, (uint32_t)(h->mem + QH_CTRL));
    op_write(h, USBCMD, USBCMD_RS | USBCMD_ASE | USBCMD_ITC_1);
    step_ms(h);
}

void ehci_host_set_bulk(EhciHost *h, uint8_t out_ep, uint8_t in_ep)
{
    h->bulk_out_ep = out_ep;
    h->bulk_in_ep = in_ep;
    h->in_pending = false;
    qh_init(h, QH_OUT, QH_IN, QH_DEVADDR(0) | QH_EP(out_ep) | QH_EPS_HIGH |
            QH_MAXPKT(512));
    qh_init(h, QH_IN, QH_CTRL, QH_DEVADDR(0) | QH_EP(in_ep) | QH_EPS_HIGH |
            QH_MAXPKT(512));
}

bool ehci_host_port_reset(EhciHost *h, int port)
{
    uint32_t sc = op_read(h, PORTSC(port));

    if (!(sc & PORTSC_CCS)) {
        return false;
    }
    op_write(h, PORTSC(port), (sc | PORTSC_PP | PORTSC_PR) & ~PORTSC_PED);
    step_ms(h);
    op_write(h, PORTSC(port), (op_read(h, PORTSC(port)) | PORTSC_PP) &
             ~PORTSC_PR);
    step_ms(h);
    /* the queues knew the device before the reset: start over */
    ehci_host_set_bulk(h, h->bulk_out_ep, h->bulk_in_ep);
    return op_read(h, PORTSC(port)) & PORTSC_PED;
}

int ehci_host_control(EhciHost *h, uint8_t type, uint8_t req,
                      uint16_t value, uint16_t index, void *data,
                      uint16_t len)
{
    uint8_t setup[8] = {
        type, req, value, value >> 8, index, index >> 8, len, len >> 8,
    };
    bool in = type & 0x80;
    uint32_t tok;
    int moved = 0;

    g_assert_cmpuint(len, <=, 0x1000);
    qtest_memwrite(h->qts, h->mem + BUF_SETUP, setup, sizeof(setup));
    if (len && !in) {
        qtest_memwrite(h->qts, h->mem + BUF_CTRL, data, len);
    }
    /* status stage: the opposite direction, DATA1 */
    qtd_write(h, QTD_STATUS, 0, TOK_ACTIVE | TOK_CERR3 | TOK_DT |
              (in && len ? TOK_PID_OUT : TOK_PID_IN), BUF_CTRL);
    if (len) {
        qtd_write(h, QTD_DATA, QTD_STATUS, TOK_ACTIVE | TOK_CERR3 | TOK_DT |
                  (in ? TOK_PID_IN : TOK_PID_OUT) | TOK_BYTES(len),
                  BUF_CTRL);
    }
    qtd_write(h, QTD_SETUP, len ? QTD_DATA : QTD_STATUS,
              TOK_ACTIVE | TOK_CERR3 | TOK_PID_SETUP | TOK_BYTES(8),
              BUF_SETUP);
    qtest_writel(h->qts, h->mem + QH_CTRL + 24, 0);   /* overlay token */
    qh_start(h, QH_CTRL, QTD_SETUP);
    if (!qtd_wait(h, QTD_STATUS, 1000) &&
        !(qtd_token(h, QTD_SETUP) & TOK_HALTED) &&
        !(len && (qtd_token(h, QTD_DATA) & TOK_HALTED))) {
        /* never completed */
        transfer_failed(h, QH_CTRL, TOK_HALTED);
        return -1;
    }
    if ((qtd_token(h, QTD_SETUP) & TOK_ERRORS) ||
        (len && (qtd_token(h, QTD_DATA) & TOK_ERRORS)) ||
        (qtd_token(h, QTD_STATUS) & TOK_ERRORS)) {
        /* a stall halts the queue head: clear it for the next transfer */
        qtest_writel(h->qts, h->mem + QH_CTRL + 24, 0);
        qtest_writel(h->qts, h->mem + QH_CTRL + 16, LINK_T);
        return -1;
    }
    if (len) {
        tok = qtd_token(h, QTD_DATA);
        moved = len - TOK_BYTES_LEFT(tok);
        if (in) {
            qtest_memread(h->qts, h->mem + BUF_CTRL, data, moved);
        }
    }
    return moved;
}

void ehci_host_bulk_out_queue(EhciHost *h, const void *data, size_t len)
{
    g_assert_cmpuint(len, <=, BUF_MAX);
    if (len) {
        qtest_memwrite(h->qts, h->mem + BUF_OUT, data, len);
    }
    /* interrupt on completion, as a USB stack asks for */
    qtd_write(h, QTD_OUT, 0, TOK_ACTIVE | TOK_CERR3 | TOK_IOC | TOK_PID_OUT |
              TOK_BYTES(len), BUF_OUT);
    qh_start(h, QH_OUT, QTD_OUT);
}

bool ehci_host_bulk_out_done(EhciHost *h)
{
    uint32_t tok = qtd_token(h, QTD_OUT);

    if (tok & TOK_ACTIVE) {
        return false;
    }
    if (tok & TOK_ERRORS) {
        transfer_failed(h, QH_OUT, tok);
    }
    return true;
}

bool ehci_host_bulk_out(EhciHost *h, const void *data, size_t len,
                        int max_ms)
{
    ehci_host_bulk_out_queue(h, data, len);
    if (!qtd_wait(h, QTD_OUT, max_ms)) {
        return false;
    }
    return ehci_host_bulk_out_done(h);
}

int ehci_host_bulk_in(EhciHost *h, void *data, size_t size, int max_ms)
{
    uint32_t tok;
    int got;

    g_assert_cmpuint(size, <=, BUF_MAX);
    if (!h->in_pending) {
        qtd_write(h, QTD_IN, 0, TOK_ACTIVE | TOK_CERR3 | TOK_IOC |
                  TOK_PID_IN | TOK_BYTES(size), BUF_IN);
        qh_start(h, QH_IN, QTD_IN);
        h->in_pending = true;
        h->in_size = size;
    }
    if (!qtd_wait(h, QTD_IN, max_ms)) {
        return -1;
    }
    h->in_pending = false;
    tok = qtd_token(h, QTD_IN);
    if (tok & TOK_ERRORS) {
        transfer_failed(h, QH_IN, tok);
        return -1;
    }
    /* the transfer queued by an earlier call may be larger than @data */
    g_assert_cmpuint(TOK_BYTES_LEFT(tok), <=, h->in_size);
    got = h->in_size - TOK_BYTES_LEFT(tok);
    if (got > size) {
        transfer_failed(h, QH_IN, TOK_HALTED);
        return -1;
    }
    qtest_memread(h->qts, h->mem + BUF_IN, data, got);
    return got;
}
