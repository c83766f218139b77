#!/usr/bin/env bash
# Install (or re-install: it is safe to run again) Lantern on one Debian 12 machine, as root:
#
#   deploy/install.sh --hostname lantern.example.org --email it@example.org [--tls self-signed|certbot|existing]
#
# What it does, in order: system packages when missing; the service user and its folders (owners and modes);
# a virtualenv with the pinned release (translations compiled first); PostgreSQL role and database (local, or
# --database-url); the keyring, secret key and backup key in /etc/lantern; /etc/lantern/lantern.env;
# `lantern-admin`; `lantern check --deploy`, migrations and static files; the nginx site with TLS; the systemd
# units and the nightly timer; and, the first time, the first administrator (`lantern createadmin`).
# Other distributions: untested (the steps are the same; package names and paths may differ).
#
# Without systemd as PID 1 (a container, CI) or with --no-systemd, gunicorn is started directly through
# `lantern-admin gunicorn` (pid file in PREFIX/run) and no nightly timer is installed: run
# `lantern-admin retention run && lantern-admin backup && lantern-admin audit verify` from cron instead.
set -euo pipefail

SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOSTNAME_= EMAIL= TLS=self-signed CERT= KEY= DATABASE_URL_= ORGANISATION="Lantern operator"
PREFIX=/srv/lantern ETC=/etc/lantern SERVICE_USER=lantern BACKUP_DIR=/srv/backups/lantern BINDIR=/usr/local/bin
NGINX_DIR=/etc/nginx NGINX_MAIN_CONF= NGINX_LOG_DIR=/var/log/nginx HTTPS_PORT=443 HTTP_PORT=80 BIND=127.0.0.1:8000
SYSTEMD=auto REUSE_PACKAGES= APT=1 PYTHON=/usr/bin/python3   # Debian's Python (3.11 on Debian 12)

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; cat <<'EOF'
Options: --hostname H --email E [--tls self-signed|certbot|existing --cert FILE --key FILE]
  [--database-url URL] [--organisation NAME] [--prefix /srv/lantern] [--etc /etc/lantern] [--user lantern]
  [--backup-dir /srv/backups/lantern] [--bindir /usr/local/bin] [--nginx-dir /etc/nginx]
  [--nginx-main-conf FILE] [--nginx-log-dir /var/log/nginx] [--https-port 443] [--http-port 80]
  [--bind 127.0.0.1:8000] [--no-systemd] [--no-apt] [--python /usr/bin/python3]
  [--reuse-packages-from VENV (offline machines, tests: its packages, same Python version)]
EOF
}
while [ $# -gt 0 ]; do
  case "$1" in
    --hostname) HOSTNAME_=$2; shift ;;          --email) EMAIL=$2; shift ;;
    --tls) TLS=$2; shift ;;                     --cert) CERT=$2; shift ;;        --key) KEY=$2; shift ;;
    --database-url) DATABASE_URL_=$2; shift ;;  --organisation) ORGANISATION=$2; shift ;;
    --prefix) PREFIX=$2; shift ;;               --etc) ETC=$2; shift ;;          --user) SERVICE_USER=$2; shift ;;
    --backup-dir) BACKUP_DIR=$2; shift ;;       --bindir) BINDIR=$2; shift ;;
    --nginx-dir) NGINX_DIR=$2; shift ;;         --nginx-main-conf) NGINX_MAIN_CONF=$2; shift ;;
    --nginx-log-dir) NGINX_LOG_DIR=$2; shift ;;
    --https-port) HTTPS_PORT=$2; shift ;;       --http-port) HTTP_PORT=$2; shift ;;  --bind) BIND=$2; shift ;;
    --no-systemd) SYSTEMD=no ;;                 --no-apt) APT=0 ;;    --python) PYTHON=$2; shift ;;
    --reuse-packages-from) REUSE_PACKAGES=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
  shift
done
step() { echo "==> $*"; }
die() { echo "install.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run me as root (sudo deploy/install.sh ...)"
[ -n "$HOSTNAME_" ] && [ -n "$EMAIL" ] || die "--hostname and --email are needed (--help)"
case "$TLS" in self-signed|certbot) ;; existing) [ -r "$CERT" ] && [ -r "$KEY" ] || die "--tls existing needs --cert and --key" ;;
  *) die "--tls is self-signed, certbot or existing" ;; esac
if [ "$SYSTEMD" = auto ]; then
  if [ -d /run/systemd/system ] && [ "$(ps -p 1 -o comm=)" = systemd ]; then SYSTEMD=yes; else SYSTEMD=no; fi
fi
grep -qs '^12' /etc/debian_version || echo "install.sh: tested on Debian 12 only; going on" >&2
VENV=$PREFIX/.venv
ORIGIN="https://$HOSTNAME_"; [ "$HTTPS_PORT" = 443 ] || ORIGIN="$ORIGIN:$HTTPS_PORT"

step "system packages"
if [ "$APT" = 1 ]; then
  missing=()
  for pair in python3:python3-venv nginx:nginx-light msgfmt:gettext openssl:openssl curl:curl; do
    command -v "${pair%%:*}" >/dev/null || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
  done
  "$PYTHON" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
  [ -n "$DATABASE_URL_" ] || command -v psql >/dev/null || missing+=(postgresql)
  [ "$TLS" != certbot ] || command -v certbot >/dev/null || missing+=(certbot)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
  fi
fi

step "service user $SERVICE_USER and folders"
id -u "$SERVICE_USER" >/dev/null 2>&1 || useradd --system --home-dir "$PREFIX" --no-create-home \
  --shell /usr/sbin/nologin "$SERVICE_USER"
GROUP=$(id -gn "$SERVICE_USER")
# Code and settings belong to root (the service cannot change them); data to the service user.
install -d -o root -g root -m 0755 "$PREFIX" "$PREFIX/deploy" "$BINDIR"
install -d -o "$SERVICE_USER" -g "$GROUP" -m 0750 "$PREFIX/var" "$PREFIX/run" "$PREFIX/var/log" "$PREFIX/acme"
install -d -o "$SERVICE_USER" -g "$GROUP" -m 0700 "$PREFIX/var/documents" "$BACKUP_DIR"
install -d -o root -g "$GROUP" -m 0750 "$ETC"
install -d -o "$SERVICE_USER" -g "$GROUP" -m 0700 "$ETC/keyring"
cp -r "$SOURCE/deploy/." "$PREFIX/deploy/"
chown -R root:root "$PREFIX/deploy"; chmod -R u=rwX,go=rX "$PREFIX/deploy"

step "virtualenv and the pinned release"
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
BUILD=$(mktemp -d /tmp/lantern-build.XXXXXX)
trap 'rm -rf "$BUILD"' EXIT
cp -r "$SOURCE/pyproject.toml" "$SOURCE/constraints.txt" "$SOURCE/README.md" "$SOURCE/src" "$BUILD/"
rm -rf "$BUILD/src/"*.egg-info
# Translations compiled in the source before installing, so that the installed package carries them.
while IFS= read -r po; do msgfmt -o "${po%.po}.mo" "$po"; done \
  < <(find "$BUILD/src/lantern" -path '*/LC_MESSAGES/django.po')
if [ -n "$REUSE_PACKAGES" ]; then
  # Offline machines and tests: the pinned dependencies of an existing virtualenv, and Lantern itself here.
  site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  "$REUSE_PACKAGES/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' > "$site/lantern-reused.pth"
  "$VENV/bin/pip" install --quiet --no-deps --force-reinstall "$BUILD"
else
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet -c "$BUILD/constraints.txt" --force-reinstall --no-deps "$BUILD"
  "$VENV/bin/pip" install --quiet -c "$BUILD/constraints.txt" "$BUILD"
fi

step "PostgreSQL"
if [ -z "$DATABASE_URL_" ]; then
  runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$SERVICE_USER'" | grep -q 1 ||
    runuser -u postgres -- createuser "$SERVICE_USER"
  runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'lantern'" | grep -q 1 ||
    runuser -u postgres -- createdb -O "$SERVICE_USER" lantern
  DATABASE_URL_="postgres://$SERVICE_USER@/lantern"   # local socket, peer authentication as the service user
fi

step "secrets in $ETC (kept when they exist: a new keyring over old data would make it unreadable)"
if [ ! -f "$ETC/secret_key" ]; then
  (umask 077 && "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$ETC/secret_key")
fi
[ -f "$ETC/backup.key" ] || "$VENV/bin/python" -c \
  'import sys, pathlib; from lantern.backups.archive import create_key; create_key(pathlib.Path(sys.argv[1]))' \
  "$ETC/backup.key"
[ -f "$ETC/keyring/keyring.json" ] || "$VENV/bin/python" -m lantern.crypto.keyring create "$ETC/keyring/keyring.json"
chown root:root "$ETC/secret_key" "$ETC/backup.key"; chmod 0600 "$ETC/secret_key" "$ETC/backup.key"
chown "$SERVICE_USER:$GROUP" "$ETC/keyring/keyring.json"; chmod 0600 "$ETC/keyring/keyring.json"

step "settings: $ETC/lantern.env"
if [ ! -f "$ETC/lantern.env" ]; then
  sed -e "s|^DATABASE_URL=.*|DATABASE_URL=$DATABASE_URL_|" \
      -e "s|^DJANGO_ALLOWED_HOSTS=.*|DJANGO_ALLOWED_HOSTS=$HOSTNAME_|" \
      -e "s|^DJANGO_CSRF_TRUSTED_ORIGINS=.*|DJANGO_CSRF_TRUSTED_ORIGINS=$ORIGIN|" \
      -e "s|/srv/lantern/|$PREFIX/|g; s|/srv/backups/lantern|$BACKUP_DIR|g; s|/etc/lantern/|$ETC/|g" \
      "$SOURCE/deploy/lantern.env.example" > "$ETC/lantern.env"
  echo "LANTERN_BIND=$BIND" >> "$ETC/lantern.env"
fi
chown root:"$GROUP" "$ETC/lantern.env"; chmod 0640 "$ETC/lantern.env"

step "lantern-admin in $BINDIR"
sed -e "s|^LANTERN_PREFIX=.*|LANTERN_PREFIX=\"\${LANTERN_PREFIX:-$PREFIX}\"|" \
    -e "s|^LANTERN_ETC=.*|LANTERN_ETC=\"\${LANTERN_ETC:-$ETC}\"|" \
    -e "s|^LANTERN_USER=.*|LANTERN_USER=\"\${LANTERN_USER:-$SERVICE_USER}\"|" \
    "$SOURCE/deploy/lantern-admin" > "$BINDIR/lantern-admin"
chmod 0755 "$BINDIR/lantern-admin"
ADMIN="$BINDIR/lantern-admin"

step "check --deploy, migrations, static files"
"$ADMIN" check --deploy --fail-level ERROR
"$ADMIN" migrate --no-input -v 0
"$ADMIN" collectstatic --no-input -v 0

step "TLS ($TLS) and the nginx site"
case "$TLS" in
  self-signed)
    CERT=$ETC/tls/fullchain.pem KEY=$ETC/tls/privkey.pem
    install -d -o root -g root -m 0700 "$ETC/tls"
    [ -f "$CERT" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$HOSTNAME_" \
      -addext "subjectAltName=DNS:$HOSTNAME_" -keyout "$KEY" -out "$CERT" 2>/dev/null ;;
  certbot)
    CERT=/etc/letsencrypt/live/$HOSTNAME_/fullchain.pem KEY=/etc/letsencrypt/live/$HOSTNAME_/privkey.pem ;;
esac
nginx_cmd() { if [ -n "$NGINX_MAIN_CONF" ]; then nginx -c "$NGINX_MAIN_CONF" "$@"; else nginx "$@"; fi; }
write_site() {  # $1 $2: the certificate and key the site uses
  install -d "$NGINX_DIR/sites-available" "$NGINX_DIR/sites-enabled"
  sed -e "s|lantern.example.org|$HOSTNAME_|g" \
      -e "s|/etc/ssl/lantern/fullchain.pem|$1|; s|/etc/ssl/lantern/privkey.pem|$2|" \
      -e "s|/etc/nginx/lantern-proxy.conf|$NGINX_DIR/lantern-proxy.conf|g" \
      -e "s|/var/log/nginx/|$NGINX_LOG_DIR/|g; s|/srv/lantern/|$PREFIX/|g" \
      -e "s|server 127.0.0.1:8000;|server $BIND;|" \
      -e "s|listen 443 |listen $HTTPS_PORT |; s|listen \[::\]:443 |listen [::]:$HTTPS_PORT |" \
      -e "s|listen 80;|listen $HTTP_PORT;|; s|listen \[::\]:80;|listen [::]:$HTTP_PORT;|" \
      "$SOURCE/deploy/nginx.conf" > "$NGINX_DIR/sites-available/lantern.conf"
  cp "$SOURCE/deploy/lantern-proxy.conf" "$NGINX_DIR/lantern-proxy.conf"
  ln -sf "$NGINX_DIR/sites-available/lantern.conf" "$NGINX_DIR/sites-enabled/lantern.conf"
  nginx_cmd -t -q
  if [ "$SYSTEMD" = yes ]; then systemctl reload-or-restart nginx
  elif nginx_cmd -s reload 2>/dev/null; then :; else nginx_cmd; fi
}
if [ "$TLS" = certbot ] && [ ! -f "$CERT" ]; then
  # First a self-signed certificate so that nginx answers the ACME challenge on port 80, then the real one.
  install -d -o root -g root -m 0700 "$ETC/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOSTNAME_" \
    -keyout "$ETC/tls/privkey.pem" -out "$ETC/tls/fullchain.pem" 2>/dev/null
  write_site "$ETC/tls/fullchain.pem" "$ETC/tls/privkey.pem"
  certbot certonly --webroot -w "$PREFIX/acme" -d "$HOSTNAME_" -m "$EMAIL" --agree-tos -n
fi
write_site "$CERT" "$KEY"

step "the service"
if [ "$SYSTEMD" = yes ]; then
  for unit in lantern.service lantern-maintenance.service lantern-maintenance.timer; do
    sed -e "s|/srv/lantern|$PREFIX|g; s|/srv/backups/lantern|$BACKUP_DIR|g; s|/etc/lantern|$ETC|g" \
        -e "s|^User=lantern|User=$SERVICE_USER|; s|^Group=lantern|Group=$GROUP|" \
        "$SOURCE/deploy/$unit" > "/etc/systemd/system/$unit"
  done
  systemctl daemon-reload
  systemctl enable --quiet lantern.service lantern-maintenance.timer
  systemctl restart lantern.service
  systemctl start lantern-maintenance.timer
else
  PIDFILE=$PREFIX/run/gunicorn.pid
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill -HUP "$(cat "$PIDFILE")"   # new code: workers restart one by one
  else
    "$ADMIN" gunicorn --daemon --pid "$PIDFILE" --bind "$BIND" \
      --access-logfile "$PREFIX/var/log/gunicorn.log" --error-logfile "$PREFIX/var/log/gunicorn.log"
  fi
fi
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://$BIND/readyz" -H "Host: $HOSTNAME_" && break
  sleep 1
done
curl -fsS "http://$BIND/readyz" -H "Host: $HOSTNAME_" >/dev/null || die "Lantern does not answer /readyz on $BIND"

step "the first administrator"
"$ADMIN" createadmin --email "$EMAIL" --organisation "$ORGANISATION"
echo
echo "Lantern is installed: $ORIGIN/ (sign in with the details above; they are shown once)."
echo "Settings: $ETC/lantern.env. Commands by hand: sudo lantern-admin COMMAND. Guide: README, 'Running it in production'."
