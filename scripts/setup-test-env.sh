#!/usr/bin/env bash
# Makes sure everything the test tiers need is on this machine, installing only what is missing:
#   - systemd-analyze 252 (Debian 12's systemd package) and the real 254, 257 and 262 binaries
#     (../shared/oracles/install-systemd-analyze.sh puts them in ~/.cache/systemd-oracles);
#   - gcc and libseccomp-dev, to ask the real libseccomp which system calls it resolves;
#   - debootstrap and systemd-container (systemd-nspawn), to boot real services (test/boot);
#   - what the editor tiers need (scripts/setup-e2e.sh: chromium, neovim, code-server 4.100.3).
# Safe to run again: each step is skipped when its tool is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -f /usr/include/seccomp.h ] || need+=(libseccomp-dev)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v systemd-nspawn >/dev/null 2>&1 || need+=(systemd-container)
dpkg-query -W -f='${Version}' systemd 2>/dev/null | grep -q '^252\.39' || need+=(systemd)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-test-env: missing packages (${need[*]}) and not root: install them with apt-get" >&2
    exit 1
  fi
  echo "setup-test-env: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need[@]}" >&2
fi

installer=../shared/oracles/install-systemd-analyze.sh
if [ -x "$installer" ] || [ -f "$installer" ]; then
  for v in 254 257 262; do
    bash "$installer" "$v" >/dev/null
  done
else
  echo "setup-test-env: $installer not found: the shared folder must sit beside the project" >&2
  exit 1
fi

# The editor tiers (test/e2e): chromium, neovim, code-server 4.100.3 and what they need.
bash scripts/setup-e2e.sh
