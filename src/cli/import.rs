//! `ties import`: make a data folder from data kept in another format.

use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::cli::Ctx;
use crate::cli::error::{CliError, Outcome};
use crate::export::atomic::{at_path, write_folder_atomic, write_in_staged_folder};
use crate::graph::KnowledgeGraph;
use crate::load::ftm::{FtmImport, ImportSummary, import};
use crate::query::lint::{WarningKind, lint};
use crate::query::schema::infer;

/// Make a data folder from data in another format
///
/// `ties import ftm FILE` reads FollowTheMoney entities (OpenSanctions, OCCRP Aleph) into a
/// data folder that every other command reads.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The format to read.
    #[command(subcommand)]
    pub source: ImportSource,
}

/// The formats `ties import` reads.
#[derive(Debug, clap::Subcommand)]
#[allow(missing_docs)]
pub enum ImportSource {
    Ftm(FtmArgs),
}

/// Turn a FollowTheMoney entity stream into a data folder
///
/// Reads one FtM entity per line (an `.ijson` or `.json` stream, OpenSanctions'
/// `entities.ftm.json` or `targets.nested.json`, `ftm export` output), or a JSON array of
/// entities, and writes a data folder: an entity file per node schema (Person, Company,
/// Address, ...), a relation file per edge schema (Ownership from owner to asset, Payment
/// from payer to beneficiary, ... as FtM's model says) and per entity reference that is not
/// an edge (addressEntity, holder, ...), and a ties.toml that ties each back to its schema
/// and declares what was made, so that `ties check --strict` holds and `ties export --format
/// ftm` gives the entities back. Fragments of one id are merged; edges missing an end and
/// references to ids the file lacks are kept, with a warning naming them.
#[derive(Debug, clap::Args)]
pub struct FtmArgs {
    /// The FtM file, or - for stdin
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
    /// The data folder to make [default: the file's name without its extension]
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace the output folder when it exists
    #[arg(long)]
    pub force: bool,
}

/// Runs `ties import`.
pub fn run(ctx: &Ctx, args: &ImportArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    match &args.source {
        ImportSource::Ftm(args) => run_ftm(ctx, args, out),
    }
}

fn run_ftm(ctx: &Ctx, args: &FtmArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let stdin = args.input.as_os_str() == "-";
    let stem = if stdin {
        None
    } else {
        args.input
            .file_stem()
            .map(|stem| stem.to_string_lossy().trim_end_matches(".ftm").to_owned())
    };
    let output = match (&args.output, &stem) {
        (Some(output), _) => output.clone(),
        (None, Some(stem)) if !stem.is_empty() => PathBuf::from(stem),
        (None, _) => {
            return Err(CliError::Usage(
                "reading stdin: name the folder to make with -o".to_owned(),
            ));
        }
    };
    if is_nonempty_folder(&output) && !args.force {
        return Err(CliError::Usage(format!(
            "`{}` already exists and is not empty: pass --force to replace it, or -o another folder",
            output.display()
        )));
    }
    if output.is_file() {
        return Err(CliError::Usage(format!(
            "`{}` is a file; -o names the folder to make",
            output.display()
        )));
    }
    let shown = if stdin {
        "stdin".to_owned()
    } else {
        args.input.display().to_string()
    };
    let input: Box<dyn BufRead> = if stdin {
        Box::new(BufReader::new(io::stdin().lock()))
    } else {
        let file =
            std::fs::File::open(&args.input).map_err(|err| at_path(err, "open", &args.input))?;
        Box::new(BufReader::with_capacity(1 << 20, file))
    };
    let title = stem.unwrap_or_else(|| "FollowTheMoney".to_owned());
    let imported = import(&shown, input, &title).map_err(|problems| CliError::Input {
        file: shown.clone(),
        problems: problems.iter().map(ToString::to_string).collect(),
    })?;
    let FtmImport {
        files,
        warnings,
        summary,
    } = imported;
    for warning in &warnings {
        ctx.note(&format!("warning: {warning}"));
    }
    let today = crate::cli::check::today()?;
    let mut checked = None;
    write_folder_atomic(&output, |staging| {
        write_files(&files, staging)?;
        drop(files);
        let kg = KnowledgeGraph::load(staging).map_err(|err| {
            let first = err
                .diagnostics
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            io::Error::other(format!(
                "the folder made from {shown} does not load (a bug in ties import): {first}"
            ))
        })?;
        let findings = lint(&kg, today);
        let set_aside: Vec<(&str, usize)> = FINDINGS
            .iter()
            .map(|kind| {
                let count = findings.iter().filter(|w| w.kind == *kind).count();
                (kind.name(), count)
            })
            .filter(|(_, count)| *count > 0)
            .collect();
        drop(findings);
        let allowed: Vec<&str> = set_aside.iter().map(|(kind, _)| *kind).collect();
        let config = staging.join("ties.toml");
        let mut text = std::fs::read_to_string(&config).map_err(|e| at_path(e, "read", &config))?;
        text.push_str(&check_toml(&allowed));
        text.push_str(&schema_toml(&kg));
        // One graph in memory at a time: the folder is loaded again with its schema.
        drop(kg);
        write_in_staged_folder(&config, |w| w.write_all(text.as_bytes()))?;
        let kg = KnowledgeGraph::load(staging).map_err(|err| {
            io::Error::other(format!(
                "the schema made for {shown} does not hold (a bug in ties import): {}",
                err.diagnostics
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ))
        })?;
        let remaining = lint(&kg, today)
            .into_iter()
            .filter(|warning| !FINDINGS.contains(&warning.kind))
            .count();
        checked = Some((remaining, set_aside));
        Ok(())
    })?;
    write_summary(&summary, &shown, &output, out)?;
    if let Some((remaining, set_aside)) = checked {
        let folder = output.display();
        if !set_aside.is_empty() {
            let listed: Vec<String> = set_aside
                .iter()
                .map(|(kind, count)| format!("{count} {kind}"))
                .collect();
            ctx.note(&format!(
                "note: {} in {folder}: findings in the data, not faults of the folder, so \
                 ties.toml's [check] allow sets them aside; delete that line and run `ties \
                 check --data {folder} --warnings all` to go through them",
                listed.join(", ")
            ));
        }
        if remaining > 0 {
            ctx.note(&format!(
                "ties check --data {folder} has {remaining} warning{} to look at",
                if remaining == 1 { "" } else { "s" }
            ));
        }
    }
    Ok(Outcome::Done)
}

/// Warnings that describe FtM data rather than fault it: FtM holds entities still to be
/// deduplicated (names alike), namesakes, and entities listed for themselves (sanctioned
/// people without known links).
const FINDINGS: [WarningKind; 3] = [
    WarningKind::SimilarName,
    WarningKind::SameName,
    WarningKind::Isolated,
];

/// The `[check]` table allowing `allowed`, with why.
fn check_toml(allowed: &[&str]) -> String {
    if allowed.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = allowed
        .iter()
        .map(|kind| toml::Value::String((*kind).to_owned()).to_string())
        .collect();
    format!(
        "\n# What `ties check` found when the folder was made: entities still to deduplicate,\n\
         # namesakes or entities without links, as FtM data has them. Delete the line to list them.\n\
         [check]\nallow = [{}]\n",
        quoted.join(", ")
    )
}

/// Whether `path` is a folder with something in it.
fn is_nonempty_folder(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some())
}

/// Writes the imported files into the staging folder.
fn write_files(files: &[(String, String)], folder: &Path) -> io::Result<()> {
    for sub in ["entities", "relations"] {
        let path = folder.join(sub);
        std::fs::create_dir_all(&path).map_err(|err| at_path(err, "create", &path))?;
    }
    for (name, text) in files {
        let path = folder.join(name);
        write_in_staged_folder(&path, |w| w.write_all(text.as_bytes()))?;
    }
    Ok(())
}

/// The `[schema]` the imported data satisfies, for its `ties.toml`.
fn schema_toml(kg: &KnowledgeGraph) -> String {
    let mut text = Vec::new();
    let intro = "# What the folder holds, as `ties check` enforces it: the columns every entity of a\n\
                 # kind fills, the kinds each relation type connects and the columns it fills.";
    // Writing into a Vec cannot fail.
    let _ = crate::cli::schema::write_inferred(&infer(kg), intro, &mut text);
    format!("\n{}", String::from_utf8_lossy(&text))
}

/// Prints what was read and what was made.
fn write_summary(
    summary: &ImportSummary,
    shown: &str,
    output: &Path,
    out: &mut dyn Write,
) -> io::Result<()> {
    let total: usize = summary.schemata.values().sum();
    writeln!(
        out,
        "read {total} FtM entities ({} fragments on {} lines) from {shown}",
        summary.fragments, summary.lines
    )?;
    for (schema, count) in &summary.schemata {
        writeln!(out, "  {schema:<24}{count:>8}")?;
    }
    let entities: usize = summary.entities.values().sum();
    let relations: usize = summary.relations.values().sum();
    writeln!(
        out,
        "made {}: {entities} entities of {} kinds, {relations} relations of {} types",
        output.display(),
        summary.entities.len(),
        summary.relations.len()
    )?;
    writeln!(out, "entities")?;
    for (kind, count) in &summary.entities {
        writeln!(out, "  {kind:<24}{count:>8}")?;
    }
    writeln!(out, "relations")?;
    for (rel_type, count) in &summary.relations {
        writeln!(out, "  {rel_type:<24}{count:>8}")?;
    }
    Ok(())
}
