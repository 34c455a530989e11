#!/usr/bin/env bash
# The one test command (README.md): restores, builds and runs every test project.
# Everything the tests need is installed or started from here or by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet test Coldmod.sln --configuration Release --logger "console;verbosity=normal" "$@"
