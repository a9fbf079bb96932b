"""Tokens and masking for free text in Chinese and English.

Chinese is segmented with jieba (the standard open-source segmenter, precise mode); Latin
words are lower-cased tokens. Stop words (particles, pronouns, fillers) and single
characters without meaning are dropped so themes read as content words. ``mask`` replaces
phone numbers, e-mail addresses, ID numbers and personal names with placeholders before any
text is shown or exported (privacy: verbatims appear beside aggregates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Function words and fillers (Chinese, English) that carry no theme.
STOPWORDS = frozenset(
    """的 了 和 是 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 它们 我 你 他 她 它 这 那 这个 那个 这次
    那次 也 很 还 又 在 有 被 把 让 给 对 跟 吧 吗 呢 啊 呀 哦 嗯 么 么样 啦 得 地 之 其 但 但是 而且 所以 因为
    如果 然后 就是 还是 只是 真的 非常 比较 一下 一些 一点 有点 可以 已经 现在 时候 觉得 感觉 说 去 来 上 下 里
    中 后 前 再 才 太 更 最 挺 蛮 又 没 不 会 要 想 能 好 次 个 些 各 每 您 咱 自己 什么 怎么 为什么 哪 哪里
    这样 那样 这么 那么 希望 说实话 总之 总的来说 上周 昨天 今天 最近 之前 之后
    the a an and or but to of in on at for with is are was were be been it this that these those i we you
    they he she my our your their me us them very so too just really not no yes have has had do did does
    will would can could should there here from by as about again also still than then when what which who
    please thanks thank 总体 来说 老客户 一次 又一次 说实话 上周 这次""".split()
)

_LATIN = re.compile(r"[a-z][a-z']+")
_HAN = re.compile(r"[\u4e00-\u9fff]+")

PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ID_NUMBER = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
#: A surname followed by one or two characters and a form of address (王芳经理, 李先生, 张小姐).
TITLED_NAME = re.compile(
    r"[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤]"
    r"[\u4e00-\u9fff]{0,2}(?=先生|女士|小姐|经理|主管|师傅|老师|同学|店长)"
)
MASK = {"phone": "[电话]", "email": "[邮箱]", "id": "[证件号]", "name": "[姓名]"}


def mask(text: str | None, names: Iterable[str] = ()) -> str:
    """``text`` with phone numbers, e-mails, ID numbers and personal names replaced: the names
    given (e.g. the customer's own), and a surname before a form of address (王经理 → [姓名]经理)."""
    if not text:
        return ""
    out = EMAIL.sub(MASK["email"], str(text))
    out = ID_NUMBER.sub(MASK["id"], out)
    out = PHONE.sub(MASK["phone"], out)
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        out = out.replace(name, MASK["name"])
    return TITLED_NAME.sub(MASK["name"], out)


_jieba = None


def _segmenter():
    """jieba, loaded once (its dictionary takes about a second), quiet."""
    global _jieba
    if _jieba is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba = jieba
    return _jieba


def tokens(text: str | None) -> list[str]:
    """Content words of ``text``: jieba's words for Chinese runs, lower-case Latin words,
    without stop words, digits, punctuation or single Chinese characters."""
    if not text:
        return []
    text = str(text).lower()
    out = [w for w in _LATIN.findall(text) if w not in STOPWORDS and len(w) > 1]
    seg = _segmenter()
    for run in _HAN.findall(text):
        out += [w for w in seg.lcut(run) if len(w) > 1 and w not in STOPWORDS]
    return out


def analyse(text: str) -> list[str]:
    """The analyser for scikit-learn's vectorisers (``analyzer=analyse``): tokens and their
    adjacent pairs, so "不 满意"-like phrases survive as one feature."""
    t = tokens(text)
    return t + [f"{a} {b}" for a, b in zip(t, t[1:])]
