//! `ties serve`: the data folder as a read-only Bolt server.

use std::io::Write;
use std::net::SocketAddr;

use crate::cli::Ctx;
use crate::cli::error::{CliError, Outcome};
use crate::graph::KnowledgeGraph;
use crate::serve::{Loaded, ServeOptions, Server};

/// Serve the graph read-only over Bolt, for Neo4j's drivers and tools
///
/// Loads the data folder once, then answers Cypher from Neo4j's drivers (Python, Java,
/// JavaScript, Go, .NET, neo4rs), cypher-shell and tools built on them, at
/// 127.0.0.1:7687 unless --bolt says otherwise. Bolt 4.0 to 4.4 and 5.0 to 5.4; queries run
/// as `ties query` runs them, each within --timeout and --max-memory; writing clauses fail
/// with Neo.ClientError.Statement.AccessMode. `CALL db.labels()`, `db.relationshipTypes()`,
/// `db.propertyKeys()`, `db.ping()`, `dbms.components()`, `dbms.clientConfig()` and `SHOW
/// DATABASES` answer as Neo4j's do. One log line per connection and per failed query goes
/// to stderr. SIGTERM or Ctrl-C drains it: running queries finish and answer, then it
/// exits; a second one stops it at once.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Where to listen for Bolt: 127.0.0.1 (this machine only) unless told otherwise;
    /// 0.0.0.0:PORT opens it to the network; port 0 picks a free one
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7687")]
    pub bolt: String,
    /// Require this user and password (Bolt's basic scheme); without it, anyone who can
    /// connect can read
    #[arg(long, value_name = "USER:PASSWORD")]
    pub auth: Option<String>,
    /// Stop a query after this many seconds (0: no limit) [default: 120]
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Stop a query when a clause holds more than this many MiB of rows [default: 2048]
    #[arg(long, value_name = "MIB")]
    pub max_memory: Option<usize>,
    /// Connections open at once; more are closed on arrival
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_connections: usize,
    /// Queries running at once; more fail with a transient error drivers retry [default:
    /// twice the cores]
    #[arg(long, value_name = "N")]
    pub max_queries: Option<usize>,
    /// Also serve the explorer page over HTTP here (127.0.0.1:8080, say), with a Cypher box
    /// whose answers come from the server (`POST /query`, the JSON of `ties query --format
    /// json`); same password and limits as Bolt
    #[arg(long, value_name = "ADDR")]
    pub http: Option<String>,
    /// Load the data again when a CSV file, workbook or ties.toml changes, and serve the new
    /// graph once it has loaded; data with errors is not served (the errors are logged, the
    /// graph before stays)
    #[arg(long)]
    pub watch: bool,
}

/// Runs `ties serve` until the process is stopped.
pub fn run(ctx: &Ctx, args: &ServeArgs, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let bolt: SocketAddr = args.bolt.parse().map_err(|_| {
        CliError::Usage(format!(
            "`--bolt {}` is not an address and port (127.0.0.1:7687, 0.0.0.0:7687)",
            args.bolt
        ))
    })?;
    let auth = match &args.auth {
        Some(text) => match text.split_once(':') {
            Some((user, password)) if !user.is_empty() => {
                Some((user.to_owned(), password.to_owned()))
            }
            _ => {
                return Err(CliError::Usage(
                    "`--auth` is USER:PASSWORD (the user must not be empty)".to_owned(),
                ));
            }
        },
        None => None,
    };
    let limits = crate::cli::query::limits(args.timeout, args.max_memory)?;
    let http: Option<SocketAddr> = match &args.http {
        Some(text) => Some(text.parse().map_err(|_| {
            CliError::Usage(format!(
                "`--http {text}` is not an address and port (127.0.0.1:8080)"
            ))
        })?),
        None => None,
    };
    let mut options = ServeOptions {
        bolt,
        auth,
        limits,
        max_connections: args.max_connections.max(1),
        http,
        ..ServeOptions::default()
    };
    if let Some(n) = args.max_queries {
        options.max_queries = n.max(1);
    }
    let open_to_network =
        !bolt.ip().is_loopback() || http.is_some_and(|address| !address.ip().is_loopback());
    let protected = options.auth.is_some();
    // Taken before loading, so that `--watch` sees a change made while the graph loads.
    let before_load = args
        .watch
        .then(|| crate::serve::fingerprint(&ctx.data_source().0));
    let kg = ctx.load_graph()?;
    let (entities, relations) = (kg.entity_count(), kg.relation_count());
    let quiet = ctx.is_quiet();
    let loaded = Loaded::new(kg);
    let page = match http {
        Some(_) => Some(crate::cli::build::live_page(
            ctx,
            &loaded.kg,
            loaded.kg.adjacency(),
        )?),
        None => None,
    };
    let mut server = Server::bind(loaded, options, move |line| {
        if !quiet {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    })
    .map_err(|err| CliError::Usage(format!("cannot listen on {bolt}: {err}")))?;
    if let Some(page) = page {
        server = server.with_page(page);
    }
    if let Some(before_load) = before_load {
        let (dir, load) = ctx.data_source();
        let watched = dir.clone();
        server = server.watching(
            watched,
            Box::new(move || {
                crate::load::load_dir_with(&dir, &load, &crate::load::NoProgress)
                    .map(KnowledgeGraph::from_dataset)
                    .map_err(|err| err.diagnostics.iter().map(ToString::to_string).collect())
            }),
            before_load,
        );
    }
    let address = server.local_addr()?;
    writeln!(
        out,
        "serving {entities} entities and {relations} relations read-only on bolt://{address} (Ctrl-C stops)"
    )?;
    if let Some(http) = server.http_addr() {
        writeln!(out, "the explorer, live: http://{http}/")?;
    }
    if open_to_network {
        ctx.note(&format!(
            "warning: listening where other machines can reach it{}",
            if protected {
                ""
            } else {
                " with no password (--auth USER:PASSWORD sets one)"
            }
        ));
    }
    out.flush()?;
    // SIGTERM or Ctrl-C: drain (running queries answer, then connections close); a second
    // one stops at once.
    let stopper = server.stopper()?;
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ])?;
    std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            let mut received = signals.forever();
            if received.next().is_some() {
                stopper.stop();
            }
            if received.next().is_some() {
                std::process::exit(130);
            }
        })?;
    server.run()?;
    ctx.note("stopped");
    Ok(Outcome::Done)
}
