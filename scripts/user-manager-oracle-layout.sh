#!/usr/bin/env bash
# Lets ../shared/oracles/manager-oracle.sh ask a systemd version's own USER manager (`systemd --user`)
# instead of its system manager, so that the running figure of user units (`systemd-analyze --user
# security NAME`) can be measured, also for the versions before 250 that have no --offline.
#
#   scripts/user-manager-oracle-layout.sh 239 245 247 249 252    # writes $SYSTEMD_ORACLES_DIR/<V>u/bin/
#   scripts/manager-oracle-layout.sh 254 257 262 && scripts/user-manager-oracle-layout.sh 254 257 262
#   manager-oracle.sh 239u security --json-rows foo.service ...  # asks 239's user manager
#   manager-oracle.sh 239u stop
#
# How: manager-oracle.sh runs `$SYSTEMD_ORACLES_DIR/<V>u/bin/systemd` as PID 1 of its private namespaces
# (pid, mount, uts, ipc, net, cgroup; fresh /run; its own cgroup2 subtree sa-oracle-<V>u) and asks
# `bin/systemd-analyze` through nsenter. Here `bin/systemd` is a small PID 1 that starts the real manager
# of version V with --user (a user manager refuses to be PID 1, src/core/main.c safety_checks()):
#   - the unit path is manager-oracle.sh's private unit folder only (SYSTEMD_UNIT_PATH), the user
#     generators and user environment generators are hidden behind an empty folder, HOME is an empty
#     folder of the state, XDG_RUNTIME_DIR=/run/user/0 (on the fresh /run); /run/systemd/system exists,
#     so sd_booted() says yes;
#   - the user manager lives in the cgroup /user@0.service of the namespace's cgroup2 view (PID 1 in
#     /init.scope), as under a real user@.service, and boots into the empty oracle.target;
#   - /run/systemd/private is a link to the user manager's private socket $XDG_RUNTIME_DIR/systemd/private,
#     so manager-oracle.sh's readiness check, its `systemctl daemon-reload` and its `systemctl show`
#     (LoadState/LoadError of a refused unit) reach the user manager.
# `bin/systemd-analyze` runs that version's systemd-analyze with --user and XDG_RUNTIME_DIR=/run/user/0:
# bus_connect_user_systemd() then talks to the private socket (every version since 239), no user bus needed.
# The user manager runs as root (uid 0), like user@0.service: the properties analyze reads do not depend
# on the uid (unit_patch_contexts() reads the uid only for the working directory).
#
# Layouts of V understood (those of manager-oracle.sh): $SYSTEMD_ORACLES_DIR/V/bin/{systemd,systemd-analyze}
# (build-systemd-analyze.sh, or scripts/manager-oracle-layout.sh for 254/257/262), bullseye's tree with its
# own loader (install-systemd-analyze.sh 247), or the host's own version. Safe to run again.
set -euo pipefail

ORACLES=${SYSTEMD_ORACLES_DIR:-$HOME/.cache/systemd-oracles}
[[ $# -gt 0 ]] || set -- 239 245 247 249 252 254 257 262
host_major=$( (/lib/systemd/systemd --version 2>/dev/null || true) | awk 'NR==1 {print $2}')
q() { printf '%q ' "$@"; }

for v in "$@"; do
  d=$ORACLES/$v
  if [[ -x $d/bin/systemd && -x $d/bin/systemd-analyze ]]; then
    run=(env "LD_LIBRARY_PATH=$d/lib"); manager=$d/bin/systemd; analyze=$d/bin/systemd-analyze
  elif [[ -x $d/root/lib/systemd/systemd && -x $d/root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 ]]; then
    r=$d/root; l=$r/lib/x86_64-linux-gnu
    run=("$l/ld-linux-x86-64.so.2" --library-path "$r/lib/systemd:$l:$r/usr/lib/x86_64-linux-gnu")
    manager=$r/lib/systemd/systemd; analyze=$r/usr/bin/systemd-analyze
  elif [[ $v == "$host_major" ]]; then
    run=(env); manager=/lib/systemd/systemd; analyze=$(command -v systemd-analyze)
  else
    echo "user-manager-oracle-layout: no systemd $v under $d and the host's is not $v" >&2; exit 2
  fi
  u=$ORACLES/${v}u
  state=$u/manager-state
  mkdir -p "$u/bin" "$u/empty"
  {
    printf '#!/bin/sh\n'
    printf '# PID 1 for manager-oracle.sh %su: starts systemd %s --user (scripts/user-manager-oracle-layout.sh)\n' "$v" "$v"
    printf 'set -e\nempty=%q\nhome=%q\n' "$u/empty" "$state/home"
    cat <<'EOF'
units=${SYSTEMD_UNIT_PATH:?no SYSTEMD_UNIT_PATH}
mkdir -p /run/systemd/system /run/user/0 "$home"
chmod 700 /run/user/0
for g in /usr/lib/systemd/user-generators /lib/systemd/user-generators /usr/local/lib/systemd/user-generators \
         /etc/systemd/user-generators /usr/lib/systemd/user-environment-generators \
         /lib/systemd/user-environment-generators /usr/local/lib/systemd/user-environment-generators; do
  if [ -d "$g" ]; then mount --bind "$empty" "$g"; fi
done
mkdir -p /sys/fs/cgroup/init.scope /sys/fs/cgroup/user@0.service
echo $$ > /sys/fs/cgroup/init.scope/cgroup.procs
sh -c 'echo $$ > /sys/fs/cgroup/user@0.service/cgroup.procs && exec "$@"' sh \
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$home" USER=root LOGNAME=root XDG_RUNTIME_DIR=/run/user/0 \
  SYSTEMD_UNIT_PATH="$units" SYSTEMD_GENERATOR_PATH="$empty" SYSTEMD_ENVIRONMENT_GENERATOR_PATH="$empty" \
EOF
    printf '  %s--user --unit=oracle.target --log-target=console --show-status=no &\n' "$(q "${run[@]}" "$manager")"
    cat <<'EOF'
m=$!
i=0
while [ ! -S /run/user/0/systemd/private ]; do
  i=$((i + 1)); [ $i -lt 300 ] && kill -0 $m 2>/dev/null || { echo "user manager did not come up" >&2; exit 1; }
  sleep 0.05
done
ln -s /run/user/0/systemd/private /run/systemd/private
wait $m
EOF
  } > "$u/bin/systemd.tmp"
  {
    printf '#!/bin/sh\n# systemd-analyze %s --user, asking the user manager of manager-oracle.sh %su\n' "$v" "$v"
    printf 'XDG_RUNTIME_DIR=/run/user/0 exec %s--user "$@"\n' "$(q "${run[@]}" "$analyze")"
  } > "$u/bin/systemd-analyze.tmp"
  chmod 755 "$u/bin/systemd.tmp" "$u/bin/systemd-analyze.tmp"
  mv "$u/bin/systemd.tmp" "$u/bin/systemd"; mv "$u/bin/systemd-analyze.tmp" "$u/bin/systemd-analyze"
  "${run[@]}" "$manager" --version | head -1 | sed "s|^|$u: user manager of |"
done
