#!/usr/bin/env bash
# Removes what deploy/jetson/install.sh installed. Without --purge it keeps everything a technician or the
# device produced: /etc/edgeruntime (settings), /var/lib/edgeruntime (samples, heads, API token, TensorRT
# engine cache), /var/log/edgeruntime, the natively built libraries in /opt/edgeruntime/native and the
# service account, so a later install.sh picks up where this one left off.
# --purge removes all of that too (the gpio group stays: JetPack's Jetson.GPIO uses it as well).
set -euo pipefail

readonly SERVICE=edgeruntime

usage() {
  cat <<'EOF'
Usage: uninstall.sh [--root DIR] [--purge]

  --root DIR  Remove from the staging root DIR instead of / (no systemctl calls). Default: /
  --purge     Also delete settings, data (including the API token), logs, native libraries and the
              edgeruntime user and group.
EOF
}

die() {
  echo "uninstall.sh: $*" >&2
  exit 1
}

ROOT=/
PURGE=0
while (($# > 0)); do
  case $1 in
    --root)
      (($# >= 2)) || die "--root needs a directory"
      ROOT=$2
      shift 2
      ;;
    --purge)
      PURGE=1
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
readonly WANTS_LINK=$P/etc/systemd/system/multi-user.target.wants/$SERVICE.service
readonly DROPIN_DIR=$P/etc/systemd/system/$SERVICE.service.d
readonly SYSUSERS_PATH=$P/etc/sysusers.d/$SERVICE.conf
readonly UDEV_RULE_PATH=$P/etc/udev/rules.d/60-$SERVICE-gpio.rules

if ((LIVE)); then
  ((EUID == 0)) || die "uninstalling from / needs root (sudo)"
  [[ -d /run/systemd/system ]] || die "systemd is not running on this machine; use --root DIR for a staging root"
fi

removed() {
  echo "  removed: $*"
}

remove_path() {
  local path=$1
  if [[ -e $path || -L $path ]]; then
    rm -rf -- "$path"
    removed "$path"
  fi
}

echo "Uninstalling $SERVICE from $ROOT"
if ((LIVE)) && [[ -f $UNIT_PATH ]]; then
  # Stops the service and removes the multi-user.target.wants link in one step.
  systemctl disable --now "$SERVICE.service"
fi
remove_path "$WANTS_LINK"
remove_path "$UNIT_PATH"
if ((PURGE)); then
  # Operator drop-ins are configuration: kept unless purging.
  remove_path "$DROPIN_DIR"
fi
remove_path "$UDEV_RULE_PATH"

if [[ -d $APP_DIR ]]; then
  if ((PURGE)); then
    remove_path "$APP_DIR"
  else
    # Everything install.sh copied, but not the native builds that took an hour to compile on the device.
    while IFS= read -r -d '' entry; do
      remove_path "$entry"
    done < <(find "$APP_DIR" -mindepth 1 -maxdepth 1 ! -name native -print0)
    rmdir --ignore-fail-on-non-empty -- "$APP_DIR"
    if [[ -d $APP_DIR ]]; then
      echo "  kept: $APP_DIR/native"
    fi
  fi
fi

if ((PURGE)); then
  remove_path "$CONF_DIR"
  remove_path "$DATA_DIR"
  remove_path "$LOG_DIR"
  remove_path "$SYSUSERS_PATH"
  if ((LIVE)); then
    if getent passwd "$SERVICE" >/dev/null; then
      userdel "$SERVICE"
      removed "user $SERVICE"
    fi
    if getent group "$SERVICE" >/dev/null; then
      groupdel "$SERVICE"
      removed "group $SERVICE"
    fi
  else
    # A staging root's account files are plain files of the image; only the lines for the service account
    # are dropped (install.sh adds it to no other group).
    for file in passwd shadow group gshadow; do
      if [[ -f $P/etc/$file ]] && grep -q "^$SERVICE:" "$P/etc/$file"; then
        sed -i "/^$SERVICE:/d" "$P/etc/$file"
        removed "$SERVICE from $P/etc/$file"
      fi
    done
  fi
else
  for kept in "$CONF_DIR" "$DATA_DIR" "$LOG_DIR"; do
    if [[ -e $kept ]]; then
      echo "  kept: $kept"
    fi
  done
  echo "  kept: user $SERVICE (use --purge to delete it with the data above)"
fi

if ((LIVE)); then
  systemctl daemon-reload
  udevadm control --reload-rules
fi
echo "uninstall.sh: done"
