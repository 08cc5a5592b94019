"""File permissions for what newsbot publishes."""

from __future__ import annotations

import os


def published_file_mode() -> int:
    """The mode a file created now would get under the process umask (0644 under the usual 022).

    Posts and the report page are written to a temporary file first, which ``mkstemp`` makes
    0600: renamed as it is, a post would be unreadable to the web server or the user who builds
    and deploys the site. Reading the umask means setting it for a moment: to 077, so a file another
    thread creates in that moment comes out private rather than open.
    """
    umask = os.umask(0o077)
    os.umask(umask)
    return 0o666 & ~umask
