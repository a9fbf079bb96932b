"""``python -m analytics report --json``: one JSON object of key figures, one section a capability."""

from __future__ import annotations

import duckdb

from analytics import coverage, db


def data_section(con: duckdb.DuckDBPyConnection) -> dict:
    """Rows per table, the date range of interactions and survey/complaint coverage."""
    first, last = db.one(con, "SELECT min(ts), max(ts) FROM interactions")
    with_surveys, with_complaints = db.one(
        con,
        """SELECT (SELECT count(DISTINCT customer_id) FROM surveys WHERE customer_id IS NOT NULL),
                  (SELECT count(DISTINCT customer_id) FROM complaints)""",
    )
    return {
        "rows": db.table_counts(con),
        "date_range": {"first": first.isoformat() if first else None, "last": last.isoformat() if last else None},
        "customers_with_surveys": with_surveys,
        "customers_with_complaints": with_complaints,
        "data_version": db.data_version(con),
        "schema_version": db.schema_version(con),
    }


def _all(con: duckdb.DuckDBPyConnection):
    from analytics.filters import default_filters

    return default_filters(con, "all")


def satisfaction_section(con: duckdb.DuckDBPyConnection) -> dict:
    """The gap, its levels, CSAT, NPS, drivers and Kano classes over all the data."""
    from analytics.filters import data_range
    from analytics.satisfaction import drivers, gaps, scores

    if data_range(con) is None or not coverage.has(con, "surveys"):
        return {"responses": 0, "loaded": False}
    f = _all(con)
    out = gaps.summary(con, f)
    dims = gaps.by_dimension(con, f)
    out["by_dimension"] = [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
        for r in dims[
            ["dimension", "n", "mean_expectation", "mean_experience", "mean_gap", "ci_low", "ci_high", "mean_gap_share"]
        ].to_dict(orient="records")
    ]
    out.update(csat_nps(con, f))
    answers = scores.responses_wide(con, f)
    d = drivers.key_drivers(answers)
    # drivers need per-dimension answers and an overall score: a survey of overall scores alone has none
    out["drivers"] = (
        d[["dimension", "importance", "mean_gap", "quadrant"]].to_dict(orient="records") if "quadrant" in d else []
    )
    kano = drivers.kano(answers)
    out["kano"] = dict(zip(kano["dimension"], kano["kano"])) if {"dimension", "kano"} <= set(kano) else {}
    return out


def csat_nps(con: duckdb.DuckDBPyConnection, f) -> dict:
    from analytics.satisfaction.scores import csat_nps as compute

    return compute(con, f)


def complaints_section(con: duckdb.DuckDBPyConnection) -> dict:
    from analytics.filters import data_range
    from analytics.satisfaction import complaints

    if data_range(con) is None or not coverage.has(con, "complaints"):
        return {"complaints": None, "loaded": False}  # no complaint data is not zero complaints
    f = _all(con)
    summ = complaints.complaint_summary(con, f)
    outcomes = complaints.outcome_repurchase(con, f)
    return {
        "complaints": summ["complaints"],
        "median_hours_to_resolve": summ["median_hours_to_resolve"],
        "by_outcome": [
            {
                "outcome": r["outcome"],
                "n": int(r["n"]),
                "repurchase_rate": None if r["rate"] != r["rate"] else float(r["rate"]),
                "deck": r["deck"],
            }
            for _, r in outcomes.iterrows()
        ],
        "voice_rate": complaints.voice_rate(con, f)["voice_rate"],
    }


def loyalty_section(con: duckdb.DuckDBPyConnection) -> dict:
    """Pareto share, tiers, loyalty zones and lifecycle stages over all the data."""
    from analytics.filters import data_range
    from analytics.loyalty import churn, lifecycle, pyramid, zones

    if data_range(con) is None:
        return {}
    f = _all(con)
    curve = pyramid.pareto_curve(con, f)
    tiers = pyramid.pyramid(con, f)
    d = churn.definition(con)
    return {
        "pareto_top20_share": pyramid.top_share(curve, 0.2),
        "tiers": {
            r["tier"]: {"customers": int(r["customers"]), "revenue_share": float(r["revenue_share"])}
            for _, r in tiers.iterrows()
        },
        "zones": zones.zone_counts(zones.zones(con, f)),
        "stages": lifecycle.stage_counts(lifecycle.stages(con, f, f.end, d.days)),
    }


#: Section name → builder. Capabilities add themselves here.
SECTIONS = {
    "data": data_section,
    "satisfaction": satisfaction_section,
    "complaints": complaints_section,
    "loyalty": loyalty_section,
}


def build_report(con: duckdb.DuckDBPyConnection) -> dict:
    """Every section's key figures."""
    return {name: build(con) for name, build in SECTIONS.items()}
