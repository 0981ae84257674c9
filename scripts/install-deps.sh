#!/usr/bin/env bash
# Installs the Debian packages EdgeRuntime needs. Usage: install-deps.sh runtime|test
#   runtime: libgtk-3-0 (OpenCvSharp's native library links against GTK for its highgui module)
#   test:    runtime + chromium and chromium-driver (browser tests), systemd (systemd-analyze verify),
#            util-linux (flock), procps, python3-numpy (.npy files are proven by numpy.load),
#            dataset-fashion-mnist and python3-sklearn (few-shot report),
#            mosquitto and mosquitto-clients (fleet tests run a real broker)
set -euo pipefail
profile="${1:-runtime}"
packages=(libgtk-3-0)
if [[ "$profile" == "test" ]]; then
  packages+=(chromium chromium-driver systemd util-linux procps mosquitto mosquitto-clients)
  # The .npy format test loads embedding files with the reader users use (numpy).
  packages+=(python3 python3-numpy)
  # Few-shot report: real images and the scikit-learn peer (tests/EdgeRuntime.Benchmarks fewshot).
  packages+=(dataset-fashion-mnist python3-sklearn)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
