"""Satisfaction (满意度): the gap by dimension, five levels, CSAT / NPS, drivers and Kano, retention."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.satisfaction import drivers, gaps, scores


@dataclass(frozen=True)
class Drivers:
    """Key drivers (importance × performance) and Kano classes of the period's answers; empty
    frames when too few responses carry every dimension."""

    key_drivers: pd.DataFrame
    kano: pd.DataFrame


@dataclass(frozen=True)
class ScoreRetention:
    """Repurchase within the window by overall score, the top-vs-next ratio (deck 003's 6×) and
    whether the latest answer predicts better than the mean one (deck 000)."""

    by_score: pd.DataFrame
    top_vs_next: dict
    latest_vs_mean: dict


def driver_models(con: duckdb.DuckDBPyConnection, f: Filters) -> Drivers:
    answers = scores.responses_wide(con, f)  # one row per response
    if not len(answers):
        return Drivers(pd.DataFrame(), pd.DataFrame())
    return Drivers(drivers.key_drivers(answers), drivers.kano(answers))


def score_retention(con: duckdb.DuckDBPyConnection, f: Filters, window_days: int) -> ScoreRetention:
    by_score = scores.score_repurchase(con, f, window_days)
    ratio = scores.top_vs_next(by_score) if len(by_score) else {}
    return ScoreRetention(by_score, ratio, scores.latest_vs_mean(con, f, window_days))


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> tuple:
    return (
        gaps.summary(con, f),
        scores.csat_nps(con, f),
        gaps.by_dimension(con, f, min_n),
        gaps.trend(con, f, min_n),
        gaps.by_group(con, f, "region", min_n),
        driver_models(con, f),
        score_retention(con, f.groups_only(), 365),
    )
