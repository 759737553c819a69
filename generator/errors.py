"""Editor-facing problems: coded, located, in Chinese, collected rather than raised one by one."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, printed as `path:line:col: 错误[Exxx]: message` plus a hint."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: str = "错误"

    def format(self) -> str:
        head = f"{self.path}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}"
        return f"{head}\n  提示：{self.hint}" if self.hint else head


@dataclass
class Report:
    """Collects every problem of a build so editors see all of them at once."""

    root: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path | str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.display(path), line, col, code, message, hint))

    def warn(self, path: Path | str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        """A problem that does not stop the build (W2xx): printed after the summary."""
        self.problems.append(Problem(self.display(path), line, col, code, message, hint, "警告"))

    def display(self, path: Path | str) -> str:
        """Paths relative to the working directory when possible: what editors click on."""
        # abspath, not resolve: a symlink is shown under its own name, where the editor sees it.
        p = Path(os.path.abspath(path))
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "错误"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == "警告"]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=lambda p: (p.path, p.line, p.col, p.code, p.message))

    def format(self, severity: str | None = None) -> str:
        return "\n".join(p.format() for p in self.sorted() if severity in (None, p.severity))


class BuildFailed(Exception):
    """Raised once, after a stage has collected all its problems."""

    def __init__(self, report: Report):
        super().__init__(report.format())
        self.report = report
