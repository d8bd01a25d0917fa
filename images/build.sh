#!/usr/bin/env bash
# Builds the node's local images as OCI archives, without a registry:
#
#   images/build.sh OUTDIR
#
# OUTDIR/pause.tar     localhost/kubeweb/pause:1.0    (images/pause.c, gcc -static)
# OUTDIR/busybox.tar   localhost/kubeweb/busybox:1.0  (and :2.0, for rollout tests; busybox-static)
#
# Import with `ctr -a SOCK -n k8s.io images import --base-name localhost/kubeweb/NAME FILE`
# (the archives carry only the tags). Needs gcc, umoci and busybox-static (Debian packages).
set -euo pipefail

out="${1:?usage: images/build.sh OUTDIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

for tool in gcc umoci; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
busybox=/bin/busybox
[ -x "$busybox" ] || busybox=/usr/bin/busybox
if ! [ -x "$busybox" ] || [[ "$(ldd "$busybox" 2>&1 || true)" != *"not a dynamic executable"* ]]; then
    echo "error: a static busybox is missing (apt-get install busybox-static)" >&2
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# pause: one static binary.
gcc -static -Os -s -o "$work/pause" "$here/pause.c"
umoci init --layout "$work/pause-oci"
umoci new --image "$work/pause-oci:1.0"
umoci unpack --rootless --image "$work/pause-oci:1.0" "$work/pause-bundle" >/dev/null
install -m 0755 "$work/pause" "$work/pause-bundle/rootfs/pause"
umoci repack --image "$work/pause-oci:1.0" "$work/pause-bundle"
umoci config --image "$work/pause-oci:1.0" --config.entrypoint /pause --config.user 65535:65535
tar -C "$work/pause-oci" -cf "$out/pause.tar" .

# busybox: every applet linked into /bin, a passwd/group, /tmp and a web root.
umoci init --layout "$work/busybox-oci"
umoci new --image "$work/busybox-oci:1.0"
umoci unpack --rootless --image "$work/busybox-oci:1.0" "$work/busybox-bundle" >/dev/null
rootfs="$work/busybox-bundle/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/var/www" "$rootfs/root" "$rootfs/home"
chmod 1777 "$rootfs/tmp"
install -m 0755 "$busybox" "$rootfs/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
done
cat > "$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/home:/bin/false
PASSWD
cat > "$rootfs/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
echo '<h1>kubeweb busybox</h1>' > "$rootfs/var/www/index.html"
umoci repack --image "$work/busybox-oci:1.0" "$work/busybox-bundle"
umoci config --image "$work/busybox-oci:1.0" --config.cmd sh --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umoci tag --image "$work/busybox-oci:1.0" 2.0
tar -C "$work/busybox-oci" -cf "$out/busybox.tar" .

ls -l "$out/pause.tar" "$out/busybox.tar"
