"""Full-text search: FTS5 on SQLite (PostgreSQL full text on the scale-out stack, same tests),
hostile queries never error, deleted posts leave nothing in the index."""

from __future__ import annotations

import pytest
from django.db import connection

from masterbus.community import search, selectors
from masterbus.community.services.moderation import post_hide
from masterbus.community.services.posts import post_create, post_delete
from masterbus.community.services.social import block_set

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    '""',
    "*",
    "mix*",
    "NEAR(mix master)",
    "NEAR(",
    "mix AND",
    "OR",
    "NOT mix",
    "text:mix",
    "^mix",
    "mix\x00master",
    "\x00",
    "(((",
    "-mix",
    "'; DROP TABLE community_post; --",
    "ü" * 5000,
    "🎧 mix",
    "a " * 500,
]


@pytest.fixture
def posts(alice, bob):
    return {
        "mix": post_create(author=alice, text="Finished the mix for the EP, mastering next"),
        "bass": post_create(author=bob, text="How loud should the bass be? Mixing in mono."),
        "unicode": post_create(author=bob, text="Über-Kompressor klingt grün 🎧"),
    }


def texts(found) -> set[str]:
    return {p.text for p in found}


def test_words_are_found_whole_and_all_of_them(posts):
    assert texts(selectors.post_search(None, "mix")) == {posts["mix"].text}
    assert texts(selectors.post_search(None, "MIX mastering")) == {posts["mix"].text}
    assert texts(selectors.post_search(None, "mix bass")) == set()
    assert texts(selectors.post_search(None, "grün")) == {posts["unicode"].text}


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_do_not_error(posts, query):
    found = list(selectors.post_search(None, query))
    for post in found:
        assert post.pk in {p.pk for p in posts.values()}
    assert len(search.terms(query)) <= 8


def test_operators_are_plain_words(posts, alice):
    post_create(author=alice, text="NEAR the studio OR the park")
    assert len(selectors.post_search(None, "NEAR OR")) == 1
    assert len(selectors.post_search(None, '"mix" NOT')) == 0  # NOT is a word, not an operator


def test_search_respects_visibility_blocks_and_deletion(posts, alice, moderator):
    block_set(blocker=alice, blocked=posts["bass"].author, on=True)
    assert not selectors.post_search(alice, "bass").exists()
    post_hide(moderator=moderator, post=posts["mix"])
    assert not selectors.post_search(None, "mix").exists()
    post_delete(post=posts["unicode"])
    if connection.vendor == "sqlite":  # the trigger takes a deleted post's text out of the index
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {search.FTS_TABLE}")
            assert posts["unicode"].pk not in {row[0] for row in cursor.fetchall()}


def test_posts_deleted_in_bulk_leave_no_text_in_the_index(posts, bob):
    """As the account purge deletes them: by the ORM's cascade, not through the post service."""
    bob.community_posts.all().delete()
    assert not selectors.post_search(None, "bass").exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
            assert cursor.fetchone()[0] == 1
