#!/bin/sh
# Builds (or reuses) the Debian 12 root tree that the boot test tier boots with systemd-nspawn.
#
#   scripts/boot/build-tree.sh PACKAGE...
#
# The tree is Debian 12 "minbase" plus systemd, dbus and the given packages. It lives in a cache
# folder outside the repository, named by a hash of the package list and of this script, so a
# change to either builds a new tree and an unchanged one is reused:
#   ${BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/systemd-hardening-boot}/<key>/
# The tree is built in a temporary folder beside it and renamed into place only once complete,
# so an interrupted build never leaves a folder that looks finished. The last line printed on
# stdout is the tree's path. Needs root and debootstrap.
set -eu

# Bump when the way the tree is made changes in a way the package list does not show.
BUILDER_VERSION=1

if [ "$#" -eq 0 ]; then
  echo "usage: $0 PACKAGE..." >&2
  exit 2
fi
if [ "$(id -u)" != 0 ]; then
  echo "build-tree: must run as root (debootstrap)" >&2
  exit 1
fi
command -v debootstrap >/dev/null 2>&1 || { echo "build-tree: debootstrap is not installed" >&2; exit 1; }

# The base every tree has, then the caller's packages, sorted and without duplicates.
pkgs=$(printf '%s\n' systemd systemd-sysv dbus "$@" | sort -u | tr '\n' ',' | sed 's/,$//')
self=$(cat "$0")
key=$(printf 'v%s\n%s\n%s\n' "$BUILDER_VERSION" "$pkgs" "$self" | sha256sum | cut -c1-16)
cache=${BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/systemd-hardening-boot}
tree=$cache/$key

if [ -x "$tree/lib/systemd/systemd" ] && [ -f "$tree/.boot-tree-complete" ]; then
  echo "build-tree: reusing $tree" >&2
  echo "$tree"
  exit 0
fi

# The archive apt already uses on this machine (deb822 first, then the one-line format).
mirror=${MIRROR:-}
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
fi
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$cache"
# One builder at a time per cache; a second caller waits, then finds the finished tree.
exec 9>"$cache/.lock"
flock 9
if [ -f "$tree/.boot-tree-complete" ]; then
  echo "$tree"
  exit 0
fi

work=$cache/.building-$key-$$
rm -rf "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
echo "build-tree: debootstrap bookworm from $mirror with $pkgs" >&2
start=$(date +%s)
debootstrap --variant=minbase --include="$pkgs" bookworm "$work" "$mirror" >&2

# Timers and jobs that only cost boot time in a test guest.
for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
         e2scrub_reap.service fstrim.timer systemd-tmpfiles-clean.timer; do
  ln -sf /dev/null "$work/etc/systemd/system/$u"
done
echo boottest > "$work/etc/hostname"
# Mount points for the runner's bound folders (the tree itself stays read-only at boot).
mkdir -p "$work/boot-test/in" "$work/boot-test/out"
rm -f "$work"/var/cache/apt/archives/*.deb
printf 'packages=%s\nbuilt=%s\nseconds=%s\n' "$pkgs" "$(date -u +%FT%TZ)" "$(( $(date +%s) - start ))" > "$work/.boot-tree-complete"

rm -rf "$tree"
mv "$work" "$tree"
trap - EXIT INT TERM
echo "build-tree: built $tree in $(( $(date +%s) - start )) s ($(du -sh "$tree" | cut -f1))" >&2
echo "$tree"
