"""Voice of the customer: masking, tokens, the text model on the demo's planted themes, the
stored results, privacy, the CLI and the import of comment columns."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analytics import db, fits
from analytics.filters import default_filters
from analytics.training.intelligence import intelligence_slide
from analytics.voice import summary
from analytics.voice.model import fit_voice
from analytics.voice.text import mask, tokens


def test_mask_hides_phones_emails_ids_and_names():
    text = (
        "王芳经理说会回电 13812345678，座机 021-65432100，邮箱 wang.fang@example.com，"
        "身份证 11010519491231002X；李先生也在"
    )
    out = mask(text, ["赵小明"])
    for secret in ("13812345678", "021-65432100", "wang.fang@example.com", "11010519491231002X", "王芳", "李先生"):
        assert secret not in out
    assert "[电话]" in out and "[邮箱]" in out and "[证件号]" in out and "[姓名]经理" in out
    assert mask("赵小明来过两次", ["赵小明"]) == "[姓名]来过两次"
    assert mask("+86 138 1234 5678") == "[电话]"
    assert mask(None) == ""


def test_tokens_are_content_words_in_both_languages():
    t = tokens("客服回复太慢了，等了半个小时也没人理！Waited far too long for a reply.")
    assert {"客服", "回复", "太慢"} <= set(t) and {"waited", "reply"} <= set(t)
    assert not {"了", "也", "the", "for", "a", "!"} & set(t)


@pytest.fixture(scope="module")
def fitted(demo_path):
    con = db.connect(demo_path, read_only=True)
    model, scores = fit_voice(con)
    yield con, model, scores
    con.close()


def test_sentiment_is_learned_from_scores_and_validated(fitted):
    con, model, scores = fitted
    assert model.sentiment_method == "classifier" and model.scored >= 200
    assert model.sentiment_validation == "cv5" and 0.8 < model.sentiment_auc <= 1.0
    s = scores[scores["source"] == "surveys"].merge(
        con.execute("SELECT response_id AS id, overall_satisfaction AS overall FROM surveys").df(), on="id"
    )
    m = s.groupby("overall")["sentiment"].mean()  # higher scores read kinder
    assert max(m[1], m[2]) < m[3] < min(m[4], m[5])
    complaints = scores[scores["source"] == "complaints"]
    assert complaints["sentiment"].mean() < 0.4  # complaints read negative without being labelled


def test_planted_themes_are_recovered(fitted):
    """The demo's unhappy answers talk about their worst dimension: the theme whose words are
    about slow replies gathers answers whose worst gap is responsiveness."""
    con, model, scores = fitted
    slow = [t for t in model.themes["surveys"] if {"太慢", "回复", "排队", "打不通", "处理速度"} & set(t.words)]
    assert slow, [t.words for t in model.themes["surveys"]]
    worst = con.execute(
        """SELECT response_id AS id, arg_min(dimension, experience - expectation) AS worst
           FROM survey_answers GROUP BY 1"""
    ).df()
    s = scores[(scores["source"] == "surveys") & scores["theme"].isin([t.index for t in slow])].merge(worst, on="id")
    assert len(s) >= 30 and (s["worst"] == "responsiveness").mean() > 0.5
    rude = [t for t in model.themes["complaints"] if {"态度", "不耐烦", "态度恶劣", "爱答不理"} & set(t.words)]
    assert rude


def test_complaint_causes_are_suggested_with_their_accuracy(fitted):
    con, model, scores = fitted
    assert model.cause_n >= 50 and model.cause_accuracy > 0.8
    c = scores[scores["source"] == "complaints"].merge(
        con.execute("SELECT complaint_id AS id, cause AS recorded FROM complaints").df(), on="id"
    )
    assert (c["cause"] == c["recorded"]).mean() > 0.8


def test_too_few_scored_comments_fall_back_to_the_lexicon(tmp_path):
    with db.connect(tmp_path / "few.duckdb") as con:
        con.execute(
            """INSERT INTO surveys (response_id, answered_at, overall_satisfaction, scale_min, scale_max, comment)
               SELECT 'r' || i, TIMESTAMP '2026-01-01' + to_days(i), 1 + i % 5, 1, 5,
                      CASE WHEN i % 2 = 0 THEN '服务很贴心，推荐' ELSE '态度很差，很失望' END
               FROM range(60) t(i)"""
        )
        model, scores = fit_voice(con)
    assert model.sentiment_method == "lexicon" and model.sentiment_validation == "few"
    kind = scores.set_index("id")["sentiment"]
    assert kind["r0"] > 0.5 > kind["r1"]


def test_stored_results_respect_the_minimum_n_and_mask_examples(demo_copy, tmp_path):

    path = tmp_path / "d.duckdb"
    path = demo_copy(path)
    with db.connect(path) as con:
        con.execute(
            """UPDATE surveys SET comment = comment || '，电话 13900001111'
               WHERE comment IS NOT NULL AND overall_satisfaction = 1"""
        )
        fits.save(con, fits.fit_voice(con))
        stored = fits.load(con, fits.VOICE, fits.VOICE_KEY)
        f = default_filters(con, "this_year")
        themes = stored.model.themes["surveys"]
        shares = summary.theme_shares(con, f, "surveys", themes, 10)
        assert len(shares) >= 3 and abs(shares["share"].sum() - 1) < 0.2
        assert (shares["n"] >= 10).all() and shares["emerging"].sum() <= 1
        assert not any("13900001111" in e for ex in shares["examples"] for e in ex)
        assert summary.theme_shares(con, f, "surveys", themes, 100_000).empty
        head = summary.headline(con, f, "complaints")
        assert head["texts"] > 0 and head["negative_share"] > 0.5
        levels = summary.themes_by_level(con, f, themes, 10)
        assert set(levels["level"]) >= {"unhappy", "delighted"}
        assert len(summary.by_cause(con, f, stored.model.themes["complaints"], 10)) >= 3
        slide = intelligence_slide(con, f, "zh-CN", 10)  # deck 001's 抱怨是情报, from the stored themes
        assert len(slide.chart) >= 3 and (slide.chart["value"] > 0).all() and "13900001111" not in slide.company
        assert intelligence_slide(con, f, "en", 100_000).chart.empty  # themes under the minimum n stay out


def test_text_cli_reports_and_writes_one_row_per_text(demo_path, tmp_path, capsys):
    from analytics.cli import main

    out = tmp_path / "t.csv"
    assert main(["text", "--db", str(demo_path), "--source", "complaints", "--json", "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["source"] == "complaints" and report["comments"] > 100
    assert report["sentiment"]["model"] == "classifier" and report["sentiment"]["auc"] > 0.8
    assert report["themes"] and {"label", "words", "share", "trend", "examples"} <= set(report["themes"][0])
    assert report["causes"]["accuracy"] > 0.8
    rows = pd.read_csv(out, encoding="utf-8-sig")
    assert list(rows.columns) == ["complaint_id", "sentiment", "theme"] and rows["sentiment"].between(0, 1).all()


def test_comment_columns_are_recognised_on_import():
    from analytics.io.mapping import suggest_mapping

    assert suggest_mapping("surveys", ["答卷时间", "总体满意度", "意见"])["意见"] == "comment"
    assert suggest_mapping("surveys", ["answered_at", "Feedback"])["Feedback"] == "comment"
    assert suggest_mapping("complaints", ["投诉编号", "客户编号", "投诉时间", "投诉内容"])["投诉内容"] == "description"
    assert suggest_mapping("complaints", ["complaint_id", "Description"])["Description"] == "description"


def test_an_older_database_gains_the_text_columns(tmp_path):
    path = tmp_path / "old.duckdb"
    with db.connect(path) as con:
        con.execute("ALTER TABLE surveys DROP COLUMN comment")
        con.execute("ALTER TABLE complaints DROP COLUMN description")
        con.execute("DROP TABLE comment_scores")
        db.set_meta(con, "schema_version", "4")
    with db.connect(path) as con:
        assert "comment" in {r[0] for r in con.execute("DESCRIBE surveys").fetchall()}
        assert "description" in {r[0] for r in con.execute("DESCRIBE complaints").fetchall()}
        assert con.execute("SELECT count(*) FROM comment_scores").fetchone()[0] == 0
        assert db.schema_version(con) == db.SCHEMA_VERSION


def test_demo_texts_leave_the_rest_of_the_demo_unchanged(demo_con):
    """The texts come from their own random stream: the planted numbers do not move."""
    n = demo_con.execute("SELECT count(*), count(comment) FROM surveys").fetchone()
    assert 0.35 < n[1] / n[0] < 0.55
    assert np.isclose(demo_con.execute("SELECT count(*) FROM complaints WHERE description IS NULL").fetchone()[0], 0)


def test_keywords_set_levels_and_dimensions_apart(fitted):
    """Weighted log-odds keywords (Monroe et al. 2008): the responsiveness group's words are about
    waiting, the unhappy and the delighted share none of their top words."""
    _, model, _ = fitted
    dims = model.keywords["dimension"]
    slow = {w for w, z, n in dims["responsiveness"][:8]}
    assert {"太慢", "排队", "回复", "处理速度"} & slow, slow
    assert all(z > 2 and n >= 5 for w, z, n in dims["responsiveness"][:5])
    levels = model.keywords["level"]
    top = {g: {w for w, *_ in levels[g][:8]} for g in ("unhappy", "delighted")}
    assert top["unhappy"] and top["delighted"] and not top["unhappy"] & top["delighted"]
    assert model.keyword_n["level"]["unhappy"] > 50 and set(model.keyword_n["dimension"]) == set(dims)
