#!/bin/sh
# Runs inside the booted guest, as the oneshot boot-probe.service ordered after the unit under
# test. Reads /boot-test/in/test.env, writes what it sees to /boot-test/out, then powers off.
#
# test.env (written by test/boot/runner.ts):
#   UNIT=nginx.service      the unit under test
#   CHECK='curl ...'        the service's own health check (a shell command line)
#   LOGS='/var/log/x.log'   log files of the service, copied out (some services log there, not to the journal)
#   SETTLE_S=10             at most this many seconds to wait for the unit to leave a transition
#   CHECK_TIMEOUT_S=10      at most this many seconds for one run of the check
#   CHECK_RETRY_S=5         while the unit stays active, retry a failing check this long (a
#                           Type=simple service is "active" before it listens)
#
# Output files: result.env (KEY=value lines, values on one line), check.txt, journal.txt, logs.txt,
# security.txt, security-offline.txt, journal-all.txt, then DONE last.
set -u
IN=/boot-test/in
OUT=/boot-test/out
. "$IN/test.env"
: "${SETTLE_S:=10}" "${CHECK_TIMEOUT_S:=10}" "${CHECK_RETRY_S:=5}" "${LOGS:=}"
exec >"$OUT/probe.log" 2>&1

# "ActiveState NRestarts" of the unit under test (systemctl show prints properties in its own
# order, whatever the order of -p, so ask one at a time).
state() { echo "$(systemctl show "$UNIT" -p ActiveState --value) $(systemctl show "$UNIT" -p NRestarts --value)"; }

# Wait while the unit is changing state. A unit that was restarted has already failed once, so
# that is a result too: no need to wait for the next attempt.
tries=0
while :; do
  set -- $(state)
  [ "${2:-0}" != 0 ] && break
  case "${1:-}" in activating|deactivating|reloading) ;; *) break ;; esac
  [ "$tries" -ge $((SETTLE_S * 10)) ] && break
  tries=$((tries + 1))
  sleep 0.1
done

# The check, retried while the unit is up and has not restarted, until CHECK_RETRY_S have passed
# (a check that hangs until its own timeout runs once more at most).
tries=0
end=$(( $(date +%s) + CHECK_RETRY_S ))
while :; do
  tries=$((tries + 1))
  timeout "$CHECK_TIMEOUT_S" sh -c "$CHECK" >"$OUT/check.txt" 2>&1
  check_rc=$?
  [ "$check_rc" = 0 ] && break
  set -- $(state)
  [ "${1:-}" = active ] && [ "${2:-0}" = 0 ] || break
  [ "$(date +%s)" -lt "$end" ] || break
  sleep 0.25
done
echo "CHECK_TRIES=$tries" >"$OUT/check-tries.env"
# A service killed at first use (say, by its system-call filter while serving the check) is
# reaped a moment later: give the manager that moment before reading the unit's state.
sleep 0.5

overall() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'; }
systemd-analyze security --no-pager "$UNIT" >"$OUT/security.txt" 2>&1
systemd-analyze security --offline=yes --no-pager "$UNIT" >"$OUT/security-offline.txt" 2>&1

{
  echo "CHECK_RC=$check_rc"
  cat "$OUT/check-tries.env"
  systemctl show "$UNIT" -p ActiveState -p SubState -p Result -p NRestarts -p ExecMainCode -p ExecMainStatus
  echo "EXPOSURE=$(overall <"$OUT/security.txt")"
  echo "OFFLINE_EXPOSURE=$(overall <"$OUT/security-offline.txt")"
  echo "SYSTEMD_VERSION=$(systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')"
  echo "VIRT=$(systemd-detect-virt)"
} >"$OUT/result.env"

journalctl -b -u "$UNIT" --no-pager -o cat >"$OUT/journal.txt" 2>&1
for f in $LOGS; do
  [ -f "$f" ] && { echo "==> $f"; tail -n 200 "$f"; }
done >"$OUT/logs.txt" 2>&1
journalctl -b --no-pager -o short-monotonic >"$OUT/journal-all.txt" 2>&1
sync
touch "$OUT/DONE"
# Everything is collected and the guest's writes go to a throw-away overlay: skip the orderly stop
# of services (mariadb has SendSIGKILL=no and a 15-minute stop timeout).
systemctl --force poweroff --no-block
