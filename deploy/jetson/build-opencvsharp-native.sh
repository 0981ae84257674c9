#!/usr/bin/env bash
# Builds OpenCV with GStreamer and V4L2 and then OpenCvSharp's native bridge (libOpenCvSharpExtern.so)
# ON a Jetson (JetPack 6, aarch64). NuGet has no linux-arm64 runtime package for OpenCvSharp4 4.13 with
# GStreamer, and camera sources such as nvarguscamerasrc need GStreamer in OpenCV.
#
# Downloads the OpenCV and OpenCvSharp sources from GitHub, so it needs network access on the device.
# OpenCV is installed under --prefix (default /usr/local, already in the loader's search path; ldconfig is
# run); libOpenCvSharpExtern.so goes to --dest, which the unit puts on LD_LIBRARY_PATH.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: build-opencvsharp-native.sh [--opencv V] [--opencvsharp TAG] [--prefix DIR] [--dest DIR]
                                   [--work-dir DIR] [--jobs N]

  --opencv V         OpenCV release tag (default 4.13.0).
  --opencvsharp TAG  OpenCvSharp release tag (default 4.13.0.20260627, the OpenCvSharp4 version in
                     Directory.Packages.props: managed and native halves must come from the same release).
  --prefix DIR       OpenCV install prefix (default /usr/local).
  --dest DIR         Where libOpenCvSharpExtern.so goes (default /opt/edgeruntime/native; copying it next to
                     /opt/edgeruntime/edgeruntime works too, but install.sh/uninstall.sh manage that directory).
  --work-dir DIR     Sources and build trees (default ~/edgeruntime-build). Needs ~5 GB free.
  --jobs N           Parallel compile jobs (default: one per 2 GiB of RAM, at most one per core).
EOF
}

die() {
  echo "build-opencvsharp-native.sh: $*" >&2
  exit 1
}

OPENCV_VERSION=4.13.0
OPENCVSHARP_TAG=4.13.0.20260627
PREFIX=/usr/local
DEST=/opt/edgeruntime/native
WORK_DIR=${HOME:-/tmp}/edgeruntime-build
mem_gib=$(awk '/^MemTotal:/ { print int($2 / 1048576) }' /proc/meminfo)
JOBS=$((mem_gib / 2))
((JOBS >= 1)) || JOBS=1
((JOBS <= $(nproc))) || JOBS=$(nproc)

while (($# > 0)); do
  case $1 in
    --opencv) OPENCV_VERSION=${2:?}; shift 2 ;;
    --opencvsharp) OPENCVSHARP_TAG=${2:?}; shift 2 ;;
    --prefix) PREFIX=${2:?}; shift 2 ;;
    --dest) DEST=${2:?}; shift 2 ;;
    --work-dir) WORK_DIR=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

[[ $(uname -m) == aarch64 ]] || die "run this on the Jetson itself (aarch64), not on $(uname -m)"

SUDO=
if ((EUID != 0)); then
  SUDO=sudo
fi

echo "Installing build prerequisites"
$SUDO apt-get update
# GStreamer development files for OpenCV's videoio backend; the -good/-bad plugins and nvarguscamerasrc
# (JetPack's nvidia-l4t-gstreamer) are what pipelines use at run time.
$SUDO apt-get install -y --no-install-recommends \
  git build-essential cmake pkg-config \
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev \
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad \
  libv4l-dev v4l-utils libjpeg-dev libpng-dev libtiff-dev

mkdir -p "$WORK_DIR"
cd "$WORK_DIR"

if [[ ! -d opencv-$OPENCV_VERSION/.git ]]; then
  git clone --depth 1 --branch "$OPENCV_VERSION" https://github.com/opencv/opencv.git "opencv-$OPENCV_VERSION"
fi

# Headless: no GTK/Qt window support on a service. No CUDA in OpenCV: inference runs in ONNX Runtime and
# OpenCV only captures and resizes. No FFmpeg: GStreamer covers files and network streams as well.
cmake -S "opencv-$OPENCV_VERSION" -B "opencv-build-$OPENCV_VERSION" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$PREFIX" \
  -DWITH_GSTREAMER=ON \
  -DWITH_V4L=ON \
  -DWITH_FFMPEG=OFF \
  -DWITH_GTK=OFF \
  -DWITH_QT=OFF \
  -DWITH_CUDA=OFF \
  -DBUILD_TESTS=OFF \
  -DBUILD_PERF_TESTS=OFF \
  -DBUILD_EXAMPLES=OFF \
  -DBUILD_opencv_apps=OFF \
  -DBUILD_opencv_python3=OFF \
  -DBUILD_JAVA=OFF \
  -DOPENCV_GENERATE_PKGCONFIG=ON | tee "$WORK_DIR/opencv-configure.log"

# Without this check a missing GStreamer dev package only shows up on the device as "could not open source".
grep -Eq 'GStreamer:[[:space:]]+YES' "$WORK_DIR/opencv-configure.log" ||
  die "OpenCV's configure did not find GStreamer (see $WORK_DIR/opencv-configure.log)"

cmake --build "opencv-build-$OPENCV_VERSION" --parallel "$JOBS"
$SUDO cmake --install "opencv-build-$OPENCV_VERSION"
$SUDO ldconfig

if [[ ! -d opencvsharp-$OPENCVSHARP_TAG/.git ]]; then
  git clone --depth 1 --branch "$OPENCVSHARP_TAG" https://github.com/shimat/opencvsharp.git "opencvsharp-$OPENCVSHARP_TAG"
fi
# OpenCV was built without opencv_contrib; the bindings for contrib modules must be left out as well.
grep -q NO_CONTRIB "opencvsharp-$OPENCVSHARP_TAG/src/CMakeLists.txt" ||
  die "OpenCvSharp $OPENCVSHARP_TAG has no NO_CONTRIB option: build OpenCV with opencv_contrib for this tag"

cmake -S "opencvsharp-$OPENCVSHARP_TAG/src" -B "opencvsharp-build-$OPENCVSHARP_TAG" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$PREFIX" \
  -DOpenCV_DIR="$PREFIX/lib/cmake/opencv4" \
  -DNO_CONTRIB=ON
cmake --build "opencvsharp-build-$OPENCVSHARP_TAG" --parallel "$JOBS"

lib=$(find "opencvsharp-build-$OPENCVSHARP_TAG" -name libOpenCvSharpExtern.so -type f -print -quit)
[[ -n $lib ]] || die "the build finished but libOpenCvSharpExtern.so was not found"
missing=$(ldd "$lib" | grep 'not found' || true)
[[ -z $missing ]] || die "libOpenCvSharpExtern.so has unresolved libraries: $missing"

$SUDO install -d -m 0755 "$DEST"
$SUDO install -m 0755 "$lib" "$DEST/libOpenCvSharpExtern.so"

cat <<EOF
Done: $DEST/libOpenCvSharpExtern.so (OpenCV $OPENCV_VERSION with GStreamer in $PREFIX).
Check a CSI camera outside the service first:
  gst-launch-1.0 nvarguscamerasrc sensor-id=0 num-buffers=30 ! 'video/x-raw(memory:NVMM),width=1280,height=720,framerate=30/1' ! nvvidconv ! fakesink
Then: sudo systemctl restart edgeruntime && journalctl -u edgeruntime -f
EOF
