#!/usr/bin/env bash
# The README's main command. Until the backend exists it runs the offline path end to end:
# packs Coldmod, builds the woven sample from those packages as a user would, runs it with
# COLDMOD_HEATMAP_FILE, and prints the sample's cold methods with `coldmod fetch --from`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== packing Coldmod (artifacts/packages)"
dotnet pack Coldmod.Tasks --configuration Release --nologo -v quiet
dotnet pack Coldmod.Cli --configuration Release --nologo -v quiet
cli="$PWD/Coldmod.Cli/bin/Release/net10.0/coldmod.dll"
coldmod() { dotnet "$cli" "$@"; }

echo "== building samples/Shop with <ColdmodWeave>true</ColdmodWeave>"
# A freshly packed 0.1.0 must replace any earlier one in the sample's own packages folder.
rm -rf artifacts/sample-packages samples/Shop/bin samples/Shop/obj
dotnet build samples/Shop --configuration Release --nologo -v minimal | grep -E "Coldmod|error|warn" || true

heatmap="$(mktemp -d)/heatmap.json"
echo "== running the sample with COLDMOD_HEATMAP_FILE=$heatmap"
COLDMOD_HEATMAP_FILE="$heatmap" dotnet samples/Shop/bin/Release/net10.0/Shop.dll

echo
echo "== coldmod fetch --from $heatmap   (the cold methods)"
(cd samples/Shop && coldmod fetch --from "$heatmap")
