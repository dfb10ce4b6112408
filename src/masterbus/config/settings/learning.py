"""Settings of the learning, shop and assistant apps (training, courses, community, shop,
assistant): each app its own section, every value overridable from the environment."""

from __future__ import annotations

from masterbus.config.settings.environment import env, env_bool, env_int  # noqa: F401

# Ear training (masterbus.training). Cost bounds: clip length and rate, questions in preparation
# and started per user per day; answered exercises lose their clips after the retention days
# (the scores stay for the stats until the account is deleted).
TRAINING_CLIP_SECONDS = env_int("TRAINING_CLIP_SECONDS", 4)
TRAINING_SAMPLE_RATE = env_int("TRAINING_SAMPLE_RATE", 44100)
TRAINING_MAX_RENDERING = env_int("TRAINING_MAX_RENDERING", 6)  # exercises being prepared
TRAINING_MAX_PER_DAY = env_int("TRAINING_MAX_PER_DAY", 300)  # exercises started per day
TRAINING_CLIP_RETENTION_DAYS = env_int("TRAINING_CLIP_RETENTION_DAYS", 7)
TRAINING_LOUDNESS_LUFS = env_int("TRAINING_LOUDNESS_LUFS", -23)  # every clip is matched to it

# Courses (masterbus.courses).
COURSES_LESSON_MAX_CHARS = env_int("COURSES_LESSON_MAX_CHARS", 60_000)  # a lesson's Markdown
COURSES_AUDIO_MAX_BYTES = env_int("COURSES_AUDIO_MAX_BYTES", 30 * 1000**2)  # one audio example
COURSES_AUDIO_MAX_SECONDS = env_int("COURSES_AUDIO_MAX_SECONDS", 600)
COURSES_AUDIO_PER_COURSE = env_int("COURSES_AUDIO_PER_COURSE", 100)
COURSES_QUIZ_ATTEMPTS_PER_HOUR = env_int("COURSES_QUIZ_ATTEMPTS_PER_HOUR", 30)  # per learner
COURSES_ENROLMENTS_PER_HOUR = env_int("COURSES_ENROLMENTS_PER_HOUR", 30)  # per learner

# Community feed (masterbus.community).
COMMUNITY_POST_MAX_CHARS = env_int("COMMUNITY_POST_MAX_CHARS", 2000)
COMMUNITY_COMMENT_MAX_CHARS = env_int("COMMUNITY_COMMENT_MAX_CHARS", 1000)
COMMUNITY_REPORT_NOTE_MAX_CHARS = env_int("COMMUNITY_REPORT_NOTE_MAX_CHARS", 500)
COMMUNITY_PAGE_SIZE = env_int("COMMUNITY_PAGE_SIZE", 20)  # posts per feed page
COMMUNITY_SEARCH_MAX_TERMS = env_int("COMMUNITY_SEARCH_MAX_TERMS", 8)
# Per-user rates ("<amount>/<duration>", as masterbus.security.ratelimit reads them).
COMMUNITY_RATE_POSTS = env("COMMUNITY_RATE_POSTS", "10/h")
COMMUNITY_RATE_COMMENTS = env("COMMUNITY_RATE_COMMENTS", "60/h")
COMMUNITY_RATE_LIKES = env("COMMUNITY_RATE_LIKES", "300/h")
COMMUNITY_RATE_REPORTS = env("COMMUNITY_RATE_REPORTS", "20/d")

# Shop and licences (masterbus.shop).
# The Ed25519 key that signs licence keys: a path or the PEM itself. Unset, a key is generated
# into DATA_DIR on first use (development); a deployment sets it (`check --deploy`: shop.E001).
SHOP_LICENCE_SIGNING_KEY = env("SHOP_LICENCE_SIGNING_KEY", "")
SHOP_REFUND_WINDOW_DAYS = env_int("SHOP_REFUND_WINDOW_DAYS", 14)  # then the seller is paid
SHOP_ACTIVATIONS_PER_LICENCE = env_int("SHOP_ACTIVATIONS_PER_LICENCE", 3)  # machines at once
# Abuse review: more activation changes or distinct addresses than this in the window flags
# the licence for staff (it keeps working until staff decide).
SHOP_ABUSE_WINDOW_HOURS = env_int("SHOP_ABUSE_WINDOW_HOURS", 24)
SHOP_ABUSE_MAX_CHANGES = env_int("SHOP_ABUSE_MAX_CHANGES", 10)
SHOP_ABUSE_MAX_ADDRESSES = env_int("SHOP_ABUSE_MAX_ADDRESSES", 5)
SHOP_LICENCE_RATE = env("SHOP_LICENCE_RATE", "30/h")  # activate/deactivate per licence
SHOP_VERIFY_RATE = env("SHOP_VERIFY_RATE", "120/h")  # public verification per address
SHOP_DOWNLOAD_RETENTION_DAYS = env_int("SHOP_DOWNLOAD_RETENTION_DAYS", 90)  # download events
SHOP_MAX_FILE_BYTES = env_int("SHOP_MAX_FILE_BYTES", 500 * 1000**2)  # one file of a version
SHOP_MAX_PRODUCTS_PER_SELLER = env_int("SHOP_MAX_PRODUCTS_PER_SELLER", 20)
SHOP_MAX_VERSIONS_PER_PRODUCT = env_int("SHOP_MAX_VERSIONS_PER_PRODUCT", 50)

# Assistant (masterbus.assistant).
# "offline" (built in, no network), "anthropic" (Messages API) or "openai" (chat completions:
# a llama.cpp server, ollama, ...). A model provider is used only when configured, for users
# whose assistant switch is on, while they use a feature (P36); any failure falls back offline.
ASSISTANT_PROVIDER = env("MASTERBUS_ASSISTANT_PROVIDER", "offline")
# The full endpoint URL (empty with "anthropic": https://api.anthropic.com/v1/messages).
ASSISTANT_PROVIDER_URL = env("MASTERBUS_ASSISTANT_PROVIDER_URL", "")
ASSISTANT_API_KEY = env("MASTERBUS_ASSISTANT_API_KEY", "")
ASSISTANT_MODEL = env("MASTERBUS_ASSISTANT_MODEL", "")
ASSISTANT_TIMEOUT_SECONDS = env_int("MASTERBUS_ASSISTANT_TIMEOUT_SECONDS", 20)
ASSISTANT_MAX_TOKENS = env_int("MASTERBUS_ASSISTANT_MAX_TOKENS", 600)
# Conversations are kept this long after their last turn, then purged (periodic job).
ASSISTANT_RETENTION_DAYS = env_int("MASTERBUS_ASSISTANT_RETENTION_DAYS", 90)
# Cost bounds: characters of a question and of an answer, turns per user per day.
ASSISTANT_MAX_INPUT_CHARS = env_int("MASTERBUS_ASSISTANT_MAX_INPUT_CHARS", 2000)
ASSISTANT_MAX_OUTPUT_CHARS = env_int("MASTERBUS_ASSISTANT_MAX_OUTPUT_CHARS", 6000)
ASSISTANT_TURNS_PER_DAY = env_int("MASTERBUS_ASSISTANT_TURNS_PER_DAY", 200)
# Assistant features 3-5: fair prices (comparables needed before widening the set, bounds),
# review summaries (reviews needed), support chat (retrieval score below which it hands over).
ASSISTANT_PRICES_MIN_COMPARABLES = env_int("MASTERBUS_ASSISTANT_PRICES_MIN_COMPARABLES", 5)
ASSISTANT_PRICES_MAX_SCANNED = env_int("MASTERBUS_ASSISTANT_PRICES_MAX_SCANNED", 2000)
ASSISTANT_PRICES_MAX_SHOWN = env_int("MASTERBUS_ASSISTANT_PRICES_MAX_SHOWN", 20)
ASSISTANT_REVIEWS_MIN = env_int("MASTERBUS_ASSISTANT_REVIEWS_MIN", 5)
ASSISTANT_REVIEWS_MAX_READ = env_int("MASTERBUS_ASSISTANT_REVIEWS_MAX_READ", 50)
ASSISTANT_SUPPORT_MIN_SCORE = float(env("MASTERBUS_ASSISTANT_SUPPORT_MIN_SCORE", "3.0"))
