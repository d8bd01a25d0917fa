#!/usr/bin/env bash
# Vendors xterm.js and its fit addon from the npm registry into the console's wwwroot, so the exec
# terminal loads nothing from the internet. Re-run to update; pin the versions here.
set -euo pipefail

XTERM_VERSION=6.0.0
FIT_VERSION=0.11.0

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/src/Web/wwwroot/lib/xterm"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "@xterm/xterm@$XTERM_VERSION" "@xterm/addon-fit@$FIT_VERSION" >/dev/null
mkdir xterm fit
tar -xzf "xterm-xterm-$XTERM_VERSION.tgz" -C xterm --strip-components=1
tar -xzf "xterm-addon-fit-$FIT_VERSION.tgz" -C fit --strip-components=1

rm -rf "$dest"
mkdir -p "$dest"
cp xterm/lib/xterm.js "$dest/xterm.js"
cp xterm/css/xterm.css "$dest/xterm.css"
cp xterm/LICENSE "$dest/LICENSE"
cp fit/lib/addon-fit.js "$dest/addon-fit.js"
cp fit/LICENSE "$dest/LICENSE.addon-fit"
printf '@xterm/xterm %s\n@xterm/addon-fit %s\nfrom the npm registry by scripts/vendor-xterm.sh\n' "$XTERM_VERSION" "$FIT_VERSION" >"$dest/VERSIONS"
echo "vendored into $dest:"
ls -l "$dest"
