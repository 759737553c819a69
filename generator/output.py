"""Writing the site: a staging folder beside output/, no escapes, no double writes, atomic swap."""
from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


class DoubleWrite(Exception):
    """Two sources want the same output file."""

    def __init__(self, path: str, first: str, second: str):
        super().__init__(path)
        self.path, self.first, self.second = path, first, second


class Staging:
    """A folder next to output/ that becomes output/ only when the build succeeded.

    It is the site before last where there is one (`recycle`, kept in the build cache), brought
    up to date file by file, else a fresh folder. Creating the tens of thousands of folders a
    site has costs far more than linking its files (here about 0.4 ms a folder), and the site
    before last has nearly all of them. Files shared with output/ by hard links are never
    written in place: a file is replaced by unlinking its name first."""

    def __init__(self, output: Path, recycle: Path | None = None, listing: Listing | None = None):
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.recycled = recycle is not None and recycle.is_dir()
        self.root = recycle if self.recycled else Path(
            tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
        self.root_path = str(self.root) + "/"
        self.written: dict[str, str] = {}  # output path → source that wrote it
        self.owners: dict[str, str] = {}  # folder path → the first source that wrote into it
        self.folders: set[str] = set()  # known to exist
        self.linked = 0  # files shared with output/ rather than written
        self.pending: dict[str, tuple[str, int]] = {}  # rel → (file of output/ to link, its inode)
        self.listing = listing if self.recycled else None  # what the recycled folder holds, if known

    def write(self, rel: str, content: bytes, source: str) -> None:
        target = self._fresh(rel, source)
        target.write_bytes(content)

    def link(self, rel: str, existing: str, source: str, inode: int | None = None) -> None:
        """A file the previous build made and this one would make the same: shared, not copied.
        `inode`: the existing file's, where the caller knows it (then rel is a path a build
        wrote before, already checked to stay inside). In a recycled folder, which most often
        shares it already, it is linked by `settle` (one walk, not a stat for each file)."""
        target = self._target(rel, source, checked=inode is not None)
        self.linked += 1
        if self.recycled:
            self.pending[rel] = (existing, inode or os.stat(existing).st_ino)
            return
        self._folder(os.path.dirname(target))
        os.link(existing, target)

    def register(self, rel: str, source: str) -> None:
        """A file a render worker has written into the staging folder."""
        self._target(rel, source)

    def copy(self, rel: str, source_file: Path, source: str) -> None:
        shutil.copyfile(source_file, self._fresh(rel, source))

    def _fresh(self, rel: str, source: str) -> Path:
        target = self._target(rel, source)
        self._folder(os.path.dirname(target))
        replace(target)
        return Path(target)

    def _folder(self, folder: str) -> None:
        if folder not in self.folders:
            make_folder(folder)
            self.folders.add(folder)

    def settle(self, within: tuple[str, ...] = ("",), leave: tuple[str, ...] = ()) -> None:
        """Once every file of the folders `within` ("": the whole site) is written, but those of
        the folders `leave` (settled by a later call): bring the recycled folder to exactly this
        build's site. Remove whatever it holds that this build did not write (what the site
        before last had, and anything put into output/ since, a deploy step's .gz files say,
        which only looking can find), and link each file `link` left pending that it does not
        already share: the folder listing gives each file's inode, so a file it shares costs no
        call of its own."""
        inside = () if "" in within else tuple(top + "/" for top in within)
        outside = tuple(top + "/" for top in leave)
        mine = lambda rel: (not inside or rel.startswith(inside)) and not rel.startswith(outside)  # noqa: E731
        if self.recycled:
            # Without a listing made before (make serve), the folder is listed now.
            self._settle_listed(self.listing or listing(self.root, within, leave), mine)
            for top in within:  # a folder left for this call, and those above it, if nothing of this build is there
                while top and top not in self.owners:
                    try:
                        os.rmdir(self.root_path + top)
                    except FileNotFoundError:
                        pass
                    except OSError:  # not empty
                        break
                    top = top.rpartition("/")[0]
        for rel in sorted(r for r in self.pending if mine(r)):  # not there, or another file was
            existing, _inode = self.pending.pop(rel)
            target = self.root_path + rel
            self._folder(os.path.dirname(target))
            os.link(existing, target)

    def _settle_listed(self, found: Listing, mine: Callable[[str], bool]) -> None:
        """settle, from a listing of the recycled folder, made now or before this build wrote
        anything (only builds write into it, one at a time): what it wrote since is in `written`."""
        files = found.files
        for rel in filter(mine, files):
            inode = files[rel]
            if rel in self.pending:
                if self.pending[rel][1] == inode:
                    del self.pending[rel]  # the site before last already shares it
                    continue
            elif rel in self.written:
                continue
            try:
                os.unlink(self.root_path + rel)
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                pass  # this build made the path, or one of its folders, a folder or a file of its own
        for rel in reversed(found.folders):  # the deepest first
            if rel not in self.owners and mine(rel + "/"):
                try:
                    os.rmdir(self.root_path + rel)
                except OSError:  # not empty: a folder of this build's file took its name; or gone
                    pass

    def _target(self, rel: str, source: str, checked: bool = False) -> str:
        """Where rel goes; `checked`: a path an earlier build wrote, known to stay inside.
        Every path has one owner: a file is neither written twice nor where another source
        writes a folder (doc/R beside doc/R/table-2.csv), and the reverse."""
        if rel in self.written:
            raise DoubleWrite(rel, self.written[rel], source)
        if rel in self.owners:
            raise DoubleWrite(rel, self.owners[rel], source)
        target = self.root_path + rel if checked else inside(self.root, rel)
        end = rel.rfind("/")
        while end > 0:  # its folders, deepest first, up to one seen before (whose own are checked)
            folder = rel[:end]
            if folder in self.owners:
                break
            if folder in self.written:
                raise DoubleWrite(folder, self.written[folder], source)
            self.owners[folder] = source
            end = rel.rfind("/", 0, end)
        self.written[rel] = source
        return target

    def commit(self, keep: Path | None) -> list[str]:
        """Swap staging into output/, in one step where the kernel allows it. Raises OSError
        with output/ as it was; once the new site stands, nothing raises. The previous site
        moves to `keep` (the next build's staging folder), or is removed where it cannot go
        there (another file system): the returned problems say what could not be tidied."""
        os.chmod(self.root, 0o755)  # mkdtemp makes it 0700, unreadable until now; a published site must be readable
        if not os.path.lexists(self.output):
            os.rename(self.root, self.output)
            return []
        if _exchange(self.root, self.output):  # self.root now holds the previous site
            return [] if self.root == keep else _put_away(self.root, keep, None)
        # No exchange here: two renames, the first undone if the second fails.
        aside = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent)) / "site"
        try:
            os.rename(self.output, aside)
        except OSError:
            aside.parent.rmdir()
            raise
        try:
            os.rename(self.root, self.output)
        except OSError:
            os.rename(aside, self.output)
            aside.parent.rmdir()
            raise
        return _put_away(aside, keep, aside.parent)

    def discard(self) -> None:
        """A failed build. A recycled folder stays for the next build, which brings it up to
        date whatever state it was left in."""
        if not self.recycled:
            shutil.rmtree(self.root, ignore_errors=True)


@dataclass(frozen=True)
class Listing:
    """What a folder holds: each file (or link) by path with its inode, each folder in the order
    walked (a folder before what it holds)."""
    inode: int  # of the folder itself: another folder put in its place is another listing
    files: dict
    folders: list


def listing(root: Path, within: tuple[str, ...] = ("",), leave: tuple[str, ...] = ()) -> Listing:
    """What root holds in the folders `within` ("": all of it), but the folders `leave`."""
    files: dict[str, int] = {}
    folders: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if rel not in leave:
                        folders.append(rel)
                        walk(entry.path, rel + "/")
                else:
                    files[rel] = entry.inode()
    inode = os.stat(root).st_ino
    for top in within:
        folder = os.path.join(root, top)
        if not top or os.path.isdir(folder) and not os.path.islink(folder):
            walk(folder, top + "/" if top else "")
    return Listing(inode, files, folders)


class Lister:
    """The next build's staging folder, listed in a thread while the editor reads the page (make
    serve): its settle then needs no walk. A listing holds only while no other build touched the
    folder: `start` writes a token file before listing, every build removes it before it writes
    into the folder (`forget`), and `take` trusts a listing only beside its own token."""

    def __init__(self):
        self.ahead = False  # whether builds list the next staging folder (list_ahead)
        self.thread: threading.Thread | None = None
        self.found: dict = {}  # folder → (token, Listing)

    def start(self, folder: Path, token_file: Path) -> None:
        if self.thread is not None:
            self.thread.join()
        token = os.urandom(16).hex()
        try:
            token_file.write_text(token, encoding="ascii")
        except OSError:
            return
        found = self.found = {}

        def run() -> None:
            try:
                found[folder] = (token, listing(folder))
            except OSError:
                pass
        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def take(self, folder: Path, token_file: Path) -> Listing | None:
        """The listing of `folder`, if no build touched it since (waits for it); else None.
        Then the token is removed: the listing is used once, and only by this build."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        token, found = self.found.pop(folder, (None, None))
        try:
            valid = (found is not None and token_file.read_text(encoding="ascii") == token
                     and os.stat(folder).st_ino == found.inode)
        except OSError:
            valid = False
        forget(token_file)
        return found if valid else None


def forget(token_file: Path) -> None:
    """Before a build writes into its staging folder: a listing of it no longer holds."""
    try:
        os.unlink(token_file)
    except FileNotFoundError:
        pass


LISTER = Lister()


def list_ahead() -> None:
    """From now on, each build lists the next build's staging folder once it is done (make serve)."""
    LISTER.ahead = True


def _put_away(old: Path, keep: Path | None, container: Path | None) -> list[str]:
    """The previous site, out of the published folder's neighbourhood: into the cache where
    it can be recycled, else removed. Never raises: the new site is already published."""
    problems = []
    try:
        if keep is None:
            raise OSError("not kept")
        shutil.rmtree(keep, ignore_errors=True)  # a stale one, if any: this build did not use it
        keep.parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, keep)
    except OSError:
        shutil.rmtree(old, onerror=lambda _f, path, exc: problems.append(f"{path}: {exc[1]}"))
    if container is not None:  # the folder made to hold it for the swap
        try:
            container.rmdir()
        except OSError as exc:
            problems.append(f"{container}: {exc.strerror}")
    return problems[:1]


def overlaps(output: Path, folder: Path, inside_allowed: bool = False) -> bool:
    """Whether writing `output` could touch `folder`: the same folder, one inside the other
    (links resolved). `inside_allowed`: output may lie inside folder (the project's own folder)."""
    out, other = output.resolve(), folder.resolve()
    return out == other or other.is_relative_to(out) or (not inside_allowed and out.is_relative_to(other))


def sweep(output: Path) -> None:
    """Staging folders a build stopped by force (kill -9, power cut) left beside output/: one
    may hold the page of a document withdrawn since. Called with the build lock held."""
    output = output.resolve()
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(f".{output.name}.staging-") and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def replace(path: Path) -> None:
    """Unlink path if it is there, so that writing it makes a new file: the old one may be
    shared with the published site by a hard link. In a recycled folder the path may be a
    folder of the site before last: it goes too."""
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):  # not there, or a file stands where its folder would
        pass
    except IsADirectoryError:
        shutil.rmtree(path)


def make_folder(folder: str) -> None:
    """os.makedirs, where a file of the site before last (recycled) may stand in the way."""
    try:
        os.makedirs(folder, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    blocking, part = None, folder
    while part and not os.path.isdir(part):
        if os.path.lexists(part):
            blocking = part  # the last one found is the nearest to the root
        part = os.path.dirname(part)
    if blocking is not None:
        os.unlink(blocking)
    os.makedirs(folder, exist_ok=True)


def inside(root: Path, rel: str) -> str:
    """root/rel, for a relative POSIX path in normal form that stays inside root."""
    parts = rel.split("/")
    if not rel or "\0" in rel or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return os.path.join(root, *parts)


def _exchange(a: Path, b: Path) -> bool:
    """renameat2(RENAME_EXCHANGE): both paths swap atomically; False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
