"""Sign-up: the age question (P7), the captcha (P6); password reset end to end (P1)."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django import forms
from django.core import mail
from django.test import Client
from django.utils import timezone

from masterbus.accounts.captcha import CaptchaFormMixin
from masterbus.accounts.forms import age_on
from masterbus.accounts.models import User
from tests.accounts.forms import everything_stored, signup_data
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def years_ago(years: int, days: int = 0) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years) + datetime.timedelta(days=days)).isoformat()


def sign_up(client, *, born: str, email: str = "new@example.com", **overrides):
    data = signup_data(client, email=email, password=PASSWORD, born=born)
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def test_age_counts_whole_years():
    born = datetime.date(2008, 2, 29)
    assert age_on(born, datetime.date(2021, 2, 28)) == 12
    assert age_on(born, datetime.date(2021, 3, 1)) == 13
    assert age_on(datetime.date(2000, 6, 15), datetime.date(2013, 6, 15)) == 13


def test_sign_up_keeps_the_age_confirmation_not_the_birth_date(client):
    before = timezone.now()
    assert sign_up(client, born="1987-11-09").status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.age_confirmed_minimum == 13
    assert before <= user.age_confirmed_at <= timezone.now()
    stored = everything_stored()
    assert "1987-11-09" not in stored and "1987, 11, 9" not in stored


def test_a_child_is_refused_with_a_clear_message_and_nothing_is_kept(client):
    response = sign_up(client, born=years_ago(13, days=1))  # 13 tomorrow
    assert response.status_code == 200
    assert "Masterbus is not for anyone under 13" in response.content.decode()
    assert not User.objects.exists() and not EmailAddress.objects.exists()
    assert not mail.outbox
    assert sign_up(Client(), born=years_ago(13)).status_code == 302  # 13 today


def test_after_a_refusal_another_year_in_the_same_browser_is_refused_too(client):
    assert "not for anyone under 13" in sign_up(client, born=years_ago(12)).content.decode()
    again = sign_up(client, born=years_ago(30))  # back, and an older year
    assert again.status_code == 200 and "not for anyone under 13" in again.content.decode()
    assert not User.objects.exists()
    stored = everything_stored()
    assert years_ago(12) not in stored and years_ago(30) not in stored  # a flag, not the dates
    assert sign_up(Client(), born=years_ago(30)).status_code == 302  # another browser: fine


def test_the_minimum_age_is_a_setting(client, settings):
    settings.MINIMUM_AGE = 16
    html = sign_up(client, born=years_ago(15)).content.decode()
    assert "Masterbus is not for anyone under 16" in html
    assert sign_up(Client(), born=years_ago(16)).status_code == 302
    assert User.objects.get().age_confirmed_minimum == 16


@pytest.mark.parametrize("born", ["2999-01-01", "1800-01-01", "not a date", ""])
def test_an_impossible_birth_date_is_refused(client, born):
    response = sign_up(client, born=born)
    assert response.status_code == 200 and not User.objects.exists()


def test_a_bot_posting_without_the_captcha_is_refused(client):
    data = {"email": "bot@example.com", "password1": PASSWORD, "password2": PASSWORD,
            "date_of_birth": "1990-01-01"}  # fmt: skip
    html = client.post("/accounts/signup/", data).content.decode()
    assert "This form could not be verified" in html
    html = client.post("/accounts/signup/", {**data, "captcha": "forged"}).content.decode()
    assert "This form could not be verified" in html
    assert not User.objects.exists()


def test_a_bot_filling_the_honeypot_is_refused(client):
    html = sign_up(client, born="1990-01-01", website="http://spam.example").content.decode()
    assert "This form could not be accepted" in html
    assert not User.objects.exists()


def test_a_captcha_token_works_once(client):
    data = signup_data(client, email="one@example.com", password=PASSWORD)
    assert client.post("/accounts/signup/", data).status_code == 302
    client.post("/accounts/logout/")
    html = client.post("/accounts/signup/", {**data, "email": "two@example.com"}).content.decode()
    assert "This form was already sent once" in html
    assert data["captcha"] not in html and 'name="captcha" value="' in html  # a fresh one
    assert list(User.objects.values_list("email", flat=True)) == ["one@example.com"]


def test_a_form_sent_back_faster_than_a_person_can_is_refused_a_person_passes(client, settings):
    settings.CAPTCHA_MIN_SECONDS = 1
    data = signup_data(client, email="person@example.com", password=PASSWORD)
    html = client.post("/accounts/signup/", data).content.decode()
    assert "faster than a person can fill it in" in html and not User.objects.exists()
    assert f'value="{data["captcha"]}"' in html  # the time already spent counts
    time.sleep(1.1)  # a person reads the page and types
    assert client.post("/accounts/signup/", data).status_code == 302
    assert User.objects.get().email == "person@example.com"


def test_any_form_can_use_the_captcha(settings):
    """The mixin a contact form uses: the token comes from the rendered form."""
    settings.CAPTCHA_MAX_AGE_SECONDS = 1

    class ContactForm(CaptchaFormMixin, forms.Form):
        message = forms.CharField()

    token = re.search(r'name="captcha" value="([^"]+)"', ContactForm().as_div())[1]
    assert not ContactForm({"message": "hi"}).is_valid()
    assert ContactForm({"message": "hi", "captcha": token}).is_valid()
    stale = re.search(r'name="captcha" value="([^"]+)"', ContactForm().as_div())[1]
    time.sleep(2.1)
    form = ContactForm({"message": "hi", "captcha": stale})
    assert not form.is_valid() and "open too long" in str(form.non_field_errors())


def test_password_reset_end_to_end(client):
    user = make_user("alice@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["alice@example.com"]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_url = client.get(link[1])["Location"]  # the key moves from the URL to the session
    new = "a brand new passphrase 42"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new) and not user.check_password(PASSWORD)
    assert "_auth_user_id" not in client.session
    refused = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert refused.status_code == 200
    signed_in = client.post("/accounts/login/", {"login": user.email, "password": new})
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_a_password_reset_link_works_once(client):
    user = make_user("alice@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_url = client.get(link[1])["Location"]
    new = "first new passphrase"
    client.post(form_url, {"password1": new, "password2": new})
    again = client.get(link[1], follow=True).content.decode()
    assert "Bad Token" in again or "invalid" in again.lower()
    user.refresh_from_db()
    assert user.check_password(new)
