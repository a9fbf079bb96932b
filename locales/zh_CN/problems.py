"""zh-CN: import problems (analytics/io's English messages) in the Data page's language.

Each pattern matches one message shape of analytics/io/plan.py, validate.py, importer.py and
options.py; the rest of a message (values, line numbers, column lists) is carried over. A
message without a pattern is shown as it is (a new check is still readable, in English).
"""

PROBLEMS = [
    (r"^required column missing \(file columns: (.*)\)$", r"缺少必需的列（文件中的列：\1）"),
    (r"^not a number(.*)$", r"不是数字\1"),
    (r"^not a finite number(.*)$", r"不是有限的数字\1"),
    (r"^not a date \(use [^)]*\)(.*)$", r"不是日期（可用 2024-03-05、20240305、2024/3/5 或 2024年3月5日）\1"),
    (r"^date in the future(.*)$", r"日期在未来\1"),
    (r"^date before 1900(.*)$", r"日期早于 1900 年\1"),
    (r"^not a yes/no value \([^)]*\)(.*)$", r"不是“是/否”值（是/否、true/false、1/0）\1"),
    (r"^cell longer than 10,000 characters(.*)$", r"单元格超过 10,000 个字符\1"),
    (r"^empty key(.*)$", r"键为空\1"),
    (r"^negative purchase amount(.*)$", r"购买金额为负\1"),
    (r"^NPS must be a whole number 0–10(.*)$", r"推荐意愿须为 0–10 的整数\1"),
    (r"^score outside the declared scale (\S+)(.*)$", r"得分超出声明的量表 \1\2"),
    (
        r"^unknown kind \([^)]*\)(.*)$",
        r"未知的类型（可用 购买、服务、投诉、到访 或 purchase、service、complaint、visit）\1",
    ),
    (r"^resolved before it was opened(.*)$", r"解决时间早于投诉时间\1"),
    (r"^churn date before signup date(.*)$", r"流失日期早于注册日期\1"),
    (r"^duplicate key (.*) \(first on line (\d+)\)$", r"重复的键 \1（首次出现在第 \2 行）"),
    (r"^unknown customer (.*) \(--strict\)$", r"未知的客户 \1（已选择拒绝未知客户）"),
    (
        r"^response (.*) has different response-level values than on line (\d+)$",
        r"问卷 \1 的答卷级字段（时间、总体满意度等）与第 \2 行不同",
    ),
    (r"^cannot map to (.*): not a column of (.*)$", r"不能对应到 \1：不是 \2 的列"),
    (r"^the file already has a column of this name$", r"文件中已有同名的列"),
    (r" ?\(value: (.*)\)$", r"（值：\1）"),
]
