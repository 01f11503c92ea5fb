/*
 * qemu-compose-import: a devicetree design to a composed board description
 *
 *   qemu-compose-import DESIGN -o OUT.yaml [--map FILE]... [--report FILE]
 *
 * DESIGN is devicetree source (.dts, with its /include/s) or a flattened
 * devicetree (.dtb).  The description OUT.yaml runs with
 * qemu-system-riscv32/64 -M composed,desc=OUT.yaml.  The coverage report
 * (what became of every node) goes to stdout or --report FILE; problems
 * go to stderr as FILE:LINE:COL: error|warning: message.  Exit status 1
 * on errors, with nothing written.
 *
 * Copyright (c) 2026 qemu-composer contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>
#include "import.h"

static const char usage[] =
    "Usage: qemu-compose-import DESIGN -o OUT.yaml [--map FILE]... "
    "[--report FILE] [-q]\n"
    "\n"
    "Turn a devicetree design (.dts or .dtb) into a board description for\n"
    "qemu-system-riscv32/64 -M composed,desc=OUT.yaml.\n"
    "\n"
    "  -o, --output FILE   the description to write\n"
    "  -m, --map FILE      a mapping file whose rules come first (repeat)\n"
    "      --report FILE   write the coverage report there, not to stdout\n"
    "  -q, --quiet         no coverage report\n"
    "\n"
    "The shipped mapping is machines/devicetree-map.yaml\n"
    "(QEMU_COMPOSE_IMPORT_MAP overrides it); see\n"
    "docs/devel/composer-import.rst.\n";

static bool is_dtb(const char *file)
{
    guint8 magic[4] = { 0 };
    FILE *f = fopen(file, "rb");
    bool yes;

    if (!f) {
        return false;
    }
    yes = fread(magic, 1, 4, f) == 4 && magic[0] == 0xd0 &&
          magic[1] == 0x0d && magic[2] == 0xfe && magic[3] == 0xed;
    fclose(f);
    return yes;
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) maps = g_ptr_array_new();
    g_autofree char *default_map = map_default_file(argv[0]);
    const char *design = NULL, *out = NULL, *report = NULL;
    bool quiet = false;
    Import im = { 0 };
    int i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) &&
                   i + 1 < argc) {
            out = argv[++i];
        } else if ((!strcmp(a, "-m") || !strcmp(a, "--map")) &&
                   i + 1 < argc) {
            g_ptr_array_add(maps, argv[++i]);
        } else if (!strcmp(a, "--report") && i + 1 < argc) {
            report = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "qemu-compose-import: unknown or incomplete "
                    "option '%s'\n%s", a, usage);
            return 1;
        } else if (!design) {
            design = a;
        } else {
            fprintf(stderr, "qemu-compose-import: one design at a time "
                    "('%s' and '%s')\n", design, a);
            return 1;
        }
    }
    if (!design || !out) {
        fputs(usage, stderr);
        return 1;
    }

    {
        g_autofree char *dir = NULL;
        GString *d = g_string_new(NULL);
        const char *p;

        /* "dir//design.dts" as "dir/design.dts" */
        for (p = design; *p; p++) {
            if (*p != '/' || p[1] != '/') {
                g_string_append_c(d, *p);
            }
        }
        im.design = g_string_free(d, false);
        dir = g_path_get_dirname(im.design);
        dt_set_base_dir(dir);
    }
    im.map = map_new();
    if (!map_load(im.map, default_map, true)) {
        fprintf(stderr, "qemu-compose-import: cannot use the shipped mapping "
                "%s (QEMU_COMPOSE_IMPORT_MAP names another)\n", default_map);
        return 1;
    }
    for (i = maps->len - 1; i >= 0; i--) {
        if (!map_load(im.map, g_ptr_array_index(maps, i), false)) {
            return 1;
        }
    }
    im.root = is_dtb(im.design) ? dtb_read(im.design) : dts_read(im.design);
    if (!im.root || !dt_resolve(im.root)) {
        fprintf(stderr, "qemu-compose-import: %s: cannot be read, nothing "
                "written\n", im.design);
        return 1;
    }
    im.nodes = g_ptr_array_new();
    im.harts = g_ptr_array_new();
    im.cpu_groups = g_ptr_array_new();
    im.clocks = g_ptr_array_new();
    im.regions = g_ptr_array_new();
    im.intcs = g_ptr_array_new();
    im.devices = g_ptr_array_new();
    im.spans = g_array_new(false, true, sizeof(Span));
    im.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!import_design(&im)) {
        fprintf(stderr, "qemu-compose-import: %s: %u error%s, nothing "
                "written\n", design, dt_errors(), dt_errors() == 1 ? "" : "s");
        return 1;
    }
    if (!emit_description(&im, out)) {
        return 1;
    }
    if (report) {
        FILE *f = fopen(report, "w");

        if (!f) {
            fprintf(stderr, "qemu-compose-import: cannot write %s\n", report);
            return 1;
        }
        print_report(&im, f);
        fclose(f);
    } else if (!quiet) {
        print_report(&im, stdout);
    }
    return 0;
}
