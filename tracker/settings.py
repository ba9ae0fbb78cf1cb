"""Settings for the key-project tracker, all read from the environment.

Defaults suit a laptop (SQLite beside the code, DEBUG off unless asked for);
production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL. Every helper
fails closed: a value it cannot read is an error at start, never a silent default.
"""

import sys
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .database import cache_settings, database_settings
from .env import env_bool, env_int, env_list, env_networks, env_str, weak_secret_key_reason

BASE_DIR = Path(__file__).resolve().parent.parent


# The test runner imports settings without DEBUG; it may use the local key too.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

# Development mode. Under the test runner it is off whatever the shell exports: the security
# settings below derive from it, and a suite run from a shell that had DJANGO_DEBUG=true (as
# running manage.py by hand wants) checked a development server's cookies, not production's,
# and failed. The value is still read, so one that is not a yes or a no stops the run.
DEBUG = env_bool("DJANGO_DEBUG", False) and not TESTING

SECRET_KEY = env_str("DJANGO_SECRET_KEY").strip()
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Outside development (DJANGO_DEBUG=true) the app "
            "refuses to run on a key anyone can read: set a long random DJANGO_SECRET_KEY."
        )
    # Development and tests only: this key is public, so nothing signed with it is safe.
    SECRET_KEY = "insecure-local-only-key-set-DJANGO_SECRET_KEY-in-production"
elif not (DEBUG or TESTING) and (weakness := weak_secret_key_reason(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is too weak: {weakness}. Make one with "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "tracker",
    "projects",
    # Capabilities built on the ledger, each with its own models (the ledger never imports them).
    "projects.coordination",
    "projects.milestones",
    "projects.attachments",
    "projects.notifications",
    # The leaders' view (驾驶舱): the report at a glance on a phone or a wall screen.
    "projects.dashboard",
    # Daily work across all of the above (reminders, 催报, the to-do list).
    "projects.desk",
]

MIDDLEWARE = [
    # First, so nothing below ever sees a NUL or other control character in a URL.
    "tracker.middleware.RejectControlCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The user's choice, then zh-hans; never the browser's Accept-Language.
    "tracker.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The data versions read once per request, however many of its parts ask.
    "tracker.request_memo.RequestMemoMiddleware",
    # The report cache's entries a request keeps, sent together when its response is made.
    "projects.web.kept_writes.KeptWritesTogetherMiddleware",
    # Report pages and files read the ledger from DATABASE_REPLICA_URL when one is set.
    "tracker.routers.ReportReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ids the admin and its history pages would pass to a query unchecked.
    "tracker.admin_guard.AdminIdGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Report files and share downloads hold figures that must not linger in caches.
    "tracker.middleware.NoStoreAttachmentsMiddleware",
    # Last, so it sees the outcome of authentication attempts.
    "axes.middleware.AxesMiddleware",
]
if DEBUG:
    # Inside the others, so its page gets the session, the user and the language.
    MIDDLEWARE.append("tracker.middleware.PlainNotFoundInDevelopmentMiddleware")

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "projects.notifications.views.unread_count",
            ],
        },
    },
]

# Django's renderer, with the input, textarea and select widgets written without the
# template engine (the same bytes; a third of a clerk's entry page went to them).
FORM_RENDERER = "tracker.form_renderer.DirectWidgetRenderer"

# The database (DATABASE_URL), an optional read replica for the reports
# (DATABASE_REPLICA_URL), timeouts, JIT and connection pooling: see tracker/database.py.
DATABASES = database_settings()
DATABASE_ROUTERS = ["tracker.routers.ReportReplicaRouter"] if "replica" in DATABASES else []
# The report's covering index carries INCLUDE columns that only PostgreSQL stores; on
# SQLite it is a plain index, which is all the embedded default needs, so say nothing.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
)
# Seconds a browser's reads stay on the primary after it wrote (read-after-write).
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10)
# One cache for every app server (CACHE_URL): see tracker/database.py.
CACHES = cache_settings()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tracker.auth_backend.OneStatementModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Lock an account+address pair out for an hour after five failed logins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# Failed attempts are rows in the database, so every app server counts the same ones.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tell a locked-out user why, in their language, instead of a bare status page.
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every request comes from the proxy's address, so one person's
# failed logins would lock everyone out: read the client's address from the header the
# proxy sets (DJANGO_CLIENT_IP_HEADER), the same way for lockouts and download logs.
AXES_CLIENT_IP_CALLABLE = "tracker.client_ip.client_ip"
# Over-long names typed at login are recorded cut to the 255 characters axes stores.
AXES_USERNAME_CALLABLE = "tracker.login_names.axes_username"
CLIENT_IP_HEADER = env_str("DJANGO_CLIENT_IP_HEADER").strip()
CLIENT_IP_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 1 if CLIENT_IP_HEADER else 0)
# The header is believed only from these addresses (the proxies'); anyone else reaching the
# app server directly is known by the socket's address. Default: a proxy on the same machine.
TRUSTED_PROXIES = env_networks("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")

# Seconds /healthz waits for the database before answering 503 (a frozen server never replies).
HEALTHZ_TIMEOUT = env_int("DJANGO_HEALTHZ_TIMEOUT", 5, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Site photos: private files served only through a view that checks the project;
    # production may point this at shared storage (any Django storage backend).
    "photos": {
        "BACKEND": env_str(
            "DJANGO_PHOTOS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": {"location": str(MEDIA_ROOT / "photos"), "base_url": None},
    },
    # Report files made in the background (large workbooks), kept until downloaded;
    # with several app servers this must be shared storage.
    "exports": {
        "BACKEND": env_str(
            "DJANGO_EXPORTS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": {"location": str(MEDIA_ROOT / "exports"), "base_url": None},
    },
    # Hashed, compressed names in production; plain files while developing
    # (the manifest only exists after collectstatic).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "tracker.staticfiles.ManifestOrPlainStorage"
    },
}
if env_str("DJANGO_IMPORTS_STORAGE_BACKEND"):
    # Previewed imports wait here for their confirm, which any app server may receive.
    STORAGES["imports"] = {
        "BACKEND": env_str("DJANGO_IMPORTS_STORAGE_BACKEND"),
        "OPTIONS": {"location": str(MEDIA_ROOT / "import-uploads"), "base_url": None},
    }
# Without collectstatic there is no manifest: serve the source files by their plain names
# (and say so in `check --deploy`) rather than fail every page with a missing entry.
STATIC_COLLECTED = (STATIC_ROOT / "staticfiles.json").is_file()
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_COLLECTED

# Site photos: which storage, the upload limit, the largest picture kept, and whether
# the GPS position in a photo's EXIF is kept (off: it is removed on upload).
PHOTOS_STORAGE = "photos"
PHOTOS_MAX_BYTES = env_int("DJANGO_PHOTOS_MAX_MB", 10) * 1024 * 1024
PHOTOS_MAX_PIXELS = env_int("DJANGO_PHOTOS_MAX_PIXELS", 40_000_000)
PHOTOS_MAX_SIDE = env_int("DJANGO_PHOTOS_MAX_SIDE", 2560)
# Bounds checked on the file's header before a photo is decoded: each side of the original,
# and the memory its decoded pixels take (a worker's peak per upload stays near this).
PHOTOS_MAX_SOURCE_SIDE = env_int("DJANGO_PHOTOS_MAX_SOURCE_SIDE", 12_000, minimum=1)
# (PNG and WebP: 48 MB is 4000 × 3000 RGBA, about 140 MB at the peak; a JPEG decodes reduced.)
PHOTOS_MAX_DECODED_BYTES = env_int("DJANGO_PHOTOS_MAX_DECODED_MB", 48, minimum=1) * 1024 * 1024
PHOTOS_KEEP_LOCATION = env_bool("DJANGO_PHOTOS_KEEP_LOCATION", False)

# Report files: an XLSX of more project rows than EXPORT_BACKGROUND_ROWS is made in the
# background and offered for download when ready; EXPORT_JOBS_IN_PROCESS starts a
# thread for it in the web process (one server), else `manage.py run_export_jobs` does.
EXPORTS_STORAGE = "exports"
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5000)
EXPORT_JOBS_IN_PROCESS = env_bool("EXPORT_JOBS_IN_PROCESS", True)
# A running job beats every third of its lease; one silent for a whole lease lost its worker
# (killed, restarted) and is run again, up to EXPORT_JOB_ATTEMPTS runs in all. Finished
# files are removed after EXPORT_JOBS_KEEP_DAYS (by the worker, or `clean_export_jobs`).
EXPORT_JOB_LEASE_SECONDS = env_int("EXPORT_JOB_LEASE_SECONDS", 60, minimum=3)
EXPORT_JOB_ATTEMPTS = env_int("EXPORT_JOB_ATTEMPTS", 2, minimum=1)
EXPORT_JOBS_KEEP_DAYS = env_int("EXPORT_JOBS_KEEP_DAYS", 7, minimum=1)

# Group-robot messages (企业微信 / 钉钉, set up per unit in the admin) are sent by a thread
# right after the event commits; `manage.py send_notifications` from cron sends what that
# missed and retries failures (three tries in all).
NOTIFY_IN_PROCESS = env_bool("NOTIFY_IN_PROCESS", True)

# Reminder emails (remind_units --email): Django's mail framework, configured here.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tracker@localhost")

# Security: safe by default, relaxed only for plain-HTTP local development.
SECURE_HTTPS = env_bool("DJANGO_SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", SECURE_HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read by a statement built once (tracker/sessions.py).
SESSION_ENGINE = "tracker.sessions"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts, styles, images and fonts only from this site, none inline: an injected
# <script> or style attribute does nothing even if some escaping is ever missed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploaded ledgers are read within these bounds; larger or deeper files are refused.
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 10 * 1024 * 1024, minimum=1)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024, minimum=1
)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 100, minimum=1)

# Filter drop-downs read "全部" (All) rather than a row of dashes.
FILTERS_EMPTY_CHOICE_LABEL = _("All")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# The longest a share link may stay open, in days; a sent link cannot be recalled once copied.
SHARE_LINK_MAX_DAYS = env_int("SHARE_LINK_MAX_DAYS", 90)

# The quarterly briefing (通报): who issues it and the Word template its styles come from.
TRACKER_DISTRICT = env_str("TRACKER_DISTRICT", "城阳区")
BRIEFING_ISSUER = env_str("BRIEFING_ISSUER", "城阳区重点项目推进指挥部办公室")
# The tracker's own name: the top bar, page titles, the admin, error pages, reminder mails.
TRACKER_SITE_NAME = env_str("TRACKER_SITE_NAME", f"{TRACKER_DISTRICT}重点项目管理")
# The 文号 prefix; the number itself is left blank for the office to fill in.
BRIEFING_NUMBER_PREFIX = env_str("BRIEFING_NUMBER_PREFIX", "城重项办")
# A .docx the office restyled from `manage.py briefing_template`; blank: the built-in styles.
BRIEFING_TEMPLATE = env_str("BRIEFING_TEMPLATE", "")

# The OC4IDS export's project ids are "oc4ids-" + this prefix + "-" + the project code. The Open
# Contracting Partnership registers one six-character prefix per publisher; until the office has
# its own, this placeholder (cn + Qingdao Chengyang) keeps the ids well formed. A malformed
# prefix would make every published id invalid, so it is refused at start.
OC4IDS_PREFIX = env_str("OC4IDS_PREFIX", "cnqdcy")
if not (len(OC4IDS_PREFIX) == 6 and OC4IDS_PREFIX.isascii() and OC4IDS_PREFIX.isalnum()):
    raise ImproperlyConfigured(
        f"OC4IDS_PREFIX={OC4IDS_PREFIX!r} must be six letters or digits (the registered prefix)."
    )

# The district's administrative division code (GB/T 2260; 城阳区 is 370214): the region part
# of a national project code (项目代码), which must be this district's. A malformed code
# would refuse every project code, so it is refused at start.
TRACKER_REGION_CODE = env_str("TRACKER_REGION_CODE", "370214").strip()
if not (
    len(TRACKER_REGION_CODE) == 6
    and TRACKER_REGION_CODE.isascii()
    and TRACKER_REGION_CODE.isdigit()
):
    raise ImproperlyConfigured(
        f"TRACKER_REGION_CODE={TRACKER_REGION_CODE!r} must be the six digits of the district's "
        "division code (GB/T 2260), e.g. 370214."
    )

# The district's bounding box (WGS-84, west,south,east,north in degrees): a project's
# coordinates must fall inside it, and the map page draws this frame. 城阳区 by default,
# with a margin; a malformed box would refuse every coordinate, so it is refused at start.
_bounds_text = env_str("TRACKER_MAP_BOUNDS", "120.25,36.20,120.55,36.45")
try:
    TRACKER_MAP_BOUNDS = tuple(Decimal(part.strip()) for part in _bounds_text.split(","))
except ArithmeticError:
    TRACKER_MAP_BOUNDS = ()
if not (
    len(TRACKER_MAP_BOUNDS) == 4
    and -180 <= TRACKER_MAP_BOUNDS[0] < TRACKER_MAP_BOUNDS[2] <= 180
    and -90 <= TRACKER_MAP_BOUNDS[1] < TRACKER_MAP_BOUNDS[3] <= 90
):
    raise ImproperlyConfigured(
        f"TRACKER_MAP_BOUNDS={_bounds_text!r} must be west,south,east,north in degrees, "
        "e.g. 120.25,36.20,120.55,36.45."
    )
