#!/usr/bin/env bash
# Runs a one-node KubeWeb cluster on this machine: the control plane on SQLite in ./data (or the
# folder given with --data-dir), its own containerd under DATA_DIR/containerd and a local node.
# Installs containerd, runc, the CNI plugins and the image tools from Debian when they are missing.
# Extra arguments go to `kubeweb server` (see `kubeweb server --help`).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=()
command -v containerd >/dev/null 2>&1 || packages+=(containerd)
command -v runc >/dev/null 2>&1 || packages+=(runc)
[ -x /usr/lib/cni/bridge ] || packages+=(containernetworking-plugins)
command -v umoci >/dev/null 2>&1 || packages+=(umoci)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || packages+=(busybox-static)
command -v gcc >/dev/null 2>&1 || packages+=(gcc libc6-dev)
if [ "${#packages[@]}" -gt 0 ]; then
    echo "==> installing ${packages[*]} (containerd runs the pods)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
fi

exec dotnet run -c Release --project src/KubeWeb -- server "$@"
