"""Gongkai installs as a package: `pip install .` (not editable) into a new virtual environment,
then `gongkai build` of a column kept in a folder of its own (config.yml and content/ only, no
themes/ beside it) builds the site with the theme that ships inside the package."""
from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pip_install_builds_a_column_in_its_own_folder(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # The libraries Gongkai needs come from this environment (no network in tests): a .pth file
    # adds its site-packages after the new environment's own, where Gongkai itself is installed.
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "zz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    source = tmp_path / "source"  # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", "output", ".gongkai-cache", ".git", "node_modules",
                                                                  "*.egg-info", "build", "screenshots", ".work"))
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                                "--no-index", str(source)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr[-3000:]
    column = tmp_path / "column"
    column.mkdir()
    shutil.copy(ROOT / "config.yml", column / "config.yml")
    shutil.copytree(ROOT / "content", column / "content")
    built = subprocess.run([str(venv / "bin" / "gongkai"), "build", "-q"], cwd=column, capture_output=True, text=True,
                           timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    where = subprocess.run([str(python), "-c", "import gongkai; print(gongkai.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(site)), where  # the installed copy, not the checkout
    assert (Path(where).parent / "themes" / "default" / "templates" / "document.html").is_file()
    page = (column / "output" / "doc" / "lanshanqufczzf" / "2021-0000566" / "index.html").read_text(encoding="utf-8")
    assert "方城镇政务公开工作考核办法" in page
    assert (column / "output" / "static" / "site.css").is_file() and (column / "output" / "postings" / "index.json").is_file()
    assert sorted(p.name for p in column.iterdir()) == [".gongkai-cache", "config.yml", "content", "output"]
