"""Header recognition on a corpus of real-world export spellings (tests/io/header_corpus.csv):
each header is suggested alone, as in a file where it is the only one of its kind."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analytics.io.headers import normalise
from analytics.io.mapping import suggest_mapping

CORPUS = list(csv.DictReader(open(Path(__file__).with_name("header_corpus.csv"), encoding="utf-8")))


def _suggested(row: dict) -> str:
    return suggest_mapping(row["table"], [row["header"]]).get(row["header"], "")


def test_the_corpus_is_large_and_both_languages():
    assert len(CORPUS) >= 60
    chinese = sum(any("\u4e00" <= ch <= "\u9fff" for ch in r["header"]) for r in CORPUS)
    assert chinese >= 25 and len(CORPUS) - chinese >= 25


def test_hit_rate_on_real_world_headers(capsys):
    misses = [(r["table"], r["header"], r["expected"], _suggested(r)) for r in CORPUS if _suggested(r) != r["expected"]]
    rate = 1 - len(misses) / len(CORPUS)
    with capsys.disabled():
        print(f"\nheader recognition: {rate:.1%} of {len(CORPUS)} real-world headers; misses: {misses}")
    assert rate >= 0.95, misses


@pytest.mark.parametrize("table", ["customers", "interactions", "surveys", "complaints"])
def test_a_whole_file_maps_each_target_once(table):
    headers = [r["header"] for r in CORPUS if r["table"] == table]
    mapping = suggest_mapping(table, headers)
    assert len(set(mapping.values())) == len(mapping)  # never two columns onto one target


def test_two_dates_in_one_order_log_take_the_first_and_leave_the_other():
    m = suggest_mapping("interactions", ["订单编号", "下单时间", "支付时间", "实付金额", "买家昵称"])
    assert m == {"订单编号": "interaction_id", "下单时间": "ts", "实付金额": "amount"}


def test_normalise_splits_camel_case_and_spaces():
    assert normalise("CustomerID") == "customer_id" and normalise("InvoiceDate") == "invoice_date"
    assert normalise(" Order  Date ") == "order_date" and normalise("客户 编号") == "客户_编号"
