#!/bin/bash
# Installs what the mysqlclient tests need and fetches the mysqlclient 2.3.1 sdist.
#
#   bash tests/mysql/setup.sh          # apt-get (only if missing) + sdist into tests/mysql/_work/
#
# Idempotent: does nothing that is already done.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${MYSQL_TEST_WORK:-$HERE/_work}"
mkdir -p "$WORK"

need=()
for pkg in mariadb-server libmariadb-dev pkg-config; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    # policy-rc.d keeps the package from starting the system-wide server during installation.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod +x /usr/sbin/policy-rc.d
        trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

if ! ls "$WORK"/mysqlclient-2.3.1.tar.gz >/dev/null 2>&1; then
    python3 -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
        mysqlclient==2.3.1 -d "$WORK"
fi
ls -l "$WORK"/mysqlclient-2.3.1.tar.gz
pkg-config --cflags --libs libmariadb 2>/dev/null || pkg-config --cflags --libs mysqlclient
