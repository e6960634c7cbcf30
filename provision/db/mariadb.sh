#!/bin/sh
# Installs the MariaDB server and client, gives root@localhost a password (root keeps its Unix
# socket login, so `sudo mariadb` works without it), creates the student database and user with
# all privileges on that database, and binds the server to 127.0.0.1 through
# /etc/mysql/mariadb.conf.d/60-boxbuild.cnf unless DB_LISTEN opens it. No password is written
# to any file: root logs in through the socket.
# Environment:
#   DB_ROOT_PASSWORD  password of root@localhost (required, non-empty)
#   DB_NAME           the student database (default: school)
#   DB_USER           the student user (default: student)
#   DB_PASSWORD       the student user's password (required, non-empty)
#   DB_LISTEN         bind-address (default: 127.0.0.1); any other address, e.g. 0.0.0.0 for a
#                     Vagrant port forward, also creates DB_USER@'%'
# Outside a systemd-booted machine (a chroot) it starts a private mariadbd without networking
# for the SQL part and stops it again; on a booted machine it uses the mariadb service.
set -eu

DB_ROOT_PASSWORD=${DB_ROOT_PASSWORD:-}
DB_NAME=${DB_NAME:-school}
DB_USER=${DB_USER:-student}
DB_PASSWORD=${DB_PASSWORD:-}
DB_LISTEN=${DB_LISTEN:-127.0.0.1}

fail() {
	echo "mariadb.sh: $*" >&2
	exit 1
}
[ -n "$DB_ROOT_PASSWORD" ] || fail "DB_ROOT_PASSWORD is empty; set a root password"
[ -n "$DB_PASSWORD" ] || fail "DB_PASSWORD is empty; set the password of $DB_USER"
# Names go into SQL unquoted by the shell, so they are held to a safe alphabet.
for pair in "DB_NAME=$DB_NAME" "DB_USER=$DB_USER"; do
	case ${pair#*=} in
	'' | *[!A-Za-z0-9_]*) fail "${pair%%=*} '${pair#*=}' may only hold letters, digits and _" ;;
	esac
done
case $DB_LISTEN in
*[!0-9a-fA-F.:]* | '') fail "DB_LISTEN '$DB_LISTEN' is not an IP address" ;;
esac

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

apt_install mariadb-server mariadb-client

changed=0
cnf=/etc/mysql/mariadb.conf.d/60-boxbuild.cnf
new=$(mktemp)
trap 'rm -f "$new"' EXIT
printf '# Written by boxbuild'"'"'s provision/db/mariadb.sh.\n[mysqld]\nbind-address = %s\n' "$DB_LISTEN" >"$new"
if ! { [ -f "$cnf" ] && cmp -s "$new" "$cnf"; }; then
	install -m 0644 "$new" "$cnf"
	changed=1
fi

# sql runs the statements on stdin as root over the Unix socket; statements travel on stdin so
# that passwords never appear in a process list.
sock=/run/mysqld/mysqld.sock
sql() {
	mariadb --protocol=socket --socket="$sock" -u root -N -B
}

if [ -d /run/systemd/system ]; then
	systemctl enable --quiet mariadb
	if [ "$changed" = 1 ]; then
		systemctl restart mariadb
	else
		systemctl start mariadb
	fi
else
	# No service manager: a private server on its own socket, stopped again on exit.
	sock=/run/mysqld/boxbuild-setup.sock
	install -d -o mysql -g mysql -m 0755 /run/mysqld
	mariadbd --user=mysql --skip-networking --socket="$sock" \
		--pid-file=/run/mysqld/boxbuild-setup.pid >/dev/null 2>&1 &
	server=$!
	trap 'rm -f "$new"; mariadb-admin --socket="$sock" -u root shutdown >/dev/null 2>&1 || kill "$server" 2>/dev/null || true; wait "$server" || true' EXIT
fi
i=0
until mariadb-admin --socket="$sock" -u root ping >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 60 ] || fail "the MariaDB server did not answer on $sock within 60 s"
	sleep 1
done

# quote makes a SQL string literal: ' doubled, \ escaped.
quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"
}
root_pw=$(quote "$DB_ROOT_PASSWORD")
user_pw=$(quote "$DB_PASSWORD")

# A password is set only when the stored hash differs, so a second run changes nothing.
root_hash=$(printf '%s\n' "SELECT PASSWORD($root_pw);" | sql)
if ! printf '%s\n' "SHOW CREATE USER 'root'@'localhost';" | sql | grep -qF "USING '$root_hash'"; then
	printf '%s\n' "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD($root_pw);" | sql
fi

printf '%s\n' "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;" | sql
hosts=localhost
if [ "$DB_LISTEN" != 127.0.0.1 ] && [ "$DB_LISTEN" != ::1 ]; then
	hosts="localhost %"
elif [ "$(printf '%s\n' "SELECT COUNT(*) FROM mysql.user WHERE User='$DB_USER' AND Host='%';" | sql)" != 0 ]; then
	# Closed again: the remote account from an earlier run goes away.
	printf '%s\n' "DROP USER '$DB_USER'@'%';" | sql
fi
for host in $hosts; do
	exists=$(printf '%s\n' "SELECT COUNT(*) FROM mysql.user WHERE User='$DB_USER' AND Host='$host';" | sql)
	if [ "$exists" = 0 ]; then
		printf '%s\n' "CREATE USER '$DB_USER'@'$host' IDENTIFIED BY $user_pw;" | sql
	else
		hash=$(printf '%s\n' "SELECT PASSWORD($user_pw);" | sql)
		if ! printf '%s\n' "SHOW CREATE USER '$DB_USER'@'$host';" | sql | grep -qF "PASSWORD '$hash'"; then
			printf '%s\n' "ALTER USER '$DB_USER'@'$host' IDENTIFIED BY $user_pw;" | sql
		fi
	fi
	granted=$(printf '%s\n' "SELECT COUNT(*) FROM mysql.db WHERE Db='$DB_NAME' AND User='$DB_USER' AND Host='$host' AND Grant_priv='N' AND Create_priv='Y' AND Drop_priv='Y' AND Alter_priv='Y';" | sql)
	if [ "$granted" = 0 ]; then
		printf '%s\n' "GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_USER'@'$host';" | sql
	fi
done
