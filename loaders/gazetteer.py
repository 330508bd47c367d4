"""The built-in gazetteer (forces, bodies, people) and technology vocabulary.

Both are data files in ``loaders/data/``. `Gazetteer.resolve_entity` turns an id, a name
or an alias ("the Met", "Kent's", "BBW") into one entity, or raises `UnknownEntity`
naming the nearest known names.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import ChainMap
from dataclasses import dataclass, replace
from pathlib import Path

from graph.errors import SchemaError, UnknownEntity
from graph.model import load_yaml

DATA = Path(__file__).parent / "data"

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"'})


@functools.lru_cache(maxsize=65536)  # the same few thousand names recur in every sheet
def normalise_name(name: str) -> str:
    """Fold a name for lookup: case, quotes, dashes, a leading "the", a possessive.

    >>> normalise_name("Kent’s")
    'kent'
    >>> normalise_name("The National Police Chiefs' Council")
    'national police chiefs council'
    >>> normalise_name("Dyfed-Powys  Police")
    'dyfed powys police'
    """
    s = unicodedata.normalize("NFKC", str(name)).translate(_QUOTES).casefold().strip()
    s = s.replace("&", " and ")
    s = _DASHES.sub(" ", s)
    s = _POSSESSIVE.sub("", s)
    s = _PLURAL_POSSESSIVE.sub("s", s)
    s = _PUNCTUATION.sub(" ", s)
    s = _SPACES.sub(" ", s).strip()
    return s[4:] if s.startswith("the ") else s


# compiled once: opening a store of 5,000 people folds every name (re.sub looked each
# pattern up in its cache, twice the time of the substitutions)
_DASHES = re.compile(r"[\u2010-\u2015\-_/]+")
_POSSESSIVE = re.compile(r"'s\b")
_PLURAL_POSSESSIVE = re.compile(r"s'(?=\s|$)")
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def slug(name: str) -> str:
    """An id from a name: ``Hannah Couchman`` → ``hannah-couchman``."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s or "unnamed"


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str  # Force | Body | Person
    kind: str | None = None
    nation: str | None = None
    role: str | None = None
    member_of: str | None = None  # an entity id
    aliases: tuple[str, ...] = ()
    builtin: bool = True


@dataclass(frozen=True)
class Technology:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()


class Gazetteer:
    """Entities and technologies with a name index.

    `extended` puts a layer on top (a sheet's own entities, or the store's) without
    copying the layers below, so a bulk import can give every sheet its own layer
    cheaply; `learn` adds to the top layer in place.
    """

    def __init__(self, entities: dict[str, Entity], technologies: dict[str, Technology],
                 parent: Gazetteer | None = None):
        self._own: dict[str, Entity] = {}
        self._index: dict[str, set[str]] = {}
        self.parent = parent
        self.technologies = technologies
        self.entities = ChainMap(self._own, parent.entities) if parent else self._own
        # technologies are shared by every layer, and so are their closures
        self._closures: dict[str, tuple[str, ...]] = parent._closures if parent else {}
        if parent is None:
            self._tech_index: dict[str, set[str]] = {}
            for t in technologies.values():
                for n in (t.id, t.name, *t.aliases):
                    self._tech_index.setdefault(normalise_name(n), set()).add(t.id)
        else:
            self._tech_index = parent._tech_index
        self.learn(entities.values())

    def learn(self, entities) -> None:
        """Add ``entities`` to this layer (an id already known below gains their aliases)."""
        for e in entities:
            known = self.entities.get(e.id)
            if known is not None and known != e:
                merged = tuple(dict.fromkeys((*known.aliases, *e.aliases)))
                e = replace(known, aliases=merged, role=known.role or e.role,
                            member_of=known.member_of or e.member_of)
            self._own[e.id] = e
            for n in (e.id, e.name, *e.aliases):
                key = normalise_name(n)
                if key:
                    self._index.setdefault(key, set()).add(e.id)

    def extended(self, entities) -> Gazetteer:
        """A new layer on top of this one that also knows ``entities``."""
        return Gazetteer({e.id: e for e in entities}, self.technologies, parent=self)

    def _ids(self, key: str) -> set[str]:
        ids: set[str] = set()
        g = self
        while g is not None:
            ids |= g._index.get(key, set())
            g = g.parent
        return ids

    def _all_keys(self) -> dict[str, set[str]]:
        keys: dict[str, set[str]] = {}
        g = self
        while g is not None:
            for k, v in g._index.items():
                keys.setdefault(k, set()).update(v)
            g = g.parent
        return keys

    def lookup(self, name: str) -> list[Entity]:
        """Every entity whose id, name or alias folds to the same as ``name``."""
        return [self.entities[i] for i in sorted(self._ids(normalise_name(name)))]

    def resolve_entity(self, name: str, types: tuple[str, ...] | None = None) -> Entity:
        """The one entity ``name`` denotes, or `UnknownEntity` with the nearest names."""
        if not isinstance(name, str) or not name.strip():
            raise UnknownEntity("empty entity name", hint="give an id, a name or an alias")
        found = self.lookup(name)
        if types:
            found = [e for e in found if e.type in types]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(f"{e.name} ({e.id})" for e in found)
            raise UnknownEntity(f"ambiguous name {name!r}: could be {names}",
                                hint="use the id")
        raise UnknownEntity(f"unknown entity {name!r}",
                            hint=self._suggest(name, self._all_keys(), self.entities, types)
                            + "; or declare it under `entities:`")

    def resolve_technology(self, name: str) -> Technology:
        ids = self._tech_index.get(normalise_name(str(name)), set())
        if len(ids) == 1:
            return self.technologies[next(iter(ids))]
        raise UnknownEntity(f"unknown technology {name!r}",
                            hint=self._suggest(str(name), self._tech_index, self.technologies))

    def broader_closure(self, tech_id: str) -> list[str]:
        """The technology and every broader one, nearest first."""
        known = self._closures.get(tech_id)
        if known is None:
            known = self._closures[tech_id] = tuple(self._closure(tech_id))
        return list(known)

    def _closure(self, tech_id: str) -> list[str]:
        out, todo = [], [tech_id]
        while todo:
            t = todo.pop(0)
            if t in out:
                continue
            out.append(t)
            todo.extend(self.technologies[t].broader)
        return out

    @staticmethod
    def _suggest(name, index, table, types=None) -> str:
        keys = difflib.get_close_matches(normalise_name(name), list(index), n=8, cutoff=0.6)
        names = []
        for k in keys:
            for i in sorted(index[k]):
                item = table[i]
                if types and getattr(item, "type", None) not in types:
                    continue
                if item.name not in names:
                    names.append(item.name)
        if not names:
            return "no similar name is known"
        return "did you mean " + " or ".join(repr(n) for n in names[:3]) + "?"


@functools.cache
def builtin() -> Gazetteer:
    """The gazetteer of ``loaders/data``, loaded and checked once per process."""
    with open(DATA / "gazetteer.yaml", encoding="utf-8") as f:
        data = load_yaml(f)
    entities = {}
    for row in data["entities"]:
        e = Entity(id=row["id"], name=row["name"], type=row["type"], kind=row.get("kind"),
                   nation=row.get("nation"), role=row.get("role"),
                   member_of=row.get("member_of"), aliases=tuple(row.get("aliases") or ()))
        if e.id in entities:
            raise SchemaError(f"duplicate gazetteer id {e.id}", file="gazetteer.yaml")
        entities[e.id] = e
    with open(DATA / "technologies.yaml", encoding="utf-8") as f:
        tdata = load_yaml(f)
    techs = {}
    for row in tdata["technologies"]:
        techs[row["id"]] = Technology(row["id"], row["name"], tuple(row.get("aliases") or ()),
                                      tuple(row.get("broader") or ()))
    for t in techs.values():
        for b in t.broader:
            if b not in techs:
                raise SchemaError(f"technology {t.id} has unknown broader {b}",
                                  file="technologies.yaml")
    return Gazetteer(entities, techs)
