"""Training mode (培训模式): the decks' ideas as slides with the company's own numbers.

``build_slides(con, f, lang)`` returns about a dozen ``Slide`` objects in the decks' order of
argument (docs/domain.md): each has a title, one takeaway, the deck's claim beside the company's
figure, the source, presenter notes (talking points and the deck's wording) and a small
chart table. Only aggregates are used: no customer id, name or single record, and groups
under the minimum n are left out. ``quiz`` draws multiple-choice questions from the decks
and from the same figures. Texts are the ``train.*`` keys of locales/ (zh-CN and en).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from analytics import privacy
from analytics.filters import Filters
from analytics.loyalty import pyramid
from analytics.loyalty.tiers import DEFAULT_CUTS
from analytics.satisfaction import complaints, gaps, scores
from analytics.training.slide import AXES, Slide, percent, shown_count, title_slide, train_text
from analytics.value import SUPERMARKET, deck_ltv, deck_table
from analytics.value.whatif import company_story, measure_assumptions_at
from analytics.views import loyalty as loyalty_view
from analytics.views import retention as retention_view
from analytics.views import satisfaction as satisfaction_view
from locales import translate

#: How a slide asks for a figure: ``ask(fn, *args)`` returns ``fn(con, *args)``. The app passes
#: its cached call (ui/data.py), so the deck reads what the other pages computed for the same
#: filters (the same functions with the same arguments as those pages' defaults) instead of
#: computing it again, and what it computes first is theirs to read.
Ask = Callable[..., Any]


#: The pages' defaults the slides share: repurchase window (days), a quick resolution (hours),
#: purchases that make a repeat customer (Satisfaction, Complaints, Loyalty).
REPURCHASE_DAYS, QUICK_HOURS, REPEAT_MIN = 365, 48, 2


def build_slides(
    con: duckdb.DuckDBPyConnection, f: Filters, lang: str = "zh-CN", min_n: int = 10, ask: Ask | None = None
) -> list[Slide]:
    """Every slide with this company's figures for the filters ``f`` (``privacy.Hidden`` when
    they leave fewer than ``min_n`` customers: a deck is aggregates only). ``ask``: see ``Ask``."""
    privacy.check(con, f, min_n)
    if ask is None:
        ask = lambda fn, *args: fn(con, *args)  # noqa: E731
    L = lambda key, **kw: train_text(lang, key, **kw)  # noqa: E731
    label = lambda prefix, k: translate(f"{prefix}.{k}", lang)  # noqa: E731
    slides: list[Slide] = [title_slide(con, f, lang)]

    summ = ask(gaps.summary, f)
    answered = summ["responses"] >= min_n
    if not answered:  # too few answers: no share, no gap, no histogram
        summ = {**summ, "mean_gap": None, "share_negative": None, "levels": dict.fromkeys(gaps.LEVELS, 0.0)}
    hist = summ["gap_counts"] if answered else {}
    chart = pd.DataFrame({"label": [f"{v:+.1f}" for v in hist], "value": list(hist.values())})
    mean_gap = summ["mean_gap"]
    slides.append(
        Slide(
            "triangle",
            L("triangle.title"),
            L("triangle.takeaway", neg=percent(summ["share_negative"])),
            L("triangle.deck"),
            L(
                "triangle.company",
                gap=f"{mean_gap:+.2f}" if mean_gap is not None else "—",
                neg=percent(summ["share_negative"]),
                n=f"{summ['responses']:,}",
            ),
            L("triangle.source"),
            L("triangle.notes"),
            chart,
        )
    )

    dims = ask(gaps.by_dimension, f, min_n)
    exp = dims.dropna(subset=["mean_expectation"])
    slides.append(
        Slide(
            "expectation",
            L("expectation.title"),
            L("expectation.takeaway"),
            L("expectation.deck"),
            L(
                "expectation.company",
                top=label("dimension", exp.sort_values("mean_expectation").iloc[-1]["dimension"]) if len(exp) else "—",
            ),
            L("expectation.source"),
            L("expectation.notes"),
            pd.DataFrame(
                {
                    "label": [label("dimension", d) for d in exp["dimension"]],
                    "value": exp["mean_expectation"].round(2),
                    "deck": exp["mean_experience"].round(2),
                }
            ),
            "bars2",
            series=(L("expectation.series.expectation"), L("expectation.series.experience")),
        )
    )

    lv = summ["levels"]
    lv_ok = summ["responses"] >= min_n
    slides.append(
        Slide(
            "levels",
            L("levels.title"),
            L("levels.takeaway", top=percent(lv.get("very_satisfied"))),
            L("levels.deck"),
            L(
                "levels.company",
                v=percent(lv.get("very_satisfied") if lv_ok else None),
                d=percent(lv.get("very_dissatisfied", 0) + lv.get("dissatisfied", 0) if lv_ok else None),
            ),
            L("levels.source"),
            L("levels.notes"),
            pd.DataFrame({"label": [label("level", k) for k in gaps.LEVELS], "value": list(lv.values())})
            if lv_ok
            else pd.DataFrame(),
            value_format="percent",
        )
    )

    # the driver models read the same responses as the summary, one row each
    kano = ask(satisfaction_view.driver_models, f).kano if answered else pd.DataFrame()
    kano_text = (
        "; ".join(f"{label('dimension', r.dimension)}: {label('kano', r.kano)}" for r in kano.itertuples()) or "—"
    )
    slides.append(
        Slide(
            "kano",
            L("kano.title"),
            L("kano.takeaway"),
            L("kano.deck"),
            L("kano.company", list=kano_text),
            L("kano.source"),
            L("kano.notes"),
            pd.DataFrame(
                {
                    "label": [label("dimension", d) for d in kano.get("dimension", [])],
                    "value": list(kano.get("penalty", pd.Series(dtype=float)).round(2)),
                    "deck": list(kano.get("reward", pd.Series(dtype=float)).round(2)),
                }
            )
            if len(kano)
            else pd.DataFrame(),
            "bars2",
            series=(L("kano.series.penalty"), L("kano.series.reward")),
        )
    )

    voice = ask(complaints.voice_rate, f)
    vr = voice["voice_rate"] if voice["n"] >= min_n else None
    slides.append(
        Slide(
            "voice",
            L("voice.title"),
            L("voice.takeaway"),
            L("voice.deck"),
            L("voice.company", v=percent(vr), n=f"{voice['n']:,}"),
            L("voice.source"),
            L("voice.notes"),
            pd.DataFrame(
                {
                    "label": [L("voice.company_label"), L("voice.deck_label")],
                    "value": [vr if vr is not None else float("nan"), complaints.DECK_VOICE_RATE],
                }
            ),
            value_format="percent",
            figure=vr,
        )
    )

    from analytics.training.intelligence import intelligence_slide  # imports Slide from here

    slides.append(intelligence_slide(con, f, lang, min_n))

    out = ask(complaints.outcome_repurchase, f.groups_only(), REPURCHASE_DAYS, QUICK_HOURS)
    ok = out["n"] >= min_n
    slides.append(
        Slide(
            "outcomes",
            L("outcomes.title"),
            L("outcomes.takeaway"),
            L("outcomes.deck"),
            L("outcomes.company", rates=" / ".join(percent(r) if o else "—" for r, o in zip(out["rate"], ok))),
            L("outcomes.source"),
            L("outcomes.notes"),
            pd.DataFrame(
                {
                    "label": [label("outcome", o) for o in out["outcome"]],
                    "value": [r if o else float("nan") for r, o in zip(out["rate"], ok)],
                    "deck": out["deck"],
                }
            ),
            "bars2",
            "percent",
        )
    )

    by_score = ask(satisfaction_view.score_retention, f.groups_only(), REPURCHASE_DAYS).by_score
    by_score = by_score[by_score["n"] >= min_n]
    tvn = scores.top_vs_next(by_score)
    ratio = tvn["ratio"]
    slides.append(
        Slide(
            "five_vs_four",
            L("five.title"),
            L("five.takeaway"),
            L("five.deck"),
            L("five.company", r=f"{ratio:.1f}" if ratio == ratio else "—"),
            L("five.source"),
            L("five.notes"),
            pd.DataFrame({"label": [f"{s:g}" for s in by_score["score"]], "value": by_score["rate"]}),
            value_format="percent",
            figure=ratio if ratio == ratio else None,
        )
    )

    z = ask(loyalty_view.zone_counts, f, REPEAT_MIN).counts
    shown_zones = {k: v for k, v in z.items() if v >= min_n}
    slides.append(
        Slide(
            "zones",
            L("zones.title"),
            L("zones.takeaway"),
            L("zones.deck"),
            L("zones.company", a=shown_count(z["apostle"], min_n), t=shown_count(z["terrorist"], min_n)),
            L("zones.source"),
            L("zones.notes"),
            pd.DataFrame({"label": [label("zone", k) for k in shown_zones], "value": list(shown_zones.values())}),
        )
    )

    top20 = ask(loyalty_view.pareto, f).top20
    pyr = ask(pyramid.pyramid, f, DEFAULT_CUTS)
    pyr = pyr[pyr["customers"] >= min_n]
    slides.append(
        Slide(
            "pareto",
            L("pareto.title"),
            L("pareto.takeaway"),
            L("pareto.deck"),
            L("pareto.company", s=percent(top20)),
            L("pareto.source"),
            L("pareto.notes"),
            pd.DataFrame({"label": [label("tier", k) for k in pyr["tier"]], "value": pyr["revenue_share"]}),
            value_format="percent",
            figure=top20 if top20 == top20 else None,
        )
    )

    churn_days = ask(retention_view.churn_definition).default_days
    st_ = ask(retention_view.lifecycle_now, f, churn_days).stages.counts
    slides.append(
        Slide(
            "lifecycle",
            L("lifecycle.title"),
            L("lifecycle.takeaway"),
            L("lifecycle.deck"),
            L("lifecycle.company", m=shown_count(st_["maturity"], min_n), d=shown_count(st_["decline"], min_n)),
            L("lifecycle.source"),
            L("lifecycle.notes"),
            pd.DataFrame(
                {
                    "label": [label("stage", k) for k, v in st_.items() if v >= min_n],
                    "value": [v for v in st_.values() if v >= min_n],
                }
            ),
        )
    )

    rows = deck_table()
    slides.append(
        Slide(
            "ltv",
            L("ltv.title"),
            L("ltv.takeaway"),
            L("ltv.deck"),
            L("ltv.company"),
            L("ltv.source"),
            L("ltv.notes"),
            pd.DataFrame({"label": [L(f"ltv.row.{r.label}") for r in rows], "value": [round(r.ltv) for r in rows]}),
            value_format="money",
        )
    )

    try:
        # the average customer only: the whole what-if baseline (complaint and score levers)
        # cost three times as much for nothing this slide shows
        ((assumptions, _),) = ask(measure_assumptions_at, f, (f.end,))
        story = company_story(assumptions)
    except ValueError:
        story = None
    deck_value = deck_ltv(**SUPERMARKET)
    slides.append(
        Slide(
            "supermarket",
            L("market.title"),
            L("market.takeaway"),
            L("market.deck"),
            L(
                "market.company",
                v=f"{story['lifetime_revenue']:,.0f}" if story else "—",
                aov=f"{story['order_value']:,.0f}" if story else "—",
                f=f"{story['orders_per_year']:.1f}" if story else "—",
                y=f"{story['years']:.1f}" if story else "—",
            ),
            L("market.source"),
            L("market.notes"),
            pd.DataFrame(
                {
                    "label": [L("market.deck_label"), L("market.company_label")],
                    "value": [deck_value, round(story["lifetime_revenue"]) if story else 0],
                }
            ),
            value_format="money",
        )
    )

    slides.append(
        Slide(
            "seven_steps",
            L("steps.title"),
            L("steps.takeaway"),
            L("steps.deck"),
            L("steps.company"),
            L("steps.source"),
            L("steps.notes"),
            chart_kind="none",
        )
    )
    for s in slides:
        s.axes = tuple(L(f"axis.{a}") if a else "" for a in AXES.get(s.key, ("", "")))  # type: ignore[assignment]
    return slides
