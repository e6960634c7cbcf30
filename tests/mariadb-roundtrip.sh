#!/bin/sh
# Proves the student account works end to end over TCP: as DB_USER it creates a table in DB_NAME,
# inserts a row, reads it back and drops the table. The password reaches the client through a
# temporary option file (mode 0600), never the command line.
# Environment:
#   DB_NAME      the student database (default: school)
#   DB_USER      the student user (default: student)
#   DB_PASSWORD  the student user's password (required)
#   DB_HOST      where the server listens (default: 127.0.0.1)
set -eu

DB_NAME=${DB_NAME:-school}
DB_USER=${DB_USER:-student}
DB_PASSWORD=${DB_PASSWORD:-}
DB_HOST=${DB_HOST:-127.0.0.1}

if [ -z "$DB_PASSWORD" ]; then
	echo "mariadb-roundtrip.sh: DB_PASSWORD is not set" >&2
	exit 1
fi

opts=$(mktemp)
trap 'rm -f "$opts"' EXIT
chmod 0600 "$opts"
esc=$(printf '%s' "$DB_PASSWORD" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')
printf '[client]\nuser="%s"\npassword="%s"\nhost="%s"\nprotocol=tcp\n' "$DB_USER" "$esc" "$DB_HOST" >"$opts"

table=boxbuild_roundtrip_$$
want="roundtrip $$"
got=$(mysql --defaults-extra-file="$opts" -N -B "$DB_NAME" <<SQL
CREATE TABLE $table (id INT PRIMARY KEY, note VARCHAR(100) NOT NULL);
INSERT INTO $table VALUES (1, '$want');
SELECT note FROM $table WHERE id = 1;
DROP TABLE $table;
SQL
)
if [ "$got" != "$want" ]; then
	echo "mariadb-roundtrip.sh: read back '$got', want '$want'" >&2
	exit 1
fi
echo "mariadb-roundtrip.sh: $DB_USER@$DB_HOST/$DB_NAME: create, insert, select, drop ok"
