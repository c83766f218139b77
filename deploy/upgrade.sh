#!/usr/bin/env bash
# Upgrade an installed Lantern in one command, as root, while it keeps serving:
#
#   deploy/upgrade.sh [--to VERSION|PATH]     (default: the checkout this script is in)
#
# In order: flag "upgrade in progress" (/healthz and /readyz say so instead of failing) → backup
# (`lantern-admin backup`) and a copy of the current virtualenv → install the release (translations compiled
# first) → migrate → collect static files → graceful restart (gunicorn replaces its workers one by one; no
# request is lost) → post-upgrade tasks (`insights refresh` when the statistics' tables changed) → `/readyz`.
# When a step fails: the previous virtualenv and the backup are put back, and the service restarted on them.
# VERSION is a git tag or commit of the checkout (`git -C CHECKOUT tag`); PATH a directory holding a release.
# Options as deploy/install.sh: --prefix --etc --bindir --no-systemd --reuse-packages-from.
set -euo pipefail

CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TO= PREFIX=/srv/lantern ETC=/etc/lantern BINDIR=/usr/local/bin SYSTEMD=auto REUSE_PACKAGES=
while [ $# -gt 0 ]; do
  case "$1" in
    --to) TO=$2; shift ;;  --prefix) PREFIX=$2; shift ;;  --etc) ETC=$2; shift ;;  --bindir) BINDIR=$2; shift ;;
    --no-systemd) SYSTEMD=no ;;  --reuse-packages-from) REUSE_PACKAGES=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "upgrade.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
  shift
done
step() { echo "==> $*"; }
die() { echo "upgrade.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run me as root"
if [ "$SYSTEMD" = auto ]; then
  if [ -d /run/systemd/system ] && [ "$(ps -p 1 -o comm=)" = systemd ]; then SYSTEMD=yes; else SYSTEMD=no; fi
fi
ADMIN=$BINDIR/lantern-admin VENV=$PREFIX/.venv FLAG=$PREFIX/var/upgrade-in-progress
[ -x "$ADMIN" ] && [ -d "$VENV" ] || die "no Lantern installed under $PREFIX (deploy/install.sh first)"
SERVICE_USER=$(stat -c %U "$PREFIX/var")
BIND=$(sed -n 's/^LANTERN_BIND=//p' "$ETC/lantern.env"); BIND=${BIND:-127.0.0.1:8000}
HOST=$(sed -n 's/^DJANGO_ALLOWED_HOSTS=//p' "$ETC/lantern.env" | cut -d, -f1)

WORK=$(mktemp -d /tmp/lantern-upgrade.XXXXXX)
cleanup() { rm -rf "$WORK"; rm -f "$FLAG"; }
trap cleanup EXIT

step "the release"
if [ -z "$TO" ]; then RELEASE=$CHECKOUT
elif [ -d "$TO" ]; then RELEASE=$(cd "$TO" && pwd)
else
  git -C "$CHECKOUT" rev-parse --verify -q "$TO^{commit}" >/dev/null || die "$TO: neither a folder nor a git tag or commit"
  mkdir "$WORK/release" && git -C "$CHECKOUT" archive "$TO" | tar -x -C "$WORK/release"
  RELEASE=$WORK/release
fi

restart() {  # graceful: new workers with the new code, old ones finish their requests
  if [ "$SYSTEMD" = yes ]; then systemctl reload lantern
  else kill -HUP "$(cat "$PREFIX/run/gunicorn.pid")"; fi
}
ready() {
  for _ in $(seq 1 "${1:-60}"); do
    curl -fsS -o /dev/null "http://$BIND/readyz" -H "Host: $HOST" && return 0
    sleep 1
  done
  return 1
}

install -o "$SERVICE_USER" -m 0640 /dev/null "$FLAG"
step "backup"
before=$(ls "$(sed -n 's/^LANTERN_BACKUP_DIR=//p' "$ETC/lantern.env")"/lantern-*.lbk 2>/dev/null | tail -1 || true)
"$ADMIN" backup
BACKUP=$(ls "$(sed -n 's/^LANTERN_BACKUP_DIR=//p' "$ETC/lantern.env")"/lantern-*.lbk | tail -1)
[ "$BACKUP" != "$before" ] || die "the backup was not written"
rm -rf "$VENV.before-upgrade" && cp -a "$VENV" "$VENV.before-upgrade"

rollback() {
  echo "upgrade.sh: $1 — rolling back to the previous release and $BACKUP" >&2
  rm -rf "$VENV" && mv "$VENV.before-upgrade" "$VENV"
  "$ADMIN" restore "$BACKUP" --yes || echo "upgrade.sh: the restore failed too: see docs/runbook.md, Restore" >&2
  restart
  ready 60 || echo "upgrade.sh: /readyz is still not green after the rollback" >&2
  exit 1
}

step "install the release from $RELEASE"
mkdir -p "$WORK/build"
cp -r "$RELEASE/pyproject.toml" "$RELEASE/constraints.txt" "$RELEASE/README.md" "$RELEASE/src" "$WORK/build/"
rm -rf "$WORK/build/src/"*.egg-info
while IFS= read -r po; do msgfmt -o "${po%.po}.mo" "$po"; done \
  < <(find "$WORK/build/src/lantern" -path '*/LC_MESSAGES/django.po')
# Build the wheel first, so that the files under the running service change in one short step.
"$VENV/bin/pip" wheel --quiet --no-deps -w "$WORK/wheel" "$WORK/build" || rollback "the release did not build"
WHEEL=$(ls "$WORK"/wheel/lantern-*.whl)
if [ -z "$REUSE_PACKAGES" ]; then  # new or changed pinned dependencies first (they do not replace Lantern)
  "$VENV/bin/pip" install --quiet -c "$WORK/build/constraints.txt" "$WHEEL" || rollback "the dependencies did not install"
fi
"$VENV/bin/pip" install --quiet --no-deps --force-reinstall "$WHEEL" || rollback "the release did not install"
cp -r "$RELEASE/deploy/." "$PREFIX/deploy/"

step "migrate, static files"
PLAN=$("$ADMIN" migrate --plan) || rollback "the migration plan failed"
"$ADMIN" migrate --no-input -v 0 || rollback "the migrations failed"
"$ADMIN" collectstatic --no-input -v 0 || rollback "collectstatic failed"

step "graceful restart"
restart

step "post-upgrade tasks"
if grep -q "insights\." <<<"$PLAN"; then "$ADMIN" insights refresh || rollback "insights refresh failed"; fi

rm -f "$FLAG"
step "/readyz"
ready 60 || rollback "/readyz is not green after the upgrade"
rm -rf "$VENV.before-upgrade"
echo "upgraded; the backup made before is $BACKUP"
