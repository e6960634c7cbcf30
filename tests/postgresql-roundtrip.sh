#!/bin/sh
# Proves the student role works end to end over TCP: as PG_USER it creates a table in PG_DB,
# inserts a row, reads it back and drops the table. The password reaches psql through PGPASSWORD
# in its environment, never the command line.
# Environment:
#   PG_USER      the student role (default: student)
#   PG_PASSWORD  its password (required)
#   PG_DB        its database (default: school)
#   PG_HOST      where the server listens (default: 127.0.0.1)
set -eu

PG_USER=${PG_USER:-student}
PG_PASSWORD=${PG_PASSWORD:-}
PG_DB=${PG_DB:-school}
PG_HOST=${PG_HOST:-127.0.0.1}

if [ -z "$PG_PASSWORD" ]; then
	echo "postgresql-roundtrip.sh: PG_PASSWORD is not set" >&2
	exit 1
fi

table=boxbuild_roundtrip_$$
want="roundtrip $$"
got=$(PGPASSWORD=$PG_PASSWORD psql -X -q -A -t -w -v ON_ERROR_STOP=1 -h "$PG_HOST" -U "$PG_USER" -d "$PG_DB" <<SQL
CREATE TABLE $table (id int PRIMARY KEY, note text NOT NULL);
INSERT INTO $table VALUES (1, '$want');
SELECT note FROM $table WHERE id = 1;
DROP TABLE $table;
SQL
)
if [ "$got" != "$want" ]; then
	echo "postgresql-roundtrip.sh: read back '$got', want '$want'" >&2
	exit 1
fi
echo "postgresql-roundtrip.sh: $PG_USER@$PG_HOST/$PG_DB: create, insert, select, drop ok"
