"""Full-text search of posts: SQLite FTS5 on the embedded default, PostgreSQL full text on the
scale-out stack.

On SQLite the index is a raw FTS5 table (migration 0002): the post service puts a new post's text
in it (``index_post``; a post's text never changes), and a trigger of the same migration takes a
deleted post's row out, however the post goes (its author, the account purge), so no text of a
deleted post stays behind in the index. On PostgreSQL the query is a ``to_tsvector`` match
served by a GIN expression index (same migration). A query is reduced to its words, each
quoted as an FTS5 string, so operators, quotes, ``*``, ``NEAR(`` or NUL in it are plain text.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from masterbus.community.models import Post

FTS_TABLE = "community_post_fts"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERM_CHARS = 64


def terms(query: str) -> list[str]:
    """The query's words, at most COMMUNITY_SEARCH_MAX_TERMS, each at most 64 characters."""
    words = _WORD.findall(query.replace("\x00", " "))
    return [w[:MAX_TERM_CHARS] for w in words[: settings.COMMUNITY_SEARCH_MAX_TERMS]]


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def index_post(post: Post) -> None:
    """Put the post's text into the FTS5 table (SQLite; PostgreSQL indexes the column itself)."""
    if _is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [post.pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, text) VALUES (%s, %s)", [post.pk, post.text]
            )


def matching(posts: QuerySet[Post], query: str) -> QuerySet[Post]:
    """``posts`` narrowed to those whose text has every word of ``query`` (none for no words)."""
    words = terms(query)
    if not words:
        return posts.none()
    if _is_sqlite():
        expression = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        found = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
        return posts.filter(pk__in=found)
    from django.contrib.postgres.search import SearchQuery, SearchVector

    query_ = SearchQuery(" ".join(words), config="simple", search_type="plain")
    return posts.annotate(search=SearchVector("text", config="simple")).filter(search=query_)
