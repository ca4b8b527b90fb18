"""Extraneous-block detection: the seed pair, body kept, categories in three languages."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from viewer.core.extraneous import CATEGORIES, annotate, annotate_pair, decide
from viewer.core.extraneous_features import SAMPLE_CHARS, WORD, normalise
from viewer.core.extraneous_pairs import shared_flags
from viewer.core.extraneous_phrases import categories as phrase_categories
from viewer.core.extraneous_phrases import phrase_hits
from viewer.core.extraneous_words import compiled
from viewer.core.loading import load_article
from viewer.core.model import Article, Block

SEED_EXTRANEOUS_001 = {
    "A Message from The Moscow Times:": "appeal",
    "Dear readers,": "appeal",
    "Continue": "interface",
    "Not ready to support today?": "appeal",
    "Remind me later.": "appeal",
    "×": "interface",
    "Thank you! Your reminder is set.": "interface",
}

BODY = [
    "Ukrainian President Volodymyr Zelensky said Sunday he was ready to hand captured North "
    "Korean soldiers to Pyongyang in exchange for the return of Ukrainian prisoners held "
    "in Russia.",
    "Zelensky's offer comes a day after Ukraine announced it had captured two North Korean "
    "soldiers wounded fighting against Kyiv's troops in Russia's Kursk region.",
    "\u201cUkraine is ready to hand over Kim Jong Un's soldiers to him if he can organize their "
    "exchange for our warriors,\u201d Zelensky wrote on X.",
    "\u2013 Russia- NKorea connections \u2013",
    "There will be more.",
    "Neither Moscow nor Pyongyang have acknowledged that North Koreans have been deployed to "
    "fight against Ukraine, and both have dismissed the reports as propaganda.",
    "The two countries have worked to boost their military cooperation since Russia launched "
    "its full-scale invasion of Ukraine in 2022, signing a mutual defence pact last year.",
    "Western officials said the deployment marked a dangerous escalation of the conflict.",
]


def make_article(lines: list[str], path: str = "page.txt") -> Article:
    """An article with one block per line, as the loader builds plain text."""
    blocks, pos = [], 0
    for i, line in enumerate(lines):
        blocks.append(Block(i, pos, pos + len(line), line))
        pos += len(line) + 1
    return Article(path, "\n".join(lines), tuple(blocks))


def flagged(article: Article) -> dict[str, str]:
    return {b.text: b.extraneous.category for b in article.blocks if b.extraneous}


@pytest.fixture
def seed(seed_paths: tuple[Path, Path]) -> tuple[Article, Article]:
    return load_article(str(seed_paths[0])), load_article(str(seed_paths[1]))


def _check_seed(left: Article, right: Article) -> None:
    assert flagged(left) == {"bur-jj/gv": "signoff"}
    found = flagged(right)
    for text, category in SEED_EXTRANEOUS_001.items():
        assert found.get(text) == category, text
    teasers = [t for t in found if t.rstrip("0123456789").endswith("\u2026")]
    assert len(teasers) == 6 and all(found[t] == "teaser" for t in teasers)
    appeal = [t for t, c in found.items() if c == "appeal"]
    assert len(appeal) == 9  # heading, "Dear readers,", 5 paragraphs, "Not ready", "Remind me"
    assert len(found) == 18
    # Nothing before the appeal box is flagged: the whole article body is kept.
    first = next(b.id for b in right.blocks if b.extraneous)
    assert right.blocks[first].text == "A Message from The Moscow Times:"


def test_seed_single_files(seed: tuple[Article, Article]) -> None:
    _check_seed(annotate(seed[0]), annotate(seed[1]))


def test_seed_pair(seed: tuple[Article, Article]) -> None:
    _check_seed(*annotate_pair(*seed))


def test_seed_subheadings_kept(seed: tuple[Article, Article]) -> None:
    left = annotate(seed[0])
    subheadings = [b for b in left.blocks if b.text.startswith("\u2013 ")]
    assert len(subheadings) == 2
    assert all(b.extraneous is None for b in subheadings)


def test_reasons_are_readable(seed: tuple[Article, Article]) -> None:
    right = annotate(seed[1])
    reasons = {b.text: b.extraneous.reason for b in right.blocks if b.extraneous}
    assert reasons["Dear readers,"] == "donation or subscription appeal: 'dear readers'"
    teaser = next(t for t in reasons if t.startswith("MEXICO CITY"))
    assert reasons[teaser] == "cut-off teaser ending in '\u2026'"
    for block in right.blocks:
        if block.extraneous:
            assert block.extraneous.category in CATEGORIES
            assert 0.5 <= block.extraneous.score <= 1.0


@pytest.mark.parametrize(
    "extra",
    [
        "PARIS (AFP) \u2014 France's government announced new energy measures on Monday.",
        "\u201cWe will not give up,\u201d she said.",
        "It was not enough.",
        "What comes next",
    ],
)
def test_body_kinds_kept(extra: str) -> None:
    lines = BODY[:4] + [extra] + BODY[4:]
    assert flagged(annotate(make_article(lines))) == {}


GERMAN = [
    "Startseite",
    "Politik",
    "Wirtschaft",
    "Berlin (dpa) - Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung "
    "erneuerbarer Energien beschlossen, das den Ausbau von Wind- und Solaranlagen "
    "beschleunigen soll.",
    "Nach Angaben des Wirtschaftsministeriums sollen Genehmigungsverfahren künftig nur noch halb "
    "so lange dauern wie bisher. Kommunen erhalten zudem mehr Mitspracherechte.",
    "\u201eWir müssen schneller werden, sonst verfehlen wir unsere Klimaziele\u201c, "
    "sagte der Minister.",
    "Kritik kam von der Opposition.",
    "Streit um die Finanzierung",
    "Offen ist weiterhin, wie die zusätzlichen Kosten für den Netzausbau verteilt werden sollen. "
    "Der Bundesrat muss dem Gesetz noch zustimmen.",
    "Teilen",
    "Jetzt den Newsletter abonnieren und keine Nachricht mehr verpassen!",
    "Foto: picture alliance / dpa",
    "© 2025 Beispiel Verlag GmbH. Alle Rechte vorbehalten.",
    "Wir verwenden Cookies, um Ihnen die bestmögliche Nutzung unserer Website zu ermöglichen.",
]
FRENCH = [
    "Accueil",
    "International",
    "Culture",
    "PARIS (AFP) - Le gouvernement a présenté mercredi un plan destiné à réduire la consommation "
    "d'énergie des bâtiments publics de vingt pour cent d'ici à la fin de la décennie.",
    "Selon le ministère de la Transition écologique, les travaux concerneront en priorité les "
    "écoles et les hôpitaux, où les dépenses de chauffage ont fortement augmenté.",
    "\u00ab Nous n'avons plus le choix, chaque euro économisé compte \u00bb, "
    "a déclaré la ministre.",
    "Les syndicats restent prudents.",
    "\u2013 Un financement contesté \u2013",
    "Le plan doit encore être examiné par le Parlement à l'automne, où l'opposition a déjà "
    "annoncé plusieurs amendements.",
    "Partager sur Twitter",
    "Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité.",
    "Lire aussi : Les prix de l'électricité devraient baisser en 2026\u2026",
    "© 2025 Exemple Médias. Tous droits réservés.",
    "Nous utilisons des cookies pour améliorer votre expérience de navigation.",
]
ENGLISH = BODY + [
    "Share on Facebook",
    "Sign up for our newsletter to get the latest news in your inbox.",
    "Photo: Getty Images",
    "© 2025 Example News Ltd. All rights reserved.",
    "We use cookies to give you the best experience on our website.",
]


@pytest.mark.parametrize(
    ("lines", "body_slice", "expected"),
    [
        (ENGLISH, slice(0, 8), ["social", "newsletter", "credit", "legal", "consent"]),
        (GERMAN, slice(3, 9), ["social", "newsletter", "credit", "legal", "consent"]),
        (FRENCH, slice(3, 9), ["social", "newsletter", "teaser", "legal", "consent"]),
    ],
    ids=["en", "de", "fr"],
)
def test_categories_by_language(lines: list[str], body_slice: slice, expected: list[str]) -> None:
    article = annotate(make_article(lines))
    blocks = article.blocks
    assert all(b.extraneous is None for b in blocks[body_slice])
    tail = blocks[-len(expected) :]
    assert [b.extraneous.category if b.extraneous else None for b in tail] == expected
    for b in tail:
        assert b.extraneous and "'" in b.extraneous.reason  # names the phrase found


def test_menu_before_article_is_navigation() -> None:
    article = annotate(make_article(GERMAN))
    assert [b.extraneous.category for b in article.blocks[:3] if b.extraneous] == ["navigation"] * 3


def test_deterministic(seed: tuple[Article, Article]) -> None:
    assert annotate_pair(*seed) == annotate_pair(*seed)
    texts = [b.text for b in seed[1].blocks]
    assert decide(texts) == decide(list(texts))


def test_pair_signal() -> None:
    """A block both versions share leans to body; one only this side has, next to junk, away."""
    borderline = "Watch the video"
    lines = BODY + [
        borderline,
        "Share on Facebook",
        "© 2025 Example News Ltd. All rights reserved.",
    ]
    i = len(BODY)

    def suspicion(other: list[str] | None) -> float:
        verdict = decide(lines, other=other)[i]
        return verdict.score if verdict else 0.0

    alone, shared, unique = suspicion(None), suspicion(BODY + [borderline]), suspicion(BODY)
    assert alone > 0.5
    assert shared < alone < unique


def test_empty_and_categories_documented() -> None:
    assert decide([]) == []
    empty = Article("x.txt", "", ())
    assert annotate(empty).blocks == ()
    assert set(CATEGORIES) >= {"appeal", "interface", "teaser", "signoff", "navigation"}
    assert all(isinstance(v, str) and v for v in CATEGORIES.values())


# The shortcuts taken for speed must give exactly what the plain computation gives.


def _shared_reference(texts: list[str], other: list[str]) -> list[bool]:
    """Counterparts the slow way: every block of the other side counted."""
    keys = [normalise(t) for t in other]
    sets = [frozenset(k.split()) for k in keys]
    out = []
    for text in texts:
        key = normalise(text)
        words = frozenset(key.split())
        best = max((len(words & s) for s in sets), default=0)
        out.append(key in keys or (len(words) >= 4 and best >= max(4, len(words) / 2)))
    return out


def test_shared_flags_match_reference() -> None:
    import random

    rng = random.Random(3)
    vocab = [w.strip(".,“”") for line in BODY for w in line.split()]
    for _ in range(200):
        left = [" ".join(rng.choices(vocab, k=rng.randint(1, 30))) for _ in range(12)]
        right = [
            " ".join(w if rng.random() < 0.6 else rng.choice(vocab) for w in t.split())
            for t in rng.sample(left, 8)
        ] + ["the the the and", "Share on Facebook"]
        rng.shuffle(right)
        assert shared_flags(left, right) == _shared_reference(left, right)
        assert shared_flags(right, left) == _shared_reference(right, left)


def _hits_reference(text: str, words: list[str]) -> dict[str, str]:
    """Every category's expressions run the plain way (the trigger words still gate them)."""
    low, hits = text.strip().lower(), {}
    prefixes = {w[:4].lower() for w in words}
    for cat in phrase_categories():
        m = cat.anchored.match(low) if cat.anchored else None
        m = m or (cat.always.search(low) if cat.always else None)
        if m is None and cat.triggered and prefixes & cat.triggers:
            joined = "|".join(f"(?:{part.source})" for part in cat.triggered)
            m = re.search(joined, low)
        if m is not None:
            hits[cat.name] = m.group(0).strip() or low[:20]
    return hits


TRICKY = [
    "Contact us at news@example.org or www.example.com",
    "a @ b, and x@-y.z",
    "Updated 1.2.24 at 10:30; founded 1999, 12-2024-01-15",
    "Room 4 of 5",
    "Photo: AFP / Getty Images",
    "Support our journalism — become a member today",
    "Leave a comment | Share this article › More",
    "© 2025 Example. All rights reserved.",
    "(c) 2024 Someone",
    "editing by John Smith",
    "Read more: the latest headlines",
    "×",
    " ".join(["word"] * 120) + " please support us and sign up for our newsletter",
]


@pytest.mark.parametrize("text", TRICKY + BODY)
def test_fast_paths_match_plain_expressions(text: str) -> None:
    words = compiled(WORD).findall(text[:SAMPLE_CHARS])
    assert phrase_hits(text, words) == _hits_reference(text, words)


def test_annotate_keeps_other_block_fields() -> None:
    blocks = (Block(0, 0, 8, "Continue", kind="heading", level=2), Block(1, 9, 12, "Hi.", "quote"))
    article = annotate(Article("x.txt", "Continue\nHi.", blocks))
    for before, after in zip(blocks, article.blocks, strict=True):
        assert dataclasses.replace(after, extraneous=None) == before


@pytest.mark.parametrize(
    ("footer", "category"),
    [
        ("© 2025 The Moscow Times. All rights reserved. Privacy", "legal"),
        ("We use cookies to improve our service. Privacy policy. © 2025", "consent"),
    ],
)
def test_the_first_phrase_names_the_block(footer: str, category: str) -> None:
    article = annotate(make_article([*ENGLISH[:8], footer]))
    verdict = article.blocks[-1].extraneous
    assert verdict is not None and verdict.category == category
