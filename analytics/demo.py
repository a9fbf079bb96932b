"""Deterministic demo data: a Chinese service company over three years.

``build_demo(con, customers=5000, seed=7)`` fills an empty schema. Everything is vectorised
numpy written to DuckDB in bulk, so one million customers (about ten million interactions)
take well under three minutes on two cores. The same seed gives the same database; no
value depends on the clock (the data end at ``DEMO_END``).

Planted effects (what the analytics must find again)
----------------------------------------------------
* Survey scale 1–5. Five SERVQUAL dimensions with mean gaps (experience − expectation)
  of about: tangibles +0.3, reliability −0.4, responsiveness −0.5, assurance −0.1,
  empathy +0.1 scale points. Region and channel shift experience: 成都 and 杭州 better
  (+0.25), 武汉 worse (−0.35); the phone channel answers slower (responsiveness −0.3).
* Overall satisfaction (1–5) is driven by the gaps with Kano shapes: reliability is a
  basic need (a shortfall costs 0.9 points per scale point, an excess earns 0.1),
  responsiveness and assurance are one-dimensional (0.5 and 0.4 both ways), empathy is
  a surprise need (shortfall 0.1, excess 0.7), tangibles barely matter (0.1).
* Each survey answer and each complaint is a moment of truth: the customer stays with a
  probability set by it, otherwise buys nothing after it. After a survey the
  probability by overall score is 1: 0.09, 2: 0.09, 3: 0.12, 4: 0.15, 5: 0.90, so a 5
  repurchases about 6× as often as a 4 (deck 003, Xerox). After a complaint it is 0.97
  resolved within 48 h, 0.64 resolved later, 0.22 never resolved; dissatisfied customers
  (overall 1–2) who did not complain stay with 0.105. These are set about 1/0.87 above the
  decks' 82 / 54 / 19 / 9 % so that the measured one-year repurchase rates, which also need
  a staying customer to buy within the year (and not to defect at a later answer), land
  near the decks' table.
* Events after a defection never happen, so for customers with two answers only the
  latest answer's draw decides: the latest score predicts retention better than the mean
  (deck 000).
* Complaint probability rises with negative gaps (about 6 % of customers with no
  shortfall, 36 % with a mean shortfall of a point or more). Resolution differs by
  channel: phone resolves fastest, partner slowest.
* Spend per order is lognormal (σ = 1.1) with segment multipliers (consumer 1,
  smb 2.5, enterprise 6) and the purchase rate is gamma distributed, so the top 20 % of
  customers bring about 70–80 % of revenue.
* Besides the decisions above there is a slow natural churn (exponential, mean 8 years).
  ``churned`` and ``churn_date`` are the CRM's flag: set 90 days after a customer stopped
  buying (defection or natural end), so customers who left in the last 90 days are not
  flagged yet — the churn model has to find them.
"""

from __future__ import annotations

import time
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from analytics import db
from analytics.io.undo import UNDO_STATE
from analytics.satisfaction.gaps import SERVQUAL_DIMENSIONS
from analytics.voice.demo_text import complaint_descriptions, survey_comments

DEMO_END = datetime(2026, 10, 31, 23, 59, 59)
DEMO_START = datetime(2023, 11, 1)
DAY = 86400

REGIONS = ["上海", "北京", "广州", "深圳", "成都", "杭州", "武汉"]
REGION_P = [0.22, 0.2, 0.15, 0.14, 0.1, 0.1, 0.09]
REGION_QUALITY = [0.0, 0.0, -0.05, 0.05, 0.25, 0.25, -0.35]
SEGMENTS = ["consumer", "smb", "enterprise"]
SEGMENT_P = [0.72, 0.21, 0.07]
SEGMENT_SPEND = [1.0, 2.5, 6.0]
CHANNELS = ["store", "online", "phone", "partner"]
CHANNEL_P = [0.35, 0.4, 0.15, 0.1]
#: P(resolved within 48 h), P(resolved later), P(unresolved) by channel.
CHANNEL_RESOLUTION = [[0.45, 0.35, 0.20], [0.38, 0.38, 0.24], [0.58, 0.28, 0.14], [0.30, 0.40, 0.30]]
EXPECTATION_MEAN = np.array([3.5, 4.4, 4.1, 4.0, 3.6])
EXPERIENCE_MEAN = np.array([3.8, 4.0, 3.6, 3.9, 3.7])
#: Effect of a gap on overall satisfaction below / above expectation (Kano shapes).
PENALTY = np.array([0.1, 0.9, 0.5, 0.4, 0.1])
REWARD = np.array([0.1, 0.1, 0.5, 0.4, 0.7])
STAY_AFTER_SCORE = np.array([0.09, 0.09, 0.12, 0.15, 0.90])  # index = overall − 1
STAY_AFTER_COMPLAINT = np.array([0.97, 0.64, 0.22])  # quick, resolved, unresolved
STAY_SILENT_DISSATISFIED = 0.105
CAUSES = [
    "product_quality",
    "packaging",
    "misuse_damage",
    "exaggerated_ads",
    "after_sales",
    "staff_attitude",
    "staff_behaviour",
]
CAUSE_P = [0.22, 0.08, 0.05, 0.08, 0.25, 0.2, 0.12]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")


def _epoch(d: datetime) -> int:
    return int(pd.Timestamp(d).timestamp())


def _ts(seconds: np.ndarray) -> np.ndarray:
    return seconds.astype("datetime64[s]")


def build_demo(con: duckdb.DuckDBPyConnection, customers: int = 5000, seed: int = 7, progress=None) -> dict[str, int]:
    """Replace all data in ``con`` with a deterministic demo data set; return row counts."""
    t0 = time.perf_counter()
    say = progress or (lambda msg: None)
    frames = _generate(int(customers), seed, say)  # its intermediate arrays are freed on return
    say("writing")
    n = len(frames["cust_df"])

    def lst(values: list[str]) -> str:
        return "[" + ", ".join("'" + v + "'" for v in values) + "]"

    cid = "'C' || lpad(CAST(c AS VARCHAR), 7, '0')"

    def insert(name: str, *statements: str) -> None:
        """Insert one frame, then let it go: the derived tables are built with none held."""
        con.register(name, frames.pop(name))
        try:
            for sql in statements:
                con.execute(sql)
        finally:
            con.unregister(name)

    try:
        with db.write_transaction(con, db.TABLES):
            for t in list(db.TABLES) + ["customer_attributes", "import_log", *UNDO_STATE]:
                con.execute(f"DELETE FROM {t}")
            insert(
                "cust_df",
                f"""INSERT INTO customers SELECT
                'C' || lpad(CAST(i AS VARCHAR), 7, '0'),
                {lst(SURNAMES)}[sn + 1] || {lst(GIVEN)}[gn + 1]
                || CASE WHEN gn2 >= 0 THEN {lst(GIVEN)}[gn2 + 1] ELSE '' END,
                CAST(signup AS DATE), {lst(REGIONS)}[r + 1], {lst(SEGMENTS)}[s + 1], {lst(CHANNELS)}[ch + 1],
                churned, CASE WHEN churned THEN CAST(stop AS DATE) END FROM cust_df""",
                """INSERT INTO customer_attributes
                SELECT 'C' || lpad(CAST(i AS VARCHAR), 7, '0'), 'age', age, NULL FROM cust_df""",
            )
            insert(
                "inter_df",
                f"""INSERT INTO interactions SELECT
                'I' || lpad(CAST(seq AS VARCHAR), 9, '0') AS interaction_id,
                {cid} AS customer_id, ts, ['purchase', 'service', 'complaint', 'visit'][k + 1], amount,
                {lst(CHANNELS)}[ch + 1], ['counter', 'app', 'hotline'][tp + 1]
                FROM inter_df""",  # already in storage order
            )
            insert(
                "survey_df",
                f"""INSERT INTO surveys SELECT
                'R' || lpad(CAST(c AS VARCHAR), 7, '0') || '-' || k, {cid}, answered, overall, nps, effort,
                1, 5, 'demo', comment FROM survey_df""",
            )
            insert(
                "answers_df",
                f"""INSERT INTO survey_answers SELECT
                'R' || lpad(CAST(c AS VARCHAR), 7, '0') || '-' || k, {lst(list(SERVQUAL_DIMENSIONS))}[d + 1], e, x
                FROM answers_df""",
            )
            insert(
                "comp_df",
                f"""INSERT INTO complaints SELECT
                'K' || lpad(CAST(row_number() OVER (ORDER BY c) AS VARCHAR), 7, '0'), {cid}, opened, resolved,
                ['resolved_quickly', 'resolved', 'unresolved'][o + 1], {lst(CAUSES)}[cause + 1],
                {lst(CHANNELS)}[ch + 1], description FROM comp_df""",
            )
            db.set_meta(con, "demo", f"customers={n} seed={seed}")
            release_memory()  # before the derived tables: 1M customers peaked at 2.12 GB there, now 1.72 GB
    finally:
        frames.clear()
    counts = db.table_counts(con)
    counts["seconds"] = round(time.perf_counter() - t0, 2)
    return counts


def release_memory() -> None:
    """Hand what Python freed back to the operating system: the generated frames (comments are
    ~700k small strings) stay in glibc's arenas otherwise, under the derived tables' peak."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _generate(n: int, seed: int, say) -> dict[str, pd.DataFrame]:
    """The demo's five tables as frames, in storage order (customers, interactions, surveys,
    answers, complaints): nothing else generated outlives the call."""
    rng = np.random.default_rng(seed)
    start, end = _epoch(DEMO_START), _epoch(DEMO_END)

    # --- customers -------------------------------------------------------------------
    say("customers")
    region = rng.choice(len(REGIONS), n, p=REGION_P)
    segment = rng.choice(len(SEGMENTS), n, p=SEGMENT_P)
    channel = rng.choice(len(CHANNELS), n, p=CHANNEL_P)
    signup = start + (rng.random(n) * (end - start - 30 * DAY)).astype(np.int64)
    signup -= signup % DAY
    natural_end = signup + (rng.exponential(8 * 365, n) * DAY).astype(np.int64)
    quality = rng.normal(0, 0.45, n) + np.take(REGION_QUALITY, region)
    rate = rng.gamma(2.0, 2.6, n) * np.where(segment == 2, 1.5, 1.0)  # purchases / year while active
    spend = rng.lognormal(np.log(180), 1.1, n) * np.take(SEGMENT_SPEND, segment)  # 元 / order
    age = rng.integers(18, 70, n)
    defect = np.full(n, np.iinfo(np.int64).max)

    # --- survey answers and complaints as time-ordered moments of truth ---------------
    say("surveys and complaints")
    life_lo = signup + 15 * DAY
    span = np.maximum(end - life_lo, DAY)
    responds = rng.random(n) < 0.7
    twice = responds & (rng.random(n) < 0.3)
    t1 = life_lo + (rng.random(n) * span).astype(np.int64)
    t2 = t1 + (rng.random(n) * np.maximum(end - t1, 0)).astype(np.int64)
    t_s = np.stack([np.where(responds, t1, -1), np.where(twice, t2, -1)], axis=1)
    expectation = np.clip(
        np.rint(EXPECTATION_MEAN + rng.normal(0, 0.6, (n, 2, 5)) + np.where(segment == 2, 0.2, 0.0)[:, None, None]),
        1,
        5,
    )
    shift = np.zeros((n, 5))
    shift[:, 2] += np.where(channel == 2, -0.3, 0.0)
    experience = np.clip(
        np.rint(EXPERIENCE_MEAN + quality[:, None, None] + shift[:, None, :] + rng.normal(0, 0.7, (n, 2, 5))), 1, 5
    )
    gap = experience - expectation
    latent = (
        4.05 + (np.minimum(gap, 0) * PENALTY + np.maximum(gap, 0) * REWARD).sum(axis=2) + rng.normal(0, 0.5, (n, 2))
    )
    overall = np.clip(np.rint(latent), 1, 5).astype(np.int64)
    nps = np.clip(np.rint(2.2 * overall - 1.2 + rng.normal(0, 1.2, (n, 2))), 0, 10).astype(np.int64)
    effort = np.clip(np.rint(6 - overall + rng.normal(0, 0.8, (n, 2))), 1, 5)

    mean_gap = gap[:, 0, :].mean(axis=1)
    expectation, experience = expectation.astype(np.int8), experience.astype(np.int8)
    del gap, latent, shift
    p_complain = 0.06 + 0.3 * np.clip(-mean_gap, 0, 1)
    complains = rng.random(n) < p_complain
    t_c = np.where(complains, life_lo + (rng.random(n) * span).astype(np.int64), -1)
    outcome_u = rng.random(n)
    cum = np.cumsum(np.asarray(CHANNEL_RESOLUTION)[channel], axis=1)
    outcome = (outcome_u[:, None] > cum[:, :2]).sum(axis=1)  # 0 quick, 1 resolved, 2 unresolved

    # events: columns survey1, survey2, complaint; process in time order
    times = np.stack([t_s[:, 0], t_s[:, 1], t_c], axis=1).astype(np.float64)
    times[times < 0] = np.inf
    order = np.argsort(times, axis=1, kind="stable")
    happened = np.zeros((n, 3), dtype=bool)
    complained_so_far = np.zeros(n, dtype=bool)
    draws = rng.random((n, 3))
    rows = np.arange(n)
    for k in range(3):
        ev = order[:, k]
        t = times[rows, ev]
        alive = np.isfinite(t) & (t < np.minimum(defect, natural_end))
        happened[rows, ev] = alive
        is_complaint = ev == 2
        score = overall[rows, np.minimum(ev, 1)]
        p_stay = np.where(is_complaint, STAY_AFTER_COMPLAINT[outcome], STAY_AFTER_SCORE[score - 1])
        silent = ~is_complaint & (score <= 2) & ~complained_so_far & ~complains
        p_stay = np.where(silent, STAY_SILENT_DISSATISFIED, p_stay)
        leaves = alive & (draws[:, k] > p_stay)
        defect = np.where(leaves, np.where(alive, t, 0).astype(np.int64) + 1, defect)
        complained_so_far |= alive & is_complaint
    stop = np.minimum(np.minimum(defect, natural_end), end)
    # the CRM flags an account as churned 90 days after it stopped buying (it cannot know sooner)
    flagged_at = stop + 90 * DAY
    churned = flagged_at < end
    active_years = (stop - signup) / (365.0 * DAY)

    # --- interactions ------------------------------------------------------------------
    say("interactions")
    n_buy = 1 + rng.poisson(rate * active_years)
    n_service = rng.poisson(1.3 * active_years)
    n_visit = rng.poisson(1.6 * active_years)
    kinds, cust, ts = [], [], []
    for code, counts, first_at_signup in ((0, n_buy, True), (1, n_service, False), (3, n_visit, False)):
        idx = np.repeat(rows, counts)
        lo, length = signup[idx], np.maximum(stop[idx] - signup[idx], 1)
        when = lo + (rng.random(idx.size) * length).astype(np.int64)
        if first_at_signup:
            first = np.concatenate([[0], np.cumsum(counts)[:-1]])
            when[first] = signup + 9 * 3600 + (rng.random(n) * 10 * 3600).astype(np.int64)
        cust.append(idx)
        ts.append(when)
        kinds.append(np.full(idx.size, code, dtype=np.int8))
    comp_idx = rows[complains & happened[:, 2]]
    cust.append(comp_idx)
    ts.append(t_c[comp_idx])
    kinds.append(np.full(comp_idx.size, 2, dtype=np.int8))
    cust_all, ts_all, kind_all = np.concatenate(cust), np.concatenate(ts), np.concatenate(kinds)
    del cust, ts, kinds
    is_buy = kind_all == 0
    amount = np.where(is_buy, np.round(spend[cust_all] * rng.gamma(4.0, 0.25, cust_all.size), 2), np.nan)
    touch = rng.integers(0, 3, cust_all.size).astype(np.int8)
    inter_channel = np.where(
        rng.random(cust_all.size) < 0.8, channel[cust_all], rng.integers(0, 4, cust_all.size)
    ).astype(np.int8)
    # ids number the rows by (customer, time, kind), the order they are stored in (schema.STORAGE_ORDER):
    # sorted here on one integer key, not again by DuckDB (its sort of 9.7M rows took +0.9 GB)
    key = (cust_all.astype(np.int64) << 30) | ((ts_all - start) << 2) | kind_all  # (c, ts, k) in one int
    order = np.argsort(key, kind="stable")
    del key
    inter = pd.DataFrame(
        {
            "seq": np.arange(1, cust_all.size + 1),
            "c": cust_all[order],
            "ts": _ts(ts_all[order]),
            "k": kind_all[order],
            "amount": amount[order],
            "ch": inter_channel[order],
            "tp": touch[order],
        }
    )
    del cust_all, ts_all, kind_all, is_buy, amount, touch, inter_channel, order

    # --- write -------------------------------------------------------------------------
    cust_df = pd.DataFrame(
        {
            "i": rows,
            "signup": _ts(signup),
            "r": region,
            "s": segment,
            "ch": channel,
            "churned": churned,
            "stop": _ts(flagged_at),
            "age": age,
            "sn": rng.integers(0, len(SURNAMES), n),
            "gn": rng.integers(0, len(GIVEN), n),
            "gn2": rng.integers(-1, len(GIVEN), n),
        }
    )
    s_mask = happened[:, :2]
    s_c, s_k = np.nonzero(s_mask)
    survey_df = pd.DataFrame(
        {
            "c": s_c,
            "k": s_k,
            "answered": _ts(np.minimum(t_s[s_c, s_k] + 10 * 3600, end)),
            "overall": overall[s_c, s_k],
            "nps": nps[s_c, s_k],
            "effort": effort[s_c, s_k],
        }
    )
    answers_df = pd.DataFrame(
        {
            "c": np.repeat(s_c, 5),
            "k": np.repeat(s_k, 5),
            "d": np.tile(np.arange(5), s_c.size),
            "e": expectation[s_c, s_k].ravel(),
            "x": experience[s_c, s_k].ravel(),
        }
    )
    hours = np.where(outcome[comp_idx] == 0, rng.uniform(1, 47, comp_idx.size), rng.uniform(49, 24 * 30, comp_idx.size))
    resolved = t_c[comp_idx] + (hours * 3600).astype(np.int64)
    comp_df = pd.DataFrame(
        {
            "c": comp_idx,
            "opened": _ts(t_c[comp_idx]),
            "resolved": np.where(outcome[comp_idx] != 2, _ts(resolved), np.datetime64("NaT")),
            "o": outcome[comp_idx],
            "cause": rng.choice(len(CAUSES), comp_idx.size, p=CAUSE_P),
            "ch": channel[comp_idx],
        }
    )
    # open complaints cannot be resolved after the end of the data
    comp_df.loc[comp_df["resolved"] > pd.Timestamp(DEMO_END), "resolved"] = pd.NaT
    # what customers write, from its own random stream (analytics/voice/demo_text.py)
    gap = experience[s_c, s_k] - expectation[s_c, s_k]
    survey_df["comment"] = survey_comments(seed, survey_df["overall"].to_numpy(), gap, list(SERVQUAL_DIMENSIONS))
    comp_df["description"] = complaint_descriptions(seed, [CAUSES[i] for i in comp_df["cause"]])
    return {"cust_df": cust_df, "inter_df": inter, "survey_df": survey_df, "answers_df": answers_df, "comp_df": comp_df}
