//! Flag groups and value types shared by several subcommands.

use crate::graph::KnowledgeGraph;
use crate::model::date::PartialDate;
use crate::query::filter::{Filter, FilterError, FilterSpec, TimeFilter};

/// Output format of commands that print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Aligned text for people
    Text,
    /// JSON for programs
    Json,
}

/// The filter flags of `path`, `neighbors`, `export` and `render`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Only relations of these types (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "TYPE,...")]
    pub types: Vec<String>,
    /// Only entities of these kinds (comma-separated); the endpoints of a path are always allowed
    #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
    pub kinds: Vec<String>,
    /// Never pass through these entities (ids or names, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "NODE,...")]
    pub exclude: Vec<String>,
    /// Only relations in force at DATE: started by then and not ended before it
    ///
    /// DATE is YYYY, YYYY-MM or YYYY-MM-DD and covers all its days, so `--as-of 1992` keeps a
    /// relation that started in 1992-08. A relation without `start` counts as always begun,
    /// one without `end` as never ended.
    #[arg(long, value_parser = parse_date, value_name = "DATE", conflicts_with = "between")]
    pub as_of: Option<PartialDate>,
    /// Only relations whose time span overlaps FROM..TO (either side may be left empty)
    #[arg(long, value_parser = TimeFilter::parse_between, value_name = "FROM..TO")]
    pub between: Option<TimeFilter>,
    /// Follow relations only from `from` to `to` (default: both ways)
    #[arg(long)]
    pub directed: bool,
}

fn parse_date(text: &str) -> Result<PartialDate, String> {
    PartialDate::parse(text).map_err(|err| err.to_string())
}

impl FilterArgs {
    /// Returns the flags as a library filter spec.
    #[must_use]
    pub fn spec(&self) -> FilterSpec {
        FilterSpec {
            rel_types: self.types.clone(),
            kinds: self.kinds.clone(),
            exclude: self.exclude.clone(),
            time: self.as_of.map(TimeFilter::AsOf).or(self.between),
            directed: self.directed,
        }
    }

    /// Resolves the flags against `kg`.
    ///
    /// # Errors
    /// An unknown type or kind, or an exclusion that names no single entity.
    pub fn filter(&self, kg: &KnowledgeGraph) -> Result<Filter, FilterError> {
        Filter::new(kg, &self.spec())
    }

    /// Returns a short description of the active filters for headlines, such as
    /// ` (as of 2024, types visited)`, or an empty string.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(time) = self.as_of.map(TimeFilter::AsOf).or(self.between) {
            parts.push(time.to_string());
        }
        if !self.types.is_empty() {
            parts.push(format!("types {}", self.types.join(",")));
        }
        if !self.kinds.is_empty() {
            parts.push(format!("kinds {}", self.kinds.join(",")));
        }
        if !self.exclude.is_empty() {
            parts.push(format!("excluding {}", self.exclude.join(",")));
        }
        if self.directed {
            parts.push("directed".to_owned());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join("; "))
        }
    }
}

/// The view flags of `export` and `render`: filters plus a neighbourhood.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ViewArgs {
    /// Filters on relations and entities.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Only what lies around this entity (id or exact name)
    #[arg(long, value_name = "NODE")]
    pub around: Option<String>,
    /// With --around, how many relations away to reach
    #[arg(long, default_value_t = 1, value_name = "N", requires = "around")]
    pub depth: usize,
}

impl ViewArgs {
    /// Returns the selected part of the graph.
    ///
    /// # Errors
    /// A filter or `--around` that does not fit the data.
    pub fn view(
        &self,
        ctx: &crate::cli::Ctx,
    ) -> Result<crate::view::Subgraph, crate::cli::error::CliError> {
        let kg = ctx.graph()?;
        let filter = self.filter.filter(kg)?;
        let around = match &self.around {
            Some(node) => Some((kg.resolve(node)?, self.depth)),
            None => None,
        };
        if around.is_none() && !filter.filters_relations() && !filter.filters_entities() {
            return Ok(crate::view::Subgraph::whole(kg));
        }
        let spec = crate::view::ViewSpec {
            filter,
            around,
            description: self
                .filter
                .describe()
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .to_owned(),
        };
        Ok(crate::view::Subgraph::select(kg, ctx.adjacency()?, &spec))
    }
}

/// Reads `--format NAME` into the library's [`crate::export::Format`], listing each format
/// with its summary in `--help` (the library keeps the one list of formats).
pub fn format_parser() -> impl clap::builder::TypedValueParser<Value = crate::export::Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(
        crate::export::Format::ALL.map(|f| PossibleValue::new(f.name()).help(f.summary())),
    )
    .map(|name| crate::export::Format::from_name(&name).expect("clap checked the name"))
}

/// Reads `--engine NAME` into the library's [`crate::render::Engine`].
pub fn engine_parser() -> impl clap::builder::TypedValueParser<Value = crate::render::Engine> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(
        crate::render::Engine::ALL.map(|e| PossibleValue::new(e.name()).help(e.summary())),
    )
    .map(|name| crate::render::Engine::from_name(&name).expect("clap checked the name"))
}

/// The metrics an export writes as attributes (`--metrics LIST`, or `none`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportMetrics(pub Vec<crate::analysis::Metric>);

impl ExportMetrics {
    /// Reads `--metrics LIST`: metric names, `all`, or `none`.
    ///
    /// # Errors
    /// An unknown name.
    pub fn parse(list: &str) -> Result<Self, String> {
        if list.trim().eq_ignore_ascii_case("none") {
            return Ok(ExportMetrics(Vec::new()));
        }
        crate::analysis::Metric::parse_list(list).map(ExportMetrics)
    }

    /// Computes the metrics on `view` (undirected, unweighted, the default seed) and puts
    /// them in the view for the exports to write.
    pub fn compute_into(
        &self,
        kg: &crate::graph::KnowledgeGraph,
        view: &mut crate::view::Subgraph,
    ) {
        if self.0.is_empty() {
            return;
        }
        let options = crate::analysis::MetricOptions {
            seed: crate::analysis::DEFAULT_SEED,
            ..crate::analysis::MetricOptions::default()
        };
        view.computed = crate::analysis::compute(kg, view, &self.0, &options).to_computed(kg);
    }
}
