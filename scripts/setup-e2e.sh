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
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11, which downloads ripgrep v13.0.0-10
# (lib/vscode/npm-shrinkwrap.json); change these three together.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
TOOLS=${SYSTEMD_HARDENING_TOOLS:-$HOME/.cache/systemd-hardening-tools}
CS_DIR=$TOOLS/code-server
CS_BIN=$CS_DIR/node_modules/.bin/code-server

log() { echo "setup-e2e: $*" >&2; }

# 1. Debian packages, by package name (dpkg), so a partial install is completed.
packages=(chromium ripgrep neovim libkrb5-dev pkg-config libx11-dev libxkbfile-dev libsecret-1-dev)
need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing packages (${need[*]}) and not root: install them with apt-get"
    exit 1
  fi
  log "installing ${need[*]} (apt-get; about 45 s for all of them)"
  export DEBIAN_FRONTEND=noninteractive
  apt_log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq "${need[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2; rm -f "$apt_log"
    log "apt-get failed"
    exit 1
  fi
  rm -f "$apt_log"
fi
for tool in /usr/bin/chromium /usr/bin/nvim /usr/bin/rg; do
  [ -x "$tool" ] || { log "$tool is missing after the package installation"; exit 1; }
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
    exit 1
  fi
  if [ "$(uname -m)" != x86_64 ]; then
    log "the ripgrep cache below is for x86_64 only; this machine is $(uname -m)"
    exit 1
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
    || { log "npm install code-server@$CODE_SERVER_VERSION failed"; exit 1; }
  installed=$(cs_version)
  if [ "$installed" != "$CODE_SERVER_VERSION" ]; then
    log "code-server $CODE_SERVER_VERSION did not install (\`$CS_BIN --version\` gives '$installed')"
    exit 1
  fi
  [ -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
    || { log "code-server's ripgrep binary is missing"; exit 1; }
fi

# 3. The project's own test packages (devDependencies, installed by npm ci).
for m in playwright-core mocha; do
  [ -f "node_modules/$m/package.json" ] || { log "node_modules/$m is missing: run npm ci"; exit 1; }
done
