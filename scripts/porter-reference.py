#!/usr/bin/env python3
"""The stems NLTK's own Porter stemmer gives, for lib/evaluation/porter-stemmer.ts to be held to.

rouge-score stems with NLTK's default PorterStemmer() (NLTK_EXTENSIONS). This runs that stemmer
(`pip install nltk`; written with nltk/stem/porter.py of NLTK's main branch, 2024-01-29) over the
words of Porter's paper ("An algorithm for suffix stripping", 1980: the examples of each step and of
the measure), the examples of NLTK's own comments on its extensions, a few words picked because one
rule alone decides their stem, and every word of the example datasets (examples/datasets/), and
writes test/fixtures/porter-nltk-stems.json, which test/evaluation/rouge.test.ts compares the library
with. Run it again only when the word list changes:

    python3 scripts/porter-reference.py
"""
import json
import re
from pathlib import Path

from nltk.stem.porter import PorterStemmer

ROOT = Path(__file__).resolve().parent.parent

PAPER = """
caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled sized hopping
tanned falling hissing fizzed failing filing happy sky relational conditional rational valenci hesitanci
digitizer conformabli radicalli differentli vileli analogousli vietnamization predication operator feudalism
decisiveness hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative formalize
electriciti electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable defensible
irritant replacement adjustment dependent adoption homologou communism activate angulariti homologous
effective bowdlerize probate rate cease controll roll tree trees trouble troubles oats ivy private oaten orrery
"""
# NLTK's comments on its extensions: -ies/-ied on four letters, y -> i after a consonant only, the
# irregular forms, -logi, -fulli, -tionally, words of two letters left alone.
NLTK = """
sties disabled matting mating meeting milling messing meetings generalizations oscillators flies dies spied
died dying lying tying skies news innings inning cannings canning outings outing howe proceed exceed succeed spy fly try enjoy
toy syzygy geology archaeology theology hopefully carefully conditionally is as us by
"""
# One rule each decides these: SSES (a stem without a vowel), ATIONAL, ALISM, IVENESS, ALITI, ICATE, the
# consonant y at the start, the e kept after a vowel-consonant word (are, eve, ice, ore, use), ION after
# a stem not ending s or t, y after a vowel (deployment), -eeing, *o not after w or x, EED, AT and IZ
# after -ed, y -> i not after a lone consonant (dyed), LOGI; and words that are also names of JavaScript's
# object members.
RULES = """
sses operational nationalism talkativeness nationality communicate yelling youth use uses eve ice ore owed icy
says companion vision abbreviation rally ally bowling crying deployment agreeing seeing blowing boxed guaranteed
abbreviated authorized considered applying dyed dyes logy constructor tostring valueof hasownproperty
"""


def main() -> None:
    words = set((PAPER + NLTK + RULES).split())
    for path in sorted((ROOT / "examples" / "datasets").glob("*/*/*.jsonl")):
        words |= {w for w in re.split(r"[^a-z0-9]+", path.read_text().lower()) if w.isalpha()}
    stemmer = PorterStemmer()
    stems = {word: stemmer.stem(word) for word in sorted(words)}
    out = ROOT / "test" / "fixtures" / "porter-nltk-stems.json"
    out.write_text(json.dumps(stems, indent=2) + "\n")
    print(f"{len(stems)} words -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
