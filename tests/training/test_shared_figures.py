"""The training deck shares the pages' figures: after Satisfaction, Complaints, Loyalty and
Retention were seen with some filters, the deck for those filters computes nothing they did
(it asks for the same calls with the same defaults), and a deck seen first computes them for
those pages (issue 13: Training recomputed what other pages had already cached)."""

from __future__ import annotations

from analytics import results
from tests.test_pages import app_db, run  # noqa: F401  (fixture)

SHARED = {
    "analytics.satisfaction.gaps.summary",
    "analytics.satisfaction.gaps.by_dimension",
    "analytics.views.satisfaction.driver_models",
    "analytics.views.satisfaction.score_retention",
    "analytics.satisfaction.complaints.voice_rate",
    "analytics.satisfaction.complaints.outcome_repurchase",
    "analytics.views.loyalty.zone_counts",
    "analytics.views.loyalty.pareto",
    "analytics.loyalty.pyramid.pyramid",
    "analytics.views.retention.lifecycle_now",
}
#: The deck's own figure (the supermarket slide's average customer): no page asks for it.
OWN = {"analytics.value.whatif.measure_assumptions_at"}


def _computed(monkeypatch) -> list[str]:
    """Names of the calls computed (not read from a cache or the kept results) from now on."""
    seen: list[str] = []
    prepare = results.prepare
    monkeypatch.setattr(results, "prepare", lambda name, *a: seen.append(name) or prepare(name, *a))
    return seen


def test_the_deck_reads_what_the_pages_computed(app_db, monkeypatch):  # noqa: F811
    for page in ("satisfaction", "complaints", "loyalty", "retention"):
        run("en", f"pages/{page}.py", region="成都")
    computed = _computed(monkeypatch)
    at = run("en", "pages/training.py", region="成都")
    assert at.header[0].value, "the deck was drawn"
    assert set(computed) <= OWN, set(computed) - OWN


def test_a_deck_seen_first_computes_the_pages_figures(app_db, monkeypatch):  # noqa: F811
    computed = _computed(monkeypatch)
    run("en", "pages/training.py", region="杭州")
    assert SHARED <= set(computed), SHARED - set(computed)
    computed.clear()
    run("en", "pages/loyalty.py", region="杭州")
    assert not {"analytics.views.loyalty.pareto", "analytics.loyalty.pyramid.pyramid"} & set(computed)


def test_repurchase_figures_do_not_depend_on_the_period(demo_con):
    """Repurchase after an answer or a complaint reads every date of the filtered customers: the
    groups alone are its argument, so a new period with the same groups reads it again."""
    from dataclasses import replace

    from analytics.filters import default_filters
    from analytics.satisfaction import complaints
    from analytics.views import satisfaction as view

    base = replace(default_filters(demo_con), region=("北京",))
    periods = [base, replace(base, start=base.end.replace(month=1, day=1)), replace(base, compare="last_year")]
    assert len({p.groups_only() for p in periods}) == 1
    scoped = base.groups_only()
    by_score = view.score_retention(demo_con, scoped, 365).by_score
    outcomes = complaints.outcome_repurchase(demo_con, scoped, 365, 48)
    assert by_score["n"].sum() > 0 and outcomes["n"].sum() > 0
    for p in periods:
        assert view.score_retention(demo_con, p, 365).by_score.equals(by_score)
        assert complaints.outcome_repurchase(demo_con, p, 365, 48).equals(outcomes)


def test_a_new_period_reads_the_repurchase_figures_again(app_db, monkeypatch):  # noqa: F811
    run("en", "pages/satisfaction.py", region="上海")
    computed = _computed(monkeypatch)
    run("en", "pages/satisfaction.py", region="上海", preset="this_year")
    assert "analytics.views.satisfaction.score_retention" not in computed
    assert "analytics.satisfaction.gaps.summary" in computed  # the period's own figures are new
