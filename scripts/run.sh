#!/usr/bin/env bash
# Runs the device service on its embedded default: ResNet-18 backbone, the first camera if one exists, else the
# built-in demo source; HTTP on http://127.0.0.1:8080. Extra arguments go to `edgeruntime run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh runtime
exec dotnet run --project src/DeviceHost -c Release -- run "$@"
