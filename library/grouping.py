"""Group similar items into themes. No Django here.

Method (measured in ``benchmarks/library.py``, at demo size against the
gold grouping and at 10,000 generated essays against planted themes):

1. Features (:func:`features`): each item's heading and text are cut by the
   concept lexicon's segmenter (``library.concepts``: the search segmenter
   with every wording of a concept kept whole). A wording counts as its
   concept (考评, 评价 → 考核评价); other tokens count when they are whole
   dictionary words and not the genre's filler. The heading's features count
   :data:`HEADING_REPEAT` times: it is the point's own statement.
2. Weights (:func:`weigh`): a concept weighs :data:`CONCEPT_WEIGHT`, a word
   :data:`WORD_WEIGHT`, with sublinear counts and an IDF term trusted in
   proportion to the number of items (full from :data:`IDF_FULL_AT`): over
   65 items IDF is noise, over 90,000 it is what tells 三会一课 from 主题党日
   inside 组织生活. Words and the wordings themselves gain weight the same
   way. L2-normalised sparse vectors as plain dicts (a dozen terms an item:
   numpy would not pay for itself).
3. Leader clustering: items in order join the most similar theme centroid
   when the cosine reaches :data:`JOIN_THRESHOLD`, otherwise start a theme.
   Candidates come from an inverted index over each centroid's top terms, so
   an item is compared with a few themes, not all (sub-quadratic).
4. A merge pass joins themes whose centroids reach :data:`MERGE_THRESHOLD`:
   the same theme worded differently by essays that happened to start
   separate themes. Features spread over many themes are then damped, themes
   merged again, and each free item reassigned to its nearest centroid, which
   undoes the order effects of step 3.
5. A theme's keywords are its heaviest features shared by two or more of its
   items; it names the concept most of its items share (:func:`shared_concept`)
   and its most central item.

The thresholds were chosen on both data sets (the sweep is in the README,
问题库与对策库): a lower join threshold merges the demo library's themes,
a higher one leaves more items alone; the lower merge threshold keeps the
large library's themes whole.

Editors' choices enter as *seeds*: groups of items that must stay together
under a given key (a theme an editor renamed, merged or split, an item an
editor moved). Seeds are never merged with each other and their fixed items
never move; free items may join them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

JOIN_THRESHOLD = 0.40
MERGE_THRESHOLD = 0.35
# Terms kept in a centroid (and indexed for candidate look-up).
CENTROID_TERMS = 40
INDEX_TERMS = 12
# Clusters scored exactly per item, out of those sharing its terms.
SHORTLIST = 6
LABEL_WORDS = 4

# Features: a concept named (``library.concepts``) weighs CONCEPT_WEIGHT, any
# other whole word WORD_WEIGHT; words of the heading (the point's own
# statement of the problem) count HEADING_REPEAT times.
CONCEPT_WEIGHT = 1.0
WORD_WEIGHT = 0.4
HEADING_REPEAT = 2
# At scale the words themselves earn as much as a concept: a concept shared
# by several themes (组织生活 by 三会一课 and 主题党日) must not merge them.
WORD_WEIGHT_AT_SCALE = 1.0
# IDF is noise over a few dozen items (every word is rare) and telling over
# tens of thousands: it is trusted in proportion to the items seen, fully
# from IDF_FULL_AT on. Below that, weights stay near the fixed ones above.
IDF_FULL_AT = 2000


@dataclass
class Cluster:
    key: object = None  # the seed's key (an editor's theme), or None for a new theme
    members: list = field(default_factory=list)  # item indices
    fixed: set = field(default_factory=set)  # indices an editor placed here
    total: dict = field(default_factory=dict)  # sum of member vectors (top terms kept)

    def centroid(self):
        norm = math.sqrt(sum(w * w for w in self.total.values())) or 1.0
        return {t: w / norm for t, w in self.total.items()}


@dataclass(frozen=True)
class Group:
    """A theme found: its item indices, label words, central item, seed key (if any) and shared concept."""

    members: tuple
    top_words: tuple
    central: int
    key: object = None
    concept: str = ""


def features(items, lexicon=None):
    """``(heading, text)`` pairs → feature lists (concepts and whole words; heading features repeated)."""
    from library.concepts import shipped_lexicon

    lexicon = lexicon or shipped_lexicon()
    items = list(items)
    texts = [text for heading, body in items for text in (heading, body)]
    found = lexicon.features_of(texts)
    return [found[2 * i] * HEADING_REPEAT + found[2 * i + 1] for i in range(len(items))]


def weigh(feature_lists, concepts=frozenset(), wordings=frozenset()):
    """L2-normalised dict vectors: sublinear counts times the base weight times a damped IDF.

    ``concepts``: the feature names that are concepts (CONCEPT_WEIGHT);
    ``wordings``: words that are a concept's wording (they weigh nothing in a
    small library, where the concept speaks for them, and as much as any word
    at scale); the rest WORD_WEIGHT. With ``trust = min(1, n / IDF_FULL_AT)``,
    the IDF term and the words' weights move from their small-library values
    to their values at scale.
    """
    df = Counter()
    for tokens in feature_lists:
        df.update(set(tokens))
    n = len(feature_lists)
    trust = min(1.0, n / IDF_FULL_AT)
    word_weight = WORD_WEIGHT + trust * (WORD_WEIGHT_AT_SCALE - WORD_WEIGHT)
    vectors = []
    for tokens in feature_lists:
        counts = Counter(tokens)
        vector = {}
        for term, c in counts.items():
            idf = math.log((1 + n) / (1 + df[term]))
            if term in concepts:
                base = CONCEPT_WEIGHT
            elif term in wordings:
                base = trust * WORD_WEIGHT_AT_SCALE
            else:
                base = word_weight
            if not base:
                continue
            vector[term] = (1.0 + math.log(c)) * base * (1.0 + trust * idf)
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        vectors.append({term: w / norm for term, w in vector.items()})
    return vectors


def vectors_of(items, lexicon=None):
    """``(heading, text)`` pairs → the vectors :func:`group` takes."""
    from library.concepts import shipped_lexicon

    lexicon = lexicon or shipped_lexicon()
    return weigh(features(items, lexicon), frozenset(lexicon.concepts), frozenset(lexicon.concept_of))


def cosine(a, b):
    """Cosine of two L2-normalised dict vectors (or any dicts: dot product over norms)."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _top(vector, count):
    return sorted(vector, key=vector.get, reverse=True)[:count]


def _add(total, vector):
    for term, weight in vector.items():
        total[term] = total.get(term, 0.0) + weight


def _trim(total):
    if len(total) > CENTROID_TERMS * 2:
        keep = _top(total, CENTROID_TERMS)
        return {term: total[term] for term in keep}
    return total


class _Index:
    """Inverted index: term → clusters whose centroid has it among their top terms."""

    def __init__(self):
        self.postings = defaultdict(set)
        self.terms = {}

    def update(self, cluster_id, cluster):
        for term in self.terms.get(cluster_id, ()):
            self.postings[term].discard(cluster_id)
        terms = _top(cluster.total, INDEX_TERMS)
        self.terms[cluster_id] = terms
        for term in terms:
            self.postings[term].add(cluster_id)

    def remove(self, cluster_id):
        for term in self.terms.pop(cluster_id, ()):
            self.postings[term].discard(cluster_id)

    def candidates(self, vector, keep=SHORTLIST):
        """The clusters sharing the most weight of ``vector``'s terms among their top terms (a shortlist)."""
        overlap = defaultdict(float)
        for term, weight in vector.items():
            for cluster_id in self.postings.get(term, ()):
                overlap[cluster_id] += weight
        if len(overlap) <= keep:
            return set(overlap)
        return set(sorted(overlap, key=lambda c: (-overlap[c], c))[:keep])


def _best(vector, candidates, clusters, centroids):
    best_id, best_score = None, 0.0
    for cluster_id in candidates:
        centroid = centroids.get(cluster_id)
        if centroid is None:
            centroid = centroids[cluster_id] = clusters[cluster_id].centroid()
        score = sum(w * centroid.get(t, 0.0) for t, w in vector.items())
        if score > best_score or (score == best_score and best_id is not None and cluster_id < best_id):
            best_id, best_score = cluster_id, score
    return best_id, best_score


def group(vectors, seeds=(), *, join=JOIN_THRESHOLD, merge=MERGE_THRESHOLD, progress=None, concepts=frozenset()):
    """Group ``vectors`` (from :func:`tfidf`) into :class:`Group` s.

    ``seeds``: ``(key, indices)`` pairs an editor fixed. ``progress``: called
    with the number of items handled since the last call (for a progress bar).
    Items with an empty vector (no words) are left out of every group.
    ``concepts``: the feature names that are concepts; a group names the
    one most of its items share (:func:`shared_concept`).
    """
    clusters, index, centroids = {}, _Index(), {}
    fixed = set()
    for key, indices in seeds:
        cluster = Cluster(key=key)
        for i in indices:
            if i in fixed:
                continue
            fixed.add(i)
            cluster.members.append(i)
            cluster.fixed.add(i)
            _add(cluster.total, vectors[i])
        cluster.total = _trim(cluster.total)
        cluster_id = len(clusters)
        clusters[cluster_id] = cluster
        index.update(cluster_id, cluster)

    free = [i for i, vector in enumerate(vectors) if vector and i not in fixed]
    step = max(1, len(free) // 100)
    # 1. Leader clustering.
    for n, i in enumerate(free, start=1):
        vector = vectors[i]
        cluster_id, score = _best(vector, index.candidates(vector), clusters, centroids)
        if cluster_id is None or score < join:
            cluster_id = len(clusters)
            clusters[cluster_id] = Cluster()
        cluster = clusters[cluster_id]
        cluster.members.append(i)
        _add(cluster.total, vector)
        cluster.total = _trim(cluster.total)
        centroids.pop(cluster_id, None)
        index.update(cluster_id, cluster)
        if progress and n % step == 0:
            progress(step)

    # 2. Merge close centroids.
    _merge_pass(clusters, index, centroids, merge)

    # 2b. Reweight: a word spread evenly over many themes (a filler such as
    # 影响了党组织的凝聚力, an opening such as 部分党组织) says nothing about
    # which theme an item belongs to. Each weight is scaled by how
    # concentrated its word is in one theme, then themes are rebuilt, merged
    # again (variants that only their filler kept apart now meet) and items
    # reassigned below.
    vectors = _reweighted(vectors, clusters)
    index = _Index()
    centroids = {}
    for cluster_id, cluster in clusters.items():
        cluster.total = {}
        for i in cluster.members:
            _add(cluster.total, vectors[i])
        cluster.total = _trim(cluster.total)
        index.update(cluster_id, cluster)
    _merge_pass(clusters, index, centroids, merge)

    # 3. One reassignment pass of free items to their nearest centroid.
    final = {cluster_id: cluster.centroid() for cluster_id, cluster in clusters.items()}
    assignment = {}
    for cluster_id, cluster in clusters.items():
        for i in cluster.members:
            if i not in cluster.fixed:
                vector = vectors[i]
                candidates = index.candidates(vector) | {cluster_id}
                best_id, _ = _best(vector, candidates, clusters, final)
                assignment[i] = best_id if best_id is not None else cluster_id
    members = defaultdict(list)
    for cluster_id, cluster in clusters.items():
        members[cluster_id].extend(sorted(cluster.fixed))
    for i, cluster_id in assignment.items():
        members[cluster_id].append(i)

    groups = []
    for cluster_id, cluster in clusters.items():
        items = sorted(members.get(cluster_id, ()))
        if not items and cluster.key is None:
            continue
        total = {}
        for i in items:
            _add(total, vectors[i])
        groups.append(
            Group(
                members=tuple(items),
                top_words=label_words(_shared(total, items, vectors, concepts)),
                central=_central(items, total, vectors),
                key=cluster.key,
                concept=shared_concept(items, vectors, concepts),
            )
        )
    groups.sort(key=lambda g: (-len(g.members), g.members[:1]))
    return groups


def shared_concept(items, vectors, concepts):
    """The concept named by most of ``items`` when at least half of them (and two) name it, else ""."""
    counts = Counter(term for i in items for term in vectors[i] if term in concepts)
    if not counts:
        return ""
    name, count = min(counts.items(), key=lambda pair: (-pair[1], -_weight(items, vectors, pair[0]), pair[0]))
    return name if count >= 2 and count * 2 >= len(items) else ""


def _shared(total, items, vectors, concepts):
    """``total`` without the features only one of several items has: a keyword is what items share."""
    if len(items) < 2:
        return total
    counts = Counter(term for i in items for term in vectors[i])
    return {t: w for t, w in total.items() if counts[t] >= 2}


def _weight(items, vectors, term):
    return sum(vectors[i].get(term, 0.0) for i in items)


def label_words(total, count=LABEL_WORDS):
    """The heaviest words of a centroid, one of each family: 重要性 rather than 重要 and 重要性."""
    chosen = []
    for word in sorted(total, key=lambda t: (-total[t], t)):
        family = [taken for taken in chosen if word in taken or taken in word]
        if family:
            taken = family[0]
            # The longer word is the more telling one when it weighs nearly as much.
            if len(word) > len(taken) and total[word] >= 0.6 * total[taken]:
                chosen[chosen.index(taken)] = word
            continue
        if len(chosen) < count:
            chosen.append(word)
        elif total[word] < 0.6 * min(total[taken] for taken in chosen):
            break
    return tuple(chosen)


def _merge_pass(clusters, index, centroids, merge):
    """Merge clusters whose centroids are close, largest first so small ones fold into them."""
    order = sorted(clusters, key=lambda c: (-len(clusters[c].members), c))
    for cluster_id in order:
        cluster = clusters.get(cluster_id)
        if cluster is None:
            continue
        centroid = cluster.centroid()
        candidates = index.candidates(centroid) - {cluster_id}
        if cluster.key is not None:
            candidates = {c for c in candidates if clusters[c].key is None}
        target_id, score = _best(centroid, candidates, clusters, centroids)
        if target_id is None or score < merge:
            continue
        target = clusters[target_id]
        if target.key is None and cluster.key is not None:
            continue  # a seed absorbs auto themes, never the other way round
        if len(target.members) < len(cluster.members) and target.key is None and cluster.key is None:
            cluster_id, target_id, cluster, target = target_id, cluster_id, target, cluster
        target.members.extend(cluster.members)
        target.fixed |= cluster.fixed
        _add(target.total, cluster.total)
        target.total = _trim(target.total)
        centroids.pop(target_id, None)
        index.update(target_id, target)
        index.remove(cluster_id)
        del clusters[cluster_id]
        centroids.pop(cluster_id, None)


def _reweighted(vectors, clusters):
    """``vectors`` with each term's weight times its concentration (share in its commonest cluster)."""
    per_cluster = defaultdict(Counter)
    for cluster_id, cluster in clusters.items():
        for i in cluster.members:
            for term in vectors[i]:
                per_cluster[term][cluster_id] += 1
    concentration = {}
    for term, counts in per_cluster.items():
        total = sum(counts.values())
        # A word seen once or twice is concentrated by chance: keep it as it was.
        concentration[term] = max(counts.values()) / total if total > 2 else 1.0
    result = []
    for vector in vectors:
        weighted = {t: w * concentration.get(t, 1.0) for t, w in vector.items()}
        norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        result.append({t: w / norm for t, w in weighted.items()} if weighted else {})
    return result


def _central(items, total, vectors):
    """The member most similar to the group's centroid (-1 for an empty group)."""
    if not items:
        return -1
    return max(items, key=lambda i: (sum(w * total.get(t, 0.0) for t, w in vectors[i].items()), -i))


def best_matches(source, targets, *, threshold=0.15, limit=3):
    """Indices of ``targets`` (vectors) most similar to ``source``, best first: ``[(index, score)]``."""
    scored = [(i, cosine(source, vector)) for i, vector in enumerate(targets)]
    scored = [(i, score) for i, score in scored if score >= threshold]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]
