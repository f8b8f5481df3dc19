//! `ties stats`: counts, components, the best-connected and the isolated entities; with
//! `--metrics`, network analysis of a view.

use std::io::Write;

use crate::analysis::{
    DEFAULT_SEED, EXACT_LIMIT, Metric, MetricOptions, MetricTable, Values, compute,
};
use crate::cli::Ctx;
use crate::cli::args::ViewArgs;
use crate::cli::error::{CliError, Outcome};
use crate::graph::KnowledgeGraph;
use crate::query::stats::{Count, stats};

/// Output formats of `ties stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// Aligned text for people
    Text,
    /// JSON for programs
    Json,
    /// One row per entity (with --metrics)
    Csv,
}

/// Print counts, connected components and the most connected entities; with --metrics,
/// centrality, communities and cores
///
/// Components are weakly connected (relation direction ignored). Degree counts relations in
/// and out. --metrics LIST (degree, pagerank, betweenness, closeness, eigenvector, components,
/// kcore, communities, or all) computes each entity's metrics on a view (the view flags
/// select it), undirected unless --directed, parallel relations once unless --weighted; text
/// lists the top entities per metric, json and csv every entity. docs/metrics.md defines each.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = StatsFormat::Text)]
    pub format: StatsFormat,
    /// How many top entities (per metric with --metrics) and isolated entities to list
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Metrics to compute, comma-separated, or `all`
    #[arg(long, value_name = "LIST", value_parser = parse_metrics)]
    pub metrics: Option<MetricList>,
    /// Use `weight`: as strength for PageRank, eigenvector and communities, as length for
    /// betweenness and closeness; parallel relations add up
    #[arg(long)]
    pub weighted: bool,
    /// Betweenness and closeness from N sampled sources [default: exact up to 20,000
    /// entities, else 256]
    #[arg(long, value_name = "N")]
    pub samples: Option<usize>,
    /// Seed of sampled sources and of Louvain's visiting order
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// What --metrics measures.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// The metrics of one `--metrics` flag (a newtype: clap would read a `Vec` as many flags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricList(pub Vec<Metric>);

/// Reads `--metrics LIST`.
///
/// # Errors
/// An unknown name, or an empty list.
pub fn parse_metrics(list: &str) -> Result<MetricList, String> {
    let metrics = Metric::parse_list(list)?;
    if metrics.is_empty() {
        return Err("name at least one metric, or all".to_owned());
    }
    Ok(MetricList(metrics))
}

/// Runs `ties stats`.
pub fn run(ctx: &Ctx, args: &StatsArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if let Some(MetricList(metrics)) = &args.metrics {
        return run_metrics(ctx, args, metrics, out);
    }
    if args.format == StatsFormat::Csv {
        return Err(CliError::Usage(
            "--format csv lists entities: use it with --metrics".to_owned(),
        ));
    }
    let kg = ctx.graph()?;
    let stats = stats(kg, args.top);
    if args.format == StatsFormat::Json {
        serde_json::to_writer_pretty(&mut *out, &stats).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Done);
    }
    writeln!(
        out,
        "{} entities, {} relations",
        stats.entities, stats.relations
    )?;
    if let (Some(first), Some(last)) = (&stats.first_date, &stats.last_date) {
        writeln!(out, "dated from {first} to {last}")?;
    }
    writeln!(
        out,
        "{} weakly connected component{}, the largest with {} entities",
        stats.components,
        if stats.components == 1 { "" } else { "s" },
        stats.largest_component
    )?;
    write_counts(
        out,
        ("entities by kind", &stats.kinds),
        ("relations by type", &stats.rel_types),
    )?;
    writeln!(out, "\nmost connected")?;
    let id_width = stats
        .top_degree
        .iter()
        .map(|d| d.id.chars().count())
        .max()
        .unwrap_or(0);
    for entry in &stats.top_degree {
        writeln!(
            out,
            "  {:>5}  {:id_width$}  {}",
            entry.degree, entry.id, entry.name
        )?;
    }
    writeln!(out, "\nisolated: {}", stats.isolated_count)?;
    for id in &stats.isolated {
        writeln!(out, "  {id}")?;
    }
    if stats.isolated_count > stats.isolated.len() {
        writeln!(
            out,
            "  ... and {} more",
            stats.isolated_count - stats.isolated.len()
        )?;
    }
    Ok(Outcome::Done)
}

/// Writes the kind and type counts as two aligned tables (`check` and `stats` share them).
pub fn write_counts(
    out: &mut dyn Write,
    (kinds_title, kinds): (&str, &[Count]),
    (types_title, rel_types): (&str, &[Count]),
) -> std::io::Result<()> {
    let width = kinds
        .iter()
        .chain(rel_types)
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    for (title, counts) in [(kinds_title, kinds), (types_title, rel_types)] {
        writeln!(out, "\n{title}")?;
        for count in counts {
            writeln!(out, "  {:width$}  {:>9}", count.name, count.count)?;
        }
    }
    Ok(())
}

fn run_metrics(
    ctx: &Ctx,
    args: &StatsArgs,
    metrics: &[Metric],
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let kg = ctx.graph()?;
    let view = args.view.view(ctx)?;
    let options = MetricOptions {
        directed: args.view.filter.directed,
        weighted: args.weighted,
        samples: args.samples,
        seed: args.seed,
    };
    let table = compute(kg, &view, metrics, &options);
    match args.format {
        StatsFormat::Json => write_metrics_json(kg, &view, &options, &table, out)?,
        StatsFormat::Csv => write_metrics_csv(kg, &table, out)?,
        StatsFormat::Text => write_metrics_text(kg, &view, &options, &table, args.top, out)?,
    }
    Ok(Outcome::Done)
}

fn value_json(values: &Values, i: usize) -> serde_json::Value {
    match values {
        Values::Int(v) => serde_json::json!(v[i]),
        Values::Float(v) => serde_json::json!(v[i]),
    }
}

fn write_metrics_json(
    kg: &KnowledgeGraph,
    view: &crate::view::Subgraph,
    options: &MetricOptions,
    table: &MetricTable,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let summary = &table.summary;
    let mut graph = serde_json::Map::new();
    graph.insert("view".into(), view.title.clone().into());
    graph.insert("entities".into(), summary.entities.into());
    graph.insert("relations".into(), view.edges.len().into());
    graph.insert("links".into(), summary.links.into());
    graph.insert("directed".into(), options.directed.into());
    graph.insert("weighted".into(), options.weighted.into());
    if let Some(count) = summary.components {
        graph.insert("components".into(), count.into());
    }
    if let (Some(count), Some(q)) = (summary.communities, summary.modularity) {
        graph.insert("communities".into(), count.into());
        graph.insert("modularity".into(), q.into());
        graph.insert("seed".into(), options.seed.into());
    }
    for (key, iterations) in [
        ("pagerank", summary.pagerank_iterations),
        ("eigenvector", summary.eigenvector_iterations),
    ] {
        if let Some((iterations, converged)) = iterations {
            graph.insert(format!("{key}_iterations"), iterations.into());
            graph.insert(format!("{key}_converged"), converged.into());
        }
    }
    if let Some(sample) = summary.sample {
        graph.insert("betweenness_sources".into(), sample.sources.into());
        graph.insert("betweenness_error_bound".into(), sample.error_bound.into());
    }
    // One entity per line, streamed: a million entities never make one JSON tree.
    write!(out, "{{\"graph\": ")?;
    serde_json::to_writer(&mut *out, &graph).map_err(std::io::Error::from)?;
    write!(out, ",\n \"entities\": [")?;
    for (i, &node) in table.nodes.iter().enumerate() {
        let mut entity = serde_json::Map::new();
        entity.insert("id".into(), kg.id(node).into());
        entity.insert("name".into(), kg.name(node).into());
        entity.insert("kind".into(), kg.kind(node).into());
        for (metric, values) in &table.columns {
            entity.insert(metric.column().into(), value_json(values, i));
        }
        write!(out, "{}\n  ", if i == 0 { "" } else { "," })?;
        serde_json::to_writer(&mut *out, &entity).map_err(std::io::Error::from)?;
    }
    writeln!(out, "\n]}}")
}

fn write_metrics_csv(
    kg: &KnowledgeGraph,
    table: &MetricTable,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    let mut header = vec!["id", "name", "kind"];
    header.extend(table.columns.iter().map(|(m, _)| m.column()));
    csv.write_record(&header)?;
    for (i, &node) in table.nodes.iter().enumerate() {
        csv.write_field(kg.id(node))?;
        csv.write_field(kg.name(node))?;
        csv.write_field(kg.kind(node))?;
        for (_, values) in &table.columns {
            match values {
                Values::Int(v) => csv.write_field(v[i].to_string())?,
                Values::Float(v) => csv.write_field(v[i].to_string())?,
            }
        }
        csv.write_record(None::<&[u8]>)?;
    }
    csv.flush()
}

fn write_metrics_text(
    kg: &KnowledgeGraph,
    view: &crate::view::Subgraph,
    options: &MetricOptions,
    table: &MetricTable,
    top: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let summary = &table.summary;
    writeln!(
        out,
        "{}: {} entities, {} links between them ({}{}, parallel relations {})",
        view.title,
        summary.entities,
        summary.links,
        if options.directed {
            "directed"
        } else {
            "undirected"
        },
        if options.weighted { ", weighted" } else { "" },
        if options.weighted { "add up" } else { "once" }
    )?;
    if let Some(count) = summary.components {
        writeln!(out, "{count} weakly connected component{}", plural(count))?;
    }
    if let (Some(count), Some(q)) = (summary.communities, summary.modularity) {
        writeln!(
            out,
            "{count} communit{} (Louvain, seed {}), modularity {q:.3}",
            if count == 1 { "y" } else { "ies" },
            options.seed
        )?;
    }
    for (name, iterations) in [
        ("PageRank", summary.pagerank_iterations),
        ("eigenvector centrality", summary.eigenvector_iterations),
    ] {
        if let Some((iterations, false)) = iterations {
            writeln!(
                out,
                "warning: {name} did not converge in {iterations} iterations (a graph without \
                 cycles has no stable eigenvector); its values are the last iteration's"
            )?;
        }
    }
    if let Some(sample) = summary.sample {
        writeln!(
            out,
            "betweenness and closeness estimated from {} sampled sources (exact up to {EXACT_LIMIT}              entities): each betweenness within {:.3} of its exact value with 95% probability",
            sample.sources, sample.error_bound
        )?;
    }
    for (metric, values) in &table.columns {
        if matches!(metric, Metric::Components | Metric::Communities) {
            write_groups(kg, *metric, values, table, top, out)?;
            continue;
        }
        let mut order: Vec<usize> = (0..table.nodes.len()).collect();
        let key = |i: usize| match values {
            #[allow(clippy::cast_precision_loss)]
            Values::Int(v) => v[i] as f64,
            Values::Float(v) => v[i],
        };
        order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
        writeln!(out, "\ntop {} by {metric}", top.min(order.len()))?;
        for &i in order.iter().take(top) {
            let node = table.nodes[i];
            let value = match values {
                Values::Int(v) => v[i].to_string(),
                Values::Float(v) => format!("{:.4}", v[i]),
            };
            writeln!(out, "  {value:>8}  {}  ({})", kg.name(node), kg.id(node))?;
        }
    }
    Ok(())
}

/// The largest groups (components or communities), each with its best-connected members.
fn write_groups(
    kg: &KnowledgeGraph,
    metric: Metric,
    values: &Values,
    table: &MetricTable,
    top: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let Values::Int(labels) = values else {
        return Ok(());
    };
    let count = labels.iter().copied().max().map_or(0, |m| m + 1);
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, &label) in labels.iter().enumerate() {
        members[usize::try_from(label).unwrap_or(0)].push(i);
    }
    let degree = |i: usize| kg.degree(table.nodes[i]);
    let what = if metric == Metric::Components {
        "components"
    } else {
        "communities"
    };
    writeln!(out, "\nlargest {what}")?;
    for (label, group) in members.iter().enumerate().take(top) {
        let mut shown = group.clone();
        shown.sort_by_cached_key(|&i| (std::cmp::Reverse(degree(i)), i));
        let names: Vec<&str> = shown
            .iter()
            .take(4)
            .map(|&i| kg.name(table.nodes[i]))
            .collect();
        let more = if group.len() > names.len() {
            ", …"
        } else {
            ""
        };
        writeln!(
            out,
            "  {label:>3}  {:>6} entit{}  {}{more}",
            group.len(),
            if group.len() == 1 { "y" } else { "ies" },
            names.join(", ")
        )?;
    }
    Ok(())
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
