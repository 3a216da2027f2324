#!/usr/bin/env bash
# Lets ../shared/oracles/manager-oracle.sh run the managers of the Debian-unpacked systemd 254, 257 and 262
# (install-systemd-analyze.sh puts them in $SYSTEMD_ORACLES_DIR/V/root), so that their running figure
# (the answer of `systemd-analyze security` asked of a running manager) can be measured.
#
#   scripts/manager-oracle-layout.sh 254 257 262      # then: manager-oracle.sh 257 security --json-rows ...
#
# manager-oracle.sh knows three layouts and none of them fits these trees: `bin/systemd` +
# `bin/systemd-analyze` (build-systemd-analyze.sh), bullseye's `root/lib/systemd/systemd` with its own
# `root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2` (install-systemd-analyze.sh 247), or the host's own
# version. 254 (bookworm-backports) has the manager in root/lib/systemd but runs with the host's C library;
# 257 and 262 are merged-/usr trees (root/usr/lib/systemd/systemd) with their own C library. Its
# environment cannot name another layout, and ../shared is not ours to edit, so this script writes the
# first layout: two small wrappers in $SYSTEMD_ORACLES_DIR/V/bin that start the unpacked binaries with
# the right loader and library path. Everything else (namespaces, cgroup, batching, stop) stays
# manager-oracle.sh's.
#
# systemd-executor: from 255 on the manager pins /usr/lib/systemd/systemd-executor when it starts and
# fails without it (the host's 252 has none); SYSTEMD_EXECUTOR_PATH (read by pin_callout_binary(),
# src/basic/build-path.c) points it at the unpacked one. The manager starts no service (it boots into an
# empty target), so the executor is never run.
#
# Safe to run again (the wrappers are rewritten). install-systemd-analyze.sh, when it reinstalls a
# version, removes its folder and these wrappers with it: run this again afterwards.
set -euo pipefail

ORACLES=${SYSTEMD_ORACLES_DIR:-$HOME/.cache/systemd-oracles}
[[ $# -gt 0 ]] || set -- 254 257 262
for v in "$@"; do
  d=$ORACLES/$v
  R=$(cd "$d/root" 2>/dev/null && pwd -P) || { echo "manager-oracle-layout: no $d/root (install-systemd-analyze.sh $v)" >&2; exit 2; }
  if [[ -x $R/usr/lib/systemd/systemd && -x $R/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 ]]; then
    # merged /usr with its own C library (257, 262)
    L=$R/usr/lib/x86_64-linux-gnu
    loader=$L/ld-linux-x86-64.so.2; libs=$L/systemd:$L:$R/lib/x86_64-linux-gnu; manager=$R/usr/lib/systemd/systemd
  elif [[ -x $R/lib/systemd/systemd && ! -e $R/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 ]]; then
    # the host's C library (254 from bookworm-backports); its private libraries are in usr/lib/.../systemd
    loader=/lib64/ld-linux-x86-64.so.2; libs=$R/usr/lib/x86_64-linux-gnu/systemd; manager=$R/lib/systemd/systemd
  else
    echo "manager-oracle-layout: $R is neither a merged-/usr tree with its own ld.so nor 254's layout" >&2; exit 2
  fi
  [[ -x $d/systemd-analyze ]] || { echo "manager-oracle-layout: no $d/systemd-analyze" >&2; exit 2; }
  executor=$R/usr/lib/systemd/systemd-executor
  mkdir -p "$d/bin"
  {
    printf '#!/bin/sh\n# systemd %s manager, unpacked by install-systemd-analyze.sh; written by scripts/manager-oracle-layout.sh\n' "$v"
    if [[ -x $executor ]]; then printf 'SYSTEMD_EXECUTOR_PATH=%q; export SYSTEMD_EXECUTOR_PATH\n' "$executor"; fi
    printf 'exec %q --library-path %q %q "$@"\n' "$loader" "$libs" "$manager"
  } > "$d/bin/systemd.tmp"
  {
    printf '#!/bin/sh\n# systemd-analyze %s: the wrapper install-systemd-analyze.sh wrote\n' "$v"
    printf 'exec %q "$@"\n' "$d/systemd-analyze"
  } > "$d/bin/systemd-analyze.tmp"
  chmod 755 "$d/bin/systemd.tmp" "$d/bin/systemd-analyze.tmp"
  mv "$d/bin/systemd.tmp" "$d/bin/systemd"; mv "$d/bin/systemd-analyze.tmp" "$d/bin/systemd-analyze"
  "$d/bin/systemd" --version | head -1 | sed "s|^|$d/bin/systemd: |"
done
