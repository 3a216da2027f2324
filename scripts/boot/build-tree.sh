#!/bin/sh
# Builds (or reuses) a Debian root tree (a boot tier guest) that the boot test tier boots with
# systemd-nspawn.
#
#   scripts/boot/build-tree.sh SUITE PACKAGE...      (SUITE: bookworm, trixie, ...)
#
# The tree is Debian SUITE "minbase" plus systemd, dbus and the given packages. It lives in a cache
# folder outside the repository, named by a hash of the suite, the package list and this script,
# so a change to any of them builds a new tree and an unchanged one is reused:
#   ${BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/systemd-hardening-boot}/<key>/
# The tree is built in a temporary folder beside it and renamed into place only once complete,
# so an interrupted build never leaves a folder that looks finished. The last line printed on
# stdout is the tree's path. Needs root and debootstrap.
set -eu

# Bump when the way the tree is made changes in a way the package list does not show.
BUILDER_VERSION=1

if [ "$#" -lt 2 ]; then
  echo "usage: $0 SUITE PACKAGE..." >&2
  exit 2
fi
suite=$1
shift
case $suite in
  *[!a-z]*) echo "build-tree: '$suite' is not a Debian suite name" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
  echo "build-tree: must run as root (debootstrap)" >&2
  exit 1
fi
command -v debootstrap >/dev/null 2>&1 || { echo "build-tree: debootstrap is not installed" >&2; exit 1; }

# The base every tree has, then the caller's packages, sorted and without duplicates.
pkgs=$(printf '%s\n' systemd systemd-sysv dbus "$@" | sort -u | tr '\n' ',' | sed 's/,$//')
self=$(cat "$0")
key=$(printf 'v%s\n%s\n%s\n%s\n' "$BUILDER_VERSION" "$suite" "$pkgs" "$self" | sha256sum | cut -c1-16)
cache=${BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/systemd-hardening-boot}
tree=$cache/$key

if [ -x "$tree/lib/systemd/systemd" ] && [ -f "$tree/.boot-tree-complete" ]; then
  echo "build-tree: reusing $tree" >&2
  echo "$tree"
  exit 0
fi

# Trees built before the suite was an argument are Debian 12 trees made by the same steps as a
# bookworm tree now (their marker has no suite= line): reuse one with the same package list rather
# than spend ten minutes building it again. Drop this when the bookworm steps below change.
if [ "$suite" = bookworm ] && [ "$BUILDER_VERSION" = 1 ]; then
  for marker in "$cache"/*/.boot-tree-complete; do
    [ -f "$marker" ] || continue
    if grep -qx "packages=$pkgs" "$marker" && ! grep -q '^suite=' "$marker" && [ -x "${marker%/*}/lib/systemd/systemd" ]; then
      echo "build-tree: reusing ${marker%/*} (built before trees had a suite)" >&2
      echo "${marker%/*}"
      exit 0
    fi
  done
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
# One builder at a time per tree (trees of other guests build beside it); a second caller waits,
# then finds the finished tree.
exec 9>"$cache/.lock-$key"
flock 9
if [ -f "$tree/.boot-tree-complete" ]; then
  echo "$tree"
  exit 0
fi

work=$cache/.building-$key-$$
rm -rf "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
echo "build-tree: debootstrap $suite from $mirror with $pkgs" >&2
start=$(date +%s)
debootstrap --variant=minbase --include="$pkgs" "$suite" "$work" "$mirror" >&2

# Timers and jobs that only cost boot time in a test guest.
for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
         e2scrub_reap.service fstrim.timer systemd-tmpfiles-clean.timer; do
  ln -sf /dev/null "$work/etc/systemd/system/$u"
done
echo boottest > "$work/etc/hostname"
# Mount points for the runner's bound folders (the tree itself stays read-only at boot).
mkdir -p "$work/boot-test/in" "$work/boot-test/out"
rm -f "$work"/var/cache/apt/archives/*.deb
printf 'suite=%s\npackages=%s\nbuilt=%s\nseconds=%s\n' "$suite" "$pkgs" "$(date -u +%FT%TZ)" "$(( $(date +%s) - start ))" > "$work/.boot-tree-complete"

rm -rf "$tree"
mv "$work" "$tree"
trap - EXIT INT TERM
echo "build-tree: built $tree in $(( $(date +%s) - start )) s ($(du -sh "$tree" | cut -f1))" >&2
echo "$tree"
