#!/usr/bin/env bash
# Publishes the lean node agent, kubeweb-agent (src/AgentHost, NativeAOT: one native executable,
# no .NET runtime needed on the node), into DIR, next to the images/ folder it builds the node's
# local images from.
#
#   scripts/publish-agent.sh [DIR]      (default: dist/agent)
#
# Put it beside `kubeweb` (e.g. scripts/publish-agent.sh src/KubeWeb/bin/Release/net10.0) and
# `kubeweb agent ...` runs it instead of the agent inside kubeweb; or run `kubeweb-agent ...` on
# its own (same options). Needs a C toolchain for the native link: clang, or gcc (used when clang
# is missing), and zlib (zlib1g-dev).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-$root/dist/agent}" && cd "${1:-$root/dist/agent}" && pwd)"
case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) echo "error: no NativeAOT runtime identifier for $(uname -m)" >&2; exit 1 ;;
esac

linker=()
if ! command -v clang >/dev/null 2>&1; then
    linker=(-p:CppCompilerAndLinker=gcc)
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
staging="$root/src/AgentHost/bin/publish/$rid"
dotnet publish "$root/src/AgentHost" -c Release -r "$rid" "${linker[@]}" -o "$staging" -nologo
install -m 0755 "$staging/kubeweb-agent" "$out/kubeweb-agent"
mkdir -p "$out/images"
cp "$staging/images/"* "$out/images/"
echo "kubeweb-agent -> $out/kubeweb-agent"
