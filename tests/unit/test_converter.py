"""The 繁體 converter changes only what people read: text, and the attributes on its allow-list."""
from __future__ import annotations

from gongkai.traditional import Converter


def test_only_attributes_people_read_are_converted():
    page = ('<a href="/发布/头发/" id="发布" class="发布" data-label="发布" data-root="/发布/" '
            'title="发布" aria-label="发布">发布</a><img src="发布.png" alt="头发">'
            '<input placeholder="发布" value="发布" name="发布"><meta name="发布" content="发布">')
    out = Converter("s2t").html(page)
    assert out == ('<a href="/发布/头发/" id="发布" class="发布" data-label="发布" data-root="/发布/" '
                   'title="發佈" aria-label="發佈">發佈</a><img src="发布.png" alt="頭髮">'
                   '<input placeholder="發佈" value="發佈" name="发布"><meta name="发布" content="發佈">')


def test_an_attribute_nobody_listed_keeps_its_value():
    # A theme's new attribute is kept, not converted: a keep-list would have broken it.
    out = Converter("s2t").html('<div data-new-thing="发布" hx-get="/发布/">发布</div>')
    assert out == '<div data-new-thing="发布" hx-get="/发布/">發佈</div>'
