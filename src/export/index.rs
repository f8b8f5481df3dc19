//! `index.html`: the page `ties build` writes beside its outputs.
//!
//! It opens on the explorer (the graph drawn on a canvas by the page's own script from data
//! embedded in the page, with an overview of communities for large graphs, search, an entity
//! panel, filters by kind, type and time, paths with their evidence and a focus; see the
//! `explorer` module), then the saved questions' answers as sortable tables, the
//! diagrams at their natural size in scrollable frames (as `<object>`s that load the SVG files,
//! so no SVG markup is inlined and their tooltips work), and
//! a table of every file with its size and how to open it. All text is escaped through
//! the `escape` module's `html`; file names are also percent-encoded in links.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::export::escape::html;

/// Turns `code` spans of already escaped text into `<code>` elements.
fn with_code(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    for (i, piece) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{piece}</code>");
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// One file in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// The path relative to the page.
    pub name: String,
    /// Its size in bytes (for a folder, of its files).
    pub bytes: u64,
    /// What it is for.
    pub purpose: String,
}

/// One diagram on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// The SVG path relative to the page.
    pub file: String,
    /// What it shows.
    pub caption: String,
}

/// One saved query on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryEntry {
    /// The question its first comment line asks.
    pub question: String,
    /// The file name stem.
    pub name: String,
    /// How many rows it returned.
    pub rows: usize,
    /// The answer's column names.
    pub columns: Vec<String>,
    /// The answer's cells as text (at most [`TABLE_ROWS`] rows are shown).
    pub table: Vec<Vec<String>>,
    /// Its result files, relative to the page.
    pub files: Vec<String>,
    /// Its diagram, relative to the page, when the results hold entities.
    pub diagram: Option<String>,
    /// Why it gave no answer, when it failed.
    pub error: Option<String>,
}

impl QueryEntry {
    /// Returns the entry of a query that failed with `error`.
    #[must_use]
    pub fn failed(question: String, name: String, error: String) -> Self {
        QueryEntry {
            question,
            name,
            rows: 0,
            columns: Vec::new(),
            table: Vec::new(),
            files: Vec::new(),
            diagram: None,
            error: Some(error),
        }
    }
}

/// Rows of a saved answer shown on the page; the files hold all of them.
pub const TABLE_ROWS: usize = 500;

/// What the page shows.
#[derive(Debug)]
pub struct IndexPage<'g> {
    /// The explorer's graph, when the page has one.
    pub explorer: Option<crate::export::explorer::ExplorerGraph<'g>>,
    /// Why the explorer shows what it shows (or is missing), when that needs saying.
    pub explorer_note: Option<String>,
    /// The headline.
    pub title: String,
    /// A one-line summary (counts).
    pub summary: String,
    /// Diagrams, in order.
    pub diagrams: Vec<Diagram>,
    /// Files, in order.
    pub files: Vec<FileEntry>,
    /// Saved queries with their answers.
    pub queries: Vec<QueryEntry>,
}

/// Returns the size of a file, or of the files in a folder (0 when it cannot be read).
#[must_use]
pub fn size_on_disk(path: &std::path::Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::read_dir(path).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| size_on_disk(&e.path()))
                .sum()
        }),
        Ok(meta) => meta.len(),
        Err(_) => 0,
    }
}

/// Returns a size as people read it: `812 B`, `14.2 KB`, `3.1 MB`.
#[must_use]
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut divisor = 1024u64;
    let mut unit = 0;
    while bytes >= divisor * 1024 && unit < UNITS.len() - 1 {
        divisor *= 1024;
        unit += 1;
    }
    let tenths = u128::from(bytes) * 10 / u128::from(divisor);
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

fn link(name: &str) -> String {
    let mut out = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_./".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Writes the page.
///
/// # Errors
/// I/O errors from `out`.
pub fn write(page: &IndexPage<'_>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, r#"<html lang="en"><head><meta charset="utf-8">"#)?;
    writeln!(out, "<title>{}</title>", html(&page.title))?;
    writeln!(out, "<style>{}</style>", crate::export::explorer::APP_CSS)?;
    writeln!(out, "</head><body>")?;
    writeln!(out, "<header><h1>{}</h1>", html(&page.title))?;
    writeln!(out, "<p>{}</p></header>", html(&page.summary))?;
    if let Some(note) = &page.explorer_note {
        writeln!(out, r#"<p class="note">{}</p>"#, with_code(&html(note)))?;
    }
    if page.explorer.is_some() {
        writeln!(out, "{EXPLORER_HTML}")?;
    }
    if !page.queries.is_empty() {
        writeln!(out, r#"<section id="questions"><h2>Saved questions</h2>"#)?;
        for query in &page.queries {
            let links: Vec<String> = query
                .files
                .iter()
                .chain(&query.diagram)
                .map(|f| {
                    format!(
                        r#"<a href="{}">{}</a>"#,
                        html(&link(f)),
                        html(f.rsplit('.').next().unwrap_or(f))
                    )
                })
                .collect();
            let rows = match &query.error {
                Some(_) => "failed".to_owned(),
                None => format!(
                    "{} row{}",
                    query.rows,
                    if query.rows == 1 { "" } else { "s" }
                ),
            };
            writeln!(
                out,
                r#"<details class="question" data-name="{}"><summary>{} <span class="rows">{}</span></summary>"#,
                html(&query.name),
                html(&query.question),
                rows
            )?;
            if let Some(error) = &query.error {
                writeln!(
                    out,
                    r#"<p><code>queries/{}.cypher</code> did not run:</p><pre class="error">{}</pre></details>"#,
                    html(&query.name),
                    html(error)
                )?;
                continue;
            }
            writeln!(
                out,
                "<p><code>queries/{}.cypher</code> · {}</p>",
                html(&query.name),
                links.join(" · ")
            )?;
            write!(out, r#"<table class="answer sortable"><thead><tr>"#)?;
            for column in &query.columns {
                write!(out, "<th>{}</th>", html(column))?;
            }
            writeln!(out, "</tr></thead><tbody>")?;
            for row in query.table.iter().take(TABLE_ROWS) {
                write!(out, "<tr>")?;
                for cell in row {
                    write!(out, "<td>{}</td>", html(cell))?;
                }
                writeln!(out, "</tr>")?;
            }
            writeln!(out, "</tbody></table>")?;
            if query.table.len() > TABLE_ROWS {
                writeln!(
                    out,
                    "<p>The first {TABLE_ROWS} of {} rows; the files hold them all.</p>",
                    query.table.len()
                )?;
            }
            if let Some(file) = &query.diagram {
                writeln!(
                    out,
                    r#"<figure><div class="frame"><object data="{0}" type="image/svg+xml"><a href="{0}">{1}</a></object></div></figure>"#,
                    html(&link(file)),
                    html(&query.question)
                )?;
            }
            writeln!(out, "</details>")?;
        }
        writeln!(out, "</section>")?;
    }
    for diagram in &page.diagrams {
        writeln!(
            out,
            r#"<figure><div class="frame"><object data="{0}" type="image/svg+xml"><a href="{0}">{1}</a></object></div><figcaption>{1} · <a href="{0}">open alone</a></figcaption></figure>"#,
            html(&link(&diagram.file)),
            html(&diagram.caption)
        )?;
    }
    // A page without files (the one `ties serve --http` gives) has nothing to open elsewhere.
    if !page.files.is_empty() {
        writeln!(out, "<h2>Files</h2>")?;
        writeln!(
            out,
            "<table><tr><th>file</th><th>size</th><th>what it is for</th></tr>"
        )?;
        for file in &page.files {
            writeln!(
                out,
                r#"<tr><td><a href="{}">{}</a></td><td class="size">{}</td><td>{}</td></tr>"#,
                html(&link(&file.name)),
                html(&file.name),
                html(&human_size(file.bytes)),
                with_code(&html(&file.purpose))
            )?;
        }
        writeln!(out, "</table>")?;
        writeln!(out, "<h2>Open it in Gephi</h2>")?;
        writeln!(
            out,
            "<ol><li>File ▸ Open <code>graph.gexf</code>; in the import report keep “directed” and choose \
             <em>Don’t merge</em> for parallel edges if Gephi asks.</li>\
             <li>Window ▸ Timeline, then Enable Timeline: relations appear at their start date and leave at \
             their end date; press play to watch the network grow since its first dated relation.</li>\
             <li>Appearance ▸ Nodes ▸ Partition ▸ <code>kind</code> colours by kind (the file already carries \
             each kind’s colour); Edges ▸ Partition ▸ <code>type</code> colours relations by type.</li></ol>"
        )?;
        writeln!(out, "<h2>Move it into a graph database</h2>")?;
        writeln!(
            out,
            "<p>Neo4j, empty database: <code>cypher-shell -f graph.cypher</code>. Large graphs: stop Neo4j and \
             run <code>neo4j/import.sh</code> (neo4j-admin import). FalkorDB runs <code>graph.cypher</code> \
             too; <code>ties export --dialect falkordb -o graph.cypher</code> writes one it loads several \
             times faster, and <code>--dialect memgraph</code> one for Memgraph.</p>"
        )?;
    }
    if let Some(graph) = &page.explorer {
        write!(out, r#"<script type="application/json" id="ties-data">"#)?;
        crate::export::explorer::write_json(graph, out)?;
        writeln!(out, "</script>")?;
    }
    // The app also makes the answer tables sortable when there is no graph.
    writeln!(
        out,
        "<script>{}</script>",
        crate::export::explorer::RULES_JS
    )?;
    writeln!(out, "<script>{}</script>", crate::export::explorer::APP_JS)?;
    writeln!(out, "</body></html>")
}

/// The explorer's controls, panel and canvas; `app.js` fills and drives them.
const EXPLORER_HTML: &str = r#"<section id="explorer">
<aside id="controls">
<label for="search">Search</label><input id="search" type="search" placeholder="name or id" autocomplete="off">
<ul id="hits" class="hits"></ul>
<fieldset id="cypher" hidden><legend>Cypher</legend>
<textarea id="cypher-text" rows="3" spellcheck="false" placeholder="MATCH (p:people)-[v:visited]->(c) RETURN p, v, c"></textarea>
<button id="cypher-go" type="button">run</button>
<div id="cypher-result"></div></fieldset>
<fieldset><legend>Time</legend>
<label><input type="radio" name="time" value="all" checked> all</label>
<label><input type="radio" name="time" value="asof"> as of</label>
<label><input type="radio" name="time" value="between"> between</label>
<div id="time-controls"><input id="date-from" type="range"><input id="date-to" type="range"><output id="date-label"></output>
<button id="play" type="button">▶ play</button></div></fieldset>
<fieldset><legend>Kinds</legend><div id="kinds"></div></fieldset>
<fieldset><legend>Relation types</legend><div id="types"></div></fieldset>
<fieldset><legend>Path</legend>
<input id="path-from" placeholder="from (name or id)" autocomplete="off"><ul id="path-from-hits" class="hits"></ul>
<input id="path-to" placeholder="to (name or id)" autocomplete="off"><ul id="path-to-hits" class="hits"></ul>
<label><input id="path-all" type="checkbox"> all shortest</label>
<label title="each relation in force no earlier than the one before"><input id="path-chronological" type="checkbox"> in time order</label>
<button id="path-go" type="button">find</button><button id="path-clear" type="button">clear</button>
<div id="path-result"></div></fieldset>
<fieldset><legend>Focus</legend>
<label>depth <input id="focus-depth" type="number" min="1" max="6" value="1"></label>
<button id="focus-go" type="button">around the selected</button><button id="focus-clear" type="button">whole view</button></fieldset>
<fieldset id="look" hidden><legend>Look</legend>
<label>size by <select id="size-by"><option value="degree">neighbours</option><option value="pagerank">PageRank</option></select></label>
<label>colour by <select id="colour-by"><option value="kind">kind</option><option value="community">community</option></select></label></fieldset>
<fieldset><legend>Picture</legend><button id="export-svg" type="button">SVG</button><button id="export-png" type="button">PNG</button></fieldset>
</aside>
<div id="graph"><div id="status"></div></div>
<aside id="panel"><p class="hint">Click an entity or a relation.</p></aside>
</section>
<section id="legend"></section>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(14_540), "14.1 KB");
        assert_eq!(human_size(3 * 1024 * 1024 + 200_000), "3.1 MB");
    }

    #[test]
    fn page_text_is_escaped() {
        let page = IndexPage {
            explorer: None,
            explorer_note: Some("`a` <b>".into()),
            title: "<script>alert(1)</script>".into(),
            summary: "a & b".into(),
            diagrams: vec![Diagram {
                file: "x\".svg".into(),
                caption: "<b>".into(),
            }],
            files: vec![FileEntry {
                name: "graph.gexf".into(),
                bytes: 10,
                purpose: "\"quoted\"".into(),
            }],
            queries: vec![QueryEntry {
                question: "Who <b>visited</b>?".into(),
                name: "v".into(),
                rows: 2,
                columns: vec!["<th>".into()],
                table: vec![vec!["<td>".into()]],
                files: vec!["queries/v.txt".into()],
                diagram: Some("queries/v.svg".into()),
                error: None,
            }],
        };
        let mut out = Vec::new();
        write(&page, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("<script>alert"));
        assert!(text.contains("&lt;script&gt;"));
        assert!(text.contains(r#"data="x%22.svg""#));
        assert!(text.contains("Who &lt;b&gt;visited&lt;/b&gt;?"));
        assert!(text.contains("<th>&lt;th&gt;</th>") && text.contains("<td>&lt;td&gt;</td>"));
        assert!(text.contains("<code>a</code> &lt;b&gt;"));
    }
}
