"""The gongkai command: build, check and serve. Exit codes: 0 ok, 1 content problems, 2 usage,
3 a failure outside the content (Pagefind, the file system, Gongkai itself: errors.NOT_CONTENT)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build import build, today
from .config import load_config
from .errors import EXIT_OUTSIDE, NOT_CONTENT, Report
from .schema import parse_date
from .errors import BuildFailed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开专栏静态网站生成器")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for name, help_text in (("build", "生成网站到 output/"), ("serve", "生成网站并在本机预览"),
                            ("check", "只检查内容和配置（包括文号等写法），不生成网站")):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--config", type=Path, default=Path("config.yml"), help="站点配置文件（默认 config.yml）")
        sub.add_argument("--content", type=Path, default=Path("content"), help="内容目录（默认 content/）")
        if name == "check":
            sub.add_argument("--strict", action="store_true", help="把警告也当作错误（有警告时退出码为 1）")
            continue
        sub.add_argument("--output", type=Path, default=Path("output"), help="输出目录（默认 output/）")
        sub.add_argument("-v", "--verbose", action="store_true", help="另外显示各阶段用时和搜索索引的大小")
        sub.add_argument("-q", "--quiet", action="store_true", help="只显示错误")
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000, help="端口（默认 8000；0 表示任选一个空闲端口）")
    new = commands.add_parser("new", help="新建一篇文档（元数据已填好）")
    new.add_argument("--config", type=Path, default=Path("config.yml"), help="站点配置文件（默认 config.yml）")
    new.add_argument("--content", type=Path, default=Path("content"), help="内容目录（默认 content/）")
    new.add_argument("--title", help="标题")
    new.add_argument("--category", help="公开目录（完整路径，或唯一的目录名称）")
    new.add_argument("--agency", help="发布机构")
    new.add_argument("--date", help="发布日期（默认今天）")
    imp = commands.add_parser("import", help="把旧系统导出的 CSV 或 JSONL 转成 content/ 中的文档")
    imp.add_argument("source", type=Path, help="导出文件（.csv 或 .jsonl）")
    imp.add_argument("--map", type=Path, required=True, help="映射文件（YAML），说明哪一列对应哪个字段")
    imp.add_argument("--config", type=Path, default=Path("config.yml"), help="站点配置文件（默认 config.yml）")
    imp.add_argument("--content", type=Path, default=Path("content"), help="内容目录（默认 content/）")
    nginx = commands.add_parser("nginx", help="写出部署用的 nginx 配置 deploy/nginx.conf（不在 output/ 中）")
    nginx.add_argument("--config", type=Path, default=Path("config.yml"), help="站点配置文件（默认 config.yml）")
    nginx.add_argument("--output", type=Path, default=Path("output"), help="生成的网站所在目录（默认 output/）")
    nginx.add_argument("--root", type=Path, help="网站服务器上网站所在的目录（默认 --output 的绝对路径）")
    args = parser.parse_args(argv)
    try:
        code = _run(args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: editors never see a traceback
        return _internal_error(args, exc)
    if argv is None and args.command == "build":
        _exit_now(code)
    return code


def _exit_now(code: int) -> None:
    """The build is done and every file is closed: end the process without freeing its objects
    one by one (the state and the site model of ten thousand documents: half a second)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # nobody reads the output any more: the site is built all the same
        pass
    os._exit(code)


def _internal_error(args, exc: Exception) -> int:
    """An error Gongkai did not foresee: a coded message, and the details in a file for whoever maintains it."""
    import tempfile
    import traceback
    details = "".join(traceback.format_exception(exc))
    try:
        fd, path = tempfile.mkstemp(prefix="gongkai-error-", suffix=".txt")
        with open(fd, "w", encoding="utf-8") as out:
            out.write(details)
    except OSError:
        path = "（无法保存）"
    print(f"{getattr(args, 'config', 'config.yml')}:1:1: 错误[E014]: Gongkai 内部错误（{type(exc).__name__}），"
          f"{getattr(args, 'output', 'output')}/ 保持不变\n"
          f"  提示：请把这条信息和错误详情文件 {path} 发给网站管理员。", file=sys.stderr)
    return EXIT_OUTSIDE


def _run(args) -> int:

    if args.command == "import":
        return run_import(args)
    if args.command == "new":
        return run_new(args)
    if args.command == "check":
        return run_check(args)
    if args.command == "nginx":
        return run_nginx(args)
    if args.command == "serve":
        from . import serve  # imported when used: the build, run many times a day, needs neither
        return serve.run(args)
    return run_build(args)


def run_build(args) -> int:
    try:
        result = build(args.config, args.content, args.output, progress=not args.quiet)
    except BuildFailed as failed:
        errors = failed.report.errors
        print(failed.report.format(), file=sys.stderr)
        print(f"构建失败：共 {len(errors)} 个错误，{args.output}/ 保持不变。", file=sys.stderr)
        return EXIT_OUTSIDE if errors and all(e.code in NOT_CONTENT for e in errors) else 1
    if args.quiet:
        return 0
    print(result.summary())
    if result.report.warnings:
        print(result.report.format("警告"), file=sys.stderr)
        print(f"共 {len(result.report.warnings)} 个警告（网站已生成）。", file=sys.stderr)
    if args.verbose:
        print(result.details())
    return 0


def _config(args):
    """config.yml for the commands that only read it; None after printing its problems."""
    report = Report()
    config = load_config(args.config, report)
    if config is None or report.errors:
        print(report.format(), file=sys.stderr)
        return None
    return config


def run_new(args) -> int:
    config = _config(args)
    if config is None:
        return 1
    values = {}
    for name, label in (("title", "标题"), ("category", "公开目录"), ("agency", "发布机构")):
        value = (getattr(args, name) or "").strip()
        if not value and sys.stdin.isatty():
            value = input(f"{label}：").strip()
        if not value:
            print(f"请给出{label}（--{name}）。", file=sys.stderr)
            return 2
        values[name] = value
    date = parse_date(args.date) if args.date else today()
    if date is None:
        print(f"发布日期「{args.date}」不是有效的日期。", file=sys.stderr)
        return 2
    from .new import NewFailed, create  # imported when used, as check and serve are
    try:
        created = create(config, args.content, values["title"], values["category"], values["agency"], date)
    except NewFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已创建 {created.path}（索引号: {created.index_no}）。打开它，写上正文，然后运行 make。")
    return 0


def run_import(args) -> int:
    from . import importer  # imported when used (BeautifulSoup is slow to load)
    config = _config(args)
    if config is None:
        return 1
    try:
        outcome = importer.import_rows(config, args.source, importer.load_mapping(args.map), args.content)
    except importer.ImportFailed as exc:
        print(f"无法导入：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # content/ itself unreadable; a file that cannot be written only refuses its row
        print(f"无法导入：读写 {exc.filename} 时出错（{importer.why(exc)}）", file=sys.stderr)
        return 2
    # Refused and held-back rows in file order; values from the export shown without their control characters.
    lines = [(n, "未导入：" + reason) for n, reason in outcome.refused] + [(n, "注意：" + note) for n, note in outcome.held]
    for number, line in sorted(lines):
        print(f"{args.source}:{number}: {importer.printable(line)}", file=sys.stderr)
    held = f"（其中 {len(outcome.held)} 篇的公开方式从严）" if outcome.held else ""
    print(f"导入完成：写入 {len(outcome.written)} 篇{held}，未导入 {len(outcome.refused)} 行。")
    return 0


def run_nginx(args) -> int:
    from . import deploy
    config = _config(args)
    if config is None:
        return 1
    try:
        target = deploy.write(config, args.root or args.output)
    except ValueError as exc:  # a path nginx cannot express ($ or control characters)
        print(str(exc), file=sys.stderr)
        return 2
    print(f"已写出 {target}：放进 nginx 的 http {{}} 中使用（见 README「部署到 nginx」）。")
    return 0


def run_check(args) -> int:
    from .stages import check  # imported when used, as serve is: a build with nothing to do needs neither
    report, documents = check(args.config, args.content)
    if report.problems:
        print(report.format(), file=sys.stderr)
    errors, warnings = len(report.errors), len(report.warnings)
    print(f"检查完成：文档 {documents} 篇，错误 {errors} 个，警告 {warnings} 个。")
    return 1 if errors or (args.strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
