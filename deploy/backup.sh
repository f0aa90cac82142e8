#!/usr/bin/env bash
# Back up the CBEC Alliance PostgreSQL database: one pg_dump file in custom format (compressed,
# restored table by table with pg_restore; see docs/operations.md and restore.sh).
#
#   deploy/backup.sh [DIRECTORY]          # default: the current directory
#
# DATABASE_URL names the database (the app's setting; postgresql:// or postgresql+psycopg://).
# Prints the path of the dump it wrote. Redis holds nothing that needs a backup (docs/operations.md).
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
dir="${1:-.}"
# libpq does not know SQLAlchemy's driver suffix.
url="${DATABASE_URL/postgresql+psycopg:/postgresql:}"
url="${url/#postgres:/postgresql:}"
case "$url" in
  postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not a PostgreSQL URL (SQLite: copy the file)" >&2; exit 2 ;;
esac

mkdir -p "$dir"
out="$dir/cbec-alliance-$(date -u +%Y%m%dT%H%M%SZ).dump"
# Written under a temporary name and renamed once complete, so a half-written dump never
# looks like a backup.
pg_dump --format=custom --no-owner --no-privileges --file "$out.partial" "$url"
# A dump pg_restore cannot list is no backup.
pg_restore --list "$out.partial" >/dev/null
mv "$out.partial" "$out"
echo "$out"
