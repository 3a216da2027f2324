#!/usr/bin/env bash
# Makes sure everything the editor test tiers (test/e2e) need is on this machine, installing only
# what is missing (see ../shared/E2E.md for why each step is there):
#   - Debian packages: chromium (the browser playwright-core drives), neovim (a second LSP client),
#     ripgrep (code-server's @vscode/ripgrep cannot download its binary here), and the headers
#     code-server's native modules build against (libkrb5-dev, pkg-config, libx11-dev,
#     libxkbfile-dev, libsecret-1-dev);
#   - code-server 4.100.3 (VS Code 1.100.3, the newest that installs on Node 20) from npm into a
#     tools folder outside the repository: $SYSTEMD_HARDENING_TOOLS/code-server, by default
#     ~/.cache/systemd-hardening-tools/code-server. Skipped when that version is already there.
# playwright-core, mocha and @vscode/test-electron are devDependencies of the project (npm ci).
# Never `npx playwright install`: the tests use Debian's /usr/bin/chromium.
# Safe to run again: a second run checks and returns in about a second.
#
# The two editors are set up separately: when one cannot be set up (say neovim's package fails), the
# other still is, the script says loudly what is missing, and that editor's tests skip with the same
# message. It exits 1 only when neither editor could be set up. Another apt/dpkg run holding the lock
# is waited for, up to $APT_LOCK_WAIT seconds (default 300).
set -uo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11, which downloads ripgrep v13.0.0-10
# (lib/vscode/npm-shrinkwrap.json); change these three together.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
TOOLS=${SYSTEMD_HARDENING_TOOLS:-$HOME/.cache/systemd-hardening-tools}
CS_DIR=$TOOLS/code-server
CS_BIN=$CS_DIR/node_modules/.bin/code-server
APT_LOCK_WAIT=${APT_LOCK_WAIT:-300}

# Messages go to fd 3 (the script's stderr), so they show even while apt's output goes to a log file.
exec 3>&2
log() { echo "setup-e2e: $*" >&3; }

# apt-get with a bounded wait for the dpkg lock. `install` waits by itself (DPkg::Lock::Timeout);
# `update` takes the lists lock, which apt does not wait for, so it is retried while the lock is held.
apt_updated=0
apt_update() {
  [ "$apt_updated" = 1 ] && return 0
  local deadline=$((SECONDS + APT_LOCK_WAIT)) out
  while :; do
    if out=$(apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" update -qq 2>&1); then
      apt_updated=1
      return 0
    fi
    if ! grep -qi 'could not get lock\|unable to lock' <<<"$out" || [ "$SECONDS" -ge "$deadline" ]; then
      echo "$out" >&2
      return 1
    fi
    log "another apt run holds the lock; waiting (up to ${APT_LOCK_WAIT} s in all)"
    sleep 5
  done
}

# Installs the Debian packages of one editor that are missing (by dpkg status, so a partial install
# is completed). Returns 1, having said why, when it cannot.
apt_packages() {
  local what=$1; shift
  local need=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
  done
  [ "${#need[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "$what: missing packages (${need[*]}) and not root: install them with apt-get"
    return 1
  fi
  log "$what: installing ${need[*]} (apt-get)"
  local apt_log
  apt_log=$(mktemp)
  if ! { apt_update && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" install -y -qq "${need[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    rm -f "$apt_log"
    log "$what: apt-get failed"
    return 1
  fi
  rm -f "$apt_log"
}

# VS Code (code-server in chromium): chromium drives the workbench; ripgrep stands in for the binary
# code-server's @vscode/ripgrep cannot download here; the headers are for its native modules.
setup_vscode() {
  apt_packages 'VS Code tiers' chromium ripgrep libkrb5-dev pkg-config libx11-dev libxkbfile-dev libsecret-1-dev || return 1
  local tool
  for tool in /usr/bin/chromium /usr/bin/rg; do
    [ -x "$tool" ] || { log "$tool is missing after the package installation"; return 1; }
  done
  # 2. code-server, when that version is not installed yet.
  # `code-server --version` writes a default config and user-data folder: keep them in a temp folder.
  cs_version() {
    [ -x "$CS_BIN" ] || return 0
    local d
    d=$(mktemp -d)
    "$CS_BIN" --config "$d/config.yaml" --user-data-dir "$d/user-data" --version 2>/dev/null \
      | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+ [0-9a-f]{40}' | cut -d' ' -f1 || true
    rm -rf "$d"
  }
  installed=$(cs_version)
  if [ "$installed" != "$CODE_SERVER_VERSION" ]; then
    if [ "$(node -p 'process.versions.node.split(".")[0]')" != 20 ]; then
      log "code-server $CODE_SERVER_VERSION needs Node 20 (its postinstall checks the major version); this is $(node --version)"
      return 1
    fi
    if [ "$(uname -m)" != x86_64 ]; then
      log "the ripgrep cache below is for x86_64 only; this machine is $(uname -m)"
      return 1
    fi
    log "installing code-server $CODE_SERVER_VERSION into $CS_DIR${installed:+ (found $installed)}"
    # @vscode/ripgrep's postinstall asks api.github.com (unreachable) unless its cache has the asset:
    # give it Debian's rg under the name it looks for.
    rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
    mkdir -p "$rg_cache"
    [ -s "$rg_cache/$RIPGREP_ASSET" ] || tar czf "$rg_cache/$RIPGREP_ASSET" -C /usr/bin rg
    rm -rf "$CS_DIR"
    mkdir -p "$CS_DIR"
    echo '{ "name": "systemd-hardening-tools-code-server", "private": true }' > "$CS_DIR/package.json"
    # unsafe_perm: code-server's postinstall refuses root without it; yes: node-pty's postinstall runs
    # `npx node-gyp`, which this machine's npmrc (yes=false) would cancel.
    (cd "$CS_DIR" && npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2) \
      || { log "npm install code-server@$CODE_SERVER_VERSION failed"; return 1; }
    installed=$(cs_version)
    if [ "$installed" != "$CODE_SERVER_VERSION" ]; then
      log "code-server $CODE_SERVER_VERSION did not install (\`$CS_BIN --version\` gives '$installed')"
      return 1
    fi
    [ -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
      || { log "code-server's ripgrep binary is missing"; return 1; }
  fi
  for m in playwright-core mocha; do
    [ -f "node_modules/$m/package.json" ] || { log "node_modules/$m is missing: run npm ci"; return 1; }
  done
}

# neovim: a second, independent LSP client.
setup_neovim() {
  apt_packages 'neovim tier' neovim || return 1
  [ -x /usr/bin/nvim ] || { log "/usr/bin/nvim is missing after the package installation"; return 1; }
}

# `source scripts/setup-e2e.sh` defines the functions only (to try them by hand).
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

failed=()
setup_vscode || failed+=('VS Code (code-server 4.100.3 + chromium): the ui and extension-host tests will SKIP')
setup_neovim || failed+=('neovim: the neovim test will SKIP')
for f in "${failed[@]}"; do
  log "NOT SET UP: $f"
done
[ "${#failed[@]}" -lt 2 ] || { log 'neither editor could be set up'; exit 1; }
exit 0
