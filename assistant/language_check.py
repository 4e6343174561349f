"""Warn when a text is not English: mostly in another alphabet, or in another language written
in the Latin one.

The models read any text without failing (their vocabulary has Arabic letters, CJK characters
and French words) and then answer with confidence about text they never learned: "Très déçu."
came out positive at 0.89. So the user is told. Kept out of the engine package so that the
window can use it before the engine loads.
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 20_000
"""Only the beginning is read: enough to tell, and cheap on every pause in typing."""

OTHER_SCRIPT = (
    "Most of this text is not written in the Latin alphabet. The models learned English, so"
    " these results may not mean much."
)
NOT_ENGLISH = (
    "This text does not look like English. The models learned English, so these results may"
    " not mean much."
)

_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_WORD = re.compile(r"[^\W\d_]{2,}")
"""Words of two letters or more: the "s" of "it's" and the "l" of "l'avion" tell nothing."""

_COMMON_WORDS = {
    "English": "the an and or but of to in on at for with from by about as is are was were be"
    " been am it its this that these those you he she we they me my your our their his her him"
    " us them not no do does did have has had will would can could should what how when where"
    " why who which there here please very so if just all any some more than then too also get"
    " set",
    "French": "le les des est une du au aux avec dans pas très je nous vous ils elle"
    " mais ou qui sont cette ce ma mes été être bien merci bonjour jamais rien ne votre"
    " notre qu quel quelle fait demain vraiment toujours avez suis était peut tous où"
    " pourquoi combien aujourd",
    "Spanish": "el los las del es muy pero por para una mi tu su gracias hola cuando donde"
    " qué cómo está estaba fue quiero nada estoy tengo hace hoy mañana cuánto dónde también"
    " gustó",
    "German": "der das und ist nicht ich wir ein eine einen mit für auf sehr aber oder auch dem"
    " sind bitte danke wie wird wurde meine mein soll möchte viel zu alles vielen heute morgen"
    " habe kann noch schon wann warum kein keine",
    "Italian": "il di che è della molto sono gli anche questo grazie ho vorrei domani"
    " oggi mia mio nel quando perché niente ciao",
    "Portuguese": "não muito uma com é os você quero qual meu obrigado obrigada amanhã hoje"
    " pelo pela gostei",
    "Dutch": "het een niet zeer maar ook zijn voor ik wil wat graag hoe lekker bedankt vandaag",
}
"""Common short words of each language; the others' are not English words: "die", "war", "son",
"come", "per", "con", "comment", "dove", "hay", "heel", "pour", "tout" and "mon" are left out
("Add a comment", "Price per night", "Hay fever remedies", "Meeting Mon")."""
_ENGLISH_WORDS = frozenset(_COMMON_WORDS["English"].split())
_OTHER_WORDS = frozenset(
    word
    for language, words in _COMMON_WORDS.items()
    if language != "English"
    for word in words.split()
)
"""On the training texts of SST-2, CLINC150 and SQuAD (67,349 + 15,100 + 106,495) the rules
below flag 11: 8 foreign ("muy loco", "gracias", "merci beaucoup"), 3 not ("del" twice, SST-2's
piece of a name, and "ahoy hoy"); and none of 44 hand-written English texts with names,
acronyms and loanwords ("Las Vegas trip", "Smith et al.", "Café au lait was great."). They find
33 of 47 hand-written French, Spanish, German, Italian, Portuguese and Dutch reviews and
requests, missing one-word texts such as "Schrecklich." and Dutch most."""
SHORT_TEXT_WORDS = 4
"""Up to this many words, one foreign word and no English one tell, where at least half the
words are foreign or accented: "Très déçu.", "Muy malo.", but not "Las Vegas trip"."""


def language_caveat(text: str) -> str | None:
    """:data:`OTHER_SCRIPT` when most letters are outside the Latin alphabet, :data:`NOT_ENGLISH`
    when the words are another language's, else None. Digits, punctuation and emoji count
    neither way; a few foreign words in an English text ("How do you say merci beaucoup?") do
    not make it foreign, nor do names and acronyms in a short one ("Des Moines weather", "MIT
    admissions")."""
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if letters and len(_LATIN_LETTER.findall(sample)) < letters / 2:
        return OTHER_SCRIPT
    words = [word.lower() for word in _WORD.findall(sample) if not word.isupper()]
    english = sum(word in _ENGLISH_WORDS for word in words)
    other = sum(word in _OTHER_WORDS for word in words)
    if len(words) <= SHORT_TEXT_WORDS:
        accented = sum(not word.isascii() and word not in _OTHER_WORDS for word in words)
        if english == 0 and other >= 1 and 2 * (other + accented) >= len(words):
            return NOT_ENGLISH
        return None
    return NOT_ENGLISH if other >= 2 and other > 2 * english else None


def batch_caveat(count: int) -> str | None:
    """The batch summary's line for ``count`` such items, or None when there are none."""
    if not count:
        return None
    items = "1 item does" if count == 1 else f"{count:,} items do"
    return (
        f"{items} not look like English; the models learned English, so their results may not"
        " mean much."
    )
