"""Which version of the code is running, so that no stored page outlives a deployment: RELEASE
from the environment, else the commit the checkout is at (deployments here are `git pull`)."""

import os
from pathlib import Path


def current_release(root):
    given = os.environ.get("RELEASE", "").strip()
    if given:
        return given
    git = Path(root) / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head  # a detached checkout names its commit
        ref = head.removeprefix("ref: ")
        loose = git / ref
        if loose.exists():
            return loose.read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except OSError:
        pass
    return ""
