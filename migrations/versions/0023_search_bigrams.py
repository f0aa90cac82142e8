"""internships: `q` of one or two characters served by an index of the search text's
characters and character pairs (trigrams need three; most Chinese terms are two)

PostgreSQL only: an immutable SQL function `search_grams(text)` gives the distinct one- and
two-character substrings of a text, and a GIN index over `search_grams(search_text)` finds the
postings holding a short term; the LIKE on `search_text` still decides (the same exact
substring semantics). SQLite keeps its portable path: nothing to do there.

Revision ID: 0023_search_bigrams
Revises: 0022_recovery_started
Create Date: 2026-12-05 01:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_search_bigrams'
down_revision = '0022_recovery_started'
branch_labels = None
depends_on = None

# Every distinct substring of one or two characters (code points), whitespace included, so
# `search_grams(t) @> ARRAY[s]` holds exactly when `s` (one or two characters) is in `t`.
FUNCTION = """
CREATE OR REPLACE FUNCTION search_grams(body text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(body, start, width)), '{}')
    FROM generate_series(1, length(body)) AS start, generate_series(1, 2) AS width
    WHERE start + width - 1 <= length(body)
$$
"""


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(FUNCTION)
    op.execute(
        'CREATE INDEX ix_internships_search_grams ON internships '
        'USING gin (search_grams(search_text))'
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP INDEX IF EXISTS ix_internships_search_grams')
    op.execute('DROP FUNCTION IF EXISTS search_grams(text)')
