#!/bin/bash
# Installs what the psycopg2 tests need and fetches the psycopg2 2.9.13 sdist.
#
#   bash tests/postgres/setup.sh       # apt-get (only if missing) + sdist into tests/postgres/_work/
#
# Idempotent: does nothing that is already done. Works as root on a fresh Debian 12.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${POSTGRES_TEST_WORK:-$HERE/_work}"
VERSION=2.9.13
mkdir -p "$WORK"

need=()
# pip to download the sdist (its metadata step runs pg_config, from libpq-dev).
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
for pkg in postgresql libpq-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    # policy-rc.d keeps the package from starting the system-wide cluster during installation.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod +x /usr/sbin/policy-rc.d
        trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

if ! ls "$WORK"/psycopg2-$VERSION.tar.gz >/dev/null 2>&1; then
    python3 -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
        psycopg2==$VERSION -d "$WORK"
fi
ls -l "$WORK"/psycopg2-$VERSION.tar.gz
command -v pg_config >/dev/null && echo "pg_config: $(pg_config --version), includes $(pg_config --includedir)"
