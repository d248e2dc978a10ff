"""PostgreSQL URL helpers: one server, one database per service on it.

Services receive the *server* URL (KASANE_DATABASE_URL) and derive their own database URL,
so the same environment works for the embedded server and an external one.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from kasane.settings import Settings

# Where `kasane up` records the embedded server's URL (see kasane_dev.local.postgres).
POSTGRES_URL_FILE = "postgres.url"


class DatabaseUrlUnavailable(RuntimeError):
    """Neither KASANE_DATABASE_URL nor a running embedded server gives a URL."""


def server_url(settings: Settings) -> str:
    """The PostgreSQL server URL: the configured one, else the embedded server's."""
    if settings.database_url:
        return settings.database_url
    url_file = settings.run_dir / POSTGRES_URL_FILE
    try:
        url = url_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        url = ""
    if not url:
        raise DatabaseUrlUnavailable(
            f"No PostgreSQL server is configured: set KASANE_DATABASE_URL or run `kasane up` "
            f"(which records the embedded server in {url_file})."
        )
    return url


def database_url(server_url: str, dbname: str) -> str:
    """server_url with its database swapped for dbname; the query (e.g. host=) is kept.

    Built by hand rather than with urlunsplit, which drops the '//' of an empty host
    ('postgresql:///db?host=/sock') for schemes it does not know.
    """
    parts = urlsplit(server_url)
    url = f"{parts.scheme}://{parts.netloc}/{quote(dbname, safe='')}"
    if parts.query:
        url += f"?{parts.query}"
    if parts.fragment:
        url += f"#{parts.fragment}"
    return url


def redact(url: str) -> str:
    """url with any password replaced, for printing."""
    parts = urlsplit(url)
    if parts.password is None or parts.password == "":
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return url.replace(parts.netloc, f"{user}:***@{hostinfo}", 1)
