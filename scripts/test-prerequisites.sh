#!/usr/bin/env bash
# Installs what the tests need from Debian when it is missing: PostgreSQL 15's server binaries (the
# tests run their own throwaway server as the `postgres` user, created here), Chromium (the
# console's browser tests), containerd, runc, the CNI plugins, umoci, busybox-static and gcc (real
# pods and the local images), zlib1g-dev (the NativeAOT node agent). Idempotent: installs nothing
# when everything is there. Starts no services. Called by scripts/test.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

pg_bin=/usr/lib/postgresql/15/bin
if [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
    echo "==> installing postgresql-15 (provides $pg_bin)"
    # The tests run their own server; do not have the package create and start a system cluster.
    as_root mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.d/kubeweb-ci.conf >/dev/null
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15
fi

if [ ! -x /usr/bin/chromium ]; then
    echo "==> installing chromium (the console's browser tests drive it through Playwright)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

# Real pods: containerd + runc + CNI plugins run them; gcc, umoci and busybox-static build the
# local images (images/build.sh). The tests start their own containerd, never a system one.
pod_packages=()
command -v containerd >/dev/null 2>&1 || pod_packages+=(containerd)
command -v runc >/dev/null 2>&1 || pod_packages+=(runc)
[ -x /usr/lib/cni/bridge ] || pod_packages+=(containernetworking-plugins)
command -v umoci >/dev/null 2>&1 || pod_packages+=(umoci)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || pod_packages+=(busybox-static)
command -v gcc >/dev/null 2>&1 || pod_packages+=(gcc libc6-dev)
# The NativeAOT node agent (scripts/publish-agent.sh) links with gcc (or clang) against zlib.
[ -e /usr/include/zlib.h ] || pod_packages+=(zlib1g-dev)
if [ "${#pod_packages[@]}" -gt 0 ]; then
    echo "==> installing ${pod_packages[*]} (real pods through containerd)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pod_packages[@]}"
fi

if ! id -u postgres >/dev/null 2>&1; then
    echo "==> creating the postgres system user"
    as_root useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET SDK (dotnet) is not on PATH" >&2
    exit 1
fi

kubectl_bin="${KUBEWEB_KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.32}"
if [ ! -x "$kubectl_bin" ]; then
    echo "warning: $kubectl_bin not found; the E2E tests need kubectl 1.32 (set KUBEWEB_KUBECTL)" >&2
fi
