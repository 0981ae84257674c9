#!/usr/bin/env bash
# Runs the whole test suite after installing what it needs. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
dotnet restore EdgeRuntime.sln
dotnet build EdgeRuntime.sln --no-restore -c Release
dotnet test EdgeRuntime.sln --no-build -c Release "$@"
