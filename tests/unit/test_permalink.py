
from hypothesis import given, strategies as st

from gongkai.model import permalink
from gongkai.render import relative


def test_plain_index_numbers_keep_their_shape():
    assert permalink("000014349/2019-00007") == "000014349/2019-00007"
    assert permalink("1560037521/dsjj/2021-0000065") == "1560037521/dsjj/2021-0000065"


def test_unsafe_parts_are_escaped():
    assert permalink("兰山/..") == "~E5~85~B0~E5~B1~B1/~2E."
    assert permalink("a b~c") == "a~20b~7Ec"
    assert ".." not in permalink("../../etc").split("/")


@given(st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=6, unique=True))
def test_distinct_index_numbers_never_share_a_page(numbers):
    links = [permalink(n) for n in numbers]
    assert len(set(links)) == len(links)
    for link in links:
        assert not any(part in ("", ".", "..") for part in link.split("/"))


def test_relative_links_between_pages():
    assert relative("", "doc/a/b/") == "../../../"
    assert relative("static/site.css", "") == "static/site.css"
    assert relative("doc/a/", "fd/gh/page/2/") == "../../../../doc/a/"
    assert relative("fd/", "fd/") == "./"
    assert relative("files/附件 1.pdf", "doc/x/") == "../../files/%E9%99%84%E4%BB%B6%201.pdf"
