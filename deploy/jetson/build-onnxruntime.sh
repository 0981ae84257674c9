#!/usr/bin/env bash
# Builds ONNX Runtime with the CUDA and TensorRT execution providers ON a Jetson (JetPack 6, aarch64) and
# installs the shared libraries for EdgeRuntime. The NuGet package's native library does not fit Jetson:
# Microsoft.ML.OnnxRuntime.Gpu ships CUDA builds for x86_64 desktop GPUs only.
#
# Downloads the ONNX Runtime sources (and, during the build, their CMake dependencies) from GitHub, so it
# needs network access on the device. Expect hours on an Orin Nano; run it in tmux/screen.
#
# Afterwards point the service at the result, in /etc/edgeruntime/appsettings.json:
#   "Execution": { "NativeLibraryPath": "/opt/edgeruntime/native/libonnxruntime.so" }
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: build-onnxruntime.sh [--version V] [--dest DIR] [--work-dir DIR] [--cuda-arch N] [--jobs N]

  --version V     ONNX Runtime release tag without the 'v' (default 1.31.0). Must not be older than the
                  Microsoft.ML.OnnxRuntime.Gpu version in Directory.Packages.props: the managed bindings ask
                  the native library for the C API version they were built against.
  --dest DIR      Where the libraries go (default /opt/edgeruntime/native; kept by uninstall.sh without --purge).
  --work-dir DIR  Where sources and build trees go (default ~/edgeruntime-build). Needs ~15 GB free.
  --cuda-arch N   CUDA compute capability to compile for (default: 87 = Orin; 72 = Xavier).
  --jobs N        Parallel compile jobs (default: one per 3 GiB of RAM, at most one per core; nvcc
                  jobs use several GiB each and an out-of-memory kill costs the whole build).
EOF
}

die() {
  echo "build-onnxruntime.sh: $*" >&2
  exit 1
}

ORT_VERSION=1.31.0
DEST=/opt/edgeruntime/native
WORK_DIR=${HOME:-/tmp}/edgeruntime-build
CUDA_ARCH=87
mem_gib=$(awk '/^MemTotal:/ { print int($2 / 1048576) }' /proc/meminfo)
JOBS=$((mem_gib / 3))
((JOBS >= 1)) || JOBS=1
((JOBS <= $(nproc))) || JOBS=$(nproc)

while (($# > 0)); do
  case $1 in
    --version) ORT_VERSION=${2:?}; shift 2 ;;
    --dest) DEST=${2:?}; shift 2 ;;
    --work-dir) WORK_DIR=${2:?}; shift 2 ;;
    --cuda-arch) CUDA_ARCH=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

readonly CUDA_HOME=/usr/local/cuda
# JetPack installs cuDNN and TensorRT as Debian packages into the multiarch library directory.
readonly CUDNN_HOME=/usr/lib/aarch64-linux-gnu
readonly TENSORRT_HOME=/usr/lib/aarch64-linux-gnu

[[ $(uname -m) == aarch64 ]] || die "run this on the Jetson itself (aarch64), not on $(uname -m)"
[[ -f /etc/nv_tegra_release ]] || echo "build-onnxruntime.sh: warning: /etc/nv_tegra_release is missing; is this a JetPack image?" >&2
[[ -x $CUDA_HOME/bin/nvcc ]] ||
  die "no $CUDA_HOME/bin/nvcc: install the JetPack development packages (sudo apt-get install nvidia-jetpack)"
compgen -G "$TENSORRT_HOME/libnvinfer.so*" >/dev/null || die "TensorRT not found in $TENSORRT_HOME (package libnvinfer-dev)"
compgen -G "$CUDNN_HOME/libcudnn.so*" >/dev/null || die "cuDNN not found in $CUDNN_HOME (package libcudnn*-dev)"

trt_header=$(find /usr/include -name NvInferVersion.h -print -quit)
if [[ -n $trt_header ]]; then
  trt_major=$(awk '/#define NV_TENSORRT_MAJOR/ { print $3 }' "$trt_header")
  echo "TensorRT major version: ${trt_major:-unknown}"
  if [[ -n $trt_major ]] && ((trt_major < 10)); then
    echo "build-onnxruntime.sh: warning: recent ONNX Runtime releases target TensorRT 10 (JetPack 6.1 and later);" >&2
    echo "  with TensorRT $trt_major check the TensorRT requirements of v$ORT_VERSION before spending hours." >&2
  fi
fi

SUDO=
if ((EUID != 0)); then
  SUDO=sudo
fi

echo "Installing build prerequisites"
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends git build-essential python3 python3-venv python3-pip

mkdir -p "$WORK_DIR"
# Ubuntu 22.04's CMake (3.22) is older than ONNX Runtime requires; a private venv brings a current one
# without touching the system.
if [[ ! -x $WORK_DIR/venv/bin/python ]]; then
  python3 -m venv "$WORK_DIR/venv"
fi
"$WORK_DIR/venv/bin/python" -m pip install --upgrade pip
"$WORK_DIR/venv/bin/python" -m pip install --upgrade 'cmake>=3.28' packaging
export PATH=$WORK_DIR/venv/bin:$CUDA_HOME/bin:$PATH

src=$WORK_DIR/onnxruntime-$ORT_VERSION
if [[ ! -d $src/.git ]]; then
  git clone --depth 1 --branch "v$ORT_VERSION" --recurse-submodules --shallow-submodules \
    https://github.com/microsoft/onnxruntime.git "$src"
fi

cd "$src"
# --build_shared_lib: libonnxruntime.so for P/Invoke, no Python wheel. --skip_tests and no unit-test
# targets: the test binaries double the build time. Flash/memory-efficient attention kernels serve
# transformer models only, and are the largest CUDA objects to compile. --nvcc_threads 1 keeps the peak
# memory of each compile job bounded.
./build.sh \
  --config Release \
  --update --build \
  --parallel "$JOBS" \
  --nvcc_threads 1 \
  --build_shared_lib \
  --skip_tests \
  --use_cuda --cuda_home "$CUDA_HOME" --cudnn_home "$CUDNN_HOME" \
  --use_tensorrt --tensorrt_home "$TENSORRT_HOME" \
  --cmake_extra_defines \
  "CMAKE_CUDA_ARCHITECTURES=$CUDA_ARCH" \
  onnxruntime_BUILD_UNIT_TESTS=OFF \
  onnxruntime_USE_FLASH_ATTENTION=OFF \
  onnxruntime_USE_MEMORY_EFFICIENT_ATTENTION=OFF

out=$src/build/Linux/Release
[[ -e $out/libonnxruntime.so ]] || die "the build finished but $out/libonnxruntime.so is missing"
for provider in cuda tensorrt shared; do
  [[ -e $out/libonnxruntime_providers_$provider.so ]] || die "$out/libonnxruntime_providers_$provider.so is missing"
done

echo "Installing into $DEST"
$SUDO install -d -m 0755 "$DEST"
# The provider libraries must sit next to libonnxruntime.so: ONNX Runtime loads them from its own directory.
# -P keeps the libonnxruntime.so -> .so.1 -> .so.$ORT_VERSION symlink chain.
$SUDO cp -P "$out"/libonnxruntime.so* "$out"/libonnxruntime_providers_*.so "$DEST"/
$SUDO chmod 0755 "$DEST"/libonnxruntime*.so*

missing=$(LD_LIBRARY_PATH=$DEST:$CUDA_HOME/lib64 ldd "$DEST"/libonnxruntime_providers_*.so | grep 'not found' || true)
[[ -z $missing ]] || die "unresolved libraries: $missing"

cat <<EOF
Done. Set in /etc/edgeruntime/appsettings.json:
  "Execution": { "NativeLibraryPath": "$DEST/libonnxruntime.so" }
and to use TensorRT list it first in "Providers" (see deploy/jetson/README.md), then:
  sudo systemctl restart edgeruntime && journalctl -u edgeruntime -f
EOF
