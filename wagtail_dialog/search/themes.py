"""Themes of a dialog: the words and two-word phrases its contributions use
most, counted once per contribution, for officials compiling the result
(sammanställa resultat).

Words are grouped by their Swedish search terms, so "cykel", "cyklar" and
"cykeln" count as one theme, shown as the form residents used most. Stop words,
numbers and words of fewer than three letters are left out. Names and emails
are never read.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from wagtail_dialog.search import swedish

MIN_LETTERS = 3

#: Words that carry no subject in a contribution (wishes, politeness, time,
#: quantity), left out of themes but not out of search.
FILLER_WORDS = """
    önskar önskan vill ville behövs behöver behov bygg bygga byggs snälla tänk tänka tänker tycker tror
    känns känner viktigast viktigt viktig måste göra gör gjort hela helt medan dag dagar dagen idag
    använda använder används kunna bra bättre bäst mer mera fler flera finnas finns fanns tack gärna
    alla allt också väldigt mycket lite många ofta alltid aldrig sätt sak saker blir bli får få fått
    kommer komma går gå ser se sitter sitta ligger stor stora liten små nya ny gamla gammal annat andra
    ännu redan kanske verkligen riktigt ganska mest minst kommunen kommun förslag synpunkt
""".split()
_FILLER_TERMS = frozenset().union(*(swedish.terms(word) for word in FILLER_WORDS))


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
    if len(word) < MIN_LETTERS or word.isdigit():
        return False
    terms = swedish.terms(word)
    return bool(terms) and not terms & _FILLER_TERMS


def themes(texts, words_limit=25, phrases_limit=15, min_count=2):
    """(words, phrases) of ``texts``: lists of Theme, most used first."""
    documents = []
    groups = _Groups()
    for text in texts:
        text = text or ""
        found = [(start, end, word.casefold()) for start, end, word in swedish.words(text)]
        for _, _, word in found:
            if _usable(word):
                groups.join(swedish.terms(word))
        documents.append((text, found))

    word_counts, word_forms = Counter(), defaultdict(Counter)
    phrase_counts, phrase_forms = Counter(), defaultdict(Counter)
    for text, found in documents:
        seen_words, seen_phrases = set(), set()
        previous = None
        for start, end, word in found:
            if not _usable(word):
                previous = None
                continue
            key = groups.find(next(iter(swedish.terms(word))))
            word_forms[key][word] += 1
            seen_words.add(key)
            # A phrase is two usable words with only spaces between them.
            if previous is not None and not text[previous[1]:start].strip():
                pair = (previous[2], key)
                phrase_forms[pair][f"{previous[3]} {word}"] += 1
                seen_phrases.add(pair)
            previous = (start, end, key, word)
        word_counts.update(seen_words)
        phrase_counts.update(seen_phrases)

    def ranked(counts, forms, limit):
        result = [
            Theme(forms[key].most_common(1)[0][0], count)
            for key, count in counts.items()
            if count >= min_count
        ]
        result.sort(key=lambda theme: (-theme.count, theme.label))
        return result[:limit]

    return ranked(word_counts, word_forms, words_limit), ranked(phrase_counts, phrase_forms, phrases_limit)


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
