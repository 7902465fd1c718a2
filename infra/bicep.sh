#!/usr/bin/env bash
# Runs the Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64, restoring
# infra/tools/BicepTool.proj first when the package is not in the NuGet cache yet.
#   infra/bicep.sh build infra/bicep/main.bicep --stdout
#   infra/bicep.sh --restore-only     (only make sure the binary is there; prints its path)
set -euo pipefail

readonly package_id="azure.bicep.commandline.linux-x64"
readonly package_version="0.49.2"
tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/tools" && pwd)"
readonly tools_dir

bicep_path() {
  echo "$1/$package_id/$package_version/tools/bicep"
}

packages_root="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
bicep="$(bicep_path "$packages_root")"

if [[ ! -f "$bicep" ]]; then
  # Restore output goes to stderr so that `build --stdout` keeps stdout for the ARM JSON.
  if ! dotnet restore "$tools_dir/BicepTool.proj" --nologo --verbosity quiet >&2; then
    echo "bicep.sh: restoring $tools_dir/BicepTool.proj failed; cannot get the Bicep CLI" >&2
    exit 1
  fi
  # A NuGet.Config may move the global packages folder: ask NuGet where it is.
  packages_root="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
  bicep="$(bicep_path "${packages_root%/}")"
  if [[ ! -f "$bicep" ]]; then
    echo "bicep.sh: the Bicep CLI is not at $bicep after restore" >&2
    exit 1
  fi
fi

# The package keeps the execute bit for the owner only; another user's cache may lack it.
[[ -x "$bicep" ]] || chmod +x "$bicep"

if [[ "${1:-}" == "--restore-only" ]]; then
  echo "$bicep"
  exit 0
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1
exec "$bicep" "$@"
