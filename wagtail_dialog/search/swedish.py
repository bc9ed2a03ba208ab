"""Swedish words for search: what residents type and what they wrote, brought to
the same terms.

Each word becomes a small set of *terms*: its Snowball stem, plus the stems of
the forms Snowball's Swedish algorithm leaves apart, all without diacritics:

- the definite singular in -n ("förskolan", "cykeln") is also stemmed as the
  indefinite ("förskola" → "förskol"), as Snowball does not strip "-an" or "-n";
- words that drop an unstressed e before -l, -r or -n when inflected
  ("cykel" / "cyklar", "vinter" / "vintrar", "nyckel" / "nycklar") also get
  the short form ("cykl", "vintr", "nyckl");
- å, ä and ö (and é, ü) are folded to a, a, o, so "forskola" typed on a
  keyboard without them finds "förskola".

A document matches a query word when they share a term, or, for a query term
of four letters or more, when one of its terms begins with it: Swedish writes
compounds as one word, so "cykel" also finds "cykelställ" and "cykelbana"
(``query_words``). The same functions run on what is indexed and on what is
asked, so every search backend (the database ones here, Elasticsearch with its
own analysis) treats Swedish alike.
"""

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer

_stemmer = snowballstemmer.stemmer("swedish")

#: Words: runs of letters and digits ("e-post" is "e" and "post"), so every term is safe in a query.
WORD = re.compile(r"[^\W_]+")

_VOWELS = set("aeiouyåäö")

#: Snowball's Swedish stop words, and a few that say nothing in a contribution.
STOP_WORDS = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke
    mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut
    när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt mycket
    sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa några deras
    blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje vilka ditt vem
    vilket sitta sådana vart dina vars vårt våra ert era vilkas också bara väl ska får finns många
    mer fler även sig kanske tycker vill behöver borde
    """.split()
)

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"})


def fold(text):
    """Lower case without the diacritics Swedish keyboards may lack."""
    return unicodedata.normalize("NFC", text).casefold().translate(_FOLD)


def words(text):
    """The words of ``text`` with their positions, as (start, end, word)."""
    return [(match.start(), match.end(), match.group()) for match in WORD.finditer(text or "")]


@lru_cache(maxsize=50_000)
def terms(word):
    """The search terms of one word (a frozenset; empty for stop words and single letters)."""
    word = unicodedata.normalize("NFC", word).casefold()
    if len(word) < 2 or word in STOP_WORDS or fold(word) in _FOLDED_STOP_WORDS:
        return frozenset()
    forms = {word}
    if len(word) >= 5 and word.endswith("n"):
        forms.add(word[:-1])  # the definite singular: förskolan -> förskola, cykeln -> cykel
    for form in list(forms):
        short = _syncope(form)
        if short:
            forms.add(short)
    stems = set()
    for form in forms:
        for variant in (form, fold(form)):
            stem = _stemmer.stemWord(variant)
            stems.add(fold(stem))
            if variant.endswith("s") and stem == variant[:-1]:
                # Snowball takes a final s for the genitive, also from words
                # that end in s ("lekplats"): keep the whole word as well.
                stems.add(fold(variant))
    return frozenset(stem for stem in stems if len(stem) >= 2)


def _syncope(word):
    """cykel -> cykl, vinter -> vintr, nyckel -> nyckl: the unstressed e that
    inflected forms drop. Only after a consonant, in words of five letters or more."""
    if len(word) >= 5 and word[-2] == "e" and word[-1] in "lrn" and word[-3] not in _VOWELS:
        return word[:-2] + word[-1]
    return None


_FOLDED_STOP_WORDS = frozenset(fold(word) for word in STOP_WORDS)


def text_terms(text):
    """Every term of every word in ``text``, as a set."""
    found = set()
    for _, _, word in words(text):
        found |= terms(word)
    return found


def query_terms(query):
    """A query as a list of term sets, one per word that has any: a document
    matches when it shares a term with every set."""
    result = []
    for _, _, word in words(query):
        word_terms = terms(word)
        if word_terms and word_terms not in result:
            result.append(word_terms)
    return result


#: A query term this long or longer also finds the stored terms that begin with
#: it. Shorter ones only find themselves: "bo" would find every "bostad",
#: "bord" and "bot", and "bil" every "bild".
PREFIX_MIN_LENGTH = 4


class WordMatch(NamedTuple):
    """What one query word finds: a stored term equal to one of ``exact``, or
    beginning with one of ``prefixes`` (so equal to it too)."""

    exact: frozenset
    prefixes: frozenset

    def finds(self, word_terms):
        """Whether a word with the terms ``word_terms`` is found."""
        return bool(word_terms & self.exact) or any(
            term.startswith(prefix) for term in word_terms for prefix in self.prefixes
        )


def word_match(word_terms):
    """The ``WordMatch`` of a query word whose terms are ``word_terms``.

    The prefixes are the word's *terms* (its stems), not the word as typed: a
    compound is stored as its own stem ("cykelställen" -> "cykelstall"), and
    the stem is where the query word's inflection is gone, so "trafiken"
    (stem "trafik") finds "trafikljus" and "skolan" (stem "skol") finds
    "skolgård", which the typed forms are not the beginning of. Only terms of
    letters: a number ("12", "2026") stays exact, or house number 12 would
    find 120-129.
    """
    prefixes = {term for term in word_terms if len(term) >= PREFIX_MIN_LENGTH and term.isalpha()}
    # A prefix that begins with a shorter one adds nothing ("cykel" covers "cykeln"),
    # nor does an exact term a prefix already finds: the query stays as small as before.
    prefixes = {term for term in prefixes if not any(term != other and term.startswith(other) for other in prefixes)}
    exact = {term for term in word_terms if not any(term.startswith(prefix) for prefix in prefixes)}
    return WordMatch(frozenset(exact), frozenset(prefixes))


def query_words(query):
    """A query as a list of ``WordMatch``, one per word that has terms (as
    ``query_terms``): a document matches when every one of them finds a term."""
    return [word_match(word_terms) for word_terms in query_terms(query)]
