"""The short names readers type for an agency: 省工信厅 for 河北省工业和信息化厅, 省政府 for
河北省人民政府. Documents are indexed under these too (postings.py), so a search by the name
people use finds the documents published under the full one.

Derived by rules that only shorten what every reader shortens, and only where the result is
still one agency: the place name before 省/市/县/区 becomes 省/市/县/区; 人民政府 becomes 政府;
委员会 becomes 委; a name of two words joined by 和 keeps the first character of each (工业和信息化
→ 工信, 人力资源和社会保障 → 人社, 发展和改革 → 发改). Anything else (科学技术厅 → 科技厅) is written
in config.yml as `aliases:` of the agency. A derived name two agencies share is dropped.
"""
from __future__ import annotations

import re

_PLACE = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,7}?)(?P<level>省|自治区|市|县|区)(?P<rest>[\u4e00-\u9fff]{2,})$")
_ORGAN = re.compile(r"(政府|办公厅|办公室|厅|局|委员会|委|办)$")
_LOWER = re.compile(r"[省市县区镇乡]|街道")  # a second place in the rest: 县永岁镇政府 is no one's short name
_JOINED = re.compile(r"^(?P<a>[\u4e00-\u9fff]{2,4})和(?P<b>[\u4e00-\u9fff]{2,4}?)(?P<organ>厅|局|委员会|委)$")


def derived(name: str) -> list[str]:
    """Short names of one agency's full name, longest first; [] where no rule applies."""
    found: list[str] = []

    def add(alias: str) -> None:
        if alias != name and alias not in found:
            found.append(alias)
    body = name.replace("人民政府", "政府")
    add(body)
    place = _PLACE.match(body)
    if place and _ORGAN.search(place["rest"]) and not _LOWER.search(place["rest"]) and not name.startswith("中共"):
        short = place["level"] + place["rest"]
        joined = _JOINED.match(place["rest"])
        add(short)
        if joined:
            add(place["level"] + joined["a"][0] + joined["b"][0] + joined["organ"])
    for alias in list(found):
        if alias.endswith("委员会"):
            add(alias[: -len("委员会")] + "委")
    return [a for a in found if len(a) >= 3]


def searched(agencies) -> tuple[str, ...]:
    """Every agency's full name and short names, longest first: search.js splits a query where
    one of them meets the words after it (省工信厅专精特新 is 省工信厅 专精特新)."""
    found = {agency.name for agency in agencies}
    for short in aliases(agencies).values():
        found.update(short)
    return tuple(sorted(found, key=lambda n: (-len(n), n)))


def aliases(agencies) -> dict[str, tuple[str, ...]]:
    """Agency name → its short names: those config.yml gives, then the derived ones no other
    agency of the site also derives or is called."""
    taken: dict[str, int] = {}
    for agency in agencies:
        for alias in set(derived(agency.name)):
            taken[alias] = taken.get(alias, 0) + 1
    names = {agency.name for agency in agencies}
    result = {}
    for agency in agencies:
        own = list(agency.aliases)
        own += [a for a in derived(agency.name) if taken[a] == 1 and a not in names and a not in own]
        result[agency.name] = tuple(own)
    return result
