"""Interactions without an id get one from their content: identical rows are numbered apart,
and a re-import of the same rows (another file, another order) adds nothing."""

from __future__ import annotations

from analytics.io.importer import import_file

HEADER = "customer_id,ts,kind,amount\n"
ROWS = ["c1,2026-01-02 10:00:00,purchase,10\n", "c1,2026-01-02 10:00:00,purchase,10\n", "c2,2026-01-03,visit,\n"]


def _ids(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT interaction_id FROM interactions ORDER BY 1").fetchall()]


def test_identical_rows_are_numbered_apart_and_reimported_once(con, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    assert import_file(con, "interactions", first)["rows_added"] == 3
    ids = _ids(con)
    assert len(set(ids)) == 3
    numbers: dict[str, list[str]] = {}
    for i in ids:
        digest, number = i.rsplit("-", 1)
        numbers.setdefault(digest, []).append(number)
    assert sorted(sorted(n) for n in numbers.values()) == [["1"], ["1", "2"]]  # the twins: -1 and -2
    again = tmp_path / "b.csv"
    again.write_text(HEADER + "".join(reversed(ROWS)), encoding="utf-8")
    result = import_file(con, "interactions", again)
    assert result["rows_added"] == 0 and _ids(con) == ids


def test_rows_without_twins_keep_the_same_ids_as_with_twins(con, tmp_path):
    """The quick path (no identical rows: every row is number 1) gives the ids the numbering would."""
    one = tmp_path / "one.csv"
    one.write_text(HEADER + ROWS[0] + ROWS[2], encoding="utf-8")
    import_file(con, "interactions", one)
    single = set(_ids(con))
    both = tmp_path / "both.csv"
    both.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    assert import_file(con, "interactions", both)["rows_added"] == 1  # only the twin is new
    assert single < set(_ids(con))
