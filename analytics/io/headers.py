"""Header recognition by meaning: what a real export's column is, from the words in its name.

Exact names and the alias lists (analytics/io/mapping.py) come first; a header they miss is
read for what it says: 日期/时间/date/time is the table's date field (购买日期, 下单时间,
InvoiceDate …), 金额/实付/消费/amount/revenue/sales the amount, 编号/ID/号/账号 an id (whose id
by the word before it: 客户编号 vs 订单编号), 满意/评分/score the satisfaction score. Rules are
per table and tried in order, so 支付日期 is a date before it is a payment, and 投诉时间 opens
a complaint while 结案时间 closes it. The corpus in tests/io/header_corpus.csv holds the
real-world spellings this is measured on.
"""

from __future__ import annotations

import re

_ID = r"(编号|编码|代码|账号|帐号|卡号|号码|号|id|no|num|number|code|key)"
_WHO = r"(客户|会员|用户|顾客|客人|买家|消费者|customer|cust|client|member|user|buyer|account|shopper)"
_DATE = r"(日期|时间|时刻|日$|date|time|timestamp|datetime|dt$|day$|_at$|^at_|when)"
_MONEY = (
    r"(金额|实付|实收|应付|消费额|支付额|付款额|销售额|营业额|成交额|总价|总额|收入|amount|revenue|sales|spend|"
    r"payment_value|monetary|total_price|total_paid|gmv|sum$|^total$|^value$)"
)
_DOCUMENT = r"(订单|交易|流水|单据|发票|票据|order|invoice|transaction|receipt|ticket)"
_CUSTOMER_ID = (rf"^{_WHO}.{{0,3}}{_ID}$|^{_WHO}$", "customer_id")

#: (pattern, target) per table, tried in order on the normalised header (lower case, _ for
#: spaces, camelCase split). The first pattern that matches a target still free wins.
RULES: dict[str, list[tuple[str, str]]] = {
    "customers": [
        _CUSTOMER_ID,
        (r"(流失|churn|attrition|exited|^left$|cancel).*" + _DATE + r"|" + _DATE + r".*(流失|churn)", "churn_date"),
        (r"(流失|churn|attrition|exited|^left$|是否.*(离开|注销))", "churned"),
        (r"(注册|开户|入会|加入|开卡|建档|创建|首次|signup|sign_up|join|regist|created|since|first)", "signup_date"),
        (r"(姓名|名称|名字|^name$|full_name|customer_name|surname)", "name"),
        (r"(地区|区域|城市|省|市$|大区|region|city|area|province|state|country|geography|location)", "region"),
        (r"(渠道|来源|获客|channel|source|acquisition)", "channel"),
        (r"(类型|分类|类别|等级|级别|分群|segment|type|tier|class|level|category)", "segment"),
    ],
    "interactions": [
        (_DOCUMENT + r".{0,3}" + _ID + r"$|^(invoice|order|receipt|单号)$", "interaction_id"),
        _CUSTOMER_ID,
        (_DATE, "ts"),
        (r"(数量|件数|qty|quantity|units|单价|unit_price|price_each)", ""),  # not an amount: left out
        (_MONEY + r"|(价格|price)", "amount"),
        (r"(类型|种类|事件|行为|type|kind|event|action|activity)", "kind"),
        (r"(门店|店铺|网点|柜台|触点|接触点|store|shop|branch|outlet|touchpoint)", "touchpoint"),
        (r"(渠道|平台|来源|channel|platform|source|medium)", "channel"),
    ],
    "surveys": [
        (r"(问卷|答卷|回复|受访|respondent|respond|response|survey).{0,3}" + _ID + "$", "response_id"),
        _CUSTOMER_ID,
        (_DATE, "answered_at"),
        (r"(推荐|nps|recommend)", "nps"),
        (r"(费力|省力|effort|ces|ease)", "effort"),
        (r"(满意|评分|打分|得分|星级|satisf|csat|score|rating|stars)", "overall_satisfaction"),
        (r"(意见|建议|评论|评价|留言|反馈|备注|comment|feedback|verbatim|remark|review|text|message)", "comment"),
        (r"(问卷|调查|survey|wave|questionnaire)", "survey"),
    ],
    "complaints": [
        (r"(投诉|工单|案件|事件|complaint|ticket|case|issue|incident).{0,3}" + _ID + "$", "complaint_id"),
        _CUSTOMER_ID,
        (r"(解决|结案|关闭|完成|办结|处理完|resolv|clos|finish|complet)", "resolved_at"),
        (_DATE, "opened_at"),
        (r"(结果|状态|处理情况|outcome|status|result|resolution|response)", "outcome"),
        (r"(原因|类别|分类|类型|问题类型|cause|reason|category|type|topic|issue$)", "cause"),
        (r"(内容|描述|详情|说明|问题|description|detail|text|summary|body|message|narrative)", "description"),
        (r"(渠道|来源|channel|source)", "channel"),
    ],
}


def normalise(header: str) -> str:
    """``CustomerID`` → ``customer_id``; ``Order Date`` → ``order_date``; ``客户 编号`` → ``客户_编号``."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(header).strip())
    text = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", text)
    return re.sub(r"[\s\-_/():（）：]+", "_", text.lower()).strip("_")


def by_meaning(table: str, header: str, taken: set[str]) -> str | None:
    """The target ``header`` reads as in ``table``, if one is still free ('' = known, not imported)."""
    key = normalise(header)
    compact = key.replace("_", "")
    for pattern, target in RULES.get(table, []):
        if re.search(pattern, key) or re.search(pattern, compact):
            if target == "":
                return ""
            if target not in taken:
                return target
    return None
