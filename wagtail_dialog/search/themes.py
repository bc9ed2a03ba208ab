"""Themes of a dialog: the words and two-word phrases its contributions use
most, counted once per contribution, for officials compiling the result
(sammanställa resultat).

Words are grouped by their Swedish search terms, so "cykel", "cyklar" and
"cykeln" count as one theme, shown as the form residents used most. Stop words,
numbers and words of fewer than three letters are left out. Names and emails
are never read.

A phrase is two such words written next to each other, and it is only a theme
when the two occur together far more often than chance: Dunning's
log-likelihood ratio (G²) over every pair of neighbouring words in the
dialog's contributions, in at least ``PHRASE_MIN_COUNT`` contributions. Two
common words that happen to meet now and then ("barn parken" in "vi har tre
barn parken är för liten") are not a phrase; two that are written together
("offentlig toalett") are.
"""

import math
from collections import Counter
from dataclasses import dataclass

import stopwordsiso

from wagtail_dialog.search import swedish

MIN_LETTERS = 3

#: A phrase must occur in at least this many contributions: a G² score from
#: one or two occurrences says more about chance than about residents.
PHRASE_MIN_COUNT = 3

#: G² at least this high: p < 0.001 for one degree of freedom, a bar that
#: the hundreds of pairs tested in a large dialog seldom pass by chance.
PHRASE_MIN_SCORE = 10.83

#: Words that say nothing about the subject in a contribution to a municipal
#: dialog, on top of stopwords-iso's general Swedish list: how residents frame
#: a wish ("önskar", "snälla", "bygg"), the dialog's own vocabulary
#: ("kommunen", "förslag") and a few conjunctions, adverbs and verbs of
#: motion the list lacks ("medan", "samtidigt", "åka"). Left out of themes but not out of search: what
#: a resident wishes for ("gungor", "buss") stays a theme without them.
DIALOG_STOP_WORDS = """
    önskar önskan behövs behov snälla tänk tycker tror känns bygg bygga byggs använda hela
    medan samt trots både dessutom väldigt ganska riktigt samtidigt sak saker sätt åka
    kommunen kommun förslag synpunkt
""".split()

STOP_WORDS = frozenset(stopwordsiso.stopwords("sv")) | frozenset(DIALOG_STOP_WORDS)

# The search terms of the stop words, so that every form of one is left out
# ("behövs" with "behöva", "dagarna" with "dag").
_STOP_TERMS = frozenset().union(*(swedish.terms(word) for word in STOP_WORDS))


@dataclass(frozen=True)
class Theme:
    label: str  # the form residents used most
    count: int  # the number of contributions that use it


class _Groups:
    """Words whose search terms overlap, joined into one group (union-find)."""

    def __init__(self):
        self.parent = {}

    def find(self, term):
        self.parent.setdefault(term, term)
        while self.parent[term] != term:
            self.parent[term] = self.parent[self.parent[term]]
            term = self.parent[term]
        return term

    def join(self, terms):
        terms = sorted(terms)
        root = self.find(terms[0])
        for term in terms[1:]:
            self.parent[self.find(term)] = root


def _usable(word):
    if len(word) < MIN_LETTERS or word.isdigit() or word in STOP_WORDS:
        return False
    terms = swedish.terms(word)
    return bool(terms) and not terms & _STOP_TERMS


def _xlogx(count):
    return count * math.log(count) if count > 0 else 0.0


def log_likelihood(together, first, second, total):
    """Dunning's G² for a pair seen ``together`` times among ``total`` pairs
    of neighbouring words, whose first word starts ``first`` of them and whose
    second word ends ``second`` of them (the 2 × 2 contingency table)."""
    cells = (together, first - together, second - together, total - first - second + together)
    margins = (first, total - first, second, total - second)
    return 2 * (sum(map(_xlogx, cells)) - sum(map(_xlogx, margins)) + _xlogx(total))


def themes(texts, words_limit=25, phrases_limit=15, min_count=2, phrase_min_count=PHRASE_MIN_COUNT):
    """(words, phrases) of ``texts``: lists of Theme, most used first.

    Time and memory grow with the number of words in ``texts``: each distinct
    word is stemmed once, and of each text only its usable words are kept
    (one shared string per distinct word), not the text itself."""
    usable = {}  # each distinct word, once: whether it counts
    groups = _Groups()
    documents = []
    for text in texts:
        text = text or ""
        # The usable words in order, None where a phrase cannot continue: a
        # phrase never crosses punctuation or a stop word.
        kept, previous_end = [], None
        for start, end, word in swedish.words(text):
            word = word.casefold()
            if word not in usable:
                usable[word] = _usable(word)
                if usable[word]:
                    groups.join(swedish.terms(word))
            if not usable[word]:
                previous_end = None
                continue
            if previous_end is None or text[previous_end:start].strip():
                kept.append(None)
            kept.append(word)
            previous_end = end
        documents.append(kept)
    key_of = {word: groups.find(next(iter(swedish.terms(word)))) for word, ok in usable.items() if ok}

    word_counts, forms = Counter(), Counter()
    phrase_counts, phrase_forms, pairs = Counter(), Counter(), Counter()
    for kept in documents:
        seen_phrases = set()
        for previous, word in zip(kept, kept[1:]):
            if previous is not None and word is not None:
                pair = (key_of[previous], key_of[word])
                pairs[pair] += 1
                phrase_forms[previous, word] += 1
                seen_phrases.add(pair)
        words = [word for word in kept if word is not None]
        forms.update(words)
        word_counts.update({key_of[word] for word in words})
        phrase_counts.update(seen_phrases)

    # Dunning's table needs, per word, how many pairs it starts and ends.
    total, firsts, seconds = 0, Counter(), Counter()
    for (first, second), together in pairs.items():
        total += together
        firsts[first] += together
        seconds[second] += together

    def together_more_than_chance(pair):
        together, first, second = pairs[pair], firsts[pair[0]], seconds[pair[1]]
        return together * total > first * second and log_likelihood(together, first, second, total) >= PHRASE_MIN_SCORE

    phrase_counts = {
        pair: count for pair, count in phrase_counts.items()
        if count >= max(min_count, phrase_min_count) and together_more_than_chance(pair)
    }

    def labels(surface_counts, key):
        """The form residents used most of each key."""
        best = {}
        for form, count in surface_counts.items():
            group = key(form)
            if group is not None and (group not in best or (count, form) > best[group]):
                best[group] = (count, form)
        return {group: form for group, (_, form) in best.items()}

    word_labels = labels(forms, key_of.get)
    phrase_labels = {
        pair: " ".join(form)
        for pair, form in labels(phrase_forms, lambda form: (key_of[form[0]], key_of[form[1]])).items()
        if pair in phrase_counts
    }

    def ranked(counts, labels, limit):
        result = [Theme(labels[key], count) for key, count in counts.items() if count >= min_count]
        result.sort(key=lambda theme: (-theme.count, theme.label))
        return result[:limit]

    return ranked(word_counts, word_labels, words_limit), ranked(phrase_counts, phrase_labels, phrases_limit)


def significant_themes(words, limit=25):
    """Themes from (word, count) pairs found by a search engine (most
    significant first): the same words are left out as above, and forms of a
    word join as one theme, counted as its most used form (a contribution
    using two forms is not counted twice)."""
    groups = _Groups()
    usable = [(word.casefold(), count) for word, count in words if _usable(word.casefold())]
    for word, _ in usable:
        groups.join(swedish.terms(word))
    best = {}
    for word, count in usable:
        key = groups.find(next(iter(swedish.terms(word))))
        if key not in best or count > best[key].count:
            best[key] = Theme(word, count)
    # First seen first: the engine's order of significance.
    order = list(dict.fromkeys(groups.find(next(iter(swedish.terms(word)))) for word, _ in usable))
    return [best[key] for key in order][:limit]
