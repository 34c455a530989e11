#!/usr/bin/env bash
# The README's main command. Until the backend exists it shows what Coldmod would trace in
# this repository: it builds Coldmod in Release and runs `coldmod files` and `coldmod srcs` on it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build Coldmod.sln --configuration Release --nologo -v quiet
coldmod() { dotnet Coldmod.Cli/bin/Release/net10.0/coldmod.dll "$@"; }

echo "== coldmod files"
coldmod files
echo
echo "== coldmod srcs (first 40 lines)"
coldmod srcs | head -n 40
