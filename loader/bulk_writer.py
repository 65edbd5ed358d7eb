"""A first load's writer: the whole graph, aggregates included, built by bulk insert.

Into an empty graph on FalkorDB, a load need not MERGE anything: every node and link is new, and
every aggregate is the sum of what the load's records add.  So this writer adds the records up
in Python as `GraphWriter` would send them, streams the records' nodes to a bulk build as they
come (graph/falkor_bulk.py), and at the end of the load sends the rest: countries, branches,
institutions, every link and every aggregate, each once, with its final values.  The build is put
in place of the empty graph when complete.

The graph it makes is the statement writer's, node for node and value for value: the same rows
(the node rows of `GraphWriter`, `Increments`, `UnitIncrements`), summed in the order the engine sums them
(tests/test_bulk_load.py loads the same files both ways and compares).  What it cannot decide
alone it leaves to the statement writer, after the build: a record whose uid, DOI or title key
an earlier batch of the load already had (the statement writer merges it into that record, or
adopts the other source's uid), or whose text the bulk format cannot carry (a NUL character).
Those records are `BatchOutcome.deferred`; the pipeline writes them through `GraphWriter` once
the build is in place, in their order.  An exact repeat of a record the build holds (the same
node values and links, as overlapping exports repeat a record) would change nothing there: it is
counted a duplicate and left out.
"""
from __future__ import annotations

import struct
from array import array

from graph.falkor_bulk import BulkBuild, UnsendableValue, encode_all
from loader.aggregates import (Increments, UnitIncrements, add_prepared, link_type, pair_key, pair_year_uid,
                               series_slot, unit_name, unit_year_uid)
from loader.prepare import InstitutionRow, Prepared, country_rows
from loader.records import APPLICANT, INVENTOR, PAPER, PATENT
from loader.writer import BatchOutcome, title_key, uid_namespace

LABEL = {PAPER: "Paper", PATENT: "Patent"}
PAPER_PROPERTIES = ("uid", "source", "sources", "counted", "n_countries", "year", "title", "doc_type", "doi",
                    "title_key")
PATENT_PROPERTIES = ("uid", "source", "sources", "offices", "counted", "n_inventor_countries",
                     "n_applicant_countries", "family_id", "year", "title", "office")
INSTITUTION_PROPERTIES = ("uid", "name", "country", "name_zh", "resolved", "raw_names")
COUNTRY_YEAR_PROPERTIES = ("uid", "kind", "role", "code", "year", "records", "intl", "hist")
UNIT_YEAR_PROPERTIES = ("uid", "unit", "name", "country", "kind", "rollup", "year", "slot", "records", "intl",
                        "records_frac", "intl_frac")
# A record's links to an institution, by kind and role (loader/writes/*/link_*institutions.cypher,
# link_applicants.cypher): every role of a paper is an affiliation; a patent's other roles are not linked.
PAPER_INSTITUTION_LINK = "AFFILIATED_WITH"
PATENT_INSTITUTION_LINK = {APPLICANT: "ASSIGNED_TO", INVENTOR: "INVENTED_AT"}
# Fixed-shape edges, packed in one call each: ends, then type byte and value per property.
_COUNTS_EDGE = struct.Struct("<QQcqcd")          # records (integer), frac (double)
_UNIT_LINK = struct.Struct("<QQcqcqcd")          # year, records, frac
_LONG, _DOUBLE = b"\x04", b"\x02"
MIXED = "*"      # a DOI or title key that papers of several sources hold


class _Institution:
    """An institution as the load's upserts leave it (loader/writes/common/upsert_institutions.cypher):
    name and country from the first, name_zh the last one given, `resolved` the last, raw names
    appended in the order they first came (each batch's sorted)."""

    __slots__ = ("index", "name", "country", "name_zh", "resolved", "raw_names", "known_raw")

    def __init__(self, index: int, row: InstitutionRow):
        self.index = index
        self.name, self.country = row.name, row.country
        self.name_zh, self.resolved = None, row.resolved
        self.raw_names: list[str] = []
        self.known_raw: set[str] = set()

    def update(self, row: InstitutionRow) -> None:
        if row.name_zh is not None:
            self.name_zh = row.name_zh
        self.resolved = row.resolved
        for raw in sorted(row.raw_names):
            if raw not in self.known_raw:
                self.known_raw.add(raw)
                self.raw_names.append(raw)


class _Links:
    """One relationship type's record links, as two columns: record node id, target index."""

    __slots__ = ("sources", "targets")

    def __init__(self):
        self.sources = array("Q")
        self.targets = array("Q")

    def add(self, source: int, target: int) -> None:
        self.sources.append(source)
        self.targets.append(target)

    def ends(self, base: int) -> array:
        """source, target, source, target ... with targets offset to node ids."""
        ends = array("Q", bytes(16 * len(self.sources)))
        ends[0::2] = self.sources
        ends[1::2] = array("Q", (base + t for t in self.targets))
        return ends


class BulkWriter:
    """`GraphWriter`'s `write` for a load into an empty FalkorDB graph; `finish` puts the graph in place."""

    def __init__(self, graph):
        self.graph = graph
        self.build: BulkBuild = graph.bulk_build()
        self._countries: dict[str, int] = {}
        self._branches: dict[str, int] = {}
        self._institutions: dict[str, _Institution] = {}
        self._parent_links: dict[tuple[str, str], None] = {}
        # (relationship type, role property or None, target table) -> links
        self._links: dict[tuple[str, str | None, str], _Links] = {}
        # CountryYear uid -> [kind, role, code, year, records, intl, hist]
        self._tallies: dict[str, list] = {}
        # per kind: (a, b, year, role) -> [n, frac, hist] of the country pair edges
        self._pairs: dict[str, dict[tuple, list]] = {PAPER: {}, PATENT: {}}
        self._units = {kind: UnitIncrements(kind) for kind in (PAPER, PATENT)}
        # The uids earlier batches of this load held, each with the fingerprint (see `write`) of
        # its record as the build holds it, or None when it went, or may go, to the statement writer.
        self._uids: dict[str, dict[str, int | None]] = {PAPER: {}, PATENT: {}}
        # A paper's DOI and title key -> the namespace ("WOS", "SCOPUS" ...) of the papers holding
        # it, MIXED when several: what papers/by_identity.cypher would find for a later record.
        self._doi_owners: dict[str, str] = {}
        self._title_key_owners: dict[str, str] = {}

    def dirty_years(self, kind: str) -> set[int]:
        return set()      # an empty graph has nothing left to recount

    def write(self, kind: str, prepared: list[Prepared], institutions: dict, countries: set[str],
              seen: set[str], dirty: set[int]) -> BatchOutcome:
        outcome = BatchOutcome()
        if not prepared:
            return outcome
        if any(_has_nul(row) for row in institutions.values()):
            outcome.deferred = list(prepared)
            keys = [title_key(p.record) if kind == PAPER else None for p in prepared]
            self._remember(kind, prepared, keys, [None] * len(prepared))
            return outcome
        for code in sorted(countries):
            self._countries.setdefault(code, len(self._countries))
        self._add_institutions(institutions)
        # Title keys once per paper: met before, the node, remembered.
        keys = [title_key(p.record) for p in prepared] if kind == PAPER else [None] * len(prepared)
        taken, fingerprints = [], []
        for p, key in zip(prepared, keys):
            encoded = _encoded(kind, p, key)
            # The record's node values and links as the statements would write them: two records
            # with the same fingerprint leave the same graph.  (Links listed in another order
            # make another fingerprint: such a repeat is merged by the statements, as any other.)
            fingerprint = None if encoded is None else hash(
                (encoded, tuple(p.countries), tuple(p.institutions), tuple(p.branches)))
            # Met before, the statement writer would merge it into the record of that uid, or give
            # it the uid of another source's paper with its DOI (its title key when it has no DOI).
            known = p.record.uid in self._uids[kind]
            adopts = kind == PAPER and self._adopts(p, key)
            if known and not adopts and fingerprint is not None and fingerprint == self._uids[kind][p.record.uid]:
                outcome.duplicate += 1          # the build has it as it is
                seen.add(p.record.uid)
            elif known or adopts or encoded is None:
                outcome.deferred.append(p)
                fingerprint = None
            else:
                taken.append((p, self.build.add_encoded_node(LABEL[kind], _properties(kind), encoded)))
            fingerprints.append(fingerprint)
        self._remember(kind, prepared, keys, fingerprints)
        for p, node_id in taken:
            seen.add(p.record.uid)
            self._link(kind, p, node_id)
        outcome.new = len(taken)
        if taken:
            self._count(kind, [p for p, _ in taken], institutions)
        return outcome

    # -- a batch ---------------------------------------------------------------------------------

    def _adopts(self, p: Prepared, key: str | None) -> bool:
        """Whether an earlier batch has a paper of another source with this one's DOI (its title
        key when it has no DOI), so that the statement writer would give it that paper's uid."""
        rec = p.record
        owner = self._doi_owners.get(rec.doi) if rec.doi else self._title_key_owners.get(key)
        return owner is not None and owner != uid_namespace(rec.uid)

    def _remember(self, kind: str, prepared: list[Prepared], keys: list[str | None],
                  fingerprints: list[int | None]) -> None:
        # After the batch: the statement writer matches a record against the graph, which holds
        # the earlier batches only (not the record's own batch).  A record left to the statement
        # writer makes its later repeats go there too, to be merged in the same order.
        uids = self._uids[kind]
        for p, key, fingerprint in zip(prepared, keys, fingerprints):
            if p.record.uid not in uids or fingerprint is None:
                uids[p.record.uid] = fingerprint
            if kind == PAPER:
                namespace = uid_namespace(p.record.uid)
                for owners, value in ((self._doi_owners, p.record.doi), (self._title_key_owners, key)):
                    if value:
                        known = owners.setdefault(value, namespace)
                        if known != namespace:
                            owners[value] = MIXED

    def _add_institutions(self, institutions: dict[str, InstitutionRow]) -> None:
        known = self._institutions
        for row in institutions.values():
            inst = known.get(row.uid)
            if inst is None:
                inst = known[row.uid] = _Institution(len(known), row)
            inst.update(row)
        for row in institutions.values():
            if row.parent_uid:
                self._parent_links[(row.uid, row.parent_uid)] = None

    def _link(self, kind: str, p: Prepared, node_id: int) -> None:
        # A paper links to each country once; a patent once per country and role.
        for code, role in dict.fromkeys((code, None if kind == PAPER else role) for code, role in p.countries):
            self._links_of(("FROM_COUNTRY", role, "country")).add(node_id, self._countries[code])
        done = set()
        for inst, role in p.institutions:
            link = PAPER_INSTITUTION_LINK if kind == PAPER else PATENT_INSTITUTION_LINK.get(role)
            if link and (link, inst) not in done:
                done.add((link, inst))
                self._links_of((link, None, "institution")).add(node_id, self._institutions[inst].index)
        for branch in p.branches:
            index = self._branches.setdefault(branch, len(self._branches))
            self._links_of(("IN_BRANCH", None, "branch")).add(node_id, index)

    def _links_of(self, key: tuple) -> _Links:
        links = self._links.get(key)
        if links is None:
            links = self._links[key] = _Links()
        return links

    def _count(self, kind: str, new: list[Prepared], institutions: dict) -> None:
        """The batch's increments, added to the totals as count_new.cypher adds them: one sum
        per batch and key, added to the running total, so the fractions sum in the same order."""
        increments = Increments(kind)
        parent_of = {uid: row.parent_uid for uid, row in institutions.items()}
        for p in new:
            increments.add(p)
            add_prepared(self._units[kind], p, parent_of)
        params = increments.params([])
        for t in params["tallies"]:
            total = self._tallies.get(t["uid"])
            if total is None:
                total = self._tallies[t["uid"]] = [t["kind"], t["role"], t["code"], t["year"], 0, 0, []]
            total[4] += t["records"]
            total[5] += t["intl"]
            total[6] = _merged(total[6], t["hist"])
        pairs = self._pairs[kind]
        for pair in params["pairs"]:
            key = (pair["a"], pair["b"], pair["year"], pair.get("role"))
            total = pairs.get(key)
            if total is None:
                total = pairs[key] = [0, 0.0, []]
            total[0] += pair["n"]
            total[1] += pair["frac"]
            total[2] = _merged(total[2], pair["hist"])

    # -- the end of the load ---------------------------------------------------------------------

    def finish(self) -> None:
        """Send the nodes and links of the whole load and put the new graph in place."""
        build = self.build
        country_base = build.nodes_made
        for code in self._countries:     # in the order met, which numbered them
            row = country_rows([code])[0]
            build.add_node("Country", ("code", "name", "name_zh"), (row["code"], row["name"], row["name_zh"]))
        branch_base = build.nodes_made
        for name in self._branches:
            build.add_node("Branch", ("name",), (name,))
        institution_base = build.nodes_made
        for uid, inst in self._institutions.items():
            build.add_node("Institution", INSTITUTION_PROPERTIES,
                           (uid, inst.name, inst.country, inst.name_zh, inst.resolved, inst.raw_names))
        base = {"country": country_base, "branch": branch_base, "institution": institution_base}

        def institution_id(uid: str) -> int | None:
            inst = self._institutions.get(uid)
            return None if inst is None else institution_base + inst.index

        def country_id(code: str) -> int | None:
            index = self._countries.get(code)
            return None if index is None else country_base + index

        tally_ids = self._add_country_tallies(country_id)
        unit_edges = self._add_unit_aggregates(institution_id, country_id)

        for (kind, role, target), links in self._links.items():
            if role is None:
                build.add_plain_edges(kind, links.ends(base[target]))
            else:
                build.add_edges(kind, ("role",), ((s, base[target] + t, role)
                                                   for s, t in zip(links.sources, links.targets)))
        build.add_edges("LOCATED_IN", (), ((institution_base + inst.index, country_id(inst.country))
                                           for inst in self._institutions.values()
                                           if country_id(inst.country) is not None))
        build.add_edges("PART_OF", (), ((institution_id(child), institution_id(parent))
                                        for child, parent in self._parent_links
                                        if institution_id(child) is not None and institution_id(parent) is not None))
        build.add_edges("HAS_YEAR", (), tally_ids)
        self._add_country_pairs(country_id)
        unit_edges()
        build.finish()

    def _add_country_tallies(self, country_id) -> list[tuple[int, int]]:
        """CountryYear nodes (count_new.cypher); their HAS_YEAR links as (country id, tally id)."""
        links = []
        for uid, (kind, role, code, year, records, intl, hist) in self._tallies.items():
            node = self.build.add_node("CountryYear", COUNTRY_YEAR_PROPERTIES,
                                       (uid, kind, role, code, year, records, intl, hist))
            if country_id(code) is not None:
                links.append((country_id(code), node))
        return links

    def _add_country_pairs(self, country_id) -> None:
        for kind, pairs in self._pairs.items():
            rows = ((country_id(a), country_id(b), year, role, n, float(frac), hist)
                    for (a, b, year, role), (n, frac, hist) in pairs.items())
            if kind == PAPER:
                self.build.add_edges("CO_AUTHORED", ("year", "papers", "frac", "hist"),
                                     ((a, b, year, n, frac, hist) for a, b, year, _role, n, frac, hist in rows))
            else:
                self.build.add_edges("CO_INVENTED", ("year", "role", "patents", "frac", "hist"), rows)

    def _add_unit_aggregates(self, institution_id, country_id):
        """The institution views' nodes now (apply_units.cypher, with nothing to add to), read
        straight from the increments' tables (UnitIncrements._rows makes the same values as rows);
        returns what sends their links, once every node is made."""
        build = self.build
        unit_year_ids: dict[tuple, int] = {}    # (kind, rollup, unit, year)
        pair_year_ids: dict[tuple, int] = {}    # (kind, rollup, year, a, b)
        for kind, units in self._units.items():
            for (rollup, unit, year), (records, intl, records_frac, intl_frac) in units.years.items():
                country, name = unit_name(unit)
                unit_year_ids[(kind, rollup, unit, year)] = build.add_node(
                    "UnitYear", UNIT_YEAR_PROPERTIES,
                    (unit_year_uid(kind, rollup, unit, year), unit, name, country, kind, rollup, year,
                     series_slot(kind, rollup, year), records, intl, float(records_frac), float(intl_frac)))
            for rollup, year, a, b, _unit in units.pairs:
                key = (kind, rollup, year, a, b)
                if key not in pair_year_ids:
                    pair_year_ids[key] = build.add_node("PairYear", ("uid", "pair", "year"),
                                                        (pair_year_uid(kind, rollup, year, a, b),
                                                         pair_key(kind, rollup, a, b), year))

        def send_links() -> None:
            for kind, units in self._units.items():
                build.add_edges("HAS_UNIT_YEAR", (), ((institution_id(unit), unit_year_ids[(kind, rollup, unit, year)])
                                                      for rollup, unit, year in units.years
                                                      if institution_id(unit) is not None))
                with _Packer(build, "HAS_UNIT", _COUNTS_EDGE, ("records", "frac")) as packer:
                    for (rollup, year, a, b, unit), (n, w) in units.pairs.items():
                        packer.add(pair_year_ids[(kind, rollup, year, a, b)], unit_year_ids[(kind, rollup, unit, year)],
                                   _LONG, n, _DOUBLE, float(w))
                with _Packer(build, "WITH_COUNTRY", _COUNTS_EDGE, ("records", "frac")) as packer:
                    for (rollup, unit, year, code), (n, w) in units.countries.items():
                        if country_id(code) is not None:
                            packer.add(unit_year_ids[(kind, rollup, unit, year)], country_id(code),
                                       _LONG, n, _DOUBLE, float(w))
                packers = {}
                for (rollup, u, v, year), (n, w) in units.links.items():
                    source, target = institution_id(u), institution_id(v)
                    if source is None or target is None:
                        continue
                    packer = packers.get(rollup)
                    if packer is None:
                        packer = packers[rollup] = _Packer(build, link_type(kind, rollup), _UNIT_LINK,
                                                           ("year", "records", "frac"))
                    packer.add(source, target, _LONG, year, _LONG, n, _DOUBLE, float(w))
                for packer in packers.values():
                    packer.close()

        return send_links


class _Packer:
    """Fixed-shape edges of one type, packed one call each and handed to the build in chunks."""

    def __init__(self, build: BulkBuild, kind: str, shape: struct.Struct, properties: tuple, chunk: int = 100_000):
        self.build, self.kind, self.properties, self.chunk = build, kind, properties, chunk
        self.pack = shape.pack
        self.waiting: list[bytes] = []

    def add(self, *row) -> None:
        self.waiting.append(self.pack(*row))
        if len(self.waiting) == self.chunk:
            self.close()

    def close(self) -> None:
        if self.waiting:
            self.build.add_encoded_edges(self.kind, self.properties, b"".join(self.waiting), len(self.waiting))
            self.waiting = []

    def __enter__(self) -> "_Packer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _encoded(kind: str, p: Prepared, key: str | None) -> bytes | None:
    """The record's node as papers/upsert.cypher or patents/upsert.cypher creates it from
    `GraphWriter`'s row (writer._node_row), counted; None if the bulk format cannot carry it."""
    rec = p.record
    if kind == PAPER:
        values = (rec.uid, rec.source, [rec.source], True, len(rec.countries), rec.year, rec.title, rec.doc_type,
                  rec.doi, key)
    else:
        values = (rec.uid, rec.source, [rec.source], [rec.office] if rec.office is not None else [], True,
                  len(rec.countries), len(rec.applicant_countries), rec.family_id, rec.year, rec.title, rec.office)
    try:
        return encode_all(values)
    except UnsendableValue:
        return None


def _properties(kind: str) -> tuple[str, ...]:
    return PAPER_PROPERTIES if kind == PAPER else PATENT_PROPERTIES


def _merged(kept: list[int], added: list[int] | None) -> list[int]:
    """Two histograms added index by index, as count_new.cypher merges them."""
    if not added:
        return kept
    if not kept:
        return list(added)
    longer, shorter = (kept, added) if len(kept) >= len(added) else (added, kept)
    return [n + (shorter[k] if k < len(shorter) else 0) for k, n in enumerate(longer)]


def _has_nul(row: InstitutionRow) -> bool:
    return any("\0" in text for text in (row.uid, row.name, row.country, row.name_zh or "", *row.raw_names))
