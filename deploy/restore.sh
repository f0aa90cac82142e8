#!/usr/bin/env bash
# Restore a dump made by backup.sh into an EMPTY PostgreSQL database, then run the integrity
# check (every capacity counter against its rows, every uniqueness rule) on it.
#
#   deploy/restore.sh DUMP TARGET_URL
#
# TARGET_URL: postgresql://user@host:5432/name of a database that exists and has no tables
# (createdb it first); restore.sh refuses one with tables rather than mixing two states.
# The check runs "$CBEC_CLI check-integrity" with DATABASE_URL=TARGET_URL; CBEC_CLI defaults
# to the checkout's `.venv/bin/flask --app wsgi`, else `cbec-alliance` (the installed wheel).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 DUMP TARGET_URL" >&2
  exit 2
fi
dump="$1"
target="${2/postgresql+psycopg:/postgresql:}"
target="${target/#postgres:/postgresql:}"
root="$(cd "$(dirname "$0")/.." && pwd)"

tables="$(psql "$target" -XAtc "select count(*) from pg_tables where schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "restore.sh: the target database has $tables table(s); restore into an empty one" >&2
  exit 1
fi

# One transaction: a failed restore leaves the database empty, not half restored.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname "$target" "$dump"
echo "restored $dump"

if [ -z "${CBEC_CLI:-}" ]; then
  if [ -x "$root/.venv/bin/flask" ]; then
    CBEC_CLI="$root/.venv/bin/flask --app wsgi"
  else
    CBEC_CLI="cbec-alliance"
  fi
fi
# The dump's schema version; `db upgrade` brings an older one up to the code's.
echo "schema version: $(psql "$target" -XAtc 'select version_num from alembic_version')"
cd "$root"
DATABASE_URL="$target" $CBEC_CLI check-integrity
