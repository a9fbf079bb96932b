"""Keywords that set a group's comments apart: per satisfaction level (what the unhappy and
the delighted say) and per service dimension (what is written when that dimension falls
shortest of expectation).

A word's weight is its weighted log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi & Quinn 2008, "Fightin' Words", eq. 16–22): the log-odds of the word in the group
against all other comments, smoothed by the word's frequency in the whole corpus and divided
by its standard error — a z-score, so frequent words do not win by frequency alone and rare
ones do not win by chance. Computed when the text model is fitted (over all comments, at most
``SAMPLE`` of them), stored with it; a ranked bar chart reads in both languages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Words a group's list keeps (the strongest first) and the least a word must occur in it.
TOP, MIN_COUNT = 12, 5
#: Comments used at most (a seeded sample beyond it: the ranking is stable well before).
SAMPLE = 200_000
#: Prior strength α₀ (Monroe et al. use the corpus counts scaled to a total of this size).
PRIOR = 1_000.0

Keywords = dict[str, tuple[tuple[str, float, int], ...]]  # group → ((word, z, count in group), …)


def distinctive(docs: list[list[str]], groups: np.ndarray) -> tuple[Keywords, dict[str, int]]:
    """For each group label in ``groups`` (None: in no group): its most distinctive words and
    the number of comments it has."""
    from sklearn.feature_extraction.text import CountVectorizer

    keep = np.array([g is not None for g in groups])
    if keep.sum() < 2 or len({g for g in groups if g is not None}) < 2:
        return {}, {}
    idx = np.flatnonzero(keep)
    if len(idx) > SAMPLE:
        idx = np.sort(np.random.default_rng(0).choice(idx, SAMPLE, replace=False))
    vec = CountVectorizer(analyzer=lambda tokens: tokens, min_df=MIN_COUNT)
    x = vec.fit_transform([docs[i] for i in idx]).tocsr()
    words = np.asarray(vec.get_feature_names_out())
    labels = np.asarray(groups, dtype=object)[idx]
    total = np.asarray(x.sum(axis=0)).ravel().astype(float)
    alpha = PRIOR * total / total.sum()  # the informative prior: the corpus's own word shares
    a0 = alpha.sum()
    out: Keywords = {}
    sizes: dict[str, int] = {}
    for g in pd.unique(labels):
        rows = labels == g
        sizes[str(g)] = int(rows.sum())
        y_g = np.asarray(x[rows].sum(axis=0)).ravel().astype(float)
        y_r = total - y_g
        n_g, n_r = y_g.sum(), y_r.sum()
        delta = np.log((y_g + alpha) / (n_g + a0 - y_g - alpha)) - np.log((y_r + alpha) / (n_r + a0 - y_r - alpha))
        z = delta / np.sqrt(1 / (y_g + alpha) + 1 / (y_r + alpha))
        z[y_g < MIN_COUNT] = -np.inf
        best = np.argsort(-z)[:TOP]
        out[str(g)] = tuple((str(words[j]), round(float(z[j]), 2), int(y_g[j])) for j in best if z[j] > 0)
    return out, sizes


def level_of(score: pd.Series) -> np.ndarray:
    """The satisfaction level of an overall score scaled to 0–1 (None without a score)."""
    s = score.astype(float)
    return np.where(s.isna(), None, np.where(s <= 0.25, "unhappy", np.where(s >= 0.75, "delighted", "neutral")))


def worst_dimension(ids: pd.Series, answers: pd.DataFrame) -> np.ndarray:
    """Each response's dimension with the largest shortfall (experience below expectation);
    None when no dimension fell short. ``answers``: response_id, dimension, gap."""
    short = answers[answers["gap"] < 0]
    worst = short.loc[short.groupby("response_id")["gap"].idxmin(), ["response_id", "dimension"]]
    mapped = ids.map(worst.set_index("response_id")["dimension"])
    return mapped.astype(object).where(mapped.notna(), None).to_numpy()
