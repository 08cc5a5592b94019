"""Every setting newsbot reads, checked once at start against one table of rules.

``newsbot crawl`` and ``scrapy crawl`` (newsbot's crawl command) call :func:`validate_settings`
before Scrapy starts and :func:`check_start` before the first request; a mistake ends the run
with one line naming the setting and what it accepts (exit status 2), an unreachable service
or a damaged state file with one line saying what to do (exit status 1). A new ``NEWSBOT_*``
setting gets a default in ``settings.py``, a README row and a rule in :data:`RULES`.
"""

from __future__ import annotations

import difflib
import errno
import ipaddress
import logging
import math
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsbot.files import output_dir
from newsbot.settings_reader import SettingsReader

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

EXIT_FAILED = 1
EXIT_USAGE = 2


class RunError(Exception):
    """newsbot cannot start or go on; ``str()`` is the one line the person running it reads."""

    exit_status = EXIT_FAILED


class SettingsError(RunError, ValueError):
    """A setting, spider argument or command-line value newsbot does not accept."""

    exit_status = EXIT_USAGE


class _Settings(SettingsReader, Protocol):
    def __iter__(self) -> Any: ...


@dataclass(frozen=True)
class Rule:
    """What one setting accepts: ``check`` returns the problem with a value, or None."""

    accepts: str
    check: Callable[[Any], str | None]


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "not text"


def choice(*values: str) -> Rule:
    def check(value: Any) -> str | None:
        if value in values:
            return None
        close = difflib.get_close_matches(str(value), values, n=1)
        return "no such choice" + (f" (did you mean {close[0]}?)" if close else "")

    return Rule("one of " + ", ".join(values), check)


def integer(minimum: int | None = None, also: tuple[int, ...] = (), meaning: str = "") -> Rule:
    def check(value: Any) -> str | None:
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None:
            return "not a whole number"
        if number in also or minimum is None or number >= minimum:
            return None
        return "out of range"

    accepts = "a whole number" + (f" >= {minimum}" if minimum is not None else "")
    accepts += "".join(f" or {value}" for value in also) + (f" ({meaning})" if meaning else "")
    return Rule(accepts, check)


def number(minimum: float, exclusive: bool = False, maximum: float | None = None) -> Rule:
    def check(value: Any) -> str | None:
        try:
            parsed = float(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed != parsed:
            return "not a number"
        if parsed in (math.inf, -math.inf):
            return "not a finite number"
        if maximum is not None and parsed > maximum:
            return "out of range"
        return None if parsed > minimum or (parsed == minimum and not exclusive) else "out of range"

    accepts = f"a number {'>' if exclusive else '>='} {minimum:g}"
    return Rule(accepts + (f" and <= {maximum:g}" if maximum is not None else ""), check)


_BOOLEANS = {True, False, 0, 1, "0", "1", "True", "true", "False", "false"}


def boolean() -> Rule:
    # What Scrapy's Settings.getbool accepts; anything else would raise there, mid-crawl.
    return Rule("True or False (also 1 or 0)", lambda value: None if value in _BOOLEANS else "not a boolean")


def text() -> Rule:
    return Rule("any text", _text)


def template(*fields: str) -> Rule:
    """A ``str.format`` template using only ``fields``."""

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "not text"
        try:
            value.format(**dict.fromkeys(fields, ""))
        except KeyError as error:
            return f"unknown field {{{error.args[0]}}}"
        except (ValueError, IndexError, AttributeError) as error:
            return f"not a template ({error}; write a literal brace as {{{{ or }}}})"
        return None

    return Rule("text with the fields " + ", ".join("{" + field + "}" for field in fields), check)


def timezone(empty_ok: bool = False) -> Rule:
    def check(value: Any) -> str | None:
        if value == "" and empty_ok:
            return None
        if not isinstance(value, str) or not value:
            return "not a time zone name"
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return "no such time zone"
        return None

    return Rule("an IANA time zone name such as UTC, Asia/Seoul or America/New_York", check)


def url(*schemes: str, empty_ok: bool = False) -> Rule:
    def check(value: Any) -> str | None:
        if value == "" and empty_ok:
            return None
        return _url_problem(value, schemes)

    accepts = "a URL (" + ", ".join(f"{scheme}:" if scheme == "mailto" else f"{scheme}://" for scheme in schemes) + ")"
    return Rule(accepts + (" or empty" if empty_ok else ""), check)


def _url_problem(value: Any, schemes: Iterable[str]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "not a URL"
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as error:
        return f"not a URL ({error})"
    if parts.scheme not in schemes:
        return "not a URL" if not parts.scheme else f"scheme {parts.scheme}:// not accepted"
    if not parts.netloc and parts.scheme not in ("unix", "mailto"):
        return "no host"
    return None


def redis_url() -> Rule:
    """A Redis URL (``redis://``, ``rediss://``, ``unix://``) or empty; its database, after the host, a number."""
    plain = url("redis", "rediss", "unix", empty_ok=True)

    def check(value: Any) -> str | None:
        problem = plain.check(value)
        if problem or not value:
            return problem
        parts = urlsplit(value.strip())
        if parts.scheme != "unix" and not re.fullmatch(r"/?\d*", parts.path):
            return f"database {parts.path.lstrip('/')!r} is not a number (redis://host:6379/0)"
        return None

    return Rule(plain.accepts, check)


def urls(*schemes: str) -> Rule:
    """One or more URLs separated by commas or spaces."""

    def check(value: Any) -> str | None:
        parts = value.replace(",", " ").split() if isinstance(value, str) else []
        if not parts:
            return "no URL given"
        problems = [(part, problem) for part in parts if (problem := _url_problem(part, schemes))]
        if not problems:
            return None
        part, problem = problems[0]
        return problem if len(parts) == 1 else f"{part}: {problem}"

    return Rule("URLs (" + ", ".join(f"{scheme}://" for scheme in schemes) + ") separated by commas or spaces", check)


def image_path() -> Rule:
    def check(value: Any) -> str | None:
        if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
            return None
        return _url_problem(value, ("http", "https"))

    return Rule("a site path starting with / or an http(s) URL", check)


def directory() -> Rule:
    """A directory newsbot creates if needed and writes into."""
    return Rule("a directory newsbot can create and write to", lambda value: _directory_problem(str(value or ".")))


def file_path(empty_ok: bool = True, parent_must_exist: bool = False) -> Rule:
    """A file newsbot writes; its directory is created unless ``parent_must_exist``."""

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "not a path"
        if not value:
            return None if empty_ok else "empty"
        path = Path(value)
        if path.is_dir():
            return "a directory, not a file"
        if parent_must_exist and not path.parent.is_dir():
            return f"directory {path.parent} does not exist"
        return _directory_problem(str(path.parent))

    accepts = "a file path in a writable directory" + (", or empty" if empty_ok else "")
    return Rule(accepts, check)


def _directory_problem(path: str) -> str | None:
    existing = Path(os.path.abspath(path))
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file, not a directory"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def names() -> Rule:
    def check(value: Any) -> str | None:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
            return "not a list of names"
        return None if all(item.strip() for item in items) and items else "empty name in the list"

    return Rule("source names separated by commas", check)


# RFC 1123: letters, digits and inner hyphens, up to 63 characters a label.
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)


def host_name(entry: str) -> str | None:
    """``entry`` as a URL's host names it (an IDN in punycode, as w3lib writes request URLs), or None.

    None when it is not a host name: an empty or overlong label, a character other than a letter,
    digit or inner hyphen, or a last label of digits only (a mistyped address, not a name).
    """
    try:
        name = entry.removesuffix(".").encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = name.split(".")
    if len(name) > 253 or labels[-1].isdigit() or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return name


def trusted_host(entry: str) -> str:
    """A ``NEWSBOT_TRUSTED_HOSTS`` entry as requests name it: a host name in punycode, else as given."""
    entry = entry.strip()
    return host_name(entry) or entry


def hosts() -> Rule:
    """Host names (IDN allowed), addresses or networks (``10.0.0.0/8``), separated by commas."""

    def check(value: Any) -> str | None:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
            return "not a list of hosts"
        for item in filter(None, (item.strip() for item in items)):
            if "/" in item:
                try:
                    ipaddress.ip_network(item, strict=False)
                except ValueError:
                    return f"{item}: not a network (a URL? give its host only)"
                continue
            try:
                ipaddress.ip_address(item.removeprefix("[").removesuffix("]"))
            except ValueError:
                if host_name(item) is None:
                    return f"{item}: not a host name (letters, digits and hyphens between dots) or address"
        return None

    return Rule("host names, addresses or networks (10.0.0.0/8) separated by commas", check)


def patterns() -> Rule:
    """Keywords or ``/regular expressions/``: a list, or text with commas between them."""

    def check(value: Any) -> str | None:
        import re

        from newsbot.stories.filters import compile_pattern, pattern_list

        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            pass
        elif not isinstance(value, str):
            return "not a list of patterns"
        for pattern in pattern_list(value):
            try:
                compile_pattern(pattern)
            except re.error as error:
                return f"{pattern} is not a regular expression ({error})"
        return None

    return Rule("keywords or /regular expressions/, separated by commas", check)


def log_level() -> Rule:
    levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    return Rule("one of " + ", ".join(levels), lambda value: None if value in levels else "not a level")


def publish_step() -> Rule:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return "empty"
        if value.strip() in ("none", "git"):
            return None
        try:
            argv = shlex.split(value)
        except ValueError as error:
            return f"not a command line ({error})"
        if os.sep not in argv[0] and shutil.which(argv[0]) is None:
            return f"no program {argv[0]!r} on the PATH"
        return None

    return Rule("none, git, or a command line (given the new posts' file paths on standard input)", check)


_POST_FIELDS = ("brand", "site_url", "image", "source", "source_url", "title")

RULES: dict[str, Rule] = {
    "NEWSBOT_OUTPUT": directory(),
    "NEWSBOT_STATE": file_path(),
    "NEWSBOT_IMAGE_MODE": choice("download", "remote", "brand"),
    "NEWSBOT_BRAND": text(),
    "NEWSBOT_SITE_URL": url("http", "https"),
    "NEWSBOT_BRAND_IMAGE": image_path(),
    "NEWSBOT_FEATURE_HEADING": template("brand"),
    "NEWSBOT_IMAGE_PARAGRAPH": template(*_POST_FIELDS),
    "NEWSBOT_ATTRIBUTION": template(*_POST_FIELDS),
    "NEWSBOT_FOOTER": template(*_POST_FIELDS),
    "NEWSBOT_SUMMARY_NOTE": text(),
    "NEWSBOT_EXCERPT_LENGTH": integer(minimum=1),
    "NEWSBOT_BODY": choice("brief", "full", "rewrite"),
    "NEWSBOT_LLM_URL": url("http", "https", empty_ok=True),
    "NEWSBOT_LLM_MODEL": text(),
    "NEWSBOT_LLM_API_KEY": text(),
    "NEWSBOT_LLM_TIMEOUT": number(minimum=0, exclusive=True),
    "NEWSBOT_LLM_CONCURRENCY": integer(minimum=1),
    "NEWSBOT_LLM_MAX_PER_RUN": integer(minimum=0, meaning="0: no limit"),
    "NEWSBOT_POST_LANGUAGE": text(),
    "NEWSBOT_KEY_POINTS_HEADING": text(),
    "NEWSBOT_MIN_BODY_CHARS": integer(minimum=0),
    "NEWSBOT_DEFAULT_TIMEZONE": timezone(),
    "NEWSBOT_SITE_TIMEZONE": timezone(),
    "NEWSBOT_MAX_AGE_DAYS": number(minimum=0),
    "NEWSBOT_LOCK": file_path(),
    "NEWSBOT_SOURCES": names(),
    "NEWSBOT_LOG_FILE": file_path(parent_must_exist=True),
    "NEWSBOT_QUICK_CHECK": boolean(),
    "NEWSBOT_WORKERS": integer(minimum=0, also=(-1,), meaning="-1: one per core, 0: in the crawl process"),
    # Deprecated and ignored; still checked, so a configuration that loaded before loads the same.
    "NEWSBOT_SUMMARY_WORKERS": integer(minimum=0, also=(-1,), meaning="-1: one per core"),
    "NEWSBOT_REDIS_URL": redis_url(),
    "NEWSBOT_REDIS_IDLE_SECONDS": number(minimum=0, exclusive=True),
    "NEWSBOT_PROGRESS": boolean(),
    "NEWSBOT_CONTACT_URL": url("http", "https", "mailto"),
    "NEWSBOT_TRUSTED_HOSTS": hosts(),
    "NEWSBOT_IMAGE_MAX_PIXELS": integer(minimum=1),
    "NEWSBOT_HISTORY_DAYS": integer(minimum=0, meaning="0: keep the run history forever"),
    "NEWSBOT_REPORT_HTML": file_path(),
    "NEWSBOT_PUBLISH": publish_step(),
    "NEWSBOT_PUBLISH_REMOTE": text(),
    "NEWSBOT_PUBLISH_BRANCH": text(),
    "NEWSBOT_PUBLISH_TIMEOUT": number(minimum=0, exclusive=True),
    "NEWSBOT_INCLUDE": patterns(),
    "NEWSBOT_EXCLUDE": patterns(),
    "NEWSBOT_STORIES": boolean(),
    "NEWSBOT_STORY_WINDOW_HOURS": number(minimum=0, exclusive=True),
    "NEWSBOT_STORY_THRESHOLD": number(minimum=0, exclusive=True, maximum=1),
    "NEWSBOT_STORY_LONE_THRESHOLD": number(minimum=0, exclusive=True, maximum=1),
    # Scrapy settings newsbot reads itself before Scrapy does (the quick check, the early log).
    "LOG_LEVEL": log_level(),
    "DOWNLOAD_TIMEOUT": number(minimum=0, exclusive=True),
    # Scrapy settings a user tunes with -s: Scrapy would take a bad value for a failed download,
    # or raise in the middle of the crawl.
    "DOWNLOAD_DELAY": number(minimum=0),
    "CONCURRENT_REQUESTS": integer(minimum=1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": integer(minimum=1),
    "AUTOTHROTTLE_ENABLED": boolean(),
    "AUTOTHROTTLE_START_DELAY": number(minimum=0),
    "AUTOTHROTTLE_MAX_DELAY": number(minimum=0),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": number(minimum=0, exclusive=True),
    "RETRY_ENABLED": boolean(),
    "RETRY_TIMES": integer(minimum=0),
    "ROBOTSTXT_OBEY": boolean(),
    "CLOSESPIDER_TIMEOUT": number(minimum=0),
    "CLOSESPIDER_ITEMCOUNT": integer(minimum=0),
    "CLOSESPIDER_PAGECOUNT": integer(minimum=0),
    "DEPTH_LIMIT": integer(minimum=0),
}
"""Setting name -> what it accepts. Every ``NEWSBOT_*`` setting has a row."""

PREFIX = "NEWSBOT_"


def validate_settings(settings: _Settings) -> None:
    """Raise :class:`SettingsError` for the first setting newsbot would not accept.

    A ``NEWSBOT_*`` name without a rule is a typo (the message suggests the close match).
    Missing settings (None) keep the components' defaults and are not checked.
    """
    for name in sorted(settings):
        if isinstance(name, str) and name.startswith(PREFIX) and name not in RULES:
            close = difflib.get_close_matches(name, [known for known in RULES if known.startswith(PREFIX)], n=1)
            hint = f"; did you mean {close[0]}?" if close else "; see the settings table in README.md"
            raise SettingsError(f"unknown setting {name}{hint}")
    for name, rule in RULES.items():
        value = settings.get(name)
        if value is None:
            continue
        problem = rule.check(value)
        if problem:
            raise SettingsError(f"{name}={_show(value)}: {problem}; {name} takes {rule.accepts}")
    if settings.get("NEWSBOT_BODY") == "rewrite" and not settings.get("NEWSBOT_LLM_MODEL"):
        raise SettingsError("NEWSBOT_BODY=rewrite needs NEWSBOT_LLM_MODEL, the name of the model the server runs")


def _show(value: Any) -> str:
    shown = value if isinstance(value, str) else repr(value)
    return repr(shown) if not shown or any(char.isspace() for char in shown) else shown


def check_start(settings: _Settings) -> None:
    """What a run needs before its first request: a writable output, a readable state, Redis.

    Raises :class:`RunError` (exit 1) or :class:`SettingsError` (exit 2) with one line to act on.
    Leaves a damaged state file exactly as it is.
    """
    check_services(settings, check_paths(settings))


def check_services(settings: _Settings, output: str) -> None:
    """:func:`check_start` once :func:`check_paths` has passed (``output``: what it returned): the
    state file or Redis, and the publish settings."""
    from newsbot.state import state_path

    redis_url = settings.get("NEWSBOT_REDIS_URL")
    if redis_url:
        check_redis(redis_url)
    else:
        check_state_file(state_path(settings))
    check_publish(settings, output)


def check_paths(settings: _Settings) -> str:
    """Raise :class:`SettingsError` unless newsbot can write where its path settings point (the
    output, and the directories of the state file, run lock and report page, whose last folder is
    created if need be);
    returns the output directory. Tried for real: permissions alone do not tell (root, /proc)."""
    output = output_dir(settings)
    places = [("NEWSBOT_OUTPUT", output, output)]
    for name in ("NEWSBOT_STATE", "NEWSBOT_LOCK", "NEWSBOT_REPORT_HTML"):
        value = settings.get(name)
        if value and not (name == "NEWSBOT_STATE" and settings.get("NEWSBOT_REDIS_URL")):
            places.append((name, value, os.path.dirname(os.path.abspath(value))))
    made: list[str] = []
    for name, value, folder in places:
        try:
            made += folders_to_make(folder, f"{name}={value}")
            os.makedirs(folder, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except SettingsError:
            remove_folders(made)  # a refused run leaves no folders behind
            raise
        except OSError as error:
            remove_folders(made)
            raise SettingsError(f"{name}={value}: cannot write there ({error.strerror})") from None
    return output


def folders_to_make(folder: str, label: str) -> list[str]:
    """The folders of ``folder`` that do not exist yet: its last one at most. More is a mistyped path,
    not a new blog: newsbot makes only the last folder, as ``mkdir`` does, and :class:`SettingsError`
    (its message starting with ``label``) says which folder is missing."""
    missing = missing_folders([folder])
    if len(missing) > 1:
        raise SettingsError(f"{label}: {missing[0]} does not exist (newsbot makes only the last folder of a path)")
    return missing


def missing_folders(folders: list[str]) -> list[str]:
    """Those of ``folders`` and their parents that do not exist yet, outermost first."""
    missing: list[str] = []
    for folder in folders:
        path = os.path.abspath(folder)
        ancestors = []
        while not os.path.exists(path) and os.path.dirname(path) != path:
            ancestors.insert(0, path)
            path = os.path.dirname(path)
        missing += [ancestor for ancestor in ancestors if ancestor not in missing]
    return missing


def remove_folders(folders: list[str]) -> None:
    """Remove ``folders`` (from :func:`missing_folders`, made by a run that was then refused) with
    what that run put in them (its lock, an empty state file); one that cannot go is left as it is."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def check_publish(settings: _Settings, output: str) -> None:
    """Raise :class:`SettingsError` when the publish settings cannot work together or in ``output``."""
    publish = (settings.get("NEWSBOT_PUBLISH") or "none").strip()
    if (settings.get("NEWSBOT_PUBLISH_REMOTE") or settings.get("NEWSBOT_PUBLISH_BRANCH")) and publish != "git":
        raise SettingsError("NEWSBOT_PUBLISH_REMOTE and NEWSBOT_PUBLISH_BRANCH are used only with NEWSBOT_PUBLISH=git")
    if settings.get("NEWSBOT_PUBLISH_BRANCH") and not settings.get("NEWSBOT_PUBLISH_REMOTE"):
        raise SettingsError("NEWSBOT_PUBLISH_BRANCH needs NEWSBOT_PUBLISH_REMOTE, the remote to push that branch to")
    if publish == "git":
        if shutil.which("git") is None:
            raise SettingsError("NEWSBOT_PUBLISH=git but git is not installed")
        inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=output, capture_output=True, text=True)
        if inside.stdout.strip() != "true":
            raise SettingsError(f"NEWSBOT_PUBLISH=git but NEWSBOT_OUTPUT={output} is not in a git work tree; "
                                "clone or init the site there")
    elif publish != "none":
        program = shlex.split(publish)[0]
        if os.sep in program and shutil.which(os.path.join(output, program)) is None:  # it runs in NEWSBOT_OUTPUT
            raise SettingsError(f"NEWSBOT_PUBLISH={_show(publish)}: no program {program} in {output}")


def check_state_file(path: str) -> None:
    """Raise :class:`RunError` when ``path`` exists and is not a sound SQLite database (read-only check)."""
    if not os.path.exists(path):
        return
    advice = (
        "newsbot left it as it is: restore it from a backup, or move it away to start afresh "
        "(articles already posted may then be posted again)"
    )
    try:
        database = sqlite3.connect(f"file:{Path(path).absolute().as_posix()}?mode=ro", uri=True)
        try:
            result = database.execute("PRAGMA quick_check").fetchone()
        finally:
            database.close()
    except sqlite3.Error as error:
        raise RunError(f"state file {path} is damaged ({error}); {advice}") from None
    if result and result[0] != "ok":
        raise RunError(f"state file {path} is damaged ({result[0]}); {advice}")


def without_password(url: str) -> str:
    """``url`` with its password (``redis://:secret@host``) masked, for a line anyone may read."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{parts.netloc.rpartition('@')[2]}").geturl()


def check_redis(redis_url: str) -> None:
    """Raise when the redis extra is missing (exit 2) or nothing answers at ``redis_url`` (exit 1)."""
    try:
        import redis
        import scrapy_redis  # noqa: F401 - the scheduler the Redis add-on switches to
    except ImportError:
        raise SettingsError(
            "NEWSBOT_REDIS_URL is set but the redis extra is not installed: pip install 'newsbot[redis]'"
        ) from None
    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=5)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.AuthenticationError, redis.ResponseError) as error:
        if not isinstance(error, redis.AuthenticationError) and "auth" not in str(error).lower():
            problem = f"answered with an error ({error})"  # a database out of range, say
        elif urlsplit(redis_url).password is None:  # redis-py's own words here are a paragraph about HELLO and AUTH
            problem = "wants a password: redis://:PASSWORD@host:port/0 in NEWSBOT_REDIS_URL"
        else:
            problem = "refused the user or password in NEWSBOT_REDIS_URL"
        raise RunError(f"Redis at {without_password(redis_url)} {problem}") from None
    except (redis.RedisError, OSError, ValueError) as error:
        raise RunError(f"Redis at {without_password(redis_url)} is unreachable ({error})") from None


def check_arguments(arguments: dict[str, str], accepted: dict[str, Rule]) -> None:
    """Raise :class:`SettingsError` for a spider argument (``-a NAME=VALUE``) not in ``accepted``.

    Names starting with ``_`` pass through (scrapyd's ``_job`` and the like).
    """
    for name, value in arguments.items():
        if name.startswith("_"):
            continue
        if name not in accepted:
            close = difflib.get_close_matches(name, list(accepted), n=1)
            hint = f"did you mean -a {close[0]}=...? " if close else ""
            known = ", ".join(accepted) or "none"
            raise SettingsError(f"unknown spider argument -a {name}=...; {hint}accepted: {known}")
        problem = accepted[name].check(value)
        if problem:
            raise SettingsError(f"-a {name}={_show(value)}: {problem}; {name} takes {accepted[name].accepts}")


STOPPED_STAT = "newsbot/stopped"
"""Stats key holding why the crawl was stopped early (a full disk...); set means exit status 1."""


@contextmanager
def stopping_on_run_error(crawler: Crawler) -> Iterator[None]:
    """Around a component's call: a :class:`RunError` (Redis gone) stops the crawl with its one line
    (:func:`stop_crawl`) instead of leaving a traceback at every signal, tick or request."""
    try:
        yield
    except RunError as error:
        stop_crawl(crawler, str(error))


def stop_crawl(crawler: Crawler, message: str) -> None:
    """Stop the crawl for good because of ``message``: logged once as one line, the run exits 1.

    What was written stays consistent: the feeds' validators are not kept, so the next run
    fetches the feeds again and posts what this one could not.
    """
    if crawler.stats.get_value(STOPPED_STAT):
        return
    logger.error("stopping the crawl: %s", message)
    crawler.stats.set_value(STOPPED_STAT, message)
    engine = crawler.engine
    if hasattr(engine, "close_spider_async"):  # Scrapy 2.14+
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(engine.close_spider_async(reason="newsbot_stopped"))
    else:
        engine.close_spider(crawler.spider, reason="newsbot_stopped")


def out_of_space(error: BaseException) -> bool:
    """Is ``error`` the disk (or quota) being full, from the OS or from SQLite?"""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(error, sqlite3.OperationalError) and "full" in str(error)
