#!/usr/bin/env bash
# The README's two commands on a bare Debian 12, as a new user runs them: build a minimal root
# filesystem with debootstrap (plus only git and ca-certificates), give it this machine's
# certificates and package-registry settings and nothing else, clone this repository's HEAD
# into it, and run the README's first code block, line by line, in a chroot with a clean
# environment. Prints the time of each step, what apt installed, the disk used and pytest's
# counts; exits non-zero unless both commands pass with no failed, error or skipped test.
#
#   sudo bash scripts/bare-machine-check.sh [--keep] [--root DIR]
#
# Takes 10-15 minutes and about 3 GB under build/bare-debian (removed at the end unless
# --keep). Too slow for the test suite; run it whenever what set-up installs changes. Only the
# committed HEAD is checked: commit first.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root="$repo/build/bare-debian"
keep=0
while (($#)); do
  case $1 in
    --keep) keep=1 ;;
    --root) root=$(realpath -m "$2"); shift ;;
    *) echo "usage: $0 [--keep] [--root DIR]" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '\n==> %s\n' "$*"; }
now() { date +%s; }
[[ $(id -u) -eq 0 ]] || { echo "bare-machine-check: run as root (debootstrap, chroot)" >&2; exit 2; }

marker=".actionplan-bare-machine"
mounts=(proc sys dev mnt/source)
unmount_all() {
  local m i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    m="$root/${mounts[i]}"
    if mountpoint -q "$m" 2>/dev/null; then umount -R "$m" 2>/dev/null || umount -R -l "$m"; fi
  done
}
remove_root() {
  [[ -d $root ]] || return 0
  [[ -e $root/$marker ]] || { echo "bare-machine-check: $root is not ours; not removing" >&2; exit 2; }
  unmount_all
  # Never delete through a mount that is still there (a bind of /dev would be the host's).
  if findmnt -rn -o TARGET | grep -q "^$root/"; then
    echo "bare-machine-check: mounts remain below $root; not removing" >&2
    exit 2
  fi
  rm -rf --one-file-system "$root"
}
finish() {
  unmount_all
  if ((keep == 0)); then remove_root; fi
}

command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq debootstrap; }
# The mirror this machine's apt uses (deb822 sources first, then the one-line format).
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[[ -n $mirror ]] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)

remove_root
mkdir -p "$root"
trap finish EXIT
touch "$root/$marker"
t0=$(now)
step "debootstrap --variant=minbase --include=git,ca-certificates bookworm ($mirror)"
debootstrap --variant=minbase --include=git,ca-certificates bookworm "$root" "$mirror" \
  >"$root.debootstrap.log" 2>&1 || { tail -20 "$root.debootstrap.log"; exit 1; }
t_debootstrap=$(($(now) - t0))

step "this machine's certificates and registry settings, and nothing else"
cp /etc/resolv.conf /etc/hosts "$root/etc/"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
rm -f "$root/etc/apt/sources.list"
cp -a /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/"
[[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$root/etc/apt/"
find "$root/etc/apt/sources.list.d" -name '*.disabled*' -delete
for conf in /etc/apt/apt.conf.d/*; do
  grep -qs '^Acquire' "$conf" && cp "$conf" "$root/etc/apt/apt.conf.d/"
done
[[ -f /etc/pip.conf ]] && cp /etc/pip.conf "$root/etc/pip.conf"
ls "$root/etc/apt/sources.list.d" "$root/usr/local/share/ca-certificates"

mkdir -p "$root/mnt/source"
# Slave mounts: what happens below them in the chroot never propagates back to this machine.
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
mount --bind -o ro "$repo" "$root/mnt/source" && mount --make-slave "$root/mnt/source"

in_root() {
  env -i HOME=/root LANG=C.UTF-8 TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    chroot "$root" /bin/bash -c "$1"
}
in_root 'update-ca-certificates >/dev/null'
packages_before=$(in_root "dpkg-query -f '.\n' -W | wc -l")
disk_before=$(du -sm --one-file-system "$root" | cut -f1)

step "git clone (HEAD $(git -C "$repo" rev-parse --short HEAD))"
in_root 'git clone -q /mnt/source /root/actionplan'
readme="$root/root/actionplan/README.md"
mapfile -t commands < <(awk '/^```/ {k++; next} k == 1' "$readme" | grep -vE '^\s*(#|$)')
((${#commands[@]} == 2)) || { echo "the README's first block should hold two commands" >&2; exit 1; }

times=()
for i in 0 1; do
  step "README command $((i + 1)): ${commands[i]}"
  start=$(now)
  status=0
  in_root "cd /root/actionplan && ${commands[i]}" 2>&1 | tee "$root.command$((i + 1)).log" || status=$?
  times+=($(($(now) - start)))
  ((status == 0)) || { echo "bare-machine-check: command $((i + 1)) failed ($status)" >&2; exit 1; }
done

packages_after=$(in_root "dpkg-query -f '.\n' -W | wc -l")
disk_after=$(du -sm --one-file-system "$root" | cut -f1)
venv=$(du -sm "$root/root/actionplan/.venv" | cut -f1)
summary=$(grep -E '^=+ .*(passed|failed|error).* in ' "$root.command2.log" | tail -1 | tr -d '=')

step "summary"
echo "debootstrap (minbase, git, ca-certificates): ${t_debootstrap} s"
echo "command 1 (set-up and build): ${times[0]} s"
echo "command 2 (tests): ${times[1]} s"
echo "Debian packages: $packages_before before, $packages_after after ($((packages_after - packages_before)) installed)"
echo "disk: ${disk_before} MB before, ${disk_after} MB after; .venv ${venv} MB"
echo "pytest:${summary}"
if [[ $summary =~ (failed|error|skipped) ]] || [[ ! $summary =~ passed ]]; then
  echo "bare-machine-check: the tests did not all pass" >&2
  exit 1
fi
echo "bare-machine-check: both README commands pass on a bare Debian 12"
