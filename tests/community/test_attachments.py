"""The attachment registry (the contract with training): a kind resolves only the poster's own
object when posting; the training app's results are wired when it provides ``result_card``."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from masterbus.community import attachments
from masterbus.community.attachments import Attachment
from masterbus.community.models import Post
from masterbus.community.songs import TRAINING_RESULT

pytestmark = pytest.mark.django_db


def test_training_results_are_attachable_when_training_offers_them():
    training = importlib.import_module("masterbus.training.selectors")
    if not hasattr(training, "result_card"):
        pytest.skip("the training app has no result_card")
    assert TRAINING_RESULT in attachments.kinds()
    assert attachments.resolve(TRAINING_RESULT, "not-a-result") is None


@pytest.fixture
def fake_results(monkeypatch, alice):
    """A results kind whose only result, "r1", is alice's (the training app's real one needs
    rendered exercises; its own tests cover result_card)."""

    def resolve(object_id: str, *, owner=None) -> Attachment | None:
        if object_id != "r1" or (owner is not None and owner != alice):
            return None
        return Attachment(TRAINING_RESULT, "r1", "Frequency drill", "9 of 10", "/training/")

    monkeypatch.setitem(attachments._RESOLVERS, TRAINING_RESULT, resolve)


def test_a_member_shares_their_result_from_the_feed(client, alice, bob, fake_results):
    client.force_login(bob)
    assert "Sharing your result" not in client.get("/community/?result=r1").content.decode()
    client.force_login(alice)
    assert "Sharing your result" in client.get("/community/?result=r1").content.decode()
    answer = client.post(reverse("community:post_new"), {"text": "", "result": "r1"})
    assert answer.status_code == 302
    post = Post.objects.get()
    assert post.attachment_kind == TRAINING_RESULT and post.attachment["summary"] == "9 of 10"
    shown = client.get(reverse("community:post", args=[post.pk])).content.decode()
    assert "Frequency drill" in shown and 'href="/training/"' in shown
    client.force_login(bob)
    client.post(reverse("community:post_new"), {"text": "mine?", "result": "r1"})
    assert Post.objects.count() == 1  # not bob's result: refused
