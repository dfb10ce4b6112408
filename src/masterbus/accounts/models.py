"""The custom User: email is the login, there is no username."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_on_master_ready = models.BooleanField(
        default=True, help_text="Send me an email when a master is ready."
    )
    # P7: only the confirmation is kept (when, and which minimum age it confirmed); the date of
    # birth asked at sign-up is checked and forgotten.
    age_confirmed_at = models.DateTimeField(null=True, blank=True)
    age_confirmed_minimum = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email


class RetiredGuestKey(models.Model):
    """A guest cookie value whose data moved to an account at sign-in: it is nobody from then
    on, even replayed. Kept as a SHA-256 (the value is a credential) for as long as a guest
    cookie lives, then purged: no browser can still hold it legitimately."""

    key_hash = models.CharField(max_length=64, unique=True)
    retired_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"retired guest key {self.key_hash[:8]}"
