"""Full-text search of posts on both backends (masterbus.community.search).

SQLite: an FTS5 table keyed by the post's id, and a trigger that drops a deleted post's row.
PostgreSQL: a GIN index on the same expression the search query uses. Each vendor runs only its
own SQL; the other's step is a no-op.
"""

from django.db import migrations

SQLITE_UP = (
    "CREATE VIRTUAL TABLE community_post_fts USING fts5(text, tokenize = 'unicode61')",
    "CREATE TRIGGER community_post_fts_delete AFTER DELETE ON community_post BEGIN "
    "DELETE FROM community_post_fts WHERE rowid = old.id; END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS community_post_fts_delete",
    "DROP TABLE IF EXISTS community_post_fts",
)
POSTGRES_UP = (
    "CREATE INDEX community_post_text_search ON community_post "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))",
)
POSTGRES_DOWN = ("DROP INDEX IF EXISTS community_post_text_search",)


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
