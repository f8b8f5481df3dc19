//! Exporters: a [`Subgraph`] written as DOT, GraphML, GEXF, node-link JSON, an openCypher
//! script, neo4j-admin import CSVs, Parquet tables, FollowTheMoney entities, or the explorer
//! page's data.
//!
//! Every writer escapes through the `escape` module, orders entities and relations by input order,
//! names relations `e<N>` by their input position, and writes nothing that depends on hash
//! order or the clock, so the same data gives the same bytes. Files are written atomically
//! (a temporary file in the target folder, then a rename).

pub(crate) mod atomic;
pub(crate) mod cypher;
pub mod dot;
pub(crate) mod escape;
pub(crate) mod explorer;
pub(crate) mod ftm;
pub(crate) mod gexf;
pub(crate) mod graphml;
pub mod index;
pub(crate) mod json;
pub(crate) mod neo4j;
pub(crate) mod parquet;
pub(crate) mod sink;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::graph::KnowledgeGraph;
use crate::model::entity::AttrDef;
use crate::model::store::AttrId;
use crate::model::value::{ColumnType, ScalarType, ValueRef};
use crate::view::Subgraph;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// GraphML, for Gephi, NetworkX, igraph and rustworkx.
    Graphml,
    /// GEXF 1.3, dynamic, for Gephi's timeline.
    Gexf,
    /// Node-link JSON (NetworkX `node_link_graph`).
    Json,
    /// An openCypher script (Neo4j, Memgraph, FalkorDB).
    Cypher,
    /// A folder of neo4j-admin import CSVs plus `import.sh`.
    Neo4j,
    /// A folder with `nodes.parquet` and `edges.parquet` (Spark, `DuckDB`, Polars).
    Parquet,
    /// `FollowTheMoney` entities, one JSON object per line.
    Ftm,
}

impl Format {
    /// Every format, in the order `build` writes them.
    pub const ALL: [Format; 8] = [
        Format::Dot,
        Format::Graphml,
        Format::Gexf,
        Format::Json,
        Format::Cypher,
        Format::Neo4j,
        Format::Parquet,
        Format::Ftm,
    ];

    /// Returns the name used by `--format`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Json => "json",
            Format::Cypher => "cypher",
            Format::Neo4j => "neo4j",
            Format::Parquet => "parquet",
            Format::Ftm => "ftm",
        }
    }

    /// Returns the format named `name` (as `--format` takes it).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Returns what the format is for, in a few words, for `--help`.
    #[must_use]
    pub fn summary(self) -> &'static str {
        match self {
            Format::Dot => "Graphviz DOT",
            Format::Graphml => "GraphML (NetworkX, igraph, rustworkx, Gephi)",
            Format::Gexf => "GEXF 1.3 with a timeline (Gephi)",
            Format::Json => "Node-link JSON (NetworkX `node_link_graph`)",
            Format::Cypher => "openCypher script (Neo4j, Memgraph, FalkorDB)",
            Format::Neo4j => "A folder of neo4j-admin import CSVs and import.sh",
            Format::Parquet => "A folder of Parquet node and edge tables (Spark, DuckDB, Polars)",
            Format::Ftm => "FollowTheMoney entities, one per line (OpenSanctions, Aleph, ftm)",
        }
    }

    /// Returns the file name `build` gives the format inside `out/`.
    #[must_use]
    pub fn build_name(self) -> &'static str {
        match self {
            Format::Dot => "graph.dot",
            Format::Graphml => "graph.graphml",
            Format::Gexf => "graph.gexf",
            Format::Json => "graph.json",
            Format::Cypher => "graph.cypher",
            Format::Neo4j => "neo4j",
            Format::Parquet => "parquet",
            Format::Ftm => "graph.ftm.json",
        }
    }

    /// Returns the file name extensions that mean the format (none for folders).
    #[must_use]
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Dot => &["dot", "gv"],
            Format::Graphml => &["graphml"],
            Format::Gexf => &["gexf"],
            Format::Json => &["json"],
            Format::Cypher => &["cypher", "cql"],
            Format::Ftm => &["ftm.json", "ijson"],
            Format::Neo4j | Format::Parquet => &[],
        }
    }

    /// Returns the format a file name's extension means (case ignored), if any.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        // `.ftm.json` before `.json`: the longest extension that fits wins.
        Format::ALL
            .into_iter()
            .flat_map(|format| format.extensions().iter().map(move |ext| (format, *ext)))
            .filter(|(_, ext)| {
                name.strip_suffix(ext)
                    .is_some_and(|stem| stem.len() > 1 && stem.ends_with('.'))
            })
            .max_by_key(|(_, ext)| ext.len())
            .map(|(format, _)| format)
    }

    /// Returns whether the format is a folder of files rather than one file.
    #[must_use]
    pub fn is_folder(self) -> bool {
        match self {
            Format::Neo4j | Format::Parquet => true,
            Format::Dot
            | Format::Graphml
            | Format::Gexf
            | Format::Json
            | Format::Cypher
            | Format::Ftm => false,
        }
    }

    /// Returns what the format is for, one line (the `index.html` table uses it).
    #[must_use]
    pub fn purpose(self) -> &'static str {
        match self {
            Format::Dot => {
                "every entity and relation as DOT, for Graphviz tools, pydot and Gephi (`ties render -o x.dot` gives the picture's source)"
            }
            Format::Graphml => {
                "GraphML for NetworkX, igraph, rustworkx, yEd and Gephi (GEXF is better for Gephi)"
            }
            Format::Gexf => {
                "GEXF 1.3 for Gephi: File ▸ Open, then Window ▸ Timeline to play the network's growth"
            }
            Format::Json => {
                "node-link JSON: networkx.node_link_graph(json.load(f)), or any JavaScript graph library"
            }
            Format::Cypher => {
                "openCypher script: cypher-shell -f graph.cypher (Neo4j); FalkorDB runs it too, `ties export --dialect falkordb|memgraph` writes theirs"
            }
            Format::Neo4j => "neo4j-admin import CSVs; run neo4j/import.sh to load a stopped Neo4j",
            Format::Parquet => {
                "nodes.parquet and edges.parquet: Spark GraphFrames, DuckDB, Polars, pandas (read_parquet)"
            }
            Format::Ftm => {
                "FollowTheMoney entities for OpenSanctions' and Aleph's tools: ftm validate, ftm export-excel, Aleph's ingest"
            }
        }
    }
}

/// Problems that did not stop an export, for the CLI to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Warnings(pub Vec<String>);

impl Warnings {
    /// Adds a warning unless the same text is already there.
    pub fn push(&mut self, warning: String) {
        if !self.0.contains(&warning) {
            self.0.push(warning);
        }
    }
}

/// Writes `format` to `path` (a file, or a folder for [`Format::Neo4j`]) atomically.
///
/// # Errors
/// I/O errors from creating or renaming the files.
pub fn export_to_path(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    format: Format,
    path: &Path,
) -> io::Result<Warnings> {
    let mut warnings = Warnings::default();
    match format {
        Format::Neo4j => neo4j::write_folder(kg, view, path, &mut warnings)?,
        Format::Parquet => parquet::write_folder(kg, view, path, &mut warnings)?,
        Format::Dot
        | Format::Graphml
        | Format::Gexf
        | Format::Json
        | Format::Cypher
        | Format::Ftm => {
            write_atomic(path, |out| export(kg, view, format, out, &mut warnings))?;
        }
    }
    Ok(warnings)
}

/// Writes a one-file `format` to `out`.
///
/// # Errors
/// I/O errors from `out`, or [`io::ErrorKind::InvalidInput`] for [`Format::Neo4j`], which is a
/// folder.
pub fn export(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    format: Format,
    out: &mut dyn Write,
    warnings: &mut Warnings,
) -> io::Result<()> {
    match format {
        Format::Dot => {
            out.write_all(dot::to_dot(kg, view, &dot::DotOptions::default(), warnings).as_bytes())
        }
        Format::Graphml => graphml::write(kg, view, out, warnings),
        Format::Gexf => gexf::write(kg, view, out, warnings),
        Format::Json => json::write(kg, view, out, warnings),
        Format::Cypher => cypher::write(kg, view, out, warnings),
        Format::Ftm => ftm::write(kg, view, out, warnings),
        Format::Neo4j | Format::Parquet => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the {} format is a folder of files; give a folder with -o, not -",
                format.name()
            ),
        )),
    }
}

pub use atomic::{set_readable, write_atomic};

/// An attribute column as a writer declares it: its id, output name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The attribute id in the catalog.
    pub attr: AttrId,
    /// The name in the output: the column name, or `attr_<name>` when it clashes with a
    /// name the format reserves.
    pub name: String,
    /// The declared type.
    pub column_type: ColumnType,
}

/// Returns the columns of `defs`, renaming those whose name (ignoring case) is in `reserved`
/// to `attr_<name>` with a warning.
///
/// A renamed column never takes a name that another column or a reserved name has: when
/// `attr_<name>` is taken it becomes `attr_<name>_2`, `_3`, and so on.
#[must_use]
pub fn columns(
    defs: &[AttrDef],
    reserved: &[&str],
    format: &str,
    warnings: &mut Warnings,
) -> Vec<Column> {
    let is_reserved = |name: &str| reserved.iter().any(|r| r.eq_ignore_ascii_case(name));
    let mut taken: std::collections::HashSet<String> =
        defs.iter().map(|def| def.name.clone()).collect();
    defs.iter()
        .enumerate()
        .map(|(i, def)| {
            let name = if is_reserved(&def.name) {
                let mut name = format!("attr_{}", def.name);
                let mut n = 1;
                while is_reserved(&name) || taken.contains(&name) {
                    n += 1;
                    name = format!("attr_{}_{n}", def.name);
                }
                taken.insert(name.clone());
                warnings.push(format!(
                    "{format}: column `{}` is a reserved name there; written as `{name}`",
                    def.name
                ));
                name
            } else {
                def.name.clone()
            };
            Column {
                attr: AttrId::try_from(i).expect("attribute ids fit u16"),
                name,
                column_type: def.column_type,
            }
        })
        .collect()
}

/// Returns the XML schema type GraphML and GEXF share for a column type: `long`, `double`,
/// `boolean` or `string` (dates and lists are written as text).
#[must_use]
pub fn xml_type(column_type: ColumnType) -> &'static str {
    if column_type.is_list {
        return "string";
    }
    match column_type.scalar {
        ScalarType::String | ScalarType::Date => "string",
        ScalarType::Int => "long",
        ScalarType::Float => "double",
        ScalarType::Bool => "boolean",
    }
}

/// Returns the view's entities grouped by kind (kinds in catalog order, entities in input
/// order), for formats that write one block or file per kind.
#[must_use]
pub fn by_kind(kg: &KnowledgeGraph, view: &Subgraph) -> BTreeMap<u16, Vec<NodeIndex>> {
    let mut groups: BTreeMap<u16, Vec<NodeIndex>> = BTreeMap::new();
    for &node in &view.nodes {
        groups.entry(kg.entity(node).kind).or_default().push(node);
    }
    groups
}

/// Returns the view's relations grouped by type (types in catalog order, relations in input
/// order), for formats that write one block or file per type.
#[must_use]
pub fn by_type(kg: &KnowledgeGraph, view: &Subgraph) -> BTreeMap<u16, Vec<EdgeIndex>> {
    let mut groups: BTreeMap<u16, Vec<EdgeIndex>> = BTreeMap::new();
    for &edge in &view.edges {
        groups
            .entry(kg.relation(edge).rel_type)
            .or_default()
            .push(edge);
    }
    groups
}

/// Returns the entity and relation attribute columns of `view` for one format: the data's
/// columns, then (for entities) the view's computed ones, each renamed where it clashes with
/// that format's reserved names (see [`columns`]). A computed column named like a data
/// column is written as `ties_<name>`.
#[must_use]
pub fn attribute_columns(
    kg: &KnowledgeGraph,
    view: &Subgraph,
    (entity_reserved, relation_reserved): (&[&str], &[&str]),
    format: &str,
    warnings: &mut Warnings,
) -> (Vec<Column>, Vec<Column>) {
    let mut entity_defs = kg.catalog.entity_attrs.clone();
    for computed in &view.computed.columns {
        let mut name = computed.name.clone();
        if entity_defs
            .iter()
            .any(|def| def.name.eq_ignore_ascii_case(&name))
        {
            name = format!("ties_{name}");
            warnings.push(format!(
                "{format}: the data has a column `{}`; the computed one is written as `{name}`",
                computed.name
            ));
        }
        entity_defs.push(AttrDef {
            name,
            column_type: computed.column_type(),
        });
    }
    (
        columns(&entity_defs, entity_reserved, format, warnings),
        columns(
            &kg.catalog.relation_attrs,
            relation_reserved,
            format,
            warnings,
        ),
    )
}

/// Returns an entity's attributes for the columns of [`attribute_columns`]: its cells in
/// the data, then its computed values.
pub fn entity_cells<'a>(
    kg: &'a KnowledgeGraph,
    view: &'a Subgraph,
    node: NodeIndex,
) -> impl Iterator<Item = (AttrId, ValueRef<'a>)> + 'a {
    let first = kg.catalog.entity_attrs.len();
    kg.catalog
        .entity_cells(kg.entity(node))
        .chain(
            view.computed
                .columns
                .iter()
                .enumerate()
                .map(move |(i, column)| {
                    (
                        AttrId::try_from(first + i).expect("attribute ids fit u16"),
                        column.value(node),
                    )
                }),
        )
}

/// Every entity's id escaped once for one format, packed in one buffer.
///
/// Writing a relation looks up its two endpoints' ids at random. Through the graph that is
/// the node array (48 bytes an entity) and then the text store, two cache misses each; packed
/// here, a million ids take about 16 MB and stay in the CPU cache, which made the GraphML
/// writer on 5M relations several seconds faster.
pub(crate) struct EscapedIds {
    ends: Vec<usize>,
    text: String,
    /// What the escape returned for each id (whether it needed a special escape).
    flags: Vec<bool>,
}

impl EscapedIds {
    /// Escapes the id of every entity of `kg` (in graph order) with `escape`, which appends
    /// the escaped form of the id (its second argument) to its third and returns a flag kept for
    /// [`EscapedIds::flag`].
    pub(crate) fn new(
        kg: &KnowledgeGraph,
        mut escape: impl FnMut(NodeIndex, &str, &mut Vec<u8>) -> bool,
    ) -> Self {
        let count = kg.entity_count();
        let mut ends = Vec::with_capacity(count);
        let mut flags = Vec::with_capacity(count);
        let mut bytes = Vec::new();
        for node in kg.node_indices() {
            flags.push(escape(node, kg.id(node), &mut bytes));
            ends.push(bytes.len());
        }
        // Escapes append whole characters: checked once here, not at every lookup.
        let text = String::from_utf8(bytes).expect("escapes write UTF-8");
        EscapedIds { ends, text, flags }
    }

    /// Returns what the escape returned for the id of `node`.
    #[inline]
    pub(crate) fn flag(&self, node: NodeIndex) -> bool {
        self.flags[node.index()]
    }

    /// Returns the escaped id of `node`.
    #[inline]
    pub(crate) fn get(&self, node: NodeIndex) -> &[u8] {
        self.get_str(node).as_bytes()
    }

    /// Returns the escaped id of `node` as text.
    #[inline]
    pub(crate) fn get_str(&self, node: NodeIndex) -> &str {
        let index = node.index();
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start..self.ends[index]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_columns_are_renamed_with_a_warning() {
        let defs = vec![
            AttrDef {
                name: "Label".into(),
                column_type: ColumnType::STRING,
            },
            AttrDef {
                name: "born".into(),
                column_type: ColumnType::scalar(ScalarType::Int),
            },
        ];
        let mut warnings = Warnings::default();
        let cols = columns(&defs, &["label", "x"], "GraphML", &mut warnings);
        assert_eq!(cols[0].name, "attr_Label");
        assert_eq!(cols[1].name, "born");
        assert_eq!(warnings.0.len(), 1);
    }

    #[test]
    fn renaming_never_takes_a_name_another_column_has() {
        let def = |name: &str| AttrDef {
            name: name.into(),
            column_type: ColumnType::STRING,
        };
        let defs = vec![def("source"), def("attr_source"), def("attr_source_2")];
        let mut warnings = Warnings::default();
        let names: Vec<String> = columns(&defs, &["source"], "JSON", &mut warnings)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["attr_source_3", "attr_source", "attr_source_2"]);
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/x.txt");
        write_atomic(&path, |out| out.write_all(b"one")).unwrap();
        write_atomic(&path, |out| out.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let failed = write_atomic(&path, |_| Err(io::Error::other("boom")));
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "two",
            "a failed write leaves the old file"
        );
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
