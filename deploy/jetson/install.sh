#!/usr/bin/env bash
# Installs EdgeRuntime as the systemd service "edgeruntime" on a Jetson (JetPack 6 / Ubuntu 22.04, arm64), or
# lays the same files into a staging root (--root DIR) for image builds and tests.
#
# Idempotent: a second run with the same inputs changes nothing (not even a timestamp). The API token and an
# existing /etc/edgeruntime/appsettings.json are never replaced.
#
# What lands where (every path below is prefixed by --root):
#   /opt/edgeruntime/                         published binaries, root:root, files 0644 / executables 0755
#   /opt/edgeruntime/native/                  native builds (build-*.sh); never touched by this script
#   /etc/edgeruntime/appsettings.json         0644, only when missing
#   /etc/systemd/system/edgeruntime.service   0644
#   /etc/sysusers.d/edgeruntime.conf          0644, the service account (user edgeruntime, group gpio)
#   /etc/udev/rules.d/60-edgeruntime-gpio.rules  0644, /dev/gpiochip* for group gpio
#   /var/lib/edgeruntime/                     0750 edgeruntime:edgeruntime (data directory)
#   /var/lib/edgeruntime/api-token            0640 edgeruntime:edgeruntime, 64 hex chars + newline, only when missing
#   /var/log/edgeruntime/                     0750 edgeruntime:edgeruntime (rolling log files)
set -euo pipefail

readonly SERVICE=edgeruntime
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
readonly REPO_DIR

usage() {
  cat <<'EOF'
Usage: install.sh [--root DIR] [--publish-dir DIR] [--no-enable] [--no-token]

  --root DIR         Install under DIR instead of / (image builds, tests). No systemctl, systemd-sysusers
                     only when DIR/etc/passwd and DIR/etc/group exist, ownership only when the user exists
                     there. Default: /
  --publish-dir DIR  Already published binaries (must contain the executable 'edgeruntime'). Without it the
                     script runs: dotnet publish src/DeviceHost -c Release -r linux-arm64 --self-contained
  --no-enable        Do not enable or start the service (with --root: no multi-user.target.wants link).
  --no-token         Do not create the API token; the service creates one at its first start. Use this for
                     images: a token generated into an image is shared by every device flashed from it.
EOF
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}

ROOT=/
PUBLISH_DIR=
ENABLE=1
MAKE_TOKEN=1
while (($# > 0)); do
  case $1 in
    --root)
      (($# >= 2)) || die "--root needs a directory"
      ROOT=$2
      shift 2
      ;;
    --publish-dir)
      (($# >= 2)) || die "--publish-dir needs a directory"
      PUBLISH_DIR=$2
      shift 2
      ;;
    --no-enable)
      ENABLE=0
      shift
      ;;
    --no-token)
      MAKE_TOKEN=0
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown argument '$1'"
      ;;
  esac
done

[[ -d $ROOT ]] || die "--root '$ROOT' is not a directory"
ROOT=$(realpath -- "$ROOT")
if [[ $ROOT == / ]]; then
  LIVE=1
  P=
else
  LIVE=0
  P=$ROOT
fi
readonly ROOT LIVE P

readonly APP_DIR=$P/opt/$SERVICE
readonly CONF_DIR=$P/etc/$SERVICE
readonly DATA_DIR=$P/var/lib/$SERVICE
readonly LOG_DIR=$P/var/log/$SERVICE
readonly UNIT_PATH=$P/etc/systemd/system/$SERVICE.service
readonly SYSUSERS_PATH=$P/etc/sysusers.d/$SERVICE.conf
readonly UDEV_RULE_PATH=$P/etc/udev/rules.d/60-$SERVICE-gpio.rules
readonly TOKEN_PATH=$DATA_DIR/api-token

if ((LIVE)); then
  ((EUID == 0)) || die "installing to / needs root (sudo)"
  # Checked before anything is written, so a container without systemd fails cleanly, not half-installed.
  [[ -d /run/systemd/system ]] || die "systemd is not running on this machine; use --root DIR for a staging install"
fi

# Modes are set explicitly below; this only fixes the parents that mkdir -p creates.
umask 022

CHANGES=0
APP_CHANGED=0
UNIT_CHANGED=0
UDEV_CHANGED=0

changed() {
  CHANGES=$((CHANGES + 1))
  echo "  changed: $*"
}

note() {
  echo "  $*"
}

# Octal modes compared numerically so 0640 and 640 are the same mode.
ensure_mode() {
  local path=$1 mode=$2 current
  current=$(stat -c %a -- "$path")
  if ((8#$current != 8#$mode)); then
    chmod "$mode" -- "$path"
    changed "mode $mode $path"
  fi
}

SVC_UID=
SVC_GID=
resolve_service_owner() {
  local line=
  SVC_UID=
  SVC_GID=
  if ((LIVE)); then
    line=$(getent passwd "$SERVICE" || true)
  elif [[ -f $P/etc/passwd ]]; then
    # The staging root's own passwd, never the build host's: ids must be the image's.
    line=$(grep -m1 "^$SERVICE:" "$P/etc/passwd" || true)
  fi
  if [[ -n $line ]]; then
    IFS=: read -r _ _ SVC_UID SVC_GID _ <<<"$line"
  fi
}

OWNER_NOTE_SHOWN=0
ensure_service_owner() {
  local path=$1 current
  if [[ -z $SVC_UID ]]; then
    if ((OWNER_NOTE_SHOWN == 0)); then
      note "user $SERVICE does not exist under $ROOT: would chown the data and log directories and the token to it;"
      note "systemd hands StateDirectory/LogsDirectory (and their contents) to the user at the first start"
      OWNER_NOTE_SHOWN=1
    fi
    return
  fi
  if ((EUID != 0)); then
    if ((OWNER_NOTE_SHOWN == 0)); then
      note "not root: would chown $path to $SVC_UID:$SVC_GID"
      OWNER_NOTE_SHOWN=1
    fi
    return
  fi
  current=$(stat -c %u:%g -- "$path")
  if [[ $current != "$SVC_UID:$SVC_GID" ]]; then
    chown "$SVC_UID:$SVC_GID" -- "$path"
    changed "owner $SERVICE $path"
  fi
}

# ensure_dir DIR MODE [service]: creates DIR when missing and fixes its mode (and owner for service dirs).
ensure_dir() {
  local dir=$1 mode=$2 owner=${3:-}
  if [[ ! -d $dir ]]; then
    mkdir -p -- "$dir"
    changed "created $dir"
  fi
  ensure_mode "$dir" "$mode"
  if [[ $owner == service ]]; then
    ensure_service_owner "$dir"
  fi
}

# install_file SRC DEST MODE: copies only when the content differs, and through a rename so a running
# executable is replaced, never rewritten in place (ETXTBSY, or a crash of the running process).
# Returns 0 when DEST changed, 1 when it was already up to date.
install_file() {
  local src=$1 dest=$2 mode=$3 tmp
  if [[ -f $dest ]] && cmp -s -- "$src" "$dest"; then
    ensure_mode "$dest" "$mode"
    return 1
  fi
  mkdir -p -- "$(dirname -- "$dest")"
  tmp=$(mktemp "$dest.XXXXXX")
  cp -- "$src" "$tmp"
  chmod "$mode" -- "$tmp"
  mv -f -- "$tmp" "$dest"
  changed "installed $dest"
  return 0
}

publish() {
  if [[ -n $PUBLISH_DIR ]]; then
    [[ -d $PUBLISH_DIR ]] || die "--publish-dir '$PUBLISH_DIR' is not a directory"
    PUBLISH_DIR=$(realpath -- "$PUBLISH_DIR")
  else
    command -v dotnet >/dev/null || die "no --publish-dir given and no 'dotnet' on PATH to build one"
    BUILD_TMP=$(mktemp -d)
    trap 'rm -rf -- "$BUILD_TMP"' EXIT
    echo "Publishing src/DeviceHost for linux-arm64 (self-contained)"
    dotnet publish "$REPO_DIR/src/DeviceHost" -c Release -r linux-arm64 --self-contained -o "$BUILD_TMP/publish"
    PUBLISH_DIR=$BUILD_TMP/publish
  fi
  [[ -f $PUBLISH_DIR/$SERVICE && -x $PUBLISH_DIR/$SERVICE ]] ||
    die "'$PUBLISH_DIR' has no executable '$SERVICE': not a publish directory of src/DeviceHost"
}

install_account() {
  echo "Service account"
  ensure_dir "$(dirname -- "$SYSUSERS_PATH")" 0755
  install_file "$SCRIPT_DIR/$SERVICE.sysusers" "$SYSUSERS_PATH" 0644 || true
  local have_user=0 have_gpio=0
  if ((LIVE)); then
    getent passwd "$SERVICE" >/dev/null && have_user=1
    getent group gpio >/dev/null && have_gpio=1
  elif [[ -f $P/etc/passwd && -f $P/etc/group ]]; then
    grep -q "^$SERVICE:" "$P/etc/passwd" && have_user=1
    grep -q "^gpio:" "$P/etc/group" && have_gpio=1
  else
    note "no $P/etc/passwd and $P/etc/group: not creating user $SERVICE and group gpio here;"
    note "would run: systemd-sysusers --root $ROOT $SYSUSERS_PATH"
    note "(the image's systemd-sysusers.service creates them from $SYSUSERS_PATH at first boot)"
    resolve_service_owner
    return
  fi
  if ((have_user && have_gpio)); then
    note "user $SERVICE and group gpio exist"
  else
    command -v systemd-sysusers >/dev/null || die "systemd-sysusers is missing (Debian/Ubuntu package: systemd)"
    if ((LIVE)); then
      systemd-sysusers "$SYSUSERS_PATH"
    else
      systemd-sysusers --root "$ROOT" "$SYSUSERS_PATH"
    fi
    changed "created the accounts declared in $SYSUSERS_PATH"
  fi
  resolve_service_owner
  [[ -n $SVC_UID ]] || die "systemd-sysusers ran but user $SERVICE still does not exist under $ROOT"
}

install_app() {
  echo "Binaries: $PUBLISH_DIR -> $APP_DIR"
  ensure_dir "$APP_DIR" 0755
  local rel mode
  while IFS= read -r -d '' rel; do
    if [[ -x $PUBLISH_DIR/$rel ]]; then mode=0755; else mode=0644; fi
    if install_file "$PUBLISH_DIR/$rel" "$APP_DIR/$rel" "$mode"; then
      APP_CHANGED=1
    fi
  done < <(cd "$PUBLISH_DIR" && find . \( -type f -o -type l \) -printf '%P\0' | LC_ALL=C sort -z)
}

install_config() {
  echo "Configuration"
  ensure_dir "$CONF_DIR" 0755
  if [[ -e $CONF_DIR/appsettings.json ]]; then
    note "kept existing $CONF_DIR/appsettings.json"
  else
    install_file "$SCRIPT_DIR/appsettings.jetson.json" "$CONF_DIR/appsettings.json" 0644 || true
  fi
}

install_state() {
  echo "Data and logs"
  ensure_dir "$DATA_DIR" 0750 service
  ensure_dir "$LOG_DIR" 0750 service
  if [[ -e $TOKEN_PATH || -L $TOKEN_PATH ]]; then
    note "kept existing API token $TOKEN_PATH"
    [[ -s $TOKEN_PATH ]] || echo "install.sh: warning: $TOKEN_PATH is empty; delete it to have a new one generated" >&2
    ensure_mode "$TOKEN_PATH" 0640
    ensure_service_owner "$TOKEN_PATH"
    return
  fi
  if ((MAKE_TOKEN == 0)); then
    note "no API token created (--no-token): the service creates $TOKEN_PATH at its first start"
    return
  fi
  if ((LIVE == 0)); then
    note "note: a token generated into a staging root is shared by every device made from it (see --no-token)"
  fi
  local hex tmp
  hex=$(head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n')
  [[ $hex =~ ^[0-9a-f]{64}$ ]] || die "could not read 32 random bytes from /dev/urandom"
  # mktemp creates the file 0600, so the secret is never readable by others, not even for a moment.
  tmp=$(mktemp "$DATA_DIR/.api-token.XXXXXX")
  printf '%s\n' "$hex" >"$tmp"
  chmod 0640 -- "$tmp"
  if [[ -n $SVC_UID ]] && ((EUID == 0)); then
    chown "$SVC_UID:$SVC_GID" -- "$tmp"
  fi
  # A hard link fails instead of replacing a token that appeared meanwhile (e.g. the service's first start).
  if ln -- "$tmp" "$TOKEN_PATH" 2>/dev/null; then
    changed "generated API token $TOKEN_PATH"
  else
    note "kept API token $TOKEN_PATH that appeared while installing"
  fi
  rm -f -- "$tmp"
}

install_unit() {
  echo "systemd unit and udev rule"
  ensure_dir "$(dirname -- "$UNIT_PATH")" 0755
  if install_file "$SCRIPT_DIR/$SERVICE.service" "$UNIT_PATH" 0644; then
    UNIT_CHANGED=1
  fi
  ensure_dir "$(dirname -- "$UDEV_RULE_PATH")" 0755
  if install_file "$SCRIPT_DIR/60-$SERVICE-gpio.rules" "$UDEV_RULE_PATH" 0644; then
    UDEV_CHANGED=1
  fi
}

activate_live() {
  if ((UDEV_CHANGED)); then
    udevadm control --reload-rules
    udevadm trigger --subsystem-match=gpio
  fi
  systemctl daemon-reload
  if ((ENABLE == 0)); then
    note "not enabled (--no-enable): systemctl enable --now $SERVICE"
    return
  fi
  if ! systemctl is-enabled --quiet "$SERVICE"; then
    changed "enabled $SERVICE"
  fi
  # Restart an already running service only when what it runs changed, so a second run disturbs nothing.
  if ((APP_CHANGED || UNIT_CHANGED)) && systemctl is-active --quiet "$SERVICE"; then
    systemctl enable "$SERVICE"
    systemctl restart "$SERVICE"
    changed "restarted $SERVICE"
  else
    systemctl enable --now "$SERVICE"
  fi
}

activate_staging() {
  note "staging root: no systemctl or udevadm calls"
  local wants=$P/etc/systemd/system/multi-user.target.wants
  local link=$wants/$SERVICE.service target=/etc/systemd/system/$SERVICE.service
  if ((ENABLE == 0)); then
    note "not enabled (--no-enable)"
    return
  fi
  # Exactly the link 'systemctl enable' makes for WantedBy=multi-user.target.
  ensure_dir "$wants" 0755
  if [[ $(readlink -- "$link" || true) != "$target" ]]; then
    ln -sfn -- "$target" "$link"
    changed "enabled: $link -> $target"
  fi
}

publish
echo "Installing $SERVICE under $ROOT"
install_account
install_app
install_config
install_state
install_unit
if ((LIVE)); then
  activate_live
else
  activate_staging
fi
echo "install.sh: $CHANGES change(s) under $ROOT"
