#!/usr/bin/env bash
# Runs every test in the repository.
#
#   scripts/test.sh [FILTER]
#
# Builds the solution once, then runs `dotnet test --no-build` for each test project with a TRX
# logger, and ends with one line computed from the TRX files:
#
#   N passed, N failed[, N skipped]
#
# FILTER is passed to `dotnet test --filter` (e.g. "Category!=E2E" or "Datastore=Sqlite").
# Exits non-zero when a test failed, a test run crashed, or no test ran at all.
#
# Environment: CONFIGURATION (default Release), TEST_RESULTS_DIR (default ./TestResults),
# TEST_HANG_TIMEOUT (default 10m; a test host stuck that long is stopped by `dotnet test`),
# KUBEWEB_AGENT_BINARY (a published NativeAOT kubeweb-agent; by default this script publishes one
# into dist/agent).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

filter="${1:-}"
config="${CONFIGURATION:-Release}"
results="${TEST_RESULTS_DIR:-$root/TestResults}"
hang="${TEST_HANG_TIMEOUT:-10m}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# What the tests need from Debian (PostgreSQL 15, Chromium, containerd and friends, zlib1g-dev),
# installed when missing.
if ! scripts/test-prerequisites.sh; then
    echo "installing the test prerequisites failed; no tests ran" >&2
    exit 1
fi

rm -rf "$results"
mkdir -p "$results"

echo "==> dotnet build KubeWeb.sln -c $config"
if ! dotnet build KubeWeb.sln -c "$config" -nologo; then
    echo "build failed; no tests ran" >&2
    exit 1
fi

# The lean node agent, kubeweb-agent (NativeAOT), is part of what is tested: LeanAgentProcessTests
# runs it (register, a pod, a clean SIGTERM stop) through KUBEWEB_AGENT_BINARY. Published once here
# (incremental afterwards) unless KUBEWEB_AGENT_BINARY names a build already; a failed publish fails
# the run rather than skipping that test.
if [ -z "${KUBEWEB_AGENT_BINARY:-}" ]; then
    echo "==> scripts/publish-agent.sh dist/agent"
    if ! scripts/publish-agent.sh "$root/dist/agent"; then
        echo "publishing the NativeAOT agent failed (it needs gcc or clang and zlib1g-dev); no tests ran" >&2
        exit 1
    fi
    export KUBEWEB_AGENT_BINARY="$root/dist/agent/kubeweb-agent"
fi

mapfile -t projects < <(grep -rl --include='*.csproj' '<IsTestProject>true</IsTestProject>' tests | sort)
if [ "${#projects[@]}" -eq 0 ]; then
    echo "no test projects found under tests/" >&2
    exit 1
fi

crashed=()
for project in "${projects[@]}"; do
    name="$(basename "$project" .csproj)"
    args=(test "$project" -c "$config" --no-build -nologo
        --logger "trx;LogFileName=$name.trx" --results-directory "$results"
        --blame-hang-timeout "$hang" --blame-hang-dump-type none)
    if [ -n "$filter" ]; then
        args+=(--filter "$filter")
    fi
    echo "==> dotnet ${args[*]}"
    dotnet "${args[@]}"
    code=$?
    if [ "$code" -ne 0 ]; then
        crashed+=("$name (exit code $code)")
    fi
done

# Sums one attribute of the <Counters .../> element over every TRX file.
count() {
    local attr="$1" total=0 n file
    while IFS= read -r -d '' file; do
        n="$(grep -o "<Counters [^>]*" "$file" | grep -o " $attr=\"[0-9]*\"" | grep -o '[0-9]\+' | head -n1)"
        total=$((total + ${n:-0}))
    done < <(find "$results" -name '*.trx' -print0)
    echo "$total"
}

total="$(count total)"
passed="$(count passed)"
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
# The TRX logger counts skipped tests only as not executed (notExecuted stays 0).
skipped=$(( total - $(count executed) ))
trx_files="$(find "$results" -name '*.trx' | wc -l)"

status=0
if [ "$failed" -gt 0 ]; then
    status=1
fi

# A project whose run failed without failed tests in its TRX crashed or hung.
if [ "${#crashed[@]}" -gt 0 ] && [ "$failed" -eq 0 ]; then
    echo "test runs failed without recording failed tests: ${crashed[*]}" >&2
    status=1
fi

if [ "$total" -eq 0 ] || [ $((passed + failed)) -eq 0 ]; then
    echo "no tests ran ($trx_files TRX files in $results)" >&2
    status=1
fi

# A test host stopped before its exit handler finished leaves its throwaway PostgreSQL in
# /tmp/kwpg-<host pid>-*, sometimes still running: for each folder whose host is gone, stop its
# postmaster (through pg_ctl on that data folder, as the fixture would have) and remove the folder
# (the fixture does the same for earlier runs when it starts; this keeps the last run's from lingering).
for dir in /tmp/kwpg-*; do
    [ -d "$dir" ] || continue
    owner="${dir#/tmp/kwpg-}"
    owner="${owner%%-*}"
    [ -n "$owner" ] && [ -d "/proc/$owner" ] && continue
    postmaster="$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$postmaster" ] && [ -d "/proc/$postmaster" ]; then
        runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || continue
    fi
    rm -rf "$dir"
done

echo "TRX files: $results"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
exit "$status"
