"""What a build's output depends on besides its inputs: Gongkai's own code, the version of every
installed distribution it runs on (its dependencies and theirs, as installed), and Python's.
Another Python-Markdown, Jinja2, nh3, zxing-cpp or OpenCC may render any page differently, so the
build cache is keyed on all of it: after an upgrade, the next build renders everything again.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import re
import sys
from pathlib import Path

DISTRIBUTION = "gongkai"  # the installed project whose requirements are followed
_CODE = Path(__file__).resolve().parent
# A requirement: its name, the extras it asks for, and the marker after ";".
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?[^;]*(?:;(.*))?$")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distributions(root: str = DISTRIBUTION) -> dict[str, str]:
    """Name → installed version of `root` and of everything it requires, followed through each
    distribution's own requirements (with the extras asked for; a requirement only an extra
    nobody asked for needs is left out, such as Gongkai's own test and bench extras)."""
    found: dict[str, str] = {}
    todo = [(root, frozenset())]
    asked: dict[str, frozenset] = {}
    while todo:
        name, extras = todo.pop()
        key = _normal(name)
        if key in found and extras <= asked.get(key, frozenset()):
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        found[key] = dist.version
        asked[key] = asked.get(key, frozenset()) | extras
        for requirement in dist.requires or ():
            parsed = _REQUIREMENT.match(requirement)
            if not parsed:
                continue
            wanted = _EXTRA.findall(parsed[3] or "")
            if wanted and not set(wanted) & asked[key]:
                continue
            more = frozenset(e.strip() for e in (parsed[2] or "").split(",") if e.strip())
            todo.append((parsed[1], more))
    return found


def fingerprint() -> str:
    """The hash of Gongkai's code, Python's version and every distribution's version."""
    return _fingerprint(tuple(sys.path))


@functools.lru_cache(maxsize=4)
def _fingerprint(_path: tuple) -> str:
    digest = hashlib.sha256()
    for path in sorted(_CODE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(f"python {sys.implementation.name} {sys.version}\n".encode())
    for name, version in sorted(distributions().items()):
        digest.update(f"{name} {version}\n".encode())
    return digest.hexdigest()
