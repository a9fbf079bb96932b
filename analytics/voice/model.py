"""Sentiment, themes and complaint causes learned from the company's own texts.

Fitted when data is written (analytics/fits.py, name ``voice``), never on a page view; the
per-comment results go to ``comment_scores`` and pages aggregate them.

* **Sentiment**: TF-IDF of words and word pairs + logistic regression, labelled by the
  comment's own overall score (scaled to 0–1: ≥ 0.75 positive, ≤ 0.25 negative; the middle
  is not a label), validated by 5-fold cross-validated ROC AUC, then applied to every comment
  and complaint description. With fewer than ``MIN_SCORED`` labelled comments (or one class
  under 20) a documented fallback counts words from a small bilingual lexicon instead.
* **Themes**: non-negative matrix factorisation of TF-IDF (Lee & Seung 1999; the usual topic
  model for short texts), per source; each theme is labelled by its top words and a comment
  belongs to its strongest theme.
* **Complaint causes**: the same classifier trained on complaints that carry a cause,
  5-fold cross-validated accuracy; it suggests a cause for every complaint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from analytics.voice.text import analyse, mask

MIN_SCORED = 200
MAX_THEMES = 10
#: Above this many texts a model learns from a random sample of this size and is then
#: applied to every text: the fit's quality stops improving long before 1M short texts,
#: its time does not (benchmarks/voice.py).
SAMPLE = 200_000
#: Verdicts and sign-offs ("不会再来", "推荐给朋友"): they carry sentiment, not a subject, so the
#: themes leave them out (the sentiment model keeps them).
THEME_STOP = frozenset(
    "不会 再来 下次 还来 推荐 朋友 点赞 生气 失望 改进 让人 太让人 很失望 希望 改进 不错 满意 可以 一样 "
    "disappointed again recommend great good 联系 电话 邮箱 证件号 姓名 com example user".split()
)
POSITIVE_WORDS = frozenset(
    "满意 喜欢 推荐 点赞 贴心 专业 及时 准时 放心 干净 整洁 舒服 耐心 热情 快 好用 方便 清楚 "
    "good great quick helpful lovely clean friendly recommend love excellent fast".split()
)
NEGATIVE_WORDS = frozenset(
    "失望 生气 太慢 很差 恶劣 投诉 破损 延误 出错 难用 不耐烦 麻烦 坏了 故障 瑕疵 爽约 拖 乱收费 冷冰冰 "
    "bad late rude slow wrong broke broken worst never disappointed messy hard".split()
)


@dataclass(frozen=True)
class Theme:
    index: int
    words: tuple[str, ...]  # top words, strongest first

    @property
    def label(self) -> str:
        return " · ".join(self.words[:3])


@dataclass(frozen=True)
class VoiceModel:
    """What was learned and how well: the page shows these beside the results."""

    comments: dict[str, int]  # texts per source
    scored: int  # comments with an overall score used as sentiment labels
    sentiment_method: str  # "classifier" or "lexicon"
    sentiment_auc: float | None
    sentiment_validation: str  # "cv5": 5-fold cross-validation; "few": too few scored comments (lexicon)
    themes: dict[str, tuple[Theme, ...]] = field(default_factory=dict)
    cause_accuracy: float | None = None
    cause_n: int = 0
    # distinctive words (analytics/voice/keywords.py): "level" / "dimension" → group → words,
    # and the comments each group has (a group under the minimum n is not shown)
    keywords: dict[str, dict] = field(default_factory=dict)
    keyword_n: dict[str, dict[str, int]] = field(default_factory=dict)


def _texts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every survey comment and complaint description with its id, customer, time and labels."""
    return con.execute(
        """SELECT 'surveys' AS source, response_id AS id, customer_id, answered_at AS written_at, comment AS text,
                  (overall_satisfaction - scale_min) / nullif(scale_max - scale_min, 0) AS score, NULL AS cause
           FROM surveys WHERE comment IS NOT NULL AND trim(comment) <> ''
           UNION ALL
           SELECT 'complaints', complaint_id, customer_id, opened_at, description, NULL, cause
           FROM complaints WHERE description IS NOT NULL AND trim(description) <> ''"""
    ).df()


def _vectoriser(min_df: int = 2):
    from sklearn.feature_extraction.text import TfidfVectorizer

    # texts arrive tokenised (analyse() once per text): the vectoriser only counts
    return TfidfVectorizer(analyzer=lambda tokens: tokens, min_df=min_df, sublinear_tf=True, max_features=50_000)


def _lexicon(docs: list[list[str]]) -> np.ndarray:
    """The fallback: (positive − negative words + 1) / (all of them + 2), 0.5 for none."""
    pos = np.array([sum(w in POSITIVE_WORDS for w in d) for d in docs], dtype=float)
    neg = np.array([sum(w in NEGATIVE_WORDS for w in d) for d in docs], dtype=float)
    return (pos + 1) / (pos + neg + 2)


def _sentiment(docs: list[list[str]], score: pd.Series) -> tuple[np.ndarray, str, float | None, str, int]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    label = np.where(score >= 0.75, 1, np.where(score <= 0.25, 0, -1))
    train = np.flatnonzero(label >= 0)
    y = label[train]
    if len(train) < MIN_SCORED or min((y == 0).sum(), (y == 1).sum()) < 20:
        return _lexicon(docs), "lexicon", None, "few", int(len(train))
    pipe = make_pipeline(_vectoriser(), LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced"))
    if len(train) > SAMPLE:
        keep = np.random.default_rng(0).choice(len(train), SAMPLE, replace=False)
        train, y = train[keep], y[keep]
    x_train = [docs[i] for i in train]
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    p = cross_val_predict(pipe, x_train, y, cv=cv, method="predict_proba")[:, 1]
    auc = float(roc_auc_score(y, p))
    pipe.fit(x_train, y)
    return pipe.predict_proba(docs)[:, 1], "classifier", auc, "cv5", int((label >= 0).sum())


def _themes(docs: list[list[str]]) -> tuple[np.ndarray, tuple[Theme, ...]]:
    """Each text's strongest NMF theme (−1: none) and the themes' top words."""
    from sklearn.decomposition import NMF

    if len(docs) < 20:
        return np.full(len(docs), -1), ()
    docs = [[w for w in d if w not in THEME_STOP and not any(p in THEME_STOP for p in w.split(" "))] for d in docs]
    vec = _vectoriser(min_df=3 if len(docs) >= 200 else 1)
    vec.set_params(max_df=0.5)
    x = vec.fit_transform(docs)
    k = int(min(MAX_THEMES, max(2, len(docs) // 60), x.shape[1] - 1))
    if k < 2:
        return np.full(len(docs), -1), ()
    nmf = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=400)
    if x.shape[0] > SAMPLE:  # learn the themes on a sample, then place every text in one
        nmf.fit(x[np.random.default_rng(0).choice(x.shape[0], SAMPLE, replace=False)])
        w = nmf.transform(x)
    else:
        w = nmf.fit_transform(x)
    vocab = np.asarray(vec.get_feature_names_out())
    themes = tuple(
        Theme(i, tuple(str(v) for v in vocab[np.argsort(-comp)[:8]] if " " not in v)[:6])
        for i, comp in enumerate(nmf.components_)
    )
    return np.where(w.max(axis=1) > 0, w.argmax(axis=1), -1), themes


def _causes(docs: list[list[str]], cause: pd.Series) -> tuple[np.ndarray, float | None, int]:
    """A suggested cause per complaint and the classifier's cross-validated accuracy."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline

    known = cause.notna().to_numpy()
    y = cause[known].astype(str).to_numpy()
    classes, counts = np.unique(y, return_counts=True)
    if len(y) < 50 or len(classes) < 2:
        return np.array([None] * len(docs), dtype=object), None, int(len(y))
    pipe = make_pipeline(_vectoriser(min_df=1), LogisticRegression(C=4.0, max_iter=2000))
    x_known = [d for d, k in zip(docs, known) if k]
    folds = int(min(5, counts.min())) if counts.min() >= 2 else 0
    acc = None
    if folds >= 2:
        cv = StratifiedKFold(folds, shuffle=True, random_state=0)
        acc = float(cross_val_score(pipe, x_known, y, cv=cv, scoring="accuracy").mean())
    pipe.fit(x_known, y)
    return pipe.predict(docs).astype(object), acc, int(len(y))


def _tokenise_chunk(chunk: list[str]) -> list[list[str]]:
    return [analyse(mask(t)) for t in chunk]  # masked first: no phone number or name becomes a word


def tokenise_all(texts: pd.Series) -> list[list[str]]:
    """Every text's tokens. Each distinct text is segmented once (short comments repeat: "很好",
    "满意"), in as many processes as there are cores when there are many."""
    import os

    unique = pd.unique(texts.astype(str))
    cores = os.cpu_count() or 1
    if len(unique) < 20_000 or cores < 2:
        tokens = _tokenise_chunk(list(unique))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = -(-len(unique) // (4 * cores))
        chunks = [list(unique[i : i + size]) for i in range(0, len(unique), size)]
        # spawned, not forked: the app calls this from a thread beside open database handles
        with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("spawn")) as pool:
            tokens = [t for part in pool.map(_tokenise_chunk, chunks) for t in part]
    index = dict(zip(unique, range(len(unique))))
    return [tokens[index[t]] for t in texts.astype(str)]


def _keywords(con: duckdb.DuckDBPyConnection, texts: pd.DataFrame, docs: list[list[str]]) -> tuple[dict, dict]:
    """Distinctive words of survey comments per satisfaction level and per worst dimension."""
    from analytics.voice import keywords as kw

    rows = np.flatnonzero((texts["source"] == "surveys").to_numpy())
    if not len(rows):
        return {}, {}
    comments = texts.iloc[rows]
    survey_docs = [docs[i] for i in rows]
    answers = con.execute(
        """SELECT response_id, dimension, experience - expectation AS gap FROM survey_answers
           WHERE experience IS NOT NULL AND expectation IS NOT NULL"""
    ).df()
    words, sizes = {}, {}
    for name, groups in (
        ("level", kw.level_of(comments["score"])),
        ("dimension", kw.worst_dimension(comments["id"], answers)),
    ):
        words[name], sizes[name] = kw.distinctive(survey_docs, groups)
    return words, sizes


def fit_voice(con: duckdb.DuckDBPyConnection, progress=None) -> tuple[VoiceModel, pd.DataFrame]:
    """Learn from every text in the database; return the model and the per-text results."""
    say = progress or (lambda *_: None)
    texts = _texts(con)
    if texts.empty:
        raise ValueError("no comments or complaint descriptions in the data")
    say("tokenise")
    docs = tokenise_all(texts["text"])
    say("sentiment")
    sentiment, method, auc, validation, scored = _sentiment(docs, texts["score"].astype(float).fillna(0.5))
    theme = np.full(len(texts), -1)
    themes: dict[str, tuple[Theme, ...]] = {}
    for source in ("surveys", "complaints"):
        say(f"themes: {source}")
        rows = np.flatnonzero((texts["source"] == source).to_numpy())
        if len(rows):
            theme[rows], themes[source] = _themes([docs[i] for i in rows])
    say("complaint causes")
    cause = np.array([None] * len(texts), dtype=object)
    rows = np.flatnonzero((texts["source"] == "complaints").to_numpy())
    cause_acc, cause_n = None, 0
    if len(rows):
        cause[rows], cause_acc, cause_n = _causes([docs[i] for i in rows], texts["cause"].iloc[rows])
    say("keywords")
    keywords, keyword_n = _keywords(con, texts, docs)
    model = VoiceModel(
        texts["source"].value_counts().to_dict(),
        scored,
        method,
        auc,
        validation,
        themes,
        cause_acc,
        cause_n,
        keywords,
        keyword_n,
    )
    scores = texts[["source", "id", "customer_id", "written_at"]].assign(
        sentiment=sentiment, theme=theme.astype("int32"), cause=cause
    )
    return model, scores
