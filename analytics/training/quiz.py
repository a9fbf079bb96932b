"""The training quiz: six questions on the decks' claims and three on this company's figures.

The company questions offer three numbers in the same format — the measured one and two
plausible neighbours, the measured one not always in the same place — so
the answer is found on the slide, not guessed from the wording. A question whose figure is
hidden (under the minimum n) is left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analytics.training.slides import Slide
from locales import translate


@dataclass
class Question:
    text: str
    options: list[str]
    answer: int
    explanation: str


def _share_options(v: float, at: int) -> list[float]:
    """Three shares in ascending order, ``v`` at position ``at``: steps of one logit, so they stay
    inside (0, 1) and look like real shares (60 % → 36 %, 60 %, 80 %)."""
    v = min(max(v, 0.005), 0.995)
    logit = math.log(v / (1 - v))
    return [1 / (1 + math.exp(-(logit + k - at))) for k in range(3)]


def _ratio_options(v: float, at: int) -> list[float]:
    """Three ratios in ascending order, ``v`` at position ``at``: steps of a factor of two."""
    return [v * 2.0 ** (k - at) for k in range(3)]


#: Company questions: (slide key, catalog stem, neighbours, format, the answer's position).
COMPANY = (
    ("pareto", "c1", _share_options, "{:.0%}", 0),
    ("five_vs_four", "c2", _ratio_options, "{:.1f}×", 2),
    ("voice", "c3", _share_options, "{:.0%}", 1),
)


def quiz(slides: list[Slide], lang: str = "zh-CN") -> list[Question]:
    """Up to nine questions from the decks' claims and this company's figures on the slides."""
    by = {s.key: s for s in slides}

    def L(key: str, **kw) -> str:
        return translate(f"train.quiz.{key}", lang, **kw)

    qs = []
    for i in range(1, 7):
        qs.append(Question(L(f"{i}.q"), L(f"{i}.options").split("|"), int(L(f"{i}.answer")), L(f"{i}.why")))
    for key, stem, neighbours, fmt, at in COMPANY:
        v = by[key].figure if key in by else None
        if v is None:
            continue
        options = [fmt.format(x) for x in neighbours(v, at)]
        if len(set(options)) < 3:  # a figure at the scale's end leaves no distinct neighbour
            continue
        qs.append(Question(L(f"{stem}.q"), options, at, L(f"{stem}.why", v=options[at])))
    return qs
