"""Puts axe-core (the browser tests' accessibility checker) in var/node/node_modules/axe-core/,
from the npm registry, checked against the registry's SHA-512. No npm needed; idempotent."""

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
TARGET = Path(__file__).resolve().parent.parent / "var" / "node" / "node_modules" / "axe-core"


def main():
    if (TARGET / "axe.min.js").is_file():
        return 0
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read(20 * 1024 * 1024)
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        print(f"axe-core {VERSION}: checksum mismatch, not installed", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.getmember("package/axe.min.js")
        (TARGET / "axe.min.js").write_bytes(archive.extractfile(member).read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
