"""One search interface, one backend per database vendor.

A backend turns a :class:`~articles.search.segmentation.ParsedQuery` into
SQL for its database and returns ranked essay ids. It is only ever given
tokens made by the segmenter, and it quotes every one of them itself, so
nothing a reader typed reaches ``to_tsquery`` or ``MATCH`` as syntax.

**Ranking.** PostgreSQL ranks with ``ts_rank_cd`` (weights: title 1.0,
headings 0.4, summary/lead/conclusion 0.2, bodies 0.1); SQLite with FTS5's
``bm25`` and column weights in the same proportion (10, 4, 2, 1).

**Bounded work.** A word found in nearly every essay (党建 on this site)
cannot be ranked over 100,000 essays within a page view: ``ts_rank_cd``
must read each candidate's whole vector back from TOAST (10-30 µs each).
So for such words PostgreSQL ranks a *pool* of candidates: for each word
of the query, the :data:`CHAMPIONS` essays most about it, found by one walk
of the impact index (``SearchImpact``: per essay, the words it is most
about, scored when it is indexed; see :mod:`articles.search.impacts`).
Only the candidates that match the whole query are ranked. When fewer than
:data:`RECENT_MINIMUM` do (the query's words are each common but seldom
together), the first :data:`RECENT_POOL` matches among the newest
:data:`RECENT_WINDOW` essays join them; when that is still too few, every
match is ranked (the exact plan below).
The list then holds the best of the pool, and the count shown is the
planner's estimate ("约 N 篇"); the page suggests narrowing the search.
With no more than :data:`PostgresBackend.EXACT_LIMIT` matches (estimated)
every match is ranked and counted exactly. SQLite ranks every match with
FTS5 (it is the small, embedded setup) and lists the best
:data:`POOL_SIZE`.
"""

from __future__ import annotations

import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections

from articles.search.segmentation import ParsedQuery

POOL_SIZE = 1000
CHAMPIONS = 100
RECENT_POOL = 200
RECENT_WINDOW = 1000
RECENT_MINIMUM = 20
# How far before the first place of a word a snippet's window starts (Backend.window_sql).
WINDOW_LEAD = 300
# ts_rank_cd's weights, in its order: {D, C, B, A}.
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
# bm25 column weights, in column order: title, headings, lead, body.
FTS_WEIGHTS = (10.0, 4.0, 2.0, 1.0)


@dataclass
class Conditions:
    """What narrows a search besides its words, as SQL on the document alias ``d``.

    ``where`` holds ``(sql, params)`` pairs about ``d`` (publication state,
    publish-time range, ``d.article_id IN (subquery)`` for topics and author
    units), all made from ORM querysets or plain comparisons by the caller.
    """

    where: list = field(default_factory=list)
    kind: str = ""

    def sql(self):
        if not self.where:
            return "", []
        parts, params = [], []
        for sql, values in self.where:
            parts.append(f"({sql})")
            params.extend(values)
        return " AND " + " AND ".join(parts), params


@dataclass
class Ranked:
    """Ranked ``[(article_id, rank)]``; ``more`` when more essays match than are listed.

    ``total`` is how many essays match: exact, or (when ``more``) an estimate.
    """

    hits: list
    more: bool
    total: int = 0
    estimated: bool = False

    def __post_init__(self):
        self.total = max(self.total, len(self.hits))


def quote(token: str, quote_char: str) -> str:
    """``token`` inside ``quote_char`` quotes, with the quote doubled (both syntaxes' escape)."""
    return quote_char + token.replace(quote_char, quote_char * 2) + quote_char


class Backend:
    vendor = ""
    # Whether the index keeps SearchImpact rows (champion lists) for this backend.
    uses_impacts = False

    def __init__(self, alias="default"):
        self.alias = alias

    def ranked(self, parsed: ParsedQuery, conditions: Conditions, pool_size: int = POOL_SIZE) -> Ranked:
        raise NotImplementedError

    def matching_sql(self, parsed: ParsedQuery):
        """``(sql, params)``: a subquery of the ids of all essays matching ``parsed`` (admin search)."""
        raise NotImplementedError

    # The function that finds a string in a string, as (haystack, needle).
    _FIND = "strpos({haystack}, {needle})"

    def window_sql(self, column, term, length, skip="1"):
        """``(sql, params)``: ``length`` characters of ``column`` around the first place of ``term``.

        The place is looked for from character ``skip`` on (an SQL
        expression, 1-based: past the title lines of a document); the window
        starts :data:`WINDOW_LEAD` characters before it, or at the beginning
        when it is that near or not found (``term`` is folded to lower case
        as the text is; the snippet folds the rest).
        """
        found = self._FIND.format(haystack=f"lower(substr({column}, {skip}))", needle="%s")
        place = f"({found} + {skip} - 1)"
        sql = f"substr({column}, CASE WHEN {found} > 0 AND {place} > %s THEN {place} - %s ELSE 1 END, %s)"
        term = term.lower()
        return sql, [term, term, WINDOW_LEAD, term, WINDOW_LEAD, length]

    def write_impacts(self, rows):
        """Insert ``[(article_id, term, impact)]`` into ``SearchImpact``'s table."""
        from articles.search.models import SearchImpact

        SearchImpact.objects.using(self.alias).bulk_create(
            [SearchImpact(article_id=article_id, term=term, impact=impact) for article_id, term, impact in rows],
            batch_size=5000,
        )

    @contextmanager
    def bulk_load(self):
        """Around filling an empty index: lets the database build its index once, at the end."""
        yield

    def _execute(self, *statements):
        with connections[self.alias].cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _fetch(self, sql, params):
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @staticmethod
    def _phrase_sql(column, parsed, template):
        sql, params = [], []
        for phrase in parsed.phrases:
            sql.append(template.format(column=column))
            params.append(phrase)
        return "".join(f" AND {part}" for part in sql), params


# ---------------------------------------------------------------- PostgreSQL


class PostgresBackend(Backend):
    """Generated ``tsvector`` columns (``simple``) with GIN indexes; see migration 0010.

    The planner cannot know that testing ``vector @@ query`` on a row means
    reading the vector back from TOAST (a few microseconds each), so left
    alone it scans tables that the GIN index would answer. Each search
    therefore first asks the planner how many essays match (its estimate,
    from the lexeme statistics of ``ANALYZE``) and picks one of two plans:

    - few matches (up to :data:`EXACT_LIMIT`): the GIN index finds them all
      (``articles_search_matches()`` turns sequential scans off for its one
      query) and every match is ranked: the ranking is exact;
    - many matches: the pool of the module docstring, whose two halves the
      planner finds by walking the publish-time index from the newest essay
      (for very common words) or by the GIN index (for less common ones).
    """

    vendor = "postgresql"
    uses_impacts = True
    EXACT_LIMIT = 1000
    BULK_MEMORY = "512MB"
    # As created by migrations 0010 and 0022; rebuilt in one pass after a
    # bulk load, which is many times faster than updating them row by row,
    # with BULK_MEMORY for the sort (a GIN index built in 64 MB spills to
    # disk many times over at 100,000 essays).
    _BULK_INDEXES = {
        "search_doc_vector_gin": "articles_searchdocument USING gin (vector)",
        "search_passage_vector_gin": "articles_searchpassage USING gin (vector)",
        "search_impact_term_idx": "articles_searchimpact (term, impact DESC)",
    }
    _PHRASE = "strpos({column}, %s) > 0"
    _QUERY = "to_tsquery('simple'::regconfig, %s)"

    @contextmanager
    def bulk_load(self):
        self._execute(*(f"DROP INDEX IF EXISTS {name}" for name in self._BULK_INDEXES))
        try:
            yield
        finally:
            self._execute(
                # Inside a transaction, deferred foreign-key checks must run
                # before an index can be built on the table.
                "SET CONSTRAINTS ALL IMMEDIATE",
                f"SET maintenance_work_mem = '{self.BULK_MEMORY}'",
                *(f"CREATE INDEX IF NOT EXISTS {name} ON {target}" for name, target in self._BULK_INDEXES.items()),
                "RESET maintenance_work_mem",
                "SET CONSTRAINTS ALL DEFERRED",
                "ANALYZE articles_searchdocument",
                "ANALYZE articles_searchpassage",
                "ANALYZE articles_searchimpact",
            )

    def write_impacts(self, rows):
        """``COPY`` the rows in (dozens per essay, millions in a rebuild: no model instances, no INSERT text)."""
        if not rows:
            return
        buffer = io.StringIO()
        for article_id, term, impact in rows:
            buffer.write(f"{article_id}\t{_copy_escape(term)}\t{impact!r}\n")
        buffer.seek(0)
        with connections[self.alias].cursor() as cursor:
            cursor.cursor.copy_expert("COPY articles_searchimpact (article_id, term, impact) FROM STDIN", buffer)

    @staticmethod
    def tsquery(parsed: ParsedQuery) -> str:
        """The query in ``to_tsquery`` syntax, every lexeme single-quoted by us."""
        clauses = []
        for clause in parsed.clauses:
            groups = []
            for group in clause.alternatives:
                lexemes = [quote(t.text, "'") + (":*" if t.prefix else "") for t in group]
                groups.append("(" + " & ".join(lexemes) + ")")
            clauses.append("(" + " | ".join(groups) + ")")
        return " & ".join(clauses)

    def _rank(self, vector_column):
        return f"ts_rank_cd('{PG_WEIGHTS}'::real[], {vector_column}, {self._QUERY})"

    def estimate(self, query: str) -> float:
        """The planner's guess of how many essays match ``query`` (a tsquery string)."""
        ((plan,),) = self._fetch(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM articles_searchdocument d WHERE d.vector @@ {self._QUERY}",
            [query],
        )
        if isinstance(plan, str):
            plan = json.loads(plan)
        return plan[0]["Plan"]["Plan Rows"]

    def _kind_sql(self, parsed, conditions, query):
        if not conditions.kind:
            return "", []
        sql = " AND d.article_id IN (SELECT p.article_id FROM articles_searchpassage p WHERE p.kind = %s"
        params = [conditions.kind]
        if query:
            sql += f" AND p.id IN (SELECT articles_search_passage_matches({self._QUERY}, %s))"
            params += [query, conditions.kind]
        phrase, phrase_params = self._phrase_sql("p.text", parsed, self._PHRASE)
        return sql + phrase + ")", params + phrase_params

    def ranked(self, parsed, conditions, pool_size=POOL_SIZE):
        query = self.tsquery(parsed) if parsed.clauses else ""
        where, where_params = conditions.sql()
        kind, kind_params = self._kind_sql(parsed, conditions, query)
        phrase, phrase_params = self._phrase_sql("d.text", parsed, self._PHRASE)
        narrow, narrow_params = phrase + where + kind, phrase_params + where_params + kind_params
        order = "d.published_at DESC, d.article_id DESC"
        if not query:  # only phrases of single characters: read the texts, newest first
            sql = f"""
                SELECT d.article_id, 0, count(*) OVER () FROM articles_searchdocument d
                WHERE TRUE{narrow} ORDER BY {order} LIMIT %s
            """
            params = [*narrow_params, pool_size]
        elif (estimate := self.estimate(query)) <= self.EXACT_LIMIT or not (
            pooled := self._pooled(
                parsed,
                query,
                (where + kind, where_params + kind_params),
                (phrase, phrase_params),
                pool_size,
            )
        ):
            sql, params = self._exact(query, narrow, narrow_params, pool_size)
        else:
            return Ranked(pooled[:pool_size], more=True, total=int(estimate), estimated=True)
        rows = self._fetch(sql, params)
        total = rows[0][2] if rows else 0
        hits = [(article_id, float(rank)) for article_id, rank, _ in rows[:pool_size]]
        return Ranked(hits, more=total > pool_size, total=total)

    def _exact(self, query, narrow, narrow_params, pool_size):
        """Every match, found by the GIN index, ranked; the count comes with it."""
        order = "d.published_at DESC, d.article_id DESC"
        sql = f"""
            SELECT d.article_id, {self._rank("d.vector")} AS rank, count(*) OVER ()
            FROM articles_searchdocument d
            WHERE d.article_id IN (SELECT articles_search_matches({self._QUERY})){narrow}
            ORDER BY rank DESC, {order}
            LIMIT %s
        """
        return sql, [query, query, *narrow_params, pool_size]

    def _pooled(self, parsed, query, narrow, phrase, pool_size):
        """The pool for a very common word, or ``None`` when too few candidates match the query.

        ``narrow`` and ``phrase`` are ``(sql, params)`` about ``d``: the
        conditions (cheap, checked while walking) and the quoted phrases
        (which read the text, so only checked on candidates).
        """
        narrow_sql, narrow_params = narrow
        phrase_sql, phrase_params = phrase
        order = "d.published_at DESC, d.article_id DESC"
        walks, params = [], []
        walk = """(
            SELECT i.article_id FROM articles_searchimpact i
            JOIN articles_searchdocument d ON d.article_id = i.article_id
            WHERE i.term = %s{narrow} ORDER BY i.impact DESC LIMIT {limit}
        )"""
        for term, whole in champion_walks(parsed):
            if whole is None:
                walks.append(walk.format(narrow=narrow_sql, limit="%s"))
                params += [term, *narrow_params, CHAMPIONS]
            else:
                # A part of a compound (党员 of 党员教育) only fills up what
                # the compound's own list lacks: each candidate costs a read
                # of its vector, and essays about the compound rank first.
                found = walk.format(narrow=narrow_sql, limit="%s")
                limit = f"GREATEST(0, %s - (SELECT count(*) FROM {found} AS whole))"
                walks.append(walk.format(narrow=narrow_sql, limit=limit))
                params += [term, *narrow_params, CHAMPIONS, whole, *narrow_params, CHAMPIONS]
        rows = []
        if walks:
            rows = self._rank_candidates(" UNION ".join(walks), params, query, phrase_sql, phrase_params)
        if len(rows) < RECENT_MINIMUM:
            newest = f"(SELECT * FROM articles_searchdocument d WHERE TRUE{narrow_sql} ORDER BY {order} LIMIT %s)"
            recent = f"SELECT d.article_id FROM {newest} d WHERE d.vector @@ {self._QUERY} LIMIT %s"
            recent_params = [*narrow_params, RECENT_WINDOW, query, min(RECENT_POOL, pool_size)]
            if walks:
                recent = f"{' UNION '.join(walks)} UNION ({recent})"
                recent_params = params + recent_params
            rows = self._rank_candidates(recent, recent_params, query, phrase_sql, phrase_params)
        if len(rows) < RECENT_MINIMUM:
            return None
        return rows

    def _rank_candidates(self, candidates, params, query, phrase_sql, phrase_params):
        """``[(article_id, rank)]`` of the essays of subquery ``candidates`` that match ``query``, best first.

        The candidates are gathered into an array first (an InitPlan): the
        planner then reads just their rows by the primary key, never guessing
        from the walks' row estimates that a scan of the table would be cheaper.
        """
        sql = f"""
            SELECT d.article_id, {self._rank("d.vector")} AS rank
            FROM articles_searchdocument d
            WHERE d.article_id = ANY(ARRAY({candidates})) AND d.vector @@ {self._QUERY}{phrase_sql}
            ORDER BY rank DESC, d.published_at DESC, d.article_id DESC
        """
        rows = self._fetch(sql, [query, *params, query, *phrase_params])
        return [(article_id, float(rank)) for article_id, rank in rows]

    def matching_sql(self, parsed):
        query = self.tsquery(parsed) if parsed.clauses else ""
        phrase, params = self._phrase_sql("d.text", parsed, self._PHRASE)
        if not query:
            return f"SELECT d.article_id FROM articles_searchdocument d WHERE TRUE{phrase}", params
        return (
            f"SELECT d.article_id FROM articles_searchdocument d WHERE d.vector @@ {self._QUERY}{phrase}",
            [query, *params],
        )


# ---------------------------------------------------------------- SQLite


class SqliteBackend(Backend):
    """FTS5 tables over the token columns (external content); see migration 0010."""

    vendor = "sqlite"
    # The insert triggers of migration 0010; during a bulk load the FTS
    # tables are rebuilt from their content tables once, at the end.
    _INSERT_TRIGGERS = {
        "articles_search_fts_insert": (
            "articles_searchdocument",
            "articles_search_fts",
            "INSERT INTO articles_search_fts(rowid, title_tokens, heading_tokens, lead_tokens, body_tokens)"
            " VALUES (new.article_id, new.title_tokens, new.heading_tokens, new.lead_tokens, new.body_tokens)",
        ),
        "articles_search_passage_fts_insert": (
            "articles_searchpassage",
            "articles_search_passage_fts",
            "INSERT INTO articles_search_passage_fts(rowid, tokens) VALUES (new.id, new.tokens)",
        ),
    }

    @contextmanager
    def bulk_load(self):
        self._execute(*(f"DROP TRIGGER IF EXISTS {name}" for name in self._INSERT_TRIGGERS))
        try:
            yield
        finally:
            statements = []
            for name, (table, fts, action) in self._INSERT_TRIGGERS.items():
                statements.append(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                statements.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER INSERT ON {table} BEGIN {action}; END")
            self._execute(*statements)

    _PHRASE = "instr({column}, %s) > 0"
    _FIND = "instr({haystack}, {needle})"

    @staticmethod
    def match_expression(parsed: ParsedQuery) -> str:
        """The query in FTS5 syntax, every token double-quoted by us."""
        clauses = []
        for clause in parsed.clauses:
            groups = []
            for group in clause.alternatives:
                strings = [quote(t.text, '"') + ("*" if t.prefix else "") for t in group]
                groups.append("(" + " AND ".join(strings) + ")")
            clauses.append("(" + " OR ".join(groups) + ")")
        return " AND ".join(clauses)

    def _kind_sql(self, parsed, conditions):
        if not conditions.kind:
            return "", []
        sql = " AND d.article_id IN (SELECT p.article_id FROM articles_searchpassage p WHERE p.kind = %s"
        params = [conditions.kind]
        if parsed.clauses:
            sql += (
                " AND p.id IN (SELECT rowid FROM articles_search_passage_fts"
                " WHERE articles_search_passage_fts MATCH %s)"
            )
            params.append(self.match_expression(parsed))
        phrase_sql, phrase_params = self._phrase_sql("p.text", parsed, self._PHRASE)
        return sql + phrase_sql + ")", params + phrase_params

    def ranked(self, parsed, conditions, pool_size=POOL_SIZE):
        where, where_params = conditions.sql()
        kind, kind_params = self._kind_sql(parsed, conditions)
        phrase, phrase_params = self._phrase_sql("d.text", parsed, self._PHRASE)
        order = "d.published_at DESC, d.article_id DESC"
        if parsed.clauses:
            weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
            sql = f"""
                SELECT d.article_id, -bm25(articles_search_fts, {weights}) AS rank
                FROM articles_search_fts
                JOIN articles_searchdocument d ON d.article_id = articles_search_fts.rowid
                WHERE articles_search_fts MATCH %s{phrase}{where}{kind}
                ORDER BY rank DESC, {order}
                LIMIT %s
            """
            params = [self.match_expression(parsed), *phrase_params, *where_params, *kind_params, pool_size + 1]
        else:
            sql = f"""
                SELECT d.article_id, 0 AS rank FROM articles_searchdocument d
                WHERE 1{phrase}{where}{kind} ORDER BY {order} LIMIT %s
            """
            params = [*phrase_params, *where_params, *kind_params, pool_size + 1]
        rows = self._fetch(sql, params)
        more = len(rows) > pool_size
        return Ranked([(article_id, float(rank)) for article_id, rank in rows[:pool_size]], more)

    def matching_sql(self, parsed):
        phrase, params = self._phrase_sql("d.text", parsed, self._PHRASE)
        sql = f"SELECT d.article_id FROM articles_searchdocument d WHERE 1{phrase}"
        if parsed.clauses:
            sql += " AND d.article_id IN (SELECT rowid FROM articles_search_fts WHERE articles_search_fts MATCH %s)"
            params = [*params, self.match_expression(parsed)]
        return sql, params


# ---------------------------------------------------------------- anything else


class ScanBackend(Backend):
    """A database without a search index of ours: plain substring scans, newest first.

    Correct but slow; it exists so that the site works (for example on
    MySQL) before someone writes a proper backend.
    """

    vendor = "scan"

    def window_sql(self, column, term, length, skip="1"):
        return column, []  # the whole text: no string function is common to every database

    def _filter(self, parsed, text_column):
        parts, params = [], []
        for clause in parsed.clauses:
            groups = []
            for group in clause.alternatives:
                groups.append("(" + " AND ".join(f"{text_column} LIKE %s" for _ in group) + ")")
                params.extend("%" + _like_escape(t.text) + "%" for t in group)
            parts.append("(" + " OR ".join(groups) + ")")
        for phrase in parsed.phrases:
            parts.append(f"{text_column} LIKE %s")
            params.append("%" + _like_escape(phrase) + "%")
        return " AND ".join(parts) or "1=1", params

    def ranked(self, parsed, conditions, pool_size=POOL_SIZE):
        where, where_params = conditions.sql()
        match, params = self._filter(parsed, "d.text")
        kind_sql, kind_params = "", []
        if conditions.kind:
            kind_match, kind_params = self._filter(parsed, "p.text")
            kind_sql = (
                " AND d.article_id IN (SELECT p.article_id FROM articles_searchpassage p"
                f" WHERE p.kind = %s AND {kind_match})"
            )
            kind_params = [conditions.kind, *kind_params]
        sql = (
            f"SELECT d.article_id FROM articles_searchdocument d WHERE {match}{where}{kind_sql}"
            " ORDER BY d.published_at DESC, d.article_id DESC LIMIT %s"
        )
        rows = self._fetch(sql, [*params, *where_params, *kind_params, pool_size + 1])
        return Ranked([(row[0], 0.0) for row in rows[:pool_size]], len(rows) > pool_size)

    def matching_sql(self, parsed):
        match, params = self._filter(parsed, "d.text")
        return f"SELECT d.article_id FROM articles_searchdocument d WHERE {match}", params


def champion_walks(parsed: ParsedQuery) -> list[tuple[str, str | None]]:
    """``[(term, whole)]``: the champion lists to walk for ``parsed``, no prefix (党*) among them.

    ``whole`` is None for a word of the query; for a part of a compound (党员
    and 教育 of 党员教育) it is the compound, whose list comes first.
    """
    walks, seen = [], set()
    for clause in parsed.clauses:
        first, *others = clause.alternatives
        whole = first[0].text if len(first) == 1 and not first[0].prefix else None
        for group in (first, *others):
            for token in group:
                if token.prefix or token.text in seen:
                    continue
                seen.add(token.text)
                walks.append((token.text, None if group is first else whole))
    return walks


def _copy_escape(text):
    """``text`` as a field of ``COPY``'s text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


BACKENDS = {backend.vendor: backend for backend in (PostgresBackend, SqliteBackend)}


def get_backend(alias="default") -> Backend:
    """The backend for the database behind ``alias``."""
    return BACKENDS.get(connections[alias].vendor, ScanBackend)(alias)
