//! The command line: argument parsing, dispatch, and the only code that touches the terminal.
//!
//! Subcommands write to the `&mut dyn Write` they are given; [`main`] owns stdout and stderr,
//! turns errors into messages and exit codes (see `error.rs`) and treats a closed pipe as
//! success.

mod args;
pub(crate) mod build;
mod check;
mod error;
mod export;
mod find;
mod import;
mod neighbors;
mod path;
mod query;
mod render;
mod schema;
mod serve;
mod show;
mod stats;
mod wire;

use std::cell::{OnceCell, RefCell};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread::JoinHandle;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::graph::KnowledgeGraph;
use crate::graph::adjacency::Adjacency;
use crate::graph::snapshot::{self, Cache, Inputs, Opened};
use crate::load::{Progress, load_dir_with};
use error::{CliError, Outcome};

/// Turn tables of who-is-connected-to-what into a knowledge graph you can question and draw
#[derive(Debug, Parser)]
#[command(name = "ties", version, propagate_version = true)]
pub struct Cli {
    /// Data dir with entities/, relations/ and an optional ties.toml [default: ./data, else
    /// the current folder when it holds entities/ or relations/]
    #[arg(long, global = true, env = "TIES_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// No progress bar and no warnings on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The encoding of CSV files that are not UTF-8 (windows-1252, iso-8859-2, ...), as
    /// `encoding` in ties.toml says it [default: UTF-8]
    #[arg(long, global = true, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Keep the graph's snapshot in DIR, whatever the size of the data [default: .ties/ in the
    /// data folder, for data of 1 MiB or more]
    #[arg(long, global = true, env = "TIES_CACHE", value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Neither read nor write a snapshot: load the CSV files every time
    #[arg(long, global = true, conflicts_with = "cache")]
    pub no_cache: bool,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
///
/// The variants carry no doc comment on purpose: clap would take it over the one on each
/// `*Args` struct, whose first paragraph is the command's summary and the rest its long
/// `--help` (which the variant docs used to hide).
#[derive(Debug, Subcommand)]
#[allow(missing_docs)]
pub enum Command {
    Check(check::CheckArgs),
    Stats(stats::StatsArgs),
    Schema(schema::SchemaArgs),
    Show(show::ShowArgs),
    Find(find::FindArgs),
    Path(path::PathArgs),
    Neighbors(neighbors::NeighborsArgs),
    Export(export::ExportArgs),
    Render(render::RenderArgs),
    Query(query::QueryArgs),
    Build(build::BuildArgs),
    Import(import::ImportArgs),
    Serve(serve::ServeArgs),
}

/// What every subcommand gets: the options and the graph, loaded on first use.
pub struct Ctx {
    data: DataDir,
    quiet: bool,
    load: crate::load::LoadOptions,
    cache: Cache,
    graph: OnceCell<Arc<KnowledgeGraph>>,
    /// The snapshot being written beside the command's own work.
    snapshot_writer: RefCell<Option<SnapshotWriter>>,
    /// The snapshot the graph was opened from.
    opened_snapshot: RefCell<Option<PathBuf>>,
    /// Whether this is the second run of a command whose snapshot was damaged: the load
    /// warnings were printed the first time.
    again: bool,
}

/// A thread writing a snapshot: where, and what became of it.
type SnapshotWriter = JoinHandle<(PathBuf, io::Result<bool>)>;

/// The data folder and how it was chosen, for the message when it is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    /// The folder.
    pub dir: PathBuf,
    /// Whether the user named it.
    pub how: DataDirFrom,
}

/// How the data folder was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataDirFrom {
    /// `--data` or `TIES_DATA`.
    Given,
    /// `./data`, or the current folder when it holds `entities/` or `relations/`.
    Default,
}

/// Returns the data folder: the one given, else `./data`, else the current folder when it
/// holds `entities/` or `relations/` (so `cd data && ties check` works).
#[must_use]
pub fn data_dir(given: Option<&Path>) -> DataDir {
    if let Some(dir) = given {
        return DataDir {
            dir: dir.to_owned(),
            how: DataDirFrom::Given,
        };
    }
    let here = Path::new(".");
    let dir = if Path::new("data").is_dir() {
        PathBuf::from("data")
    } else if here.join("entities").is_dir() || here.join("relations").is_dir() {
        here.to_owned()
    } else {
        PathBuf::from("data")
    };
    DataDir {
        dir,
        how: DataDirFrom::Default,
    }
}

impl Ctx {
    /// Returns a context for the data dir `data`.
    #[must_use]
    pub fn new(data: DataDir, quiet: bool) -> Self {
        Ctx {
            data,
            quiet,
            load: crate::load::LoadOptions::default(),
            cache: Cache::default(),
            graph: OnceCell::new(),
            snapshot_writer: RefCell::new(None),
            opened_snapshot: RefCell::new(None),
            again: false,
        }
    }

    /// Returns the graph, loading and validating the data dir the first time.
    ///
    /// Load warnings go to stderr unless `--quiet`.
    pub fn graph(&self) -> Result<&KnowledgeGraph, CliError> {
        if let Some(graph) = self.graph.get() {
            return Ok(graph.as_ref());
        }
        let (graph, unsaved) = self.open_or_load()?;
        let graph = Arc::new(graph);
        if let Some((path, inputs)) = unsaved {
            // Written on a thread of its own while the command works: `check` lints meanwhile,
            // and a query's answer is printed before the process waits for the file.
            let (graph, dir) = (Arc::clone(&graph), self.data.dir.clone());
            let writer = std::thread::spawn(move || {
                let written = snapshot::write(&path, &graph, &dir, &inputs);
                (path, written)
            });
            *self.snapshot_writer.borrow_mut() = Some(writer);
        }
        Ok(self.graph.get_or_init(|| graph).as_ref())
    }

    /// Says why the snapshot the graph came from cannot be used after all, and removes it (a
    /// later command writes a whole one).
    fn forget_damaged_snapshot(&self, why: &str) {
        self.note(&format!(
            "warning: ignoring the graph snapshot {why}; loading the data files"
        ));
        if let Some(path) = self.opened_snapshot.borrow_mut().take() {
            let _ = std::fs::remove_file(path);
        }
    }

    /// Returns why a part of the snapshot the graph came from was refused while the command
    /// ran, if one was.
    fn snapshot_damage(&self) -> Option<String> {
        self.graph.get().and_then(|graph| graph.snapshot_damage())
    }

    /// Waits for the snapshot being written, if any, and warns when it could not be.
    pub fn finish(&self) {
        let Some(writer) = self.snapshot_writer.borrow_mut().take() else {
            return;
        };
        match writer.join() {
            Ok((_, Ok(_))) => {}
            Ok((path, Err(err))) => self.note(&format!(
                "warning: cannot write the graph snapshot {}: {err} (--no-cache stops trying)",
                path.display()
            )),
            Err(_) => self.note("warning: the graph snapshot could not be written"),
        }
    }

    /// Opens the data dir's snapshot when it is current, else loads and validates the data
    /// dir and writes the snapshot, into a graph of the caller's own (`serve` keeps it); load
    /// warnings go to stderr unless `--quiet`.
    pub fn load_graph(&self) -> Result<KnowledgeGraph, CliError> {
        let (mut graph, mut unsaved) = self.open_or_load()?;
        // A server reads all of the snapshot before it answers anyone.
        graph.read_deferred();
        if let Some(why) = graph.snapshot_damage() {
            self.forget_damaged_snapshot(&why);
            (graph, unsaved) = self.open_or_load()?;
        }
        if let Some((path, inputs)) = unsaved
            && let Err(err) = snapshot::write(&path, &graph, &self.data.dir, &inputs)
        {
            self.note(&format!(
                "warning: cannot write the graph snapshot {}: {err} (--no-cache stops trying)",
                path.display()
            ));
        }
        Ok(graph)
    }

    /// Opens the current snapshot, or loads the data files; with the graph, where its
    /// snapshot should be written and the inputs it was loaded from, when it was loaded.
    fn open_or_load(&self) -> Result<(KnowledgeGraph, Option<(PathBuf, Inputs)>), CliError> {
        if !self.data.dir.is_dir() {
            // The loader says the folder is missing; the CLI knows which flag names it.
            return Err(CliError::Usage(match self.data.how {
                DataDirFrom::Given => format!(
                    "no data folder `{}` (from --data or TIES_DATA): it should hold entities/ and relations/",
                    self.data.dir.display()
                ),
                DataDirFrom::Default => "no data folder: tried ./data and the current folder (which holds no entities/ or relations/); give one with --data DIR".to_owned(),
            }));
        }
        let dir = &self.data.dir;
        // The identity of the inputs is taken before they are read: a file that changes while
        // loading then makes the snapshot stale rather than wrong.
        let inputs = (self.cache != Cache::Off).then(|| Inputs::of(dir, &self.load));
        let location = inputs
            .as_ref()
            .and_then(|inputs| snapshot::location(dir, &self.cache, inputs));
        let mut opened = None;
        if let (Some(path), Some(inputs)) = (&location, &inputs) {
            match snapshot::open(path, dir, inputs) {
                Opened::Current(graph) => {
                    opened = Some(*graph);
                    *self.opened_snapshot.borrow_mut() = Some(path.clone());
                }
                Opened::Damaged(why) => self.note(&format!(
                    "warning: ignoring the graph snapshot {}: {why}; loading the data files",
                    path.display()
                )),
                Opened::Absent | Opened::Stale => {}
            }
        }
        let (graph, unsaved) = match opened {
            Some(graph) => (graph, None),
            None => {
                let bar = LoadBar::new(self.quiet);
                let dataset = load_dir_with(dir, &self.load, &bar)?;
                bar.finish();
                (KnowledgeGraph::from_dataset(dataset), location.zip(inputs))
            }
        };
        if !self.quiet && !self.again {
            let mut err = io::stderr().lock();
            for warning in &graph.warnings {
                // A failed warning write must not fail the command.
                let _ = writeln!(err, "warning: {warning}");
            }
        }
        Ok((graph, unsaved))
    }

    /// The data folder and how to read it, for a command that loads it again (`serve
    /// --watch`).
    #[must_use]
    pub fn data_source(&self) -> (std::path::PathBuf, crate::load::LoadOptions) {
        (self.data.dir.clone(), self.load.clone())
    }
}

impl Ctx {
    /// Returns the data dir as given.
    #[must_use]
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data.dir
    }

    /// Returns a picture's title: the data's name (`title` in `ties.toml`, else the data
    /// folder's name) and what the view shows.
    pub fn picture_title(&self, kg: &KnowledgeGraph, view: &str) -> String {
        format!("{}: {view}", self.data_name(kg))
    }

    /// Returns the data's name: `title` in `ties.toml`, else the data folder's name.
    pub fn data_name(&self, kg: &KnowledgeGraph) -> String {
        kg.style.title.clone().unwrap_or_else(|| {
            std::fs::canonicalize(&self.data.dir)
                .ok()
                .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| self.data.dir.display().to_string())
        })
    }

    /// Tells what was written: `wrote FILE (SIZE, DETAIL)`, one form for every command.
    pub fn wrote(&self, path: &Path, detail: &str) {
        let size = crate::export::index::human_size(crate::export::index::size_on_disk(path));
        let folder = if path.is_dir() { "/" } else { "" };
        self.note(&format!(
            "wrote {}{folder} ({size}, {detail})",
            path.display()
        ));
    }

    /// Returns whether `--quiet` was given.
    #[must_use]
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Writes a line for the person at the terminal (stderr), unless `--quiet`.
    pub fn note(&self, line: &str) {
        if !self.quiet {
            // A failed note must not fail the command.
            let _ = writeln!(io::stderr().lock(), "{}", printable_lines(line));
        }
    }

    /// Returns a progress bar of `total` steps on stderr, drawn only when `large`, on a
    /// terminal, and not `--quiet`.
    #[must_use]
    pub fn progress_bar(&self, total: u64, large: bool) -> ProgressBar {
        build::steps_bar(total, large && !self.quiet && io::stderr().is_terminal())
    }

    /// Returns the search adjacency of the graph, loading it the first time.
    pub fn adjacency(&self) -> Result<&Adjacency, CliError> {
        Ok(self.graph()?.adjacency())
    }
}

/// A progress bar on stderr, drawn only for large inputs on a terminal.
struct LoadBar {
    bar: ProgressBar,
}

/// Inputs smaller than this load too fast for a bar to help.
const BAR_THRESHOLD: u64 = 32 << 20;

impl LoadBar {
    fn new(quiet: bool) -> Self {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
        };
        bar.set_style(
            ProgressStyle::with_template(
                "loading {bar:40} {binary_bytes}/{binary_total_bytes} {eta}",
            )
            .expect("the template is valid"),
        );
        LoadBar { bar }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for LoadBar {
    fn start(&self, total_bytes: u64) {
        if total_bytes < BAR_THRESHOLD {
            self.bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        self.bar.set_length(total_bytes);
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }
}

/// Returns a message with every character that could act on the terminal escaped, line by
/// line: names from the data reach messages, and none of them may move the cursor, recolour
/// or reorder what a person reads.
fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(crate::model::printable::printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs one parsed command line, writing results to `out`.
///
/// The answer is held back (up to 16 MiB) until it is known that no part of the
/// graph's snapshot read on first use was refused; if one was, the snapshot is removed and
/// the command runs again on the data files, so a damaged snapshot never gives an answer.
/// An answer already passed on (a longer one) is ended with an error instead.
pub fn run(cli: &Cli, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let ctx = context(cli, false);
    if matches!(cli.command, Command::Serve(_)) {
        // A server reads its whole snapshot before it answers, and its address must be seen
        // at once.
        let outcome = dispatch(&ctx, &cli.command, out);
        ctx.finish();
        return outcome;
    }
    let mut held = Held {
        out: &mut *out,
        bytes: Vec::new(),
        passed_on: false,
    };
    let outcome = dispatch(&ctx, &cli.command, &mut held);
    if let Some(why) = ctx.snapshot_damage() {
        let passed_on = held.passed_on;
        drop(held);
        ctx.finish();
        if passed_on {
            if let Some(path) = ctx.opened_snapshot.borrow_mut().take() {
                let _ = std::fs::remove_file(path);
            }
            return Err(CliError::Usage(format!(
                "the graph snapshot {why}: part of the answer above came from it and is missing; the snapshot was removed, so run the command again"
            )));
        }
        ctx.forget_damaged_snapshot(&why);
        let again = context(cli, true);
        let outcome = dispatch(&again, &cli.command, out);
        let flushed = out.flush();
        again.finish();
        flushed?;
        return outcome;
    }
    let flushed = held.pass_on().and_then(|()| out.flush());
    ctx.finish();
    flushed?;
    outcome
}

/// How much of an answer is held back until the graph is known whole.
const HELD: usize = 16 << 20;

/// An answer held back, up to [`HELD`] bytes.
struct Held<'a> {
    out: &'a mut dyn Write,
    bytes: Vec<u8>,
    passed_on: bool,
}

impl Held<'_> {
    fn pass_on(&mut self) -> io::Result<()> {
        self.passed_on = true;
        self.out.write_all(&std::mem::take(&mut self.bytes))
    }
}

impl Write for Held<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.passed_on {
            return self.out.write(bytes);
        }
        self.bytes.extend_from_slice(bytes);
        if self.bytes.len() > HELD {
            self.pass_on()?;
        }
        Ok(bytes.len())
    }

    /// Held back until the end, flushed or not (exports flush when they finish).
    fn flush(&mut self) -> io::Result<()> {
        if self.passed_on {
            self.out.flush()
        } else {
            Ok(())
        }
    }
}

/// The context of a command line; `again` for its second run after a damaged snapshot.
fn context(cli: &Cli, again: bool) -> Ctx {
    let mut ctx = Ctx::new(data_dir(cli.data.as_deref()), cli.quiet);
    ctx.again = again;
    ctx.load.encoding.clone_from(&cli.encoding);
    ctx.cache = match (&cli.cache, cli.no_cache) {
        (_, true) => Cache::Off,
        (Some(dir), false) => Cache::Folder(dir.clone()),
        (None, false) => Cache::Beside,
    };
    ctx
}

fn dispatch(ctx: &Ctx, command: &Command, out: &mut dyn Write) -> Result<Outcome, CliError> {
    match command {
        Command::Check(args) => check::run(ctx, args, out),
        Command::Stats(args) => stats::run(ctx, args, out),
        Command::Schema(args) => schema::run(ctx, args, out),
        Command::Show(args) => show::run(ctx, args, out),
        Command::Find(args) => find::run(ctx, args, out),
        Command::Path(args) => path::run(ctx, args, out),
        Command::Neighbors(args) => neighbors::run(ctx, args, out),
        Command::Export(args) => export::run(ctx, args, out),
        Command::Render(args) => render::run(ctx, args, out),
        Command::Query(args) => query::run(ctx, args, out),
        Command::Build(args) => build::run(ctx, args, out),
        Command::Import(args) => import::run(ctx, args, out),
        Command::Serve(args) => serve::run(ctx, args, out),
    }
}

/// Parses the process arguments, runs the command and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (2).
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(&cli, &mut out).and_then(|outcome| {
        out.flush()?;
        Ok(outcome)
    });
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        // A closed pipe (`ties ... | head`) is the reader's choice, not a failure.
        Err(CliError::Io(err)) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            let _ = out.flush();
            let mut report = Vec::new();
            let _ = err.report(&mut report);
            let _ = io::stderr()
                .lock()
                .write_all(printable_lines(&String::from_utf8_lossy(&report)).as_bytes());
            ExitCode::from(err.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_app() {
        Cli::command().debug_assert();
    }
}
