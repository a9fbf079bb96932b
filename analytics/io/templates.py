"""Import templates: one file per table, headers in the user's language, two example rows.

A template is the shortest way to "what does the importer want": its Chinese headers are the
ones the importer recognises (客户编号, 购买日期 …; tests import every template back), the
example rows show the formats (dates, yes/no, kinds, scores on 1–5), and the survey template
is the wide shape with the five SERVQUAL dimensions' expectation and experience.
"""

from __future__ import annotations

import io

import pandas as pd

from analytics.satisfaction.gaps import SERVQUAL_DIMENSIONS

TABLES = ("customers", "interactions", "surveys", "complaints")

_HEADERS = {
    "zh-CN": {
        "customer_id": "客户编号",
        "name": "姓名",
        "signup_date": "注册日期",
        "region": "地区",
        "segment": "客户类型",
        "channel": "渠道",
        "churned": "是否流失",
        "churn_date": "流失日期",
        "interaction_id": "订单编号",
        "ts": "日期时间",
        "kind": "类型",
        "amount": "金额",
        "touchpoint": "触点",
        "response_id": "问卷编号",
        "answered_at": "答卷时间",
        "overall_satisfaction": "总体满意度",
        "nps": "推荐意愿",
        "effort": "费力度",
        "comment": "意见建议",
        "complaint_id": "投诉编号",
        "opened_at": "投诉时间",
        "resolved_at": "解决时间",
        "outcome": "处理结果",
        "cause": "投诉原因",
        "description": "投诉内容",
    },
}
_DIMENSIONS_ZH = {"tangibles": "有形性", "reliability": "可靠性", "responsiveness": "响应性", "assurance": "保证性"}
_DIMENSIONS_ZH["empathy"] = "移情性"

_ROWS: dict[str, dict[str, tuple[object, object]]] = {
    "customers": {
        "customer_id": ("C001", "C002"),
        "name": ("王芳", "Li Qiang"),
        "signup_date": ("2024-03-05", "2024-04-18"),
        "region": ("上海", "北京"),
        "segment": ("consumer", "enterprise"),
        "channel": ("store", "online"),
        "churned": ("否", "no"),
        "churn_date": ("", ""),
    },
    "interactions": {
        "interaction_id": ("O1001", "O1002"),
        "customer_id": ("C001", "C002"),
        "ts": ("2026-01-05 10:30", "2026-01-06"),
        "kind": ("purchase", "service"),
        "amount": (128.5, ""),
        "channel": ("store", "online"),
        "touchpoint": ("counter", "app"),
    },
    "surveys": {
        "response_id": ("R001", "R002"),
        "customer_id": ("C001", "C002"),
        "answered_at": ("2026-01-10", "2026-01-12"),
        "overall_satisfaction": (4, 2),
        "nps": (9, 5),
        "effort": (2, 4),
        "comment": ("店员很热情，结账很快", "Waited too long on the hotline"),
        **{f"{d}.{part}": (4, 3) for d in SERVQUAL_DIMENSIONS for part in ("expectation", "experience")},
    },
    "complaints": {
        "complaint_id": ("K001", "K002"),
        "customer_id": ("C001", "C002"),
        "opened_at": ("2026-01-08 09:00", "2026-01-09 14:20"),
        "resolved_at": ("2026-01-08 11:00", ""),
        "outcome": ("resolved_quickly", "unresolved"),
        "cause": ("staff_attitude", "product_quality"),
        "channel": ("hotline", "online"),
        "description": ("客服态度冷淡，问题两天没人回复", "The product broke after a week"),
    },
}


def _header(column: str, lang: str) -> str:
    if lang != "zh-CN":
        return column
    if "." in column:
        dim, part = column.split(".")
        return f"{_DIMENSIONS_ZH.get(dim, dim)}_{'期望' if part == 'expectation' else '体验'}"
    return _HEADERS["zh-CN"].get(column, column)


def template(table: str, lang: str = "zh-CN") -> pd.DataFrame:
    """The table's template: every importable column (the survey's wide answers included),
    headers in ``lang``, two example rows."""
    rows = _ROWS[table]
    return pd.DataFrame({_header(c, lang): list(v) for c, v in rows.items()})


def template_csv(table: str, lang: str = "zh-CN") -> bytes:
    """As CSV in UTF-8 with a BOM (Excel then opens the Chinese headers correctly)."""
    return template(table, lang).to_csv(index=False).encode("utf-8-sig")


def template_xlsx(table: str, lang: str = "zh-CN") -> bytes:
    """As an XLSX workbook with one sheet named after the table."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        template(table, lang).to_excel(writer, index=False, sheet_name=table)
    return out.getvalue()
