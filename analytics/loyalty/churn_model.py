"""The churn model and the at-risk list.

Model (scikit-learn): regularised logistic regression and gradient boosting, the better by
validation ROC AUC. Features from interactions (recency, frequency, spend, purchase trend,
service contacts), surveys (latest overall, gap, NPS), complaints (count, unresolved) and
every customer attribute column (numeric and categorical), all computed from data before
the cut-off. Validation is time-based when the data has dates: features at
``cutoff − horizon`` with labels in the following ``horizon`` days train the model; features
at ``cutoff`` with labels in the last ``horizon`` days test it. Without interactions (a
customers file with a churned flag), stratified 5-fold cross-validation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from analytics.filters import Filters, customer_scope
from analytics.loyalty.churn import HORIZON_DAYS, Definition, definition

# --- features and labels -------------------------------------------------------------------


def features(
    con: duckdb.DuckDBPyConnection, at: dt.datetime, f: Filters | None = None, customer_id: str | None = None
) -> pd.DataFrame:
    """One row per customer known at ``at``; every feature uses data strictly before ``at``.
    ``customer_id`` reads that one customer's rows only (the Customer page)."""
    scope, params, one = "", {}, ""  # type: tuple[str, dict, str]
    if customer_id is not None:
        scope, params, one = "WHERE c.customer_id = $one", {"one": customer_id}, "AND customer_id = $one"
    elif f is not None:
        scope, params = customer_scope(f, "c.customer_id")
        scope = f"WHERE {scope}"
    base = con.execute(
        f"""WITH p AS (SELECT customer_id, max(ts) AS last, min(ts) AS first, count(*) AS orders,
                   sum(amount) AS spend, count(*) FILTER (WHERE ts >= $at - INTERVAL 90 DAY) AS orders_90,
                   count(*) FILTER (WHERE ts >= $at - INTERVAL 180 DAY
                                    AND ts < $at - INTERVAL 90 DAY) AS orders_prev_90,
                   sum(amount) FILTER (WHERE ts >= $at - INTERVAL 365 DAY) AS spend_365
            FROM interactions WHERE kind = 'purchase' AND ts < $at {one} GROUP BY 1),
        v AS (SELECT customer_id, count(*) FILTER (WHERE kind = 'service') AS service_contacts FROM interactions
              WHERE ts < $at {one} GROUP BY 1),
        s AS (SELECT s.customer_id, arg_max(s.overall_satisfaction, s.answered_at) AS overall,
                     arg_max(s.nps, s.answered_at) AS nps, avg(g.gap) AS gap
              FROM surveys s LEFT JOIN (SELECT response_id, avg(experience - expectation) AS gap FROM survey_answers
                                        GROUP BY 1) g USING (response_id)
              WHERE s.answered_at < $at {one.replace("customer_id", "s.customer_id")} GROUP BY 1),
        k AS (SELECT customer_id, count(*) AS complaints,
                     count(*) FILTER (WHERE resolved_at IS NULL OR resolved_at >= $at) AS unresolved
              FROM complaints WHERE opened_at < $at {one} GROUP BY 1)
        SELECT c.customer_id, c.segment, c.region, c.channel,
               date_diff('day', p.last, $at) AS recency_days, date_diff('day', p.first, $at) AS tenure_days,
               coalesce(p.orders, 0) AS orders, coalesce(p.spend, 0) AS spend, coalesce(p.spend_365, 0) AS spend_365,
               coalesce(p.orders_90, 0) AS orders_90,
               coalesce(p.orders_90, 0) - coalesce(p.orders_prev_90, 0) AS trend_90,
               coalesce(v.service_contacts, 0) AS service_contacts, s.overall, s.nps, s.gap,
               coalesce(k.complaints, 0) AS complaints, coalesce(k.unresolved, 0) AS unresolved_complaints
        FROM customers c LEFT JOIN p USING (customer_id) LEFT JOIN v USING (customer_id) LEFT JOIN s USING (customer_id)
        LEFT JOIN k USING (customer_id) {scope}""",
        {**params, "at": at},
    ).df()
    attrs = con.execute(
        f"SELECT customer_id, attribute, value_num, value_text FROM customer_attributes WHERE true {one}",
        {"one": customer_id} if one else {},
    ).df()
    if len(attrs):
        num = attrs.dropna(subset=["value_num"]).pivot_table(
            index="customer_id", columns="attribute", values="value_num"
        )
        txt = attrs.dropna(subset=["value_text"]).pivot_table(
            index="customer_id", columns="attribute", values="value_text", aggfunc="first"
        )
        for frame, prefix in ((num, "attr_num_"), (txt, "attr_cat_")):
            if len(frame):
                frame.columns = [prefix + str(c) for c in frame.columns]
                base = base.merge(frame, left_on="customer_id", right_index=True, how="left")
    return base


def targets(
    con: duckdb.DuckDBPyConnection,
    d: Definition,
    start: dt.datetime,
    stop: dt.datetime,
    customer_id: str | None = None,
) -> pd.DataFrame:
    """Who churned within [start, stop): flag with a churn date in the window, or (inactivity)
    customers who bought in the N days before ``start`` and not at all in the window."""
    one, extra = ("WHERE customer_id = $one", {"one": customer_id}) if customer_id is not None else ("", {})
    if d.kind == "flag":
        return con.execute(
            f"""SELECT customer_id, coalesce(churned AND churn_date >= CAST($s AS DATE)
                                   AND churn_date < CAST($e AS DATE), false) AS churned,
                                   NOT coalesce(churned AND churn_date < CAST($s AS DATE), false) AS at_risk
                              FROM customers {one}""",
            {"s": start, "e": stop, **extra},
        ).df()
    return con.execute(
        f"""SELECT customer_id,
            count(*) FILTER (WHERE ts >= $s AND ts < $e) = 0 AS churned,
            count(*) FILTER (WHERE ts >= $s - to_days($n) AND ts < $s) > 0 AS at_risk
        FROM interactions WHERE kind = 'purchase' {one.replace("WHERE", "AND")} GROUP BY 1""",
        {"s": start, "e": stop, "n": d.days, **extra},
    ).df()


# --- the model -----------------------------------------------------------------------------------


@dataclass
class ChurnModel:
    definition: Definition
    validation: str  # "time" or "cv"
    model_name: str
    roc_auc: float
    pr_auc: float
    lift_top_decile: float
    calibration: pd.DataFrame
    top_features: list
    pipeline: object = field(repr=False)
    linear: object = field(repr=False)  # logistic pipeline used for per-customer reasons
    feature_names: list = field(default_factory=list)
    customers: int = 0
    churned: int = 0

    def report(self) -> dict:
        return {
            "customers": self.customers,
            "churned": self.churned,
            "churn_rate": self.churned / self.customers if self.customers else None,
            "definition": self.definition.describe(),
            "validation": self.validation,
            "model": self.model_name,
            "roc_auc": self.roc_auc,
            "pr_auc": self.pr_auc,
            "lift_top_decile": self.lift_top_decile,
            "top_features": self.top_features,
        }


def _pipelines(x: pd.DataFrame):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    cat = [c for c in x.columns if x[c].dtype == object]
    num = [c for c in x.columns if c not in cat]
    pre = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()), num),
            (
                "cat",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="(missing)"),
                    OneHotEncoder(handle_unknown="ignore", min_frequency=10),
                ),
                cat,
            ),
        ],
        verbose_feature_names_out=False,
    )
    logit = Pipeline([("pre", pre), ("model", LogisticRegression(C=0.5, max_iter=2000))])
    gbm = Pipeline(
        [
            ("pre", pre),
            (
                "model",
                HistGradientBoostingClassifier(max_iter=200, learning_rate=0.08, early_stopping=True, random_state=0),
            ),
        ]
    )
    return {"logistic": logit, "gradient_boosting": gbm}


FEATURE_DROP = ("customer_id",)


def _xy(feat: pd.DataFrame, lab: pd.DataFrame, buyers_only: bool = True) -> tuple[pd.DataFrame, np.ndarray, pd.Series]:
    m = feat.merge(lab, on="customer_id")
    m = m[m["at_risk"] & ((m["orders"] > 0) | (not buyers_only))]  # customers by then: a purchase before the cut-off
    x = m.drop(columns=list(FEATURE_DROP) + ["churned", "at_risk"])
    for c in x.columns:
        if x[c].dtype == object:
            x[c] = x[c].astype("string").fillna("(missing)").astype(object)
    return x, m["churned"].astype(int).to_numpy(), m["customer_id"]


def _scores(y, p) -> tuple[float, float, float, pd.DataFrame]:
    from sklearn.metrics import average_precision_score, roc_auc_score

    auc, pr = float(roc_auc_score(y, p)), float(average_precision_score(y, p))
    order = np.argsort(-p)
    top = order[: max(1, len(order) // 10)]
    lift = float(y[top].mean() / y.mean()) if y.mean() > 0 else float("nan")
    bins = pd.qcut(p, 10, labels=False, duplicates="drop")
    cal = pd.DataFrame({"predicted": p, "actual": y, "bin": bins}).groupby("bin").mean().reset_index(drop=True)
    return auc, pr, lift, cal


def fit_churn(
    con: duckdb.DuckDBPyConnection, d: Definition | None = None, horizon_days: int = HORIZON_DAYS, progress=None
) -> ChurnModel:
    """Fit both models, validate (time holdout or 5-fold CV), keep the better; see module docstring."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    d = d or definition(con)
    say = progress or (lambda msg: None)
    end = con.execute("SELECT max(ts) FROM interactions").fetchone()[0]
    models = None
    if end is not None:
        cut = end - dt.timedelta(days=horizon_days)
        train_at = cut - dt.timedelta(days=horizon_days)
        say("features")
        x_tr, y_tr, _ = _xy(features(con, train_at), targets(con, d, train_at, cut))
        x_te, y_te, _ = _xy(features(con, cut), targets(con, d, cut, end + dt.timedelta(seconds=1)))
        if len(x_tr) >= 50 and 0 < y_tr.sum() < len(y_tr) and 0 < y_te.sum() < len(y_te):
            validation, results = "time", {}
            for name, pipe in _pipelines(x_tr).items():
                say(f"fit {name}")
                pipe.fit(x_tr, y_tr)
                results[name] = (pipe, _scores(y_te, pipe.predict_proba(x_te)[:, 1]))
            models = results
            x_all, y_all = x_te, y_te
    if models is None:  # customers file alone: flag + attributes, cross-validated
        validation = "cv"
        feat = features(con, dt.datetime(2200, 1, 1))
        lab = con.execute(
            "SELECT customer_id, coalesce(churned, false) AS churned, true AS at_risk FROM customers"
        ).df()
        x_all, y_all, _ = _xy(feat, lab, buyers_only=False)
        # a customers file alone: no purchase or survey features, and no column the file lacks
        x_all = x_all.loc[:, [c for c in x_all if x_all[c].notna().any() and not (x_all[c] == "(missing)").all()]]
        if y_all.sum() < 10 or y_all.sum() == len(y_all):
            raise ValueError("too few churned (or retained) customers to fit a churn model")
        cv = StratifiedKFold(5, shuffle=True, random_state=0)
        models = {}
        for name, pipe in _pipelines(x_all).items():
            say(f"cross-validate {name}")
            p = cross_val_predict(pipe, x_all, y_all, cv=cv, method="predict_proba")[:, 1]
            models[name] = (pipe.fit(x_all, y_all), _scores(y_all, p))
    best = max(models, key=lambda k: models[k][1][0])
    pipe, (auc, pr, lift, cal) = models[best]
    linear = models["logistic"][0]
    names = list(linear.named_steps["pre"].get_feature_names_out())
    coefs = linear.named_steps["model"].coef_[0]
    top = [{"feature": n, "weight": float(w)} for n, w in sorted(zip(names, coefs), key=lambda t: -abs(t[1]))[:10]]
    return ChurnModel(
        d, validation, best, auc, pr, lift, cal, top, pipe, linear, names, int(len(y_all)), int(y_all.sum())
    )


def _present(names: np.ndarray, x: pd.DataFrame) -> np.ndarray:
    """Which (customer, feature) cells describe something the customer has: a recorded value,
    a missing one for its indicator, their own group for a one-hot column. Only those can be a
    reason — a standardised 0 ("not in 杭州", "a score on record") would otherwise read as
    "in 杭州" or "no score on record" for a customer who is neither."""
    out = np.ones((len(x), len(names)), dtype=bool)
    categorical = {c: x[c].astype(str).to_numpy() for c in x.columns if x[c].dtype == object}
    for j, n in enumerate(names):
        if n.startswith("missingindicator_"):
            base = n[len("missingindicator_") :]
            if base in x.columns:
                out[:, j] = x[base].isna().to_numpy()
        elif n in x.columns:
            out[:, j] = x[n].notna().to_numpy()
        else:
            col = next((c for c in categorical if n.startswith(c + "_")), None)
            if col is not None:  # their own group, and a group that says something ("(missing)" does not)
                value = n[len(col) + 1 :]
                out[:, j] = (categorical[col] == value) & (value != "(missing)")
    return out


def _reason(name: str, z: float) -> str:
    """A reason with its direction: ``recency_days+`` (higher than usual) or ``orders_90-``
    (lower); group and missing-value indicators need none (their name says it)."""
    if name.startswith(("missingindicator_", "region_", "segment_", "channel_", "attr_cat_")):
        return name
    return name + ("+" if z > 0 else "-")


def at_risk(
    con: duckdb.DuckDBPyConnection,
    model: ChurnModel,
    f: Filters | None = None,
    top_reasons: int = 3,
    limit: int | None = None,
    customer_id: str | None = None,
) -> pd.DataFrame:
    """Current customers ranked by churn probability × yearly value, with each one's top reasons
    (the logistic model's per-customer contributions: coefficient × standardised value)."""
    end = con.execute("SELECT max(ts) FROM interactions").fetchone()[0]
    if end is None:  # a customers file alone (fitted by CV on the flag): rank those not yet churned
        lab = con.execute(
            "SELECT customer_id, false AS churned, true AS at_risk FROM customers WHERE NOT coalesce(churned, false)"
            + (" AND customer_id = $id" if customer_id else ""),
            {"id": customer_id} if customer_id else {},
        ).df()
        x, _, ids = _xy(features(con, dt.datetime(2200, 1, 1), f, customer_id), lab, buyers_only=False)
    else:
        at = end + dt.timedelta(seconds=1)
        lab = targets(con, model.definition, at, at + dt.timedelta(days=1), customer_id)
        x, _, ids = _xy(features(con, at, f, customer_id), lab.assign(churned=False))  # orders > 0: current
    if len(x) == 0:
        return pd.DataFrame()
    x = x.reindex(columns=list(model.pipeline.feature_names_in_))  # the columns the model was fitted on
    p = model.pipeline.predict_proba(x)[:, 1]
    z = model.linear.named_steps["pre"].transform(x)
    z = z.toarray() if hasattr(z, "toarray") else np.asarray(z)
    contrib = z * model.linear.named_steps["model"].coef_[0]
    names = np.asarray(model.feature_names)
    contrib = np.where(_present(names, x), contrib, 0.0)
    idx = np.argsort(-contrib, axis=1)[:, :top_reasons]
    reasons = [
        "; ".join(_reason(n, zv) for n, c, zv in zip(names[row], contrib[i, row], z[i, row]) if c > 0)
        for i, row in enumerate(idx)
    ]
    out = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "churn_probability": p,
            "value_365": x["spend_365"].to_numpy(),
            "reasons": reasons,
        }
    )
    out["revenue_at_risk"] = out["churn_probability"] * out["value_365"]
    # by value at risk; without purchases (a customers file alone) every value is 0: by probability
    out = out.sort_values(["revenue_at_risk", "churn_probability"], ascending=False, ignore_index=True)
    return out.head(limit) if limit else out
