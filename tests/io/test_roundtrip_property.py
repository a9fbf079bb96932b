"""Property test: any valid interaction rows written to CSV come back unchanged."""

import csv
import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import db
from analytics.io.importer import import_file

# what real exports hold: ASCII, Chinese, Latin letters with accents
alphabet = st.one_of(
    st.characters(min_codepoint=48, max_codepoint=122, categories=("L", "N")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.characters(min_codepoint=0xC0, max_codepoint=0x17F, categories=("L",)),
)
ids = st.text(alphabet=alphabet, min_size=1, max_size=12)
when = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2025, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
amount = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2).map(float))
kind = st.sampled_from(["purchase", "service", "complaint", "visit"])
row = st.tuples(ids, ids, when, kind, amount, st.sampled_from(["", "线上", "store", "a,b", 'say "hi"']))


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(row, min_size=1, max_size=30, unique_by=lambda r: r[0]),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    st.sampled_from([",", ";", "\t"]),
)
def test_valid_rows_round_trip(rows, encoding, delimiter):
    try:
        for r in rows:
            "".join(map(str, r)).encode(encoding)
    except UnicodeEncodeError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.csv"
        with open(path, "w", encoding=encoding, newline="") as f:
            w = csv.writer(f, delimiter=delimiter)
            w.writerow(["interaction_id", "customer_id", "ts", "kind", "amount", "channel"])
            for iid, cid, ts, k, amt, ch in rows:
                w.writerow([iid, cid, ts.isoformat(sep=" "), k, "" if amt is None else repr(amt), ch])
        con = db.connect(":memory:")
        res = import_file(con, "interactions", path)
        assert res["rows_added"] == len(rows)
        got = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT interaction_id, customer_id, ts, kind, amount, channel FROM interactions"
            ).fetchall()
        }
        for iid, cid, ts, k, amt, ch in rows:
            assert got[iid.strip()] == (cid.strip(), ts, k, amt, ch.strip() or None)
