"""Retention & churn (留存与流失): definition, lifecycle, cohorts, survival, warnings.

The churn model and its at-risk list are fitted once per data version (see ui/data.py) and
are their own benchmark step, so ``page`` leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.loyalty import churn, lifecycle

WARNINGS = churn.WARNINGS


@dataclass(frozen=True)
class ChurnDefinition:
    """How churn is read from this data: the customers' flag, or no purchase for ``days``."""

    flag: bool
    default_days: int

    def definition(self, days: int) -> churn.Definition:
        return churn.Definition("flag" if self.flag else "inactivity", int(days))


@dataclass(frozen=True)
class Stages:
    """Customers per lifecycle stage (deck 004) as of the period's end, in the stages' order."""

    counts: dict

    @property
    def empty(self) -> bool:
        return sum(self.counts.values()) == 0


@dataclass(frozen=True)
class Survival:
    """Kaplan–Meier curves per group (days, survival, group) and each group's median lifetime
    in days (None: more than half still active at the end of the data)."""

    curves: pd.DataFrame
    medians: dict


@dataclass(frozen=True)
class Warnings:
    """Active customers with each of deck 004's warning signs, out of ``active``."""

    counts: dict
    active: int


def churn_definition(con: duckdb.DuckDBPyConnection) -> ChurnDefinition:
    return ChurnDefinition(churn.has_flag(con), churn.default_churn_days(con))


@dataclass(frozen=True)
class Lifecycle:
    """Stages at the period's end and the flows from a year before, from one query."""

    stages: Stages
    flows: pd.DataFrame


def lifecycle_now(con: duckdb.DuckDBPyConnection, f: Filters, churn_days: int) -> Lifecycle:
    t = lifecycle.transitions(con, f, f.end, churn_days)
    return Lifecycle(Stages(lifecycle.counts_now(t)), lifecycle.flows_of(t))


def survival(con: duckdb.DuckDBPyConnection, f: Filters, d: churn.Definition, by: str, min_n: int) -> Survival:
    curves, medians = churn.kaplan_meier(churn.durations(con, f, d, by), min_n)
    return Survival(curves, medians)


def warnings(con: duckdb.DuckDBPyConnection, f: Filters) -> Warnings:
    return Warnings(*churn.warning_counts(con, f))


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> tuple:
    d = churn_definition(con)
    return (
        d,
        lifecycle_now(con, f, d.default_days),
        churn.cohort_retention(con, f, 12),
        survival(con, f, d.definition(d.default_days), "segment", min_n),
        warnings(con, f),
    )
