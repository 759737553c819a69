"""What one build hands to the next in the same process. make serve builds again and again in
one process from the same objects (the build cache's documents, cache.py; an unchanged
config.yml's Config, config.py); results made from those frozen objects are kept by their
identity, so that the next build gets the same objects back and what is remembered of them
(their digests, frozen.Digests) still holds. A CLI build starts with nothing kept."""
from __future__ import annotations


class Carried:
    """Results of one computation, each kept with the objects it was made from (kept alive, so
    that an id is never another object's). `turn` ends a build: what it did not use is dropped."""

    def __init__(self):
        self._last: dict[int, tuple] = {}
        self._now: dict[int, tuple] = {}

    def get(self, source, *inputs):
        """The result made from `source` and the very same `inputs`, or None."""
        for kept in (self._now, self._last):
            entry = kept.get(id(source))
            if (entry is not None and entry[0] is source and len(entry[1]) == len(inputs)
                    and all(a is b for a, b in zip(entry[1], inputs))):
                self._now[id(source)] = entry
                return entry[2]
        return None

    def put(self, source, inputs: tuple, result):
        self._now[id(source)] = (source, inputs, result)
        return result

    def turn(self) -> None:
        self._last, self._now = self._now, {}
