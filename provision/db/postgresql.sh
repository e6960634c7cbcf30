#!/bin/sh
# Installs the PostgreSQL server and client of the release, creates the student role (LOGIN,
# password) and a database it owns, lets that role log in with its password over the Unix
# socket as well (a `local` line in pg_hba.conf, so `psql -U student school` works from the
# vagrant account), and sets listen_addresses in conf.d/boxbuild.conf: localhost unless
# PG_LISTEN opens it, in which case pg_hba.conf also admits the role from any address with its
# password. The password goes to the server only (as a SCRAM verifier), never into a file.
# Environment:
#   PG_USER      the student role (default: student)
#   PG_PASSWORD  its password (required, non-empty)
#   PG_DB        its database (default: school)
#   PG_LISTEN    listen_addresses (default: localhost); e.g. '*' for a Vagrant port forward
# Outside a systemd-booted machine (a chroot) it starts the cluster without TCP for the SQL part
# and stops it again; on a booted machine it uses the postgresql service.
set -eu

PG_USER=${PG_USER:-student}
PG_PASSWORD=${PG_PASSWORD:-}
PG_DB=${PG_DB:-school}
PG_LISTEN=${PG_LISTEN:-localhost}

fail() {
	echo "postgresql.sh: $*" >&2
	exit 1
}
[ -n "$PG_PASSWORD" ] || fail "PG_PASSWORD is empty; set the password of $PG_USER"
for pair in "PG_USER=$PG_USER" "PG_DB=$PG_DB"; do
	case ${pair#*=} in
	'' | [!a-z_]* | *[!a-z0-9_]*) fail "${pair%%=*} '${pair#*=}' must start with a-z or _ and hold only a-z, 0-9 and _" ;;
	esac
done
[ "$PG_USER" != postgres ] || fail "PG_USER must not be postgres, the superuser"
case $PG_LISTEN in
'' | *[!0-9a-zA-Z.:,*\ -]*) fail "PG_LISTEN '$PG_LISTEN' is not a listen_addresses value" ;;
esac

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

apt_install postgresql postgresql-client

# The packages create one cluster, "main", of the release's PostgreSQL version.
version=$(pg_lsclusters --no-header | awk '$2 == "main" { print $1; exit }')
[ -n "$version" ] || fail "no PostgreSQL cluster called main (see pg_lsclusters)"
etc=/etc/postgresql/$version/main

changed=0
new=$(mktemp)
trap 'rm -f "$new"' EXIT
# put FILE MODE OWNER: installs $new as FILE when it differs; sets changed=1.
put() {
	if ! { [ -f "$1" ] && cmp -s "$new" "$1"; }; then
		install -m "$2" -o "$3" -g "$3" "$new" "$1"
		changed=1
	fi
}

printf "# Written by boxbuild's provision/db/postgresql.sh.\nlisten_addresses = '%s'\n" "$PG_LISTEN" >"$new"
put "$etc/conf.d/boxbuild.conf" 0644 postgres

# pg_hba.conf is read top down; the boxbuild lines (marked) go before "local all all peer" so
# they win for the student role, and are rebuilt from scratch on every run.
remote=
if [ "$PG_LISTEN" != localhost ]; then
	remote="host $PG_DB $PG_USER 0.0.0.0/0 scram-sha-256 # boxbuild
host $PG_DB $PG_USER ::/0 scram-sha-256 # boxbuild"
fi
awk -v ours="local $PG_DB $PG_USER scram-sha-256 # boxbuild" -v remote="$remote" '
	/# boxbuild$/ { next }
	!done && /^local[ \t]+all[ \t]+all[ \t]/ {
		print ours
		if (remote != "") print remote
		done = 1
	}
	{ print }
	END { if (!done) { print ours; if (remote != "") print remote } }
' "$etc/pg_hba.conf" >"$new"
put "$etc/pg_hba.conf" 0640 postgres

if [ -d /run/systemd/system ]; then
	systemctl enable --quiet postgresql
	if [ "$changed" = 1 ]; then
		systemctl restart "postgresql@$version-main"
	else
		systemctl start "postgresql@$version-main"
	fi
else
	# No service manager: the cluster runs for the SQL part only, without TCP, and stops on exit.
	if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
		pg_ctlcluster -o "-c listen_addresses=''" "$version" main start
		trap 'rm -f "$new"; pg_ctlcluster "$version" main stop' EXIT
	fi
fi

# psql runs as the superuser over the socket; names travel as psql variables, the password
# only through the environment (\getenv), never on a command line.
psql_su() {
	runuser -u postgres -- psql -X -q -A -t -v ON_ERROR_STOP=1 -v user="$PG_USER" -v db="$PG_DB" -d postgres "$@"
}
i=0
until psql_su -c 'SELECT 1' >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 60 ] || fail "the PostgreSQL server did not answer within 60 s"
	sleep 1
done

if [ -z "$(printf '%s\n' "SELECT 1 FROM pg_roles WHERE rolname = :'user';" | psql_su)" ]; then
	printf '%s\n' '\getenv pw PG_PASSWORD' "CREATE ROLE :\"user\" LOGIN PASSWORD :'pw';" |
		PG_PASSWORD=$PG_PASSWORD psql_su
fi
if [ -z "$(printf '%s\n' "SELECT 1 FROM pg_database WHERE datname = :'db';" | psql_su)" ]; then
	printf '%s\n' "CREATE DATABASE :\"db\" OWNER :\"user\";" | psql_su
fi
# A SCRAM verifier is salted, so the password is set only when logging in with it fails.
if ! PGPASSWORD=$PG_PASSWORD psql -X -q -w -h /var/run/postgresql -U "$PG_USER" -d "$PG_DB" -c 'SELECT 1' >/dev/null 2>&1; then
	printf '%s\n' '\getenv pw PG_PASSWORD' "ALTER ROLE :\"user\" LOGIN PASSWORD :'pw';" |
		PG_PASSWORD=$PG_PASSWORD psql_su
fi
