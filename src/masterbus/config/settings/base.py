"""Settings for every environment; secrets and deployment choices come from the environment."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from masterbus.config.settings.environment import env, env_bool, env_int, env_list

PACKAGE_DIR = Path(__file__).resolve().parents[2]
# Runtime data (database, media, uploads) lives under var/ of the checkout unless told otherwise.
DATA_DIR = Path(env("MASTERBUS_DATA_DIR", str(PACKAGE_DIR.parents[1] / "var"))).resolve()

DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SITE_ID = 1

INSTALLED_APPS = [
    "masterbus.rights.apps.AuditedAdminConfig",  # django.contrib.admin, every action audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.discord",
    "django_tasks_db",
    "masterbus.core",
    "masterbus.accounts",
    "masterbus.uploads",
    "masterbus.mastering",
    "masterbus.privacy",
    "masterbus.security",
    "masterbus.profiles",
    "masterbus.rights",
    "masterbus.payments",
    "masterbus.messaging",
    "masterbus.orders",
    "masterbus.demo",
    "masterbus.studios",
    "masterbus.training",
    "masterbus.courses",
    "masterbus.community",
    "masterbus.shop",
    "masterbus.assistant",
    "ninja",  # the API docs page serves its own Swagger UI files (no CDN)
    "masterbus.api",
]

MIDDLEWARE = [
    "masterbus.security.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "masterbus.privacy.middleware.ConsentMiddleware",  # first after security: sees every cookie
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "masterbus.security.middleware.SignInSessionMiddleware",  # may sign out: before Owner
    "masterbus.security.middleware.RateLimitMiddleware",
    "masterbus.accounts.middleware.OwnerMiddleware",
    "masterbus.profiles.middleware.ProfileMiddleware",  # after Owner: counts page views
]

if find_spec("django.tasks") is None:  # Django < 6: the backport is an app of its own
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db"), "django_tasks")

ROOT_URLCONF = "masterbus.config.urls"
WSGI_APPLICATION = "masterbus.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "db.sqlite3",
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids lock upgrades
        # that SQLite answers with "database is locked".
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
if env("DATABASE_URL", ""):  # scale-out: one PostgreSQL for every web and worker host
    import dj_database_url

    DATABASES["default"] = dj_database_url.parse(
        env("DATABASE_URL"), conn_max_age=60, conn_health_checks=True
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "mastering:library"
SESSION_COOKIE_AGE = 7 * 24 * 3600  # P5: the sign-in cookie lasts 7 days.
CSRF_FAILURE_VIEW = "masterbus.privacy.views.csrf_failure"  # P29: says what cannot work

# django-allauth: email is the login; addresses are verified before the account can sign in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "masterbus.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "masterbus.accounts.forms.SignupForm"}
# P7: sign-up asks the date of birth and refuses anyone younger (16 where local law requires).
MINIMUM_AGE = env_int("MINIMUM_AGE", 13)
# P6: the captcha of sign-up and contact forms (masterbus.accounts.captcha); the offline default
# refuses posts without a fresh one-time token, sent back too fast, or with the honeypot filled.
CAPTCHA_PROVIDER = env("CAPTCHA_PROVIDER", "masterbus.accounts.captcha.SignedTimingCaptcha")
CAPTCHA_MIN_SECONDS = env_int("CAPTCHA_MIN_SECONDS", 3)
CAPTCHA_MAX_AGE_SECONDS = env_int("CAPTCHA_MAX_AGE_SECONDS", 2 * 3600)

# P2: two-factor sign-in with an authenticator app and recovery codes (allauth.mfa). The TOTP
# secret is encrypted, and recovery codes are stored as keyed hashes (shown once, hence
# SHOW_ONCE), with keys derived from MFA_ENCRYPTION_KEY, or from SECRET_KEY when it is unset.
# Wrong codes count against allauth's "login_failed" limit (5 per 5 minutes per account).
MFA_ADAPTER = "masterbus.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Masterbus"
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_TRUST_ENABLED = False  # no "trust this browser" cookie that would skip the second factor
MFA_ENCRYPTION_KEY = env("MFA_ENCRYPTION_KEY", "")

# P3: Google and Discord sign-in exist only when their client id and secret are in the
# environment. No provider tokens are stored; the adapter keeps an allow-list of profile fields.
SOCIALACCOUNT_ADAPTER = "masterbus.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "masterbus.accounts.forms.SocialSignupForm"}
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_AUTO_SIGNUP = False  # a new account answers the age question first (P7)
SOCIALACCOUNT_LOGIN_ON_GET = False  # the provider is reached by a POST (CSRF-protected)
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {
    "google": {"SCOPE": ["openid", "email"]},
    "discord": {"SCOPE": ["identify", "email"]},
}
for _provider, _config in SOCIALACCOUNT_PROVIDERS.items():
    if env(f"{_provider.upper()}_CLIENT_ID", ""):
        _config["APPS"] = [
            {
                "client_id": env(f"{_provider.upper()}_CLIENT_ID"),
                "secret": env(f"{_provider.upper()}_CLIENT_SECRET"),
            }
        ]
# Where each provider's sign-in starts: the button posts here and is redirected there, and
# browsers check that redirect against the CSP's form-action.
SOCIAL_SIGN_IN_ORIGINS = {"google": "https://accounts.google.com", "discord": "https://discord.com"}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Masterbus <noreply@localhost>")

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = None  # app static files are served by WhiteNoise straight from the apps
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = None  # files are served only through views that check the owner (P18)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Scale-out: originals, previews and deliveries in an S3-compatible bucket (django-storages).
# Credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...).
# Unfinished tus uploads stay on MEDIA_ROOT, which every web host must share.
S3_BUCKET = env("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", "") or None,
            "region_name": env("S3_REGION", "") or None,
            "location": env("S3_PREFIX", ""),
            "file_overwrite": True,  # names are chosen by the server; a retry replaces its file
        },
    }
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step

TASKS = {
    # django_tasks_db's backend that wakes the waiting workers on enqueue (no polling gap)
    "default": {
        "BACKEND": "masterbus.config.db_worker.WakingDatabaseBackend",
        "QUEUES": ["default"],
    },
}
# Scale-out: with a Redis URL, tasks go to Redis and RQ workers (`masterbus worker`) run them.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # RQ would kill a job after 180 s; a long master is legitimate, and a dead worker is found
    # by its lease (the sweeper), not by this timeout.
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("JOB_TIMEOUT_SECONDS", 6 * 3600)}
    }
    # No django-rq dashboard in the admin: it lets any staff member delete or requeue jobs
    # outside the staff roles and the audit log (P20), and answers a stale job link with a 500.
    # Operators use `rq info` on a worker host.
    RQ_SHOW_ADMIN_LINK = False

# Absolute links in emails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Guests (P10, P12): the cookie that ties a browser to its songs, and how long they are kept.
GUEST_COOKIE_NAME = "mb_guest"
GUEST_RETENTION_DAYS = env_int("GUEST_RETENTION_DAYS", 7)
# Consent (P28): the essential cookie that records cookie choices, and how long it is kept.
CONSENT_COOKIE_NAME = "mb_consent"
CONSENT_COOKIE_AGE_DAYS = env_int("CONSENT_COOKIE_AGE_DAYS", 180)
# Profiles (P31): avatars are re-encoded to a small square; the theme cookie is functional.
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 5 * 1000 * 1000)
# Decoding costs memory by pixels (4 MP is about 16 MB as RGBA): larger pictures are refused
# from their header, before anything is decoded.
AVATAR_MAX_PIXELS = env_int("AVATAR_MAX_PIXELS", 4 * 1000 * 1000)
AVATAR_SIZE = 256
THEME_COOKIE_NAME = "mb_theme"
THEME_COOKIE_AGE_DAYS = env_int("THEME_COOKIE_AGE_DAYS", 90)
# Policy changes (P35): the notice stays this many days after a change takes effect; a
# guest's "close" is kept in an essential cookie until then.
POLICY_NOTICE_DAYS_AFTER = env_int("POLICY_NOTICE_DAYS_AFTER", 30)
NOTICE_COOKIE_NAME = "mb_notice"

# Signed links to files expire; the page that shows them renews them (P18).
FILE_LINK_MAX_AGE = env_int("FILE_LINK_MAX_AGE", 6 * 3600)

# Rights (P30, P32, P34): exports are kept this long; a deleted account is purged after this
# window (0: at the next periodic run); a rights request must be answered within this many days.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)
ACCOUNT_PURGE_DAYS = env_int("ACCOUNT_PURGE_DAYS", 30)
RIGHTS_REQUEST_DUE_DAYS = env_int("RIGHTS_REQUEST_DUE_DAYS", 30)
RIGHTS_REQUEST_REMIND_DAYS = env_int("RIGHTS_REQUEST_REMIND_DAYS", 7)  # staff told daily from then

# Uploads (tus, P8, P9): limits a person is told about, and how long an upload waits (unfinished:
# to be resumed; finished: to be mastered) before its bytes are purged.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 500 * 1000 * 1000)
MAX_AUDIO_SECONDS = env_int("MAX_AUDIO_SECONDS", 20 * 60)
# Higher rates only cost memory and CPU: the upload is refused and asked to be resampled.
MAX_SAMPLE_RATE = env_int("MAX_SAMPLE_RATE", 192000)
UPLOAD_EXPIRY_SECONDS = env_int("UPLOAD_EXPIRY_SECONDS", 24 * 3600)
# Style previews of an upload: sets (intensity x target) per upload, new sets per owner, and
# how long a set may stay "preparing" before asking for it again renders it again.
PREVIEW_SETS_PER_UPLOAD = env_int("PREVIEW_SETS_PER_UPLOAD", 6)
RATE_LIMIT_PREVIEWS = env("RATE_LIMIT_PREVIEWS", "60/h")
PREVIEW_STALE_SECONDS = env_int("PREVIEW_STALE_SECONDS", 120)

# Jobs: a worker holds a lease it renews by heartbeat; the sweeper re-queues expired leases.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 60)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
PERIODIC_INTERVAL_SECONDS = env_int("PERIODIC_INTERVAL_SECONDS", 30)
# Per-owner quotas (answered with 429): masters waiting or running at once (a single song, a
# re-master or a whole album is accepted while the owner has fewer than this many), re-masters
# (songs and albums) per owner, and the bytes a guest may keep (originals, uploads, masters).
QUOTA_ACTIVE_JOBS_GUEST = env_int("QUOTA_ACTIVE_JOBS_GUEST", 3)
QUOTA_ACTIVE_JOBS_USER = env_int("QUOTA_ACTIVE_JOBS_USER", 10)
RATE_LIMIT_REMASTERS = env("RATE_LIMIT_REMASTERS", "30/h")
QUOTA_GUEST_STORAGE_BYTES = env_int("QUOTA_GUEST_STORAGE_BYTES", 2 * 1000 * 1000 * 1000)

# Security (P16, P17, P4). Behind N reverse proxies set TRUSTED_PROXY_COUNT=N: the client address
# is then the N-th from the right of X-Forwarded-For (with 0 the header is never trusted).
# Addresses are kept and used as keys only as HMAC-SHA256 hashes keyed with IP_HASH_KEY
# (derived from SECRET_KEY when unset).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
IP_HASH_KEY = env("IP_HASH_KEY", "")
# Rate limits, "<amount>/<duration>" with s, m, h or d (e.g. "5/15m"); 429 with Retry-After.
RATE_LIMIT_UPLOADS = env("RATE_LIMIT_UPLOADS", "100/h")  # new uploads per network, web and API
RATE_LIMIT_API_TOKEN = env("RATE_LIMIT_API_TOKEN", "600/m")  # API requests per token
RATE_LIMIT_API_IP = env("RATE_LIMIT_API_IP", "1200/m")  # API requests per network
# Sign-in (allauth counts these, keyed by the hash through the account adapter's get_client_ip).
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_SIGN_IN", "30/m/ip"),
    "login_failed": env("RATE_LIMIT_SIGN_IN_FAILED", "10/m/ip,5/5m/key"),
}
SECURITY_LOG_RETENTION_DAYS = env_int("SECURITY_LOG_RETENTION_DAYS", 365)
SIGN_IN_SESSION_TOUCH_SECONDS = env_int("SIGN_IN_SESSION_TOUCH_SECONDS", 300)
# Counters of the rate limits (allauth's too): per process on the embedded default (with several
# web processes each counts on its own); shared by every web host in Redis when REDIS_URL is set.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "masterbus",
        }
    }
# P21: sent on every response (masterbus.security.middleware). Pages use no inline scripts or
# styles; audio and pictures may come from blob: and data: URLs.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:", "data:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    # Forms post only here (an injected form cannot send a password elsewhere), and on to the
    # sign-in page of a configured provider.
    "form-action": [
        "'self'",
        *(
            SOCIAL_SIGN_IN_ORIGINS[name]
            for name, c in SOCIALACCOUNT_PROVIDERS.items()
            if "APPS" in c
        ),
    ],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Credentials in URLs (signed links, reset keys) are redacted: on django.request, which logs the
# path of every 4xx/5xx (so every handler above it, Django's own included, gets the cleaned
# line), and on the console handler for everything else (masterbus.core.redact).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "masterbus.core.redact.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "masterbus": {"level": env("MASTERBUS_LOG_LEVEL", "INFO")},
        "django.request": {"filters": ["redact_secrets"]},
    },
}

# Learning, shop and assistant apps (training, courses, community, shop, assistant) and the
# marketplace apps (payments, orders, booking, messaging, demo): their own modules, same rules.
from masterbus.config.settings.learning import *  # noqa: E402, F403
from masterbus.config.settings.marketplace import *  # noqa: E402, F403
