"""make_site(): a mini-site written inline by a test, built in a temporary folder."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from gongkai.build import BuildResult, build
from gongkai.errors import BuildFailed

CONFIG = """\
name: 测试专栏
base_url: https://example.gov.cn/
agencies:
  - {name: 测试局, slug: csj}
  - {name: 第二局, slug: dej}
categories:
  - name: 法定主动公开内容
    slug: fd
    children:
      - {name: 法规文件, slug: fg, children: [{name: 行政规范性文件, slug: gf}]}
      - {name: 规划计划, slug: gh}
  - name: 政府信息公开指南
    slug: zn
"""


def doc(title="测试文件", index_no="csj/2024-0000001", category="法定主动公开内容/规划计划", agency="测试局",
        date="2024-01-05", mode="主动公开", body="正文内容。", **extra) -> str:
    """One document's source text; extra fields are written with their Chinese or English keys as given."""
    lines = [f"标题: {title}", f"索引号: {index_no}", f"公开目录: {category}", f"发布机构: {agency}",
             f"发布日期: {date}", f"公开方式: {mode}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


@dataclass
class MiniSite:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.yml"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, rel: str, text: str) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self) -> BuildResult:
        return build(self.config, self.content, self.output)

    def build_fails(self) -> list[str]:
        """Build expecting failure; the formatted problems, one string each."""
        try:
            self.build()
        except BuildFailed as failed:
            return [p.format() for p in failed.report.sorted() if p.severity == "错误"]
        raise AssertionError("the build was expected to fail")

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.output).as_posix(): p.read_bytes()
                for p in sorted(self.output.rglob("*")) if p.is_file()}

    def page(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")


def make_site(root: Path, docs: dict[str, str] | None = None, config: str = CONFIG) -> MiniSite:
    """Write config.yml and content/<name> for each entry of `docs` under root."""
    site = MiniSite(root)
    root.mkdir(parents=True, exist_ok=True)
    site.config.write_text(textwrap.dedent(config), encoding="utf-8")
    site.content.mkdir(exist_ok=True)
    for rel, text in (docs or {}).items():
        site.write(rel, text)
    return site


def config_for(agencies: list[dict], category_paths: list[str], name: str = "测试专栏") -> str:
    """A config.yml declaring these agencies and the category tree these paths ("a/b/c") make."""
    tree: dict = {}
    for path in category_paths:
        node = tree
        for part in path.split("/"):
            node = node.setdefault(part, {})

    def nested(node: dict) -> list[dict]:
        return [{"name": part, **({"children": nested(children)} if children else {})} for part, children in node.items()]
    return yaml.safe_dump({"name": name, "base_url": "https://example.gov.cn/", "agencies": agencies,
                           "categories": nested(tree)}, allow_unicode=True, sort_keys=False)


def corpus_config(corpus_yml: Path) -> str:
    """The config for a corpus from ../shared/bench/make_corpus.py, from the corpus.yml it writes."""
    spec = yaml.safe_load(corpus_yml.read_text(encoding="utf-8"))
    agencies = [{"name": a["name"], "slug": a["code"], "code": a["code"]} for a in spec["agencies"]]
    return config_for(agencies, spec["categories"], name="基准专栏")
