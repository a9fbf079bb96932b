"""Data (数据): what is loaded, upload and import with validation first, the import log, reset."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.demo import build_demo
from analytics.io.importer import FileReadError, ImportValidationError, ImportWriteError, import_file
from analytics.io.preview import preview_file, target_options
from analytics.io.staging import discard, stage_upload
from ui import data, fits
from ui.format import plain, uploader_css
from ui.frame import require_frame
from ui.state import labeller, t

require_frame(__file__)

IGNORE, ATTRIBUTE = "__ignore__", "__attribute__"
con, version = data.cursor(), data.version()

st.title(t("data.title"))
if flash := st.session_state.pop("data_flash", None):
    st.success(flash)
counts = data.table_counts(con, version)
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
with right:
    st.subheader(t("data.log"))
    log = data.import_log(con, version)
    if log.empty:
        st.caption(t("data.log_empty"))
    else:
        log = log.drop(columns=["content_hash"]).assign(
            table_name=lambda d: d["table_name"].map(lambda v: t(f"table.{v}"))
        )
        st.dataframe(log.rename(columns=lambda c: t(f"log.{c}")), hide_index=True)

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
                format_func=lambda o: special.get(o, o),
            )
        if choice == IGNORE:
            mapping[header] = None
        elif choice != ATTRIBUTE:
            mapping[header] = choice
    scale = st.text_input(t("data.scale"), value="1-5", key="data_scale") if table == "surveys" else None
    strict = st.checkbox(t("data.strict"), key="data_strict")
    kwargs = dict(mapping=mapping, scale=scale, strict=strict, sheet=sheet, name=upload.name)

    def report(exc: Exception) -> None:
        if isinstance(exc, ImportValidationError):
            st.error(t("data.invalid", total=exc.total))
            st.code(str(exc), language=None)
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
                st.session_state["data_flash"] = t(
                    "data.imported",
                    file=plain(upload.name),
                    added=res["rows_added"],
                    updated=res["rows_updated"],
                    skipped=res["rows_skipped"],
                    created=res["customers_created"],
                    seconds=res["seconds"],
                )
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

with st.expander(t("data.reset")):
    st.caption(t("data.demo_note", customers=f"{data.DEMO_CUSTOMERS:,}", seed=data.DEMO_SEED))
    sure = st.checkbox(t("data.reset_confirm"), key="data_reset_confirm")
    if st.button(t("data.reset"), disabled=not sure, key="data_reset"):
        with data.writing() as w:
            counts = build_demo(w, customers=data.DEMO_CUSTOMERS, seed=data.DEMO_SEED)
        st.session_state["data_flash"] = t("data.reset_done", customers=f"{counts['customers']:,}")
        fits.start_refits()
        st.rerun()
