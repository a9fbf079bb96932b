"""Data (数据): what is loaded, upload and import with validation first, the import log, reset."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import currency, origin
from analytics.demo import build_demo
from analytics.io import undo
from analytics.io.importer import FileReadError, ImportValidationError, ImportWriteError, import_file
from analytics.io.preview import preview_file, target_options
from analytics.io.staging import discard, stage_upload
from analytics.io.templates import template_csv, template_xlsx
from locales.catalog import problem as problem_text
from ui import data, fits
from ui.format import plain, uploader_css
from ui.frame import require_frame
from ui.state import labeller, lang, t

require_frame(__file__)

IGNORE, ATTRIBUTE = "__ignore__", "__attribute__"
KINDS = ["purchase", "service", "complaint", "visit"]
KEY_COLUMNS = {"customer_id", "interaction_id", "response_id", "complaint_id"}


def constant_columns(table: str, mapped: set) -> dict[str, str]:
    """The page's ``--set``: columns the file lacks, one value for every row (an order log's
    kind = purchase). Opened with kind chosen when an interactions file has no kind column."""
    free = [c for c in target_options(table) if c not in mapped and "." not in c and c not in KEY_COLUMNS]
    need_kind = table == "interactions" and "kind" not in mapped
    out: dict[str, str] = {}
    with st.expander(t("data.constants"), expanded=need_kind):
        st.caption(t("data.constants_help"))
        chosen = st.multiselect(
            t("data.constants"),
            free,
            default=["kind"] if need_kind else [],
            format_func=lambda c: t("column." + c),
            key=f"data_const_{table}",
            label_visibility="collapsed",
        )
        for c in chosen:
            label = t("data.constant_value", column=t("column." + c))
            if c == "kind":
                out[c] = st.selectbox(label, KINDS, format_func=lambda k: t("data.kind." + k), key="data_const_kind")
            elif value := st.text_input(label, key=f"data_const_{table}_{c}").strip():
                out[c] = value
    return out


con, version = data.cursor(), data.version()

st.title(t("data.title"))
if flash := st.session_state.pop("data_flash", None):
    st.success(flash)
counts = data.table_counts(con, version)
held = data.call(origin.origin)
if held == "empty":
    st.info(t("data.empty"))
left, right = st.columns([1, 2])
with left:
    st.subheader(t("data.counts"))
    st.dataframe(
        pd.DataFrame(
            {
                t("data.table_col"): [t(f"table.{k}") for k in counts],
                t("data.rows_col"): [f"{v:,}" for v in counts.values()],
            }
        ),
        hide_index=True,
    )
    now = data.call(currency.get)
    codes = list(currency.CURRENCIES)
    chosen = st.selectbox(
        t("data.currency"),
        codes,
        index=codes.index(now),
        format_func=lambda c: f"{c} · {currency.CURRENCIES[c].symbol} · {currency.CURRENCIES[c].unit_zh}",
        help=t("data.currency_help"),
        key="data_currency",
    )
    if chosen != now:
        with data.writing() as w:
            currency.set_currency(w, chosen)
        st.session_state["data_flash"] = t("data.currency_set", code=chosen)
        st.rerun()
with right:
    st.subheader(t("data.log"))
    log = data.import_log(con, version)
    if log.empty:
        st.caption(t("data.log_empty"))
    else:
        log = log.drop(columns=["content_hash"]).assign(
            table_name=lambda d: d["table_name"].map(lambda v: t(f"table.{v}"))
        )
        log = log[["import_id"] + [c for c in log.columns if c != "import_id"]]
        st.dataframe(log.rename(columns=lambda c: t(f"log.{c}")), hide_index=True)
        last = data.call(undo.undoable)
        if last is not None:
            row = log[log["import_id"] == last].iloc[0]
            with st.popover(t("data.undo"), icon=":material/undo:"):
                st.caption(t("data.undo_help", id=last, file=plain(row["file_name"])))
                if st.button(t("data.undo_confirm", id=last), key="data_undo", type="primary"):
                    try:
                        with data.writing() as w:
                            out = undo.undo(w, int(last))
                        removed = ", ".join(f"{t('table.' + k)} {v:,}" for k, v in out["rows_removed"].items())
                        st.session_state["data_flash"] = t("data.undone", id=last, removed=removed or "0")
                        fits.start_refits()
                        st.rerun()
                    except undo.UndoError as exc:
                        st.error(plain(exc))

st.divider()
st.subheader(t("data.upload"))
limit = st.get_option("server.maxUploadSize")
st.caption(t("data.upload_help") + " " + t("data.limit", mb=limit))
table = st.selectbox(
    t("data.target"),
    ["customers", "interactions", "surveys", "complaints"],
    key="data_table",
    format_func=labeller("table."),
)
with st.container(horizontal=True):  # what the importer wants, as a file to fill in
    st.caption(t("data.template_help"))
    for fmt, make, mime in (
        ("csv", template_csv, "text/csv"),
        ("xlsx", template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        st.download_button(
            t("data.template", fmt=fmt.upper()),
            make(table, lang()),
            file_name=f"{table}_template.{fmt}",
            mime=mime,
            icon=":material/download:",
            key=f"data_template_{fmt}",
        )
st.html(uploader_css(t("data.browse"), t("data.limit_short", mb=limit)))  # Streamlit's own words are English only
upload = st.file_uploader(
    t("data.upload"),
    type=["csv", "txt", "tsv", "xlsx", "parquet"],
    key=f"data_upload_{st.session_state.get('data_uploads', 0)}",  # a new key after an import clears it
    label_visibility="collapsed",
)

if upload is not None:
    path = stage_upload(upload.getvalue(), upload.name)
    sheet = st.text_input(t("data.sheet"), key="data_sheet") or None if path.suffix in (".xlsx", ".xlsm") else None
    try:
        pv = preview_file(path, table, upload.name, sheet=sheet)
    except (FileReadError, ImportValidationError) as exc:
        st.error(t("data.read_error", problem=plain(exc)))
        st.stop()
    st.markdown(
        f"**{t('data.preview')}** · {pv.total_rows:,} · {pv.kind.upper()}"
        + (f" · {pv.encoding}" if pv.encoding else "")
    )
    st.dataframe(pv.rows, hide_index=True)

    st.markdown(f"**{t('data.mapping')}** · {t('data.mapping_help')}")
    options = [IGNORE] + ([ATTRIBUTE] if table == "customers" else []) + target_options(table)
    special = {IGNORE: t("data.ignore"), ATTRIBUTE: t("data.attribute")}

    def column_label(option: str) -> str:
        """A target in the page's language, with its canonical name (what --map and the README use)."""
        if option in special:
            return special[option]
        dim, _, part = option.partition(".")
        words = f"{t('dimension.' + dim)} · {t('column.' + part)}" if part else t("column." + option)
        return f"{words} ({option})"

    mapping: dict[str, str | None] = {}
    grid = st.columns(4)
    for i, header in enumerate(pv.headers):
        default = pv.suggested.get(header, ATTRIBUTE if table == "customers" else IGNORE)
        with grid[i % 4]:
            choice = st.selectbox(
                plain(header),
                options,
                index=options.index(default),
                key=f"data_map_{table}_{i}",
                format_func=column_label,
            )
        if choice == IGNORE:
            mapping[header] = None
        elif choice != ATTRIBUTE:
            mapping[header] = choice
    constants = constant_columns(table, set(mapping.values()))
    scale = (
        st.text_input(t("data.scale"), key="data_scale", placeholder="1-5", help=t("data.scale_help")).strip() or None
        if table == "surveys"
        else None
    )  # empty: inferred from the answers (1–5, 1–7, 1–10, 0–10), never a 1–5 forced on 1–10 data
    strict = st.checkbox(t("data.strict"), key="data_strict")
    replace_demo = False
    if held in ("demo", "mixed"):
        replace_demo = (
            st.radio(
                t("data.demo_choice" if held == "demo" else "data.demo_choice_mixed"),
                ["replace", "keep"],
                index=0 if held == "demo" else 1,
                format_func=lambda o: t(f"data.demo_{o}"),
                key="data_demo",
            )
            == "replace"
        )
    kwargs = dict(
        mapping=mapping,
        scale=scale,
        strict=strict,
        sheet=sheet,
        name=upload.name,
        constants=constants,
        replace_demo=replace_demo,
    )

    def report(exc: Exception) -> None:
        if isinstance(exc, ImportValidationError):
            st.error(t("data.invalid", total=exc.total))
            if exc.missing:
                st.info(
                    t(
                        "data.missing_hint",
                        columns=("、" if lang() == "zh-CN" else ", ").join(t("column." + c) for c in exc.missing),
                    )
                )
            st.dataframe(
                pd.DataFrame(
                    [(line or "—", plain(col or ""), plain(problem_text(p, lang()))) for line, col, p in exc.errors],
                    columns=[t("data.err_line"), t("data.err_column"), t("data.err_problem")],
                ),
                hide_index=True,
            )
        else:
            st.error(t("data.read_error", problem=plain(exc)))

    c1, c2 = st.columns(2)
    if c1.button(t("data.validate"), key="data_validate"):
        try:
            with data.writing() as w:
                res = import_file(w, table, path, dry_run=True, **kwargs)
            if "already_imported" in res:
                st.info(t("data.already", file=plain(upload.name), when=res["already_imported"]))
            else:
                st.success(
                    t(
                        "data.valid",
                        added=res["rows_added"],
                        updated=res["rows_updated"],
                        skipped=res["rows_skipped"],
                        created=res["customers_created"],
                    )
                )
        except (ImportValidationError, FileReadError, ImportWriteError) as exc:
            report(exc)
    if c2.button(t("data.import"), type="primary", key="data_import"):
        bar = st.progress(0.0, text=t("data.progress"))
        try:
            with data.writing() as w:
                res = import_file(
                    w,
                    table,
                    path,
                    on_step=lambda label, frac: bar.progress(
                        frac, text=f"{t('data.progress')} {t('data.step.' + label)}"
                    ),
                    **kwargs,
                )
            if "already_imported" in res:
                st.info(t("data.already", file=plain(upload.name), when=res["already_imported"]))
            else:
                flash = t(
                    "data.imported",
                    file=plain(upload.name),
                    added=res["rows_added"],
                    updated=res["rows_updated"],
                    skipped=res["rows_skipped"],
                    created=res["customers_created"],
                    seconds=res["seconds"],
                )
                if res.get("ignored_columns"):
                    flash += " " + t("data.ignored", columns=", ".join(map(plain, res["ignored_columns"])))
                if res.get("demo_replaced"):
                    flash += " " + t("data.demo_replaced")
                st.session_state["data_flash"] = flash
                discard(path)
                st.session_state["data_uploads"] = st.session_state.get("data_uploads", 0) + 1
                fits.start_refits()  # the models follow the data, in the background
                st.rerun()  # every count and page now shows the new data version
        except (ImportValidationError, FileReadError, ImportWriteError) as exc:
            report(exc)

st.divider()
with st.expander(t("data.backup")):
    from analytics.backup import BackupError, backup_zip, restore_zip

    st.caption(t("data.backup_help"))
    if st.button(t("data.backup_make"), key="data_backup_make"):
        st.session_state["data_backup_zip"] = backup_zip(con)  # this run's snapshot: consistent
    if "data_backup_zip" in st.session_state:
        st.download_button(
            t("data.backup_download"),
            st.session_state["data_backup_zip"],
            file_name="csat-backup.zip",
            mime="application/zip",
            key="data_backup_dl",
        )
    restore_file = st.file_uploader(t("data.restore"), type=["zip"], key="data_restore_file")
    sure_restore = st.checkbox(t("data.restore_confirm"), key="data_restore_confirm")
    if restore_file is not None and st.button(t("data.restore"), disabled=not sure_restore, key="data_restore"):
        try:
            with data.writing() as w:
                restore_zip(w, restore_file.getvalue())
            st.session_state["data_flash"] = t("data.restored")
            fits.start_refits()
            st.rerun()
        except BackupError as exc:
            st.error(plain(exc))

with st.expander(t("data.clear")):
    st.caption(t("data.clear_help"))
    sure_clear = st.checkbox(t("data.clear_confirm"), key="data_clear_confirm")
    if st.button(t("data.clear"), disabled=not sure_clear, key="data_clear"):
        with data.writing() as w:
            before = origin.clear(w)
        st.session_state["data_flash"] = t("data.clear_done", customers=f"{before['customers']:,}")
        st.rerun()

with st.expander(t("data.reset")):
    st.caption(t("data.demo_note", customers=f"{data.DEMO_CUSTOMERS:,}", seed=data.DEMO_SEED))
    sure = st.checkbox(t("data.reset_confirm"), key="data_reset_confirm")
    if st.button(t("data.reset"), disabled=not sure, key="data_reset"):
        with data.writing() as w:
            counts = build_demo(w, customers=data.DEMO_CUSTOMERS, seed=data.DEMO_SEED)
        st.session_state["data_flash"] = t("data.reset_done", customers=f"{counts['customers']:,}")
        fits.start_refits()
        st.rerun()
