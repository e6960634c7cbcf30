#!/bin/sh
# Makes the MariaDB server from db/mariadb.sh behave like MySQL 8 for coursework: MySQL 8's
# default sql_mode (ONLY_FULL_GROUP_BY and strict dates included), utf8mb4 with a Unicode
# collation, explicit_defaults_for_timestamp, in /etc/mysql/mariadb.conf.d/61-boxbuild-mysql.cnf,
# and checks that the MySQL client names (mysql, mysqldump, mysqladmin) are there.
# Why MariaDB: Debian 12 has no mysql-server package at all (Ubuntu 24.04 has MySQL 8.0), and
# Oracle's own apt repository is not reachable from every build host; MariaDB speaks the MySQL
# protocol and SQL that the courses use, so one tested path serves both releases. Run
# db/mariadb.sh first: it installs the server and creates the users.
# Environment:
#   MYSQL_SQL_MODE  the server's sql_mode (default: MySQL 8's,
#                   ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,
#                   ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION)
set -eu

MYSQL_SQL_MODE=${MYSQL_SQL_MODE:-ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION}

fail() {
	echo "mysql.sh: $*" >&2
	exit 1
}
case $MYSQL_SQL_MODE in
*[!A-Z_,]*) fail "MYSQL_SQL_MODE '$MYSQL_SQL_MODE' may only hold mode names separated by commas" ;;
esac
[ -x /usr/sbin/mariadbd ] || fail "no MariaDB server installed; run db/mariadb.sh first"
for cmd in mysql mysqldump mysqladmin; do
	command -v "$cmd" >/dev/null 2>&1 || fail "the MySQL client name '$cmd' is missing"
done

cnf=/etc/mysql/mariadb.conf.d/61-boxbuild-mysql.cnf
new=$(mktemp)
trap 'rm -f "$new"' EXIT
cat >"$new" <<CONF
# Written by boxbuild's provision/db/mysql.sh: MySQL 8 defaults on MariaDB.
[mysqld]
sql_mode = $MYSQL_SQL_MODE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
explicit_defaults_for_timestamp = ON
CONF
if [ -f "$cnf" ] && cmp -s "$new" "$cnf"; then
	exit 0
fi
# The server reads the new file before it is installed, so a value it rejects fails here and
# leaves the working configuration in place.
if ! out=$(mariadbd --defaults-extra-file="$new" --help --verbose 2>&1 >/dev/null); then
	printf '%s\n' "$out" | grep -F '[ERROR]' >&2 || true
	fail "the MariaDB server rejects the settings (MYSQL_SQL_MODE?)"
fi
install -m 0644 "$new" "$cnf"
if [ -d /run/systemd/system ]; then
	systemctl restart mariadb
fi
