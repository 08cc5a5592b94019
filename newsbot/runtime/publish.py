"""Publishing a run's posts: ``NEWSBOT_PUBLISH`` = ``none`` | ``git`` | a command line.

During the crawl :class:`PublishJournal` appends every post file about to be written or rewritten,
with its images, to ``publish-pending.jsonl`` next to the state file (before the write, so a run
killed in between leaves it noted). After the run, under the run lock,
:func:`publish` hands those files on and empties the journal only once they are safely handed on,
so a failed commit or command is retried with the same files on the next run.

- ``git``: ``NEWSBOT_OUTPUT`` is (inside) the site's git work tree. Exactly the journal's files are
  added and committed with a pathspec-limited commit (``git commit --only -- <paths>``), so nothing
  else of the user's tree, staged or not, goes in. Then, with ``NEWSBOT_PUBLISH_REMOTE`` set, the
  branch is pushed whenever it is ahead of what was last pushed; a failed push keeps the commit and
  is retried on the next run.
- a command: split like a shell would (``shlex``, no shell runs it), run in ``NEWSBOT_OUTPUT`` with
  the files' paths on standard input, one per line, relative to that directory.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import signal
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from newsbot import signals
from newsbot.files import output_dir
from newsbot.settings_reader import SettingsReader
from newsbot.state import state_path
from newsbot.state.history import PublishOutcome, RunHistory

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

JOURNAL_NAME = "publish-pending.jsonl"
TAIL_LINES = 5
GIT_TIMEOUT = 300
"""Seconds one git call may take."""
COMMAND_TIMEOUT = 300.0
"""Seconds a publish command may take when ``NEWSBOT_PUBLISH_TIMEOUT`` is not set."""
KILL_GRACE = 5
"""Seconds to read what a killed command had written."""


def publish_mode(settings: SettingsReader) -> str:
    """``none``, ``git`` or ``command``."""
    value = (settings.get("NEWSBOT_PUBLISH") or "none").strip()
    return value if value in ("none", "git") else "command"


def journal_path(settings: SettingsReader) -> str:
    return os.path.join(os.path.dirname(state_path(settings)), JOURNAL_NAME)


class PublishJournal:
    """Extension: notes each post about to be written (and its stored images) for the publish step after the run."""

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PublishJournal:
        # Scrapy is imported here: the publish step below also runs after a quick check, without Scrapy.
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        if publish_mode(settings) == "none":
            logger.debug("off: NEWSBOT_PUBLISH is none")
            raise NotConfigured  # without a message: Scrapy logs one at WARNING, and this is the default
        journal = cls(journal_path(settings))
        crawler.signals.connect(journal.post_writing, signal=signals.post_writing)
        return journal

    def post_writing(self, path: str, item: object) -> None:
        from itemadapter import ItemAdapter  # here: it imports Scrapy, which a quick check's publish step must not

        adapter = ItemAdapter(item)
        files = [path, *(str(Path("assets", "img", image["path"])) for image in adapter.get("images") or [])]
        entry = {"post": path, "title": adapter.get("title") or "", "files": files}
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")


def read_journal(path: str) -> list[dict]:
    """The journal's entries, one per post (the latest entry of a post rewritten twice)."""
    if not os.path.exists(path):
        return []
    entries: dict[str, dict] = {}
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a kill; its post is journaled again when next written
            entries.pop(entry["post"], None)
            entries[entry["post"]] = entry
    return list(entries.values())


def publish(settings: SettingsReader, history: RunHistory) -> PublishOutcome | None:
    """Hand this run's (and any earlier unpublished) posts on; None with ``NEWSBOT_PUBLISH=none``."""
    mode = publish_mode(settings)
    if mode == "none":
        return None
    output = output_dir(settings)
    journal = journal_path(settings)
    entries = read_journal(journal)
    files = list(dict.fromkeys(name for entry in entries for name in entry["files"] if Path(output, name).exists()))
    if mode == "git":
        outcome = _publish_git(settings, history, output, entries, files)
    elif files:
        timeout = float(settings.get("NEWSBOT_PUBLISH_TIMEOUT") or COMMAND_TIMEOUT)
        outcome = _publish_command(settings.get("NEWSBOT_PUBLISH"), output, files, timeout)
    else:
        outcome = PublishOutcome(mode, message="no new or updated post")
    if outcome.ok and entries:
        Path(journal).unlink(missing_ok=True)
    (logger.info if outcome.ok else logger.error)("publish (%s): %s", mode, outcome.message)
    return outcome


def _publish_command(command: str, output: str, files: list[str], timeout: float) -> PublishOutcome:
    argv = shlex.split(command)
    try:
        result = run_killing_group(argv, output, timeout, "".join(f"{name}\n" for name in files), subprocess.STDOUT)
    except subprocess.TimeoutExpired as expired:
        tail = (expired.output or "").splitlines()[-TAIL_LINES:]
        return PublishOutcome("command", ok=False, files=files, output_tail=tail,
                              message=f"{argv[0]} still running after {timeout:g} s (NEWSBOT_PUBLISH_TIMEOUT), "
                                      "killed; the same files are given again on the next run")
    except OSError as error:
        return PublishOutcome("command", ok=False, message=f"cannot run {argv[0]}: {error}", files=files)
    tail = result.stdout.splitlines()[-TAIL_LINES:]
    return PublishOutcome(
        "command", ok=result.returncode == 0, files=files, exit_status=result.returncode, output_tail=tail,
        message=f"{argv[0]} exited with status {result.returncode} for {len(files)} file(s)"
                + ("" if result.returncode == 0 else "; the same files are given again on the next run"),
    )


def run_killing_group(argv: list[str], directory: str, timeout: float, stdin: str = "", stderr: int = subprocess.PIPE,
                      env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``argv``'s exit status and output; past ``timeout`` it is killed with every process it started
    (an ``sh -c`` pipeline, git's ssh), which would otherwise hold its output open and keep the run
    waiting: :class:`subprocess.TimeoutExpired` with the standard output read so far."""
    process = subprocess.Popen(argv, cwd=directory, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=stderr, text=True, env=env, start_new_session=True)
    try:
        out, err = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # not yet reaped, so the group exists
        try:
            out, err = process.communicate(timeout=KILL_GRACE)
        except subprocess.TimeoutExpired:  # a process that left the group still holds the output open
            process.wait()
            out = ""
        raise subprocess.TimeoutExpired(argv, timeout, output=out) from None
    except BaseException:  # Ctrl-C: in its own session, the command is out of the terminal's reach
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


def _git(directory: str, *arguments: str) -> subprocess.CompletedProcess:
    """git's answer; a hung remote or a vanished directory is a failed answer, not an exception."""
    command = ["git", *arguments]
    try:
        return run_killing_group(command, directory, GIT_TIMEOUT, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, -1, "", f"fatal: git {arguments[0]} took over {GIT_TIMEOUT} s")
    except OSError as error:
        return subprocess.CompletedProcess(command, -1, "", f"fatal: cannot run git: {error.strerror or error}")


def _failed(result: subprocess.CompletedProcess) -> list[str]:
    return (result.stderr.strip() or result.stdout.strip() or f"exit status {result.returncode}").splitlines()


def _publish_git(
    settings: SettingsReader, history: RunHistory, output: str, entries: list[dict], files: list[str]
) -> PublishOutcome:
    outcome = PublishOutcome("git", files=files)
    messages = []
    if files:
        staged = _git(output, "add", "--", *files)
        if staged.returncode == 0:
            staged = _git(output, "diff", "--cached", "--name-only", "--relative", "-z", "--", *files)
        if staged.returncode != 0:
            return _git_error(outcome, "git add", staged)
        changed = {name for name in staged.stdout.split("\0") if name}
        if changed:
            entries = [entry for entry in entries if changed.intersection(entry["files"])]
            committed = _git(output, "commit", "--quiet", "--only", "-m", commit_message(entries), "--", *sorted(changed))
            if committed.returncode != 0:
                return _git_error(outcome, "git commit", committed)
            outcome.commit = _git(output, "rev-parse", "HEAD").stdout.strip()
            messages.append(f"committed {len(entries)} post(s), {len(changed)} file(s) as {outcome.commit[:10]}")
    if not messages:
        messages.append("no new or updated post to commit")
    remote = settings.get("NEWSBOT_PUBLISH_REMOTE")
    if remote:
        branch = settings.get("NEWSBOT_PUBLISH_BRANCH") or _git(output, "symbolic-ref", "--short", "HEAD").stdout.strip()
        head = _git(output, "rev-parse", "HEAD").stdout.strip()
        mark = f"pushed {remote} {branch}"
        pushed = history.mark(mark)
        if head and head != pushed:
            result = _git(output, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}")
            if result.returncode != 0:
                ahead = _git(output, "rev-list", "--count", "HEAD", *([f"^{pushed}"] if pushed else []),
                             "--not", f"--remotes={remote}")
                outcome.unpushed = int(ahead.stdout.strip() or 0) if ahead.returncode == 0 else 0
                outcome.ok = False
                lines = _failed(result)
                outcome.output_tail = lines[-TAIL_LINES:]
                messages.append(f"push to {remote} {branch} failed ({_reason(lines)}); "
                                f"{outcome.unpushed} commit(s) kept locally, pushed on the next run")
            else:
                history.set_mark(mark, head)
                messages.append(f"pushed to {remote} {branch}")
    outcome.message = "; ".join(messages)
    return outcome


def _reason(lines: list[str]) -> str:
    """The line of git's output that says why: the remote's or git's own message, else the last line."""
    telling = [line.strip() for line in lines if line.startswith(("remote:", "fatal:", "error:", " ! ["))
               and "failed to push some refs" not in line]
    return (telling or lines or ["no message"])[0]


def _git_error(outcome: PublishOutcome, step: str, result: subprocess.CompletedProcess) -> PublishOutcome:
    outcome.ok = False
    outcome.output_tail = _failed(result)[-TAIL_LINES:]
    outcome.message = f"{step} failed ({_reason(outcome.output_tail)}); the posts are committed on the next run"
    return outcome


def commit_message(entries: list[dict]) -> str:
    """``newsbot: 3 posts`` and one line per post: its file and title."""
    lines = [f"newsbot: {len(entries)} post{'s' if len(entries) != 1 else ''}", ""]
    lines += [f"{entry['post']}  {entry['title']}".rstrip() for entry in entries]
    return "\n".join(lines) + "\n"
