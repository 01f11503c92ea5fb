# Totals of a soak run of bench/lib/guest-echo.sh (console lines SOAK
# and SOAK-GETEID): round trips and losses; exit status 1 on a loss or
# an incomplete run.  Used by bench/guest-echo-bench.sh and
# tests/shell/guest-migration.sh.
#
# Copyright (c) 2026 qemu-composer contributors
# SPDX-License-Identifier: GPL-2.0-or-later
/^SOAK [0-9]+ mctp-req: [0-9]+ round trips/ {
    n[$2] += $4; lost[$2] += $NF; rounds[$2]++
}
/^SOAK [0-9]+ mctp-req: all/ { fail++ }
/^SOAK-GETEID/ { gn += $3; gbad += $4; geids++ }
END {
    for (b in n)
        printf "soak: echo %s B: %d round trips in %d rounds, lost %d\n",
               b, n[b], rounds[b], lost[b]
    printf "soak: Get EID to EIDs 9 and 11: %d requests, failed %d\n",
           gn, gbad
    bad = fail + gbad
    for (b in lost) bad += lost[b]
    if (!length(n) || geids != 2) { print "soak: incomplete run"; exit 1 }
    exit bad != 0
}
