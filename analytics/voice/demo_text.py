"""Comments and complaint descriptions for the demo, tied to its planted effects.

A dissatisfied answer talks about its worst service dimension (waiting and slow replies
where responsiveness falls short, broken promises for reliability …), a satisfied one about
its best; a complaint describes its cause (rude staff for staff attitude, broken boxes for
packaging …). Each theme has several phrasings, openings and endings, some English, and a
few carry a phone number or a name so masking has something to do. Drawn from their own
random stream, so the rest of the demo is the same with or without them.
"""

from __future__ import annotations

import numpy as np

#: Complaints and praise per SERVQUAL dimension (zh, en).
NEGATIVE = {
    "responsiveness": (
        [
            "等了很久才有人处理",
            "客服回复太慢",
            "排队时间太长",
            "电话一直打不通",
            "处理速度太慢",
            "问题拖了好几天没人回复",
        ],
        ["waited too long for a reply", "the queue took forever", "nobody answered the phone"],
    ),
    "reliability": (
        ["说好的时间没做到", "送货延误了", "承诺的没有兑现", "订单又出错了", "发错了货", "约好的上门时间爽约"],
        ["the delivery was late again", "they did not keep their promise", "my order was wrong"],
    ),
    "assurance": (
        ["店员不够专业", "问了几个问题都解释不清楚", "感觉不太靠谱", "对产品一问三不知"],
        ["staff did not know the product", "the answers were not convincing"],
    ),
    "empathy": (
        ["没人关心我的实际需求", "服务冷冰冰的", "一点耐心都没有", "只顾推销不听我说"],
        ["nobody cared about what I needed", "they were impatient with me"],
    ),
    "tangibles": (
        ["店面环境又乱又脏", "设备太旧了", "网站很难用", "停车很不方便"],
        ["the shop was messy", "the website is hard to use"],
    ),
}
POSITIVE = {
    "responsiveness": (["处理得很快", "回复特别及时", "几分钟就搞定了"], ["quick and helpful reply"]),
    "reliability": (["每次都准时送到", "说到做到，很放心", "订单从来没出过错"], ["always on time"]),
    "assurance": (["店员很专业", "讲解得很清楚", "让人很放心"], ["the staff really know their stuff"]),
    "empathy": (["服务很贴心", "非常耐心地帮我挑选", "记得我的喜好"], ["they remembered what I like"]),
    "tangibles": (["环境干净整洁", "店面装修很舒服", "APP 很好用"], ["lovely clean shop"]),
}
NEUTRAL = (["还行吧，没什么特别的", "一般般", "价格还可以", "和别家差不多"], ["it was ok", "nothing special"])
CAUSE_TEXT = {
    "product_quality": (
        ["产品用了两天就坏了", "质量太差了", "收到的东西有明显瑕疵", "没用几次就出故障"],
        ["it broke after two days"],
    ),
    "packaging": (["包装破损", "盒子被压坏了", "收到时漏液了", "外包装很脏"], ["the box arrived crushed"]),
    "misuse_damage": (
        ["说明书看不懂结果用坏了", "不知道要先充电就坏了", "使用时不小心摔坏了"],
        ["I broke it, the manual is unclear"],
    ),
    "exaggerated_ads": (["和广告宣传的不一样", "效果远不如介绍的", "宣传夸大其词"], ["nothing like the advert"]),
    "after_sales": (
        ["售后一直没人处理", "退货流程太麻烦", "维修等了两个星期", "保修不给办"],
        ["after-sales never called back"],
    ),
    "staff_attitude": (
        ["店员态度恶劣", "客服很不耐烦", "被服务员怼了", "态度很差还爱答不理"],
        ["the staff were rude to me"],
    ),
    "staff_behaviour": (
        ["店员乱收费", "没有按规定操作", "推销太强硬了", "私自更改了我的订单"],
        ["they charged me extra"],
    ),
}
OPEN = ["", "", "", "这次", "上周去的时候", "说实话，", "又一次", "老客户了，", "总体来说，"]
CLOSE_BAD = ["。", "。", "。", "！", "，很失望。", "，希望改进。", "，不会再来了。", "，太让人生气了。"]
CLOSE_GOOD = ["。", "。", "。", "！", "，下次还来！", "，点赞。", "，推荐给朋友了。"]
CONTACT = ["请联系我 1381234{:04d}", "找王经理问过", "我的邮箱 user{:04d}@example.com", "李先生接待的"]


def _say(rng: np.random.Generator, pair: tuple[list[str], list[str]], close: list[str], english: float) -> str:
    zh, en = pair
    if rng.random() < english:
        return str(rng.choice(en)).capitalize() + "."
    first, second = (str(x) for x in rng.choice(zh, 2, replace=False))
    text = str(rng.choice(OPEN)) + first
    if rng.random() < 0.3:  # a second phrase of the same theme: more words, less template
        text += "，" + second
    if rng.random() < 0.03:
        text += "，" + str(rng.choice(CONTACT)).format(int(rng.integers(0, 10000)))
    return text + str(rng.choice(close))


def survey_comments(seed: int, overall: np.ndarray, gaps: np.ndarray, dimensions: list[str]) -> list[str | None]:
    """A comment for about 45 % of answers: 1–2 about the worst dimension, 4–5 about the best."""
    rng = np.random.default_rng([seed, 16])
    out: list[str | None] = []
    for score, row in zip(overall, gaps):
        if rng.random() > 0.45:
            out.append(None)
        elif score <= 2 or (score == 3 and rng.random() < 0.5):
            text = _say(rng, NEGATIVE[dimensions[int(np.argmin(row))]], CLOSE_BAD, 0.1)
            if rng.random() < 0.2:  # mixed feelings: praise for the best dimension first
                text = str(rng.choice(POSITIVE[dimensions[int(np.argmax(row))]][0])) + "，但是" + text
            out.append(text)
        elif score >= 4:
            text = _say(rng, POSITIVE[dimensions[int(np.argmax(row))]], CLOSE_GOOD, 0.1)
            if rng.random() < 0.15:  # a small complaint inside a good answer
                text = (
                    text.rstrip("。！!.")
                    + "，就是"
                    + str(rng.choice(NEGATIVE[dimensions[int(np.argmin(row))]][0]))
                    + "。"
                )
            out.append(text)
        else:
            out.append(_say(rng, NEUTRAL, ["。"], 0.1))
    return out


def complaint_descriptions(seed: int, causes: list[str]) -> list[str]:
    """A description of each complaint in the words of its cause."""
    rng = np.random.default_rng([seed, 17])
    return [_say(rng, CAUSE_TEXT[c], CLOSE_BAD, 0.08) for c in causes]
