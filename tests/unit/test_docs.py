"""README's reference tables are the schema's own words: they cannot drift apart."""
import re
from pathlib import Path

from generator import schema
from generator.config import SITE_KEYS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_field_table_matches_schema():
    rows = [f"| {f.zh} | `{f.key}` | {'必填' if f.required else '可选'} | {f.doc} |" for f in schema.FIELDS]
    assert "\n".join(rows) in README


def test_config_table_matches_schema():
    rows = [f"| `{key}` | {'必填' if required else '可选'} | {doc} |" for key, (required, _d, doc) in SITE_KEYS.items()]
    assert "\n".join(rows) in README


def test_guide_table_matches_schema():
    from generator.config import GUIDE_KEYS
    rows = [f"| `{key}` | {'必填' if required else '可选'} | {doc} |" for key, (required, _d, doc) in GUIDE_KEYS.items()]
    assert "\n".join(rows) in README


def test_identity_table_matches_schema():
    from generator.config import IDENTITY_KEYS
    rows = [f"| `{key}` | {'必填' if required else '可选'} | {doc} |" for key, (required, _d, doc) in IDENTITY_KEYS.items()]
    assert "\n".join(rows) in README


def test_every_error_code_in_the_code_is_documented():
    source = "".join(p.read_text(encoding="utf-8") for p in (Path(schema.__file__).parent).glob("*.py"))
    codes = set(re.findall(r'"(E\d{3})"', source))
    documented = set()
    for low, high in re.findall(r"\| (E\d{3})(?:–(E\d{3}))? \|", README):
        start, end = int(low[1:]), int((high or low)[1:])
        documented |= {f"E{n:03d}" for n in range(start, end + 1)}
    assert codes and codes <= documented


def test_editors_guide_explains_every_code():
    guide = (Path(__file__).resolve().parents[2] / "docs/编辑指南.md").read_text(encoding="utf-8")
    source = "".join(p.read_text(encoding="utf-8") for p in (Path(schema.__file__).parent).glob("*.py"))
    codes = set(re.findall(r'"([EW]\d{3})"', source))
    assert codes and {code for code in codes if f"| {code} |" not in guide} == set()
    assert "docs/编辑指南.md" in README


def test_readme_states_the_content_security_policy():
    from generator import deploy
    assert f"```\n{deploy.CSP}\n```" in README


def test_search_table_matches_schema():
    from generator.config import SEARCH_KEYS
    rows = [f"| `{key}` | {'必填' if required else '可选'} | {doc} |" for key, (required, _d, doc) in SEARCH_KEYS.items()]
    assert "\n".join(rows) in README
