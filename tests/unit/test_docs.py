"""README's reference tables are the schema's own words: they cannot drift apart."""
import re
from pathlib import Path

from gongkai import schema
from gongkai.config import SITE_KEYS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_field_table_matches_schema():
    rows = [f"| {f.zh} | `{f.key}` | {'必填' if f.required else '可选'} | {f.doc} |" for f in schema.FIELDS]
    assert "\n".join(rows) in README


def test_config_table_matches_schema():
    rows = [f"| `{key}` | {'必填' if required else '可选'} | {doc} |" for key, (required, _d, doc) in SITE_KEYS.items()]
    assert "\n".join(rows) in README


def test_guide_table_matches_schema():
    from gongkai.config import GUIDE_KEYS
    rows = [f"| `{key}` | {'必填' if required else '可选'} | {doc} |" for key, (required, _d, doc) in GUIDE_KEYS.items()]
    assert "\n".join(rows) in README


def test_identity_table_matches_schema():
    from gongkai.config import IDENTITY_KEYS
    rows = [f"| `{key}` | {'必填' if required else '可选'} | {doc} |" for key, (required, _d, doc) in IDENTITY_KEYS.items()]
    assert "\n".join(rows) in README


def documented_codes() -> set[str]:
    documented = set()
    for kind, low, high in re.findall(r"^\| ([EW])(\d{3})(?:–[EW](\d{3}))? \|", README, re.M):
        documented |= {f"{kind}{n:03d}" for n in range(int(low), int(high or low) + 1)}
    return documented


def test_the_registry_of_codes_is_what_readme_documents():
    from gongkai.errors import CODES
    assert documented_codes() == set(CODES)


def test_every_code_in_the_code_is_registered():
    from gongkai.errors import CODES
    source = "".join(p.read_text(encoding="utf-8") for p in (Path(schema.__file__).parent).glob("*.py"))
    codes = set(re.findall(r"[\"\[]([EW]\d{3})[\"\]]", source))  # "E101" or 错误[E014]; not noqa: E731
    assert codes and codes <= set(CODES), codes - set(CODES)


def test_a_message_with_an_unregistered_code_is_refused():
    from gongkai.errors import Report, UnknownCode
    report = Report()
    for add, code in ((report.add, "E999"), (report.warn, "W299"), (report.add, "W201"), (report.warn, "E001")):
        try:
            add("x.md", 1, 1, code, "消息")
        except UnknownCode:
            continue
        raise AssertionError(f"{code} was accepted")
    assert report.problems == []


def test_editors_guide_explains_every_code():
    guide = (Path(__file__).resolve().parents[2] / "docs/编辑指南.md").read_text(encoding="utf-8")
    source = "".join(p.read_text(encoding="utf-8") for p in (Path(schema.__file__).parent).glob("*.py"))
    codes = set(re.findall(r'"([EW]\d{3})"', source))
    assert codes and {code for code in codes if f"| {code} |" not in guide} == set()
    assert "docs/编辑指南.md" in README


def test_readme_states_the_content_security_policy():
    from gongkai import deploy
    assert f"```\n{deploy.CSP}\n```" in README


def test_search_table_matches_schema():
    from gongkai.config import SEARCH_KEYS
    rows = [f"| `{key}` | {'必填' if required else '可选'} | {doc} |" for key, (required, _d, doc) in SEARCH_KEYS.items()]
    assert "\n".join(rows) in README
