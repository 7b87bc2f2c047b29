#!/usr/bin/env bash
# Installs the Debian packages in scripts/debian-packages.txt that are missing, and the vmail user Dovecot delivers as.
# Needs root; safe to run again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mapfile -t packages < <(grep -v -E '^\s*(#|$)' "$here/debian-packages.txt")
missing=()
for package in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "Missing Debian packages. Run as root:" >&2
		echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	# Roundcube's package asks about a database and a web server: we configure our own of both.
	debconf-set-selections <<'SELECTIONS'
roundcube-core roundcube/dbconfig-install boolean false
roundcube-core roundcube/database-type select sqlite3
roundcube-core roundcube/reconfigure-webserver multiselect
SELECTIONS
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Dovecot refuses to deliver mail as uid 0.
if ! id vmail >/dev/null 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "Missing the vmail user. Run as root: useradd --system --no-create-home --shell /usr/sbin/nologin vmail" >&2
		exit 1
	fi
	useradd --system --no-create-home --shell /usr/sbin/nologin vmail
fi
