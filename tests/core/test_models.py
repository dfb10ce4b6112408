"""The owner scope every owned row is read through, declared once on OwnedModel."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from masterbus.accounts.owner import Owner
from masterbus.core.models import OwnedModel, owned_models
from masterbus.mastering.models import Album, Job, Song
from masterbus.uploads.models import PreviewSet, Upload

GUEST = Owner(user=None, guest_key="g" * 43)
OTHER_GUEST = Owner(user=None, guest_key="h" * 43)
NOBODY = Owner(user=None, guest_key=None)


def _song(owner: Owner, title: str) -> Song:
    return Song.objects.create(
        **owner.create_kwargs(), title=title, original=f"songs/{title}", original_size=1
    )


def test_every_concrete_owned_model_is_found_and_moves_at_sign_in():
    assert set(owned_models()) == {Upload, PreviewSet, Song, Album}
    assert all(issubclass(model, OwnedModel) for model in owned_models())


def test_every_owned_model_has_its_has_owner_constraint():
    for model in owned_models():
        names = {constraint.name for constraint in model._meta.constraints}
        assert f"{model._meta.model_name}_has_owner" in names, model


@pytest.mark.django_db
def test_for_owner_reads_only_the_owners_rows_directly_and_through_relations():
    mine, theirs = _song(GUEST, "mine"), _song(OTHER_GUEST, "theirs")
    my_job = Job.objects.create(song=mine, number=1, settings={})
    Job.objects.create(song=theirs, number=1, settings={})
    assert list(Song.objects.for_owner(GUEST)) == [mine]
    assert list(Job.objects.for_owner(GUEST)) == [my_job]
    assert not Song.objects.for_owner(NOBODY).exists()
    assert not Job.objects.for_owner(NOBODY).exists()


@pytest.mark.django_db
def test_a_row_without_an_owner_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Song.objects.create(title="nobody's", original="songs/x", original_size=1)
