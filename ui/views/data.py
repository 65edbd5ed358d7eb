"""Data — what is loaded (records per source, kind and year; institutions; unresolved names) and
uploading export files into the graph."""
import re
import shutil
import tempfile
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from graph import data_dir
from ui.components import data
from ui.components.i18n import name, t
from ui.components.panels import chart_panel, table_panel

UPLOADS = "uploads"      # under the data folder, which Streamlit never serves

st.title(t("data.title"))
counts = data.counts()
summary = data.data_summary()
left, middle, right, last = st.columns(4)
left.metric(t("data.papers"), f"{counts.get('nodes:Paper', 0):,}")
middle.metric(t("data.patents"), f"{counts.get('nodes:Patent', 0):,}")
right.metric(t("data.institutions"), f"{counts.get('nodes:Institution', 0):,}")
last.metric(t("data.countries"), f"{counts.get('nodes:Country', 0):,}")
st.caption(t("data.where", where=data.graph().description))

if summary.df.empty:
    st.info(t("data.empty"))
else:
    st.subheader(t("data.per_year"))
    view = summary.df.assign(year=summary.df["year"].astype("Int64").astype(str).replace("<NA>", "—"),
                             what=[f"{t(f'kind.{k}')} · {s}" for k, s in zip(summary.df["kind"], summary.df["source"])])
    chart = alt.Chart(view).mark_bar().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("records:Q", title=t("data.records"), stack=True),
        color=alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["what:N", "year:N", "records:Q", "demo:Q"]).properties(height=260)
    chart_panel("data-summary", chart, summary)

# Only the open tab runs: each table is a query over every institution, and the unresolved
# names' one counts every record link (seconds at a million records) for a tab few open.
tabs = st.tabs([t("data.tab_institutions"), t("data.tab_unresolved"), t("data.tab_upload")], key="data_tab",
               on_change="rerun")
with tabs[0]:
    if tabs[0].open:
        institutions = data.institution_list()
        table_panel("institutions", institutions, institutions.df.assign(
            name=[name(n, z) for n, z in zip(institutions.df["name"], institutions.df["name_zh"])]))
with tabs[1]:
    if tabs[1].open:
        st.caption(t("data.unresolved_help", file=str(data_dir() / "institution_aliases.csv")))
        table_panel("unresolved", data.unresolved())


def _safe_name(uploaded_name: str) -> str:
    """The uploaded file's own name, reduced to a harmless file name (no folders, no dot files)."""
    base = Path(uploaded_name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base).lstrip(".")
    return base or "export.txt"


def _load(files) -> None:
    folder = data_dir() / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="upload-", dir=folder))
    bar = st.progress(0.0, text=t("data.saving"))
    try:
        paths = []
        for i, uploaded in enumerate(files):
            path = work / f"{i:02d}-{_safe_name(uploaded.name)}"
            with open(path, "wb") as out:
                shutil.copyfileobj(uploaded, out, length=1024 * 1024)
            paths.append(path)
        done: dict[str, int] = {}

        def progress(path: str, records: int) -> None:
            done[path] = records
            position = [str(p) for p in paths].index(path) if path in map(str, paths) else 0
            bar.progress(min(1.0, (position + 0.5) / len(paths)),
                         text=t("data.loading", file=Path(path).name[3:], n=records))

        summary = data.load_files(paths, progress)
        bar.progress(1.0, text=t("data.loaded"))
    finally:
        shutil.rmtree(work, ignore_errors=True)    # the uploads never stay on disk
    rows = [{"file": Path(f.path).name[3:], "read": f.read, "new": f.new, "duplicate": f.duplicate,
             "skipped": sum(f.skipped.values()), "error": f.error or ""} for f in summary.files]
    st.session_state["load_summary"] = (pd.DataFrame(rows), summary.unresolved_institutions)


with tabs[2]:
    st.caption(t("data.upload_help"))
    files = st.file_uploader(t("data.upload"), accept_multiple_files=True, key="uploads")
    if st.button(t("data.load"), type="primary", disabled=not files, key="load"):
        _load(files)
    if "load_summary" in st.session_state:
        table, unresolved = st.session_state["load_summary"]
        if (table["error"] != "").any():
            st.error(t("data.load_errors"))
        else:
            st.success(t("data.load_ok", new=int(table["new"].sum()), read=int(table["read"].sum())))
        st.dataframe(table, hide_index=True, width="stretch", key="load-summary")
        if unresolved:
            st.caption(t("data.load_unresolved", n=unresolved))
