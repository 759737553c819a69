"""Published documents → the Site: indexes by category, agency, year and reference."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from . import validity
from .config import Category, Config
from .model import Document, Site


def build_site(config: Config, documents: list[Document], build_date: dt.date) -> Site:
    """Only gated documents come in; every index is sorted newest first, ties by 索引号."""
    docs = tuple(sorted((validity.as_of(d, build_date) for d in documents), key=lambda d: d.sort_key))
    by_category, by_agency, by_year = defaultdict(list), defaultdict(list), defaultdict(list)
    interpretations, replaces = defaultdict(list), defaultdict(list)
    for doc in docs:
        path = doc.category.path
        for depth in range(1, len(path) + 1):
            by_category["/".join(path[:depth])].append(doc)
        for agency in doc.agencies:
            by_agency[agency.slug].append(doc)
        by_year[doc.date.year].append(doc)
        if doc.interprets:
            interpretations[doc.interprets].append(doc)
        if doc.superseded_by:
            replaces[doc.superseded_by].append(doc)
    return Site(
        config=config,
        documents=docs,
        build_date=build_date,
        by_index={doc.index_no: doc for doc in docs},
        by_category={k: tuple(v) for k, v in by_category.items()},
        by_agency={k: tuple(v) for k, v in by_agency.items()},
        by_year={k: tuple(v) for k, v in sorted(by_year.items(), reverse=True)},
        interpretations={k: tuple(v) for k, v in interpretations.items()},
        replaces={k: tuple(v) for k, v in replaces.items()},
        current_rules=tuple(d for d in docs if validity.is_normative(d) and d.validity == validity.VALID),
        ended=tuple(d for d in docs if d.validity != validity.VALID),
        shown_categories=shown(config.categories, by_category) if config.hide_empty_columns else config.categories,
    )


def shown(categories: tuple[Category, ...], by_category) -> tuple[Category, ...]:
    """The columns holding a document somewhere in their subtree, each with its children filtered alike."""
    return tuple(replace(c, children=shown(c.children, by_category)) for c in categories if by_category.get(c.key))
