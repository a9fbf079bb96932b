"""Column mapping: a file's headers → the schema's canonical columns.

Canonical names match case-insensitively; common English and Chinese export headers
(客户编号, 日期, 金额 …) are suggested as aliases, and headers neither knows are read by
meaning (analytics/io/headers.py: 购买日期 is a date, 实付金额 an amount). Survey dimension answers are named
``<dimension>.expectation`` / ``<dimension>.experience`` (the wide survey shape).
"""

from __future__ import annotations

import re

from analytics import db
from analytics.io.headers import by_meaning, normalise

#: Canonical columns an importer accepts per target table (surveys adds long-shape answers).
IMPORT_COLUMNS: dict[str, list[str]] = {
    "customers": list(db.TABLES["customers"]),
    "interactions": list(db.TABLES["interactions"]),
    "surveys": [c for c in db.TABLES["surveys"] if c not in ("scale_min", "scale_max")]
    + ["dimension", "expectation", "experience"],
    "complaints": list(db.TABLES["complaints"]),
}

REQUIRED: dict[str, list[str]] = {
    "customers": ["customer_id"],
    "interactions": ["customer_id", "ts", "kind"],
    "surveys": ["answered_at"],
    "complaints": ["complaint_id", "customer_id", "opened_at"],
}

ALIASES: dict[str, list[str]] = {
    "customer_id": [
        "客户编号",
        "客户id",
        "客户号",
        "客户代码",
        "会员编号",
        "会员id",
        "customer",
        "cust_id",
        "customerid",
        "client_id",
        "用户id",
        "用户编号",
    ],
    "name": ["姓名", "客户名称", "客户姓名", "名称", "customer_name"],
    "signup_date": ["注册日期", "开户日期", "入会日期", "注册时间", "signup", "join_date", "created_at"],
    "region": ["地区", "区域", "城市", "city", "area"],
    "segment": ["客户类型", "细分", "客户分类", "类型", "customer_type"],
    "channel": ["渠道", "来源渠道", "source"],
    "churned": ["是否流失", "流失", "churn", "is_churned"],
    "churn_date": ["流失日期", "流失时间"],
    "interaction_id": ["交互编号", "流水号", "订单号", "单号", "order_id", "transaction_id", "id"],
    "ts": ["日期", "时间", "交易日期", "交易时间", "下单时间", "date", "datetime", "timestamp", "time", "order_date"],
    "kind": ["类型", "交互类型", "事件类型", "type", "event", "event_type"],
    "amount": ["金额", "消费金额", "订单金额", "交易金额", "实付金额", "value", "revenue", "total", "price"],
    "touchpoint": ["触点", "接触点", "门店"],
    "response_id": ["问卷编号", "答卷编号", "回复编号", "response"],
    "answered_at": ["答卷时间", "填写时间", "提交时间", "调查日期", "submitted_at", "survey_date"],
    "overall_satisfaction": ["总体满意度", "满意度", "整体满意度", "overall", "csat", "satisfaction"],
    "nps": ["推荐意愿", "净推荐值", "推荐度", "nps_score", "likelihood_to_recommend"],
    "effort": ["费力度", "客户费力度", "ces"],
    "survey": ["问卷", "问卷名称", "survey_name"],
    "dimension": ["维度", "服务维度"],
    "expectation": ["期望", "预期", "期望得分"],
    "experience": ["体验", "感知", "实际体验", "体验得分", "perception"],
    "complaint_id": ["投诉编号", "工单号", "ticket_id", "case_id"],
    "opened_at": ["投诉时间", "投诉日期", "受理时间", "created", "opened"],
    "resolved_at": ["解决时间", "结案时间", "关闭时间", "closed_at", "resolved"],
    "outcome": ["处理结果", "结果", "status"],
    "cause": ["投诉原因", "原因", "reason", "category"],
    "comment": [
        "意见",
        "建议",
        "意见建议",
        "客户意见",
        "评论",
        "评价",
        "评价内容",
        "留言",
        "备注",
        "反馈",
        "反馈内容",
        "comments",
        "feedback",
        "verbatim",
        "remarks",
        "remark",
        "review",
        "text",
    ],
    "description": [
        "投诉内容",
        "问题描述",
        "投诉描述",
        "描述",
        "内容",
        "详情",
        "反馈内容",
        "description",
        "details",
        "complaint_text",
        "text",
        "summary",
    ],
}

DIMENSION_ALIASES = {
    "tangibles": ["有形性", "tangible"],
    "reliability": ["可靠性", "reliable"],
    "responsiveness": ["响应性", "responsive"],
    "assurance": ["保证性"],
    "empathy": ["移情性", "关怀性"],
}
ANSWER_PART = {"expectation": ["期望", "预期", "exp", "e"], "experience": ["体验", "感知", "perc", "p", "x"]}
WIDE_RE = re.compile(r"^([a-z_][a-z0-9_]*)\.(expectation|experience)$")


def is_canonical(name: str) -> bool:
    """True for a schema column or a wide survey answer column name."""
    return any(name in cols for cols in IMPORT_COLUMNS.values()) or bool(WIDE_RE.match(name))


def _wide_target(header: str) -> str | None:
    """``reliability.expectation``, ``可靠性_期望``, ``reliability_exp`` → canonical wide name."""
    h = normalise(header).replace(".", "_")
    for dim, names in DIMENSION_ALIASES.items():
        for dn in [dim] + names:
            for part, pnames in ANSWER_PART.items():
                for pn in [part] + pnames:
                    if h in (f"{dn}_{pn}", f"{pn}_{dn}", f"{dn}{pn}"):
                        return f"{dim}.{part}"
    m = WIDE_RE.match(str(header).strip().lower())
    return f"{m.group(1)}.{m.group(2)}" if m else None


def suggest_mapping(table: str, headers: list[str]) -> dict[str, str]:
    """Suggested {file header: canonical column} for the headers that match a known name."""
    wanted = IMPORT_COLUMNS[table]
    out: dict[str, str] = {}
    taken: set[str] = set()
    # exact canonical names first, then aliases, so an alias never steals a canonical column
    for header in headers:
        key = normalise(header)
        if key in wanted and key not in taken:
            out[header], _ = key, taken.add(key)
    for header in headers:
        if header in out:
            continue
        key = normalise(header)
        for canon in wanted:
            if canon in taken:
                continue
            if key in (normalise(a) for a in ALIASES.get(canon, [])):
                out[header], _ = canon, taken.add(canon)
                break
        else:
            if table == "surveys" and (wide := _wide_target(header)) and wide not in taken:
                out[header], _ = wide, taken.add(wide)
    for header in headers:  # what is left, by the words in its name
        if header not in out and (meant := by_meaning(table, header, taken)):
            out[header], _ = meant, taken.add(meant)
    return out


def resolve_mapping(table: str, headers: list[str], explicit: dict[str, str | None] | None) -> dict[str, str]:
    """{file header: canonical} from explicit ``--map`` pairs plus suggestions for the rest.

    An explicit target of ``None`` means: ignore this column (no suggestion either).
    """
    explicit = dict(explicit or {})
    by_lower = {h.lower(): h for h in headers}
    resolved: dict[str, str] = {}
    ignored = set()
    for source, target in explicit.items():
        header = source if source in headers else by_lower.get(source.lower())
        if header is None:
            raise KeyError(source)
        if target is None:
            ignored.add(header)
        else:
            resolved[header] = target
    rest = [h for h in headers if h not in resolved and h not in ignored]
    for header, canon in suggest_mapping(table, rest).items():
        if canon not in resolved.values():
            resolved[header] = canon
    return resolved
