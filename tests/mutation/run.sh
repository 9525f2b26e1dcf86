#!/usr/bin/env bash
# Mutation testing with Stryker.NET (pinned in .config/dotnet-tools.json), one package at a time.
#   tests/mutation/run.sh Core                 # the whole package
#   tests/mutation/run.sh Routing '**/Forwarding/*.cs'   # a scope (Stryker's --mutate glob), repeatable
# Interop tests with real peers (namespaces, dhclient, tshark, the kernel FIB) are left out: they need root and
# minutes each, and a mutant they alone would kill is a gap in the unit tests. Reports go to
# tests/mutation/reports/<Package>/ (html and json); the score is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
package="${1:?usage: tests/mutation/run.sh Core|Ipam|Routing|Dhcp [mutate-glob ...]}"
shift
dotnet tool restore >/dev/null

mutate=()
for glob in "$@"; do mutate+=(--mutate "$glob"); done

# Test classes whose names end in InteropTests, the real-client lab and the crash tests talk to real peers.
filter='FullyQualifiedName!~InteropTests&FullyQualifiedName!~RealClients&FullyQualifiedName!~KernelFib'

out="$PWD/tests/mutation/reports/$package"
cd "tests/CloudTemple.Networking.$package.Tests"
start=$(date +%s)
dotnet stryker --project "CloudTemple.Networking.$package.csproj" \
  --test-case-filter "$filter" \
  --concurrency "${STRYKER_CONCURRENCY:-2}" --reporter html --reporter json --reporter progress --reporter cleartext \
  --output "$out" "${mutate[@]}"
echo "mutation: $package took $(( $(date +%s) - start )) s"
