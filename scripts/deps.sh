#!/bin/sh
# Installs the Debian packages redline needs that are missing (as root),
# or prints the exact apt-get line to run. Called by `make deps`.
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "redline needs these Debian packages:$missing"
	echo "run: sudo apt-get install -y$missing"
	exit 1
fi
echo "make deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine knows no package lists until `apt-get update` has run.
if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
	apt-get update -q || exit 1
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing || {
	apt-get update -q && apt-get install -y -q --no-install-recommends $missing
} || exit 1
