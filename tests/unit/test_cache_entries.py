"""The build state's large mappings, kept entry by entry (cache.Entries): decoded when asked for,
written back as the same bytes when unchanged, and a damaged entry is as if it were missing."""
from __future__ import annotations

from gongkai import cache as cache_module
from gongkai.cache import Cache, Made, State, Written


def made(key: str) -> Made:
    return Made(key, (Written("doc/a/index.html", "a.md", 1, 2, 3),))


def test_an_unchanged_entry_is_not_encoded_again(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "output", tmp_path)
    cache.save(State(generator="g", jobs={"doc:a": made("ka"), "doc:b": made("kb")}))
    again = Cache(tmp_path / "output", tmp_path)
    state = again.load("g")
    assert state.jobs.get("doc:a") == made("ka") and state.jobs.get("doc:x") is None
    encoded = []
    real = cache_module.stored.dumps
    monkeypatch.setattr(cache_module.stored, "dumps", lambda value: encoded.append(value) or real(value))
    state.jobs = {"doc:a": state.jobs.get("doc:a"), "doc:c": made("kc")}  # a kept, b gone, c new
    again.save(state)
    assert [value for value in encoded if isinstance(value, Made)] == [made("kc")]
    monkeypatch.undo()
    third = Cache(tmp_path / "output", tmp_path).load("g")
    assert third.jobs.get("doc:a") == made("ka") and third.jobs.get("doc:c") == made("kc")
    assert third.jobs.get("doc:b") is None


def test_a_damaged_entry_is_as_if_it_were_not_there(tmp_path):
    cache = Cache(tmp_path / "output", tmp_path)
    cache.root.mkdir(parents=True)
    # Bytes that are no stored value, and a stored value of the wrong kind: both read as missing.
    cache._write("state", State(generator="g", jobs={"doc:a": b"\xff\x00 not cbor",
                                                     "doc:b": cache_module.stored.dumps(State())}))
    state = Cache(tmp_path / "output", tmp_path).load("g")
    assert state.jobs.get("doc:a") is None and state.jobs.get("doc:b") is None


def test_a_state_this_process_saved_is_not_decoded_again_unless_the_file_changed(tmp_path):
    cache = Cache(tmp_path / "output", tmp_path)
    state = State(generator="g", jobs={"doc:a": made("ka")})
    cache.save(state)
    assert Cache(tmp_path / "output", tmp_path).load("g") is state  # make serve: build after build
    assert Cache(tmp_path / "output", tmp_path).load("other").jobs == {}  # another toolchain: afresh
    cache.save(state)
    path = cache.root / "state"
    path.write_bytes(path.read_bytes())  # written again by someone else, as it was
    again = Cache(tmp_path / "output", tmp_path).load("g")
    assert again is not state and again.jobs.get("doc:a") == made("ka")
