"""Editor-facing problems: coded, located, in Chinese, collected rather than raised one by one."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


# Every message code, with what it is about: the one list of codes. Report refuses a code not
# here, and README's tables of codes are checked against it (tests/unit/test_docs.py).
CODES = {
    "E001": "找不到配置文件", "E002": "配置文件格式错误", "E003": "配置中有未知的键", "E004": "配置缺少必填的键",
    "E005": "配置的值不对", "E006": "配置中重复的项", "E007": "网址目录名被系统占用", "E008": "找不到主题",
    "E009": "模板错误", "E010": "建立搜索索引失败", "E011": "找不到指南中的申请表",
    "E012": "输出目录与源文件重叠", "E013": "读写文件失败", "E014": "Gongkai 内部错误",
    "E015": "static/ 中不能用的文件", "E016": "SOURCE_DATE_EPOCH 不是有效的时间",
    "E100": "找不到内容目录", "E101": "没有元数据块", "E102": "元数据块没有结束", "E103": "元数据块格式错误",
    "E104": "元数据不是「字段: 值」", "E105": "未知的字段", "E106": "缺少必填字段", "E107": "字段写了两次",
    "E108": "日期不对", "E109": "公开目录不对", "E110": "发布机构不对", "E111": "公开方式不对", "E112": "有效性不对",
    "E113": "索引号重复", "E114": "附件找不到", "E115": "附件不在 content/ 内", "E116": "解读对象不是本站文档",
    "E117": "替代文件不是本站文档", "E118": "字段的写法不对", "E119": "两个来源生成同一个文件",
    "E120": "文件不是 UTF-8 编码", "E121": "必填字段是空的", "E122": "文件是指向 content/ 以外的链接",
    "E123": "索引号中有空格", "E124": "年报中的数字写法不对", "E125": "文件是空的", "E126": "文件太大",
    "E127": "附件是文档的源文件或隐藏文件", "E128": "附件也是不公开文件的附件", "E129": "元数据中有控制字符",
    "E130": "索引号太长", "E131": "文件无法读取",
    "W201": "没有同步发布的政策解读", "W202": "栏目超过六个月没有更新", "W203": "文件是 GBK 编码",
    "W205": "文号不符合 GB/T 9704", "W206": "图片没有替代文字", "W207": "链接指向的文件不存在",
    "W208": "空标题或标题下没有内容", "W209": "索引号不符合 index_scheme", "W210": "正文嵌套太深",
    "W211": "正文某段排版太费时间", "W212": "标签没有结束", "W213": "正文太长或太零碎", "W214": "正文中有控制字符",
    "W215": "缓存或上一版网站没能整理", "W216": "空白栏目",
}


# Errors whose cause is not in the content or config: a tool (Pagefind), the file system, or
# Gongkai itself. A build failing only with these exits with OUTSIDE, not 1, so that scripts and
# CI can tell "fix your document" from "fix the machine".
NOT_CONTENT = frozenset({"E010", "E013", "E014"})
EXIT_CONTENT, EXIT_USAGE, EXIT_OUTSIDE = 1, 2, 3


class UnknownCode(ValueError):
    """A message with a code CODES does not hold: a mistake in Gongkai, caught by its tests."""


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
        self.problems.append(Problem(self.display(path), line, col, _known(code, "E"), message, hint))

    def warn(self, path: Path | str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        """A problem that does not stop the build (W2xx): printed after the summary."""
        self.problems.append(Problem(self.display(path), line, col, _known(code, "W"), message, hint, "警告"))

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


def _known(code: str, kind: str) -> str:
    if code not in CODES or not code.startswith(kind):
        raise UnknownCode(f"{code} is not a registered {'error' if kind == 'E' else 'warning'} code (errors.CODES)")
    return code
