//! `ties serve`: the loaded graph as a read-only Bolt server, for Neo4j's drivers and tools.
//!
//! Threads, not an async runtime: a query is CPU work on one thread from start to end, and a
//! connection holds at most one running query, so a thread per connection (capped by
//! `max_connections`) with a cap on queries running at once (`max_queries`) is both the
//! simplest model and the one that fits. The graph is shared read-only between them.
//!
//! Nothing here prints: the log lines go to the function the caller gives.

mod http;
pub mod packstream;
mod procedures;
mod session;
pub mod values;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use std::collections::HashMap;

use crate::cypher::{CypherError, Limits, Prepared, error::ErrorKind};
use crate::graph::KnowledgeGraph;

pub use session::{VERSIONS, negotiate};

/// A loaded graph as the server answers from it. Each query holds the one it started on, so
/// a reload (`--watch`) never changes a graph under a running query or a pending result.
pub struct Loaded {
    /// The graph.
    pub kg: KnowledgeGraph,
    /// Queries parsed, checked and planned for this graph, by their text: clients send the
    /// same queries again and again with new parameters.
    prepared: Mutex<HashMap<String, Arc<Prepared>>>,
}

/// How many prepared queries a graph keeps; past it the cache starts afresh.
const PREPARED_QUERIES: usize = 1024;

impl Loaded {
    /// Wraps a loaded graph.
    #[must_use]
    pub fn new(kg: KnowledgeGraph) -> Self {
        Loaded {
            kg,
            prepared: Mutex::new(HashMap::new()),
        }
    }

    /// `text` prepared for this graph, from the cache when it was prepared before.
    ///
    /// # Errors
    /// Syntax, "not supported" and semantic errors (never cached: each is cheap to find).
    pub fn prepared(&self, text: &str) -> Result<Arc<Prepared>, CypherError> {
        let cache = || {
            self.prepared
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(prepared) = cache().get(text) {
            return Ok(Arc::clone(prepared));
        }
        // Prepared outside the lock: a long query must not hold up the others.
        let prepared = Arc::new(crate::cypher::prepare(&self.kg, text)?);
        let mut cache = cache();
        if cache.len() >= PREPARED_QUERIES {
            cache.clear();
        }
        cache.insert(text.to_owned(), Arc::clone(&prepared));
        Ok(prepared)
    }
}

/// Loads the data folder again for `--watch`: the graph, or each problem (`file:line: ...`).
pub type Reload = Box<dyn Fn() -> Result<KnowledgeGraph, Vec<String>> + Send + Sync>;

/// How a server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where Bolt listens (127.0.0.1:7687 unless told otherwise).
    pub bolt: SocketAddr,
    /// `user` and `password` for Bolt's basic scheme; `None`: no authentication.
    pub auth: Option<(String, String)>,
    /// The bounds of each query.
    pub limits: Limits,
    /// Connections open at once; more are closed on arrival.
    pub max_connections: usize,
    /// Queries running at once; more fail with a transient error the driver retries.
    pub max_queries: usize,
    /// Where the explorer and `POST /query` listen, if anywhere.
    pub http: Option<SocketAddr>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bolt: SocketAddr::from(([127, 0, 0, 1], 7687)),
            auth: None,
            limits: Limits::default(),
            max_connections: 256,
            max_queries: std::thread::available_parallelism().map_or(4, |n| n.get() * 2),
            http: None,
        }
    }
}

/// A Neo4j status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// `Neo.ClientError.Statement.SyntaxError` and the like.
    pub code: &'static str,
}

impl Status {
    const PROTOCOL: Status = Status {
        code: "Neo.ClientError.Request.Invalid",
    };
    const UNAUTHORIZED: Status = Status {
        code: "Neo.ClientError.Security.Unauthorized",
    };
    const TYPE_ERROR: Status = Status {
        code: "Neo.ClientError.Statement.TypeError",
    };
    const SYNTAX: Status = Status {
        code: "Neo.ClientError.Statement.SyntaxError",
    };
    const BUSY: Status = Status {
        code: "Neo.TransientError.Request.ResourceExhaustion",
    };
    const PROCEDURE_NOT_FOUND: Status = Status {
        code: "Neo.ClientError.Procedure.ProcedureNotFound",
    };

    /// The status Neo4j gives a query error like this one, and its message (the openCypher
    /// name first, where there is one, then the position and a caret).
    #[must_use]
    pub fn of(error: &CypherError, text: &str) -> (Status, String) {
        const WRITES: [&str; 8] = [
            "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "FOREACH", "LOAD",
        ];
        let word = text
            .get(error.span.start..)
            .and_then(|t| t.split(|c: char| !c.is_alphanumeric()).next())
            .unwrap_or_default()
            .to_ascii_uppercase();
        let code = match (error.kind, error.code) {
            (ErrorKind::NotSupported, _) if WRITES.contains(&word.as_str()) => {
                "Neo.ClientError.Statement.AccessMode"
            }
            (ErrorKind::NotSupported, _) if word == "CALL" => Self::PROCEDURE_NOT_FOUND.code,
            (ErrorKind::Syntax | ErrorKind::NotSupported, _) => Self::SYNTAX.code,
            (_, Some("ParameterMissing")) => "Neo.ClientError.Statement.ParameterMissing",
            (_, Some("IntegerOverflow" | "FloatingPointOverflow" | "NumberOutOfRange")) => {
                "Neo.ClientError.Statement.ArithmeticError"
            }
            (
                _,
                Some(
                    "InvalidArgumentType"
                    | "ListElementAccessByNonInteger"
                    | "MapElementAccessByNonString",
                ),
            ) => Self::TYPE_ERROR.code,
            (ErrorKind::Limit, _) if error.message.contains("out of time") => {
                "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
            }
            (ErrorKind::Limit, _) => "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
            _ => "Neo.ClientError.Statement.SemanticError",
        };
        let rendered = error.render(text, "query");
        let message = match error.code {
            Some(name) => format!("{name}: {rendered}"),
            None => rendered,
        };
        (Status { code }, message)
    }
}

/// What every connection of a server shares.
pub(crate) struct Shared {
    graph: RwLock<Arc<Loaded>>,
    options: ServeOptions,
    log: Box<dyn Fn(&str) + Send + Sync>,
    /// Failed logins since the server started: each makes the next one wait longer.
    auth_failures: AtomicU64,
    /// Queries running now.
    queries: AtomicUsize,
    /// Connections open now.
    connections: AtomicUsize,
    /// The address routing tables give (the one clients reached).
    advertised: String,
    /// Set by [`Stopper::stop`]: accept no more, finish what runs, close the rest.
    stopping: AtomicBool,
    /// The open connections, to wake the idle ones when stopping.
    open: Mutex<Vec<(u64, TcpStream)>>,
    /// Where HTTP listens, when it does.
    http_address: Option<SocketAddr>,
}

/// A place among the queries running at once, given back on drop.
struct QuerySlot<'s>(&'s AtomicUsize);

impl Drop for QuerySlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Shared {
    /// Waits after a failed login, longer with each failure since the server started (50 ms
    /// doubling to 2 s), so guessing a password is slow.
    fn slow_down_after_failure(&self) {
        let failures = self.auth_failures.fetch_add(1, Ordering::Relaxed) + 1;
        let delay = 50u64 << failures.min(6).saturating_sub(1);
        std::thread::sleep(Duration::from_millis(delay.min(2_000)));
    }

    /// The graph queries start on now.
    fn graph(&self) -> Arc<Loaded> {
        Arc::clone(
            &self
                .graph
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    fn query_slot(&self) -> Option<QuerySlot<'_>> {
        let before = self.queries.fetch_add(1, Ordering::AcqRel);
        let slot = QuerySlot(&self.queries);
        (before < self.options.max_queries).then_some(slot)
    }
}

/// A bound server, ready to [`Server::run`].
pub struct Server {
    listener: TcpListener,
    shared: Shared,
    stop: Arc<StopSignal>,
    watch: Option<(PathBuf, Reload, Fingerprint)>,
    http: Option<(tiny_http::Server, String)>,
}

/// What a [`Stopper`] and its server share.
#[derive(Default)]
struct StopSignal {
    requested: AtomicBool,
}

/// Stops a running server from another thread (a signal handler's): see [`Server::stopper`].
#[derive(Clone)]
pub struct Stopper {
    signal: Arc<StopSignal>,
    address: SocketAddr,
}

impl Stopper {
    /// Asks the server to drain: it accepts no more connections, lets running queries
    /// finish and answer, closes idle connections, and [`Server::run`] returns.
    pub fn stop(&self) {
        self.signal.requested.store(true, Ordering::SeqCst);
        // The accept loop blocks in accept(): a connection of our own wakes it.
        let _ = TcpStream::connect_timeout(&self.address, std::time::Duration::from_secs(1));
    }
}

impl Server {
    /// Binds `options.bolt` (port 0 picks a free one; see [`Server::local_addr`]).
    ///
    /// # Errors
    /// The address cannot be bound (in use, not this machine's).
    pub fn bind(
        graph: Loaded,
        options: ServeOptions,
        log: impl Fn(&str) + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(options.bolt)?;
        let advertised = listener.local_addr()?.to_string();
        let http = match options.http {
            Some(address) => Some(
                tiny_http::Server::http(address)
                    .map_err(|err| std::io::Error::other(format!("HTTP on {address}: {err}")))?,
            ),
            None => None,
        };
        let http_address = http.as_ref().and_then(|h| h.server_addr().to_ip());
        Ok(Server {
            listener,
            shared: Shared {
                graph: RwLock::new(Arc::new(graph)),
                options,
                log: Box::new(log),
                auth_failures: AtomicU64::new(0),
                queries: AtomicUsize::new(0),
                connections: AtomicUsize::new(0),
                advertised,
                stopping: AtomicBool::new(false),
                open: Mutex::new(Vec::new()),
                http_address,
            },
            stop: Arc::default(),
            watch: None,
            http: http.map(|server| (server, String::new())),
        })
    }

    /// The explorer page `GET /` gives when HTTP is on.
    #[must_use]
    pub fn with_page(mut self, page: String) -> Self {
        if let Some((_, held)) = &mut self.http {
            *held = page;
        }
        self
    }

    /// Where HTTP listens, when it does.
    #[must_use]
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.shared.http_address
    }

    /// Watches `dir` (its CSV files, workbooks and `ties.toml`) and, when they differ from
    /// `loaded` (taken with [`fingerprint`] before the served graph was loaded, so a change
    /// made while it loaded is seen), loads the graph again with `reload` beside the one
    /// serving and swaps it in; if the new data has errors, the old graph keeps serving and
    /// the errors are logged.
    #[must_use]
    pub fn watching(mut self, dir: PathBuf, reload: Reload, loaded: Fingerprint) -> Self {
        self.watch = Some((dir, reload, loaded));
        self
    }

    /// The address it listens on.
    ///
    /// # Errors
    /// The socket is gone.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// A handle that stops [`Server::run`] from another thread.
    ///
    /// # Errors
    /// The socket is gone.
    pub fn stopper(&self) -> std::io::Result<Stopper> {
        let mut address = self.listener.local_addr()?;
        if address.ip().is_unspecified() {
            address.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        Ok(Stopper {
            signal: Arc::clone(&self.stop),
            address,
        })
    }

    /// Accepts connections, each on a thread of its own, until a [`Stopper`] stops it; then
    /// drains (running queries finish and answer, idle connections close) and returns.
    ///
    /// # Errors
    /// The listening socket fails.
    pub fn run(&self) -> std::io::Result<()> {
        std::thread::scope(|scope| {
            if let Some((http, page)) = &self.http {
                for worker in 0..4 {
                    let shared = &self.shared;
                    std::thread::Builder::new()
                        .name(format!("http-{worker}"))
                        .spawn_scoped(scope, move || http::serve(shared, http, page))?;
                }
            }
            if let Some((dir, reload, loaded)) = &self.watch {
                let shared = &self.shared;
                std::thread::Builder::new()
                    .name("watch".to_owned())
                    .spawn_scoped(scope, move || watch(shared, dir, reload, loaded.clone()))?;
            }
            let mut next_id = 0u64;
            for stream in self.listener.incoming() {
                if self.stop.requested.load(Ordering::SeqCst) {
                    break;
                }
                let stream = match stream {
                    Ok(stream) => stream,
                    // A client that gave up before we accepted it, or no file descriptors
                    // left for a moment: the server goes on.
                    Err(err) => {
                        (self.shared.log)(&format!("bolt: accept failed: {err}"));
                        continue;
                    }
                };
                next_id += 1;
                self.accept(scope, stream, next_id);
            }
            self.drain();
            Ok(())
        })
    }

    /// Wakes every connection blocked waiting for a message: its read ends, and it closes.
    /// One answering a query finishes first, then finds the server stopping.
    fn drain(&self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let open = self
            .shared
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (self.shared.log)(&format!(
            "bolt: stopping: {} connection(s) to close",
            open.len()
        ));
        for (_, stream) in open.iter() {
            let _ = stream.shutdown(std::net::Shutdown::Read);
        }
        if let Some((http, _)) = &self.http {
            for _ in 0..4 {
                http.unblock();
            }
        }
    }

    fn accept<'scope>(
        &'scope self,
        scope: &'scope std::thread::Scope<'scope, '_>,
        stream: TcpStream,
        id: u64,
    ) {
        let open = self.shared.connections.fetch_add(1, Ordering::AcqRel);
        if open >= self.shared.options.max_connections {
            self.shared.connections.fetch_sub(1, Ordering::AcqRel);
            (self.shared.log)(&format!(
                "bolt-{id}: refused: {open} connections are open (--max-connections)"
            ));
            return;
        }
        let shared = &self.shared;
        if let Ok(clone) = stream.try_clone() {
            shared
                .open
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((id, clone));
        }
        let spawned = std::thread::Builder::new()
            .name(format!("bolt-{id}"))
            .spawn_scoped(scope, move || {
                session::Session::serve(shared, stream, id);
                shared
                    .open
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .retain(|(open, _)| *open != id);
                shared.connections.fetch_sub(1, Ordering::AcqRel);
            });
        if let Err(err) = spawned {
            self.shared.connections.fetch_sub(1, Ordering::AcqRel);
            (self.shared.log)(&format!("bolt-{id}: no thread for it: {err}"));
        }
    }
}

/// What `--watch` compares: each data file's path, size and modification time.
pub type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// The data folder's [`Fingerprint`] now.
#[must_use]
pub fn fingerprint(dir: &std::path::Path) -> Fingerprint {
    let mut files = Vec::new();
    let mut visit = |path: PathBuf| {
        if let Ok(meta) = std::fs::metadata(&path) {
            files.push((path, meta.len(), meta.modified().ok()));
        }
    };
    visit(dir.join("ties.toml"));
    for folder in ["entities", "relations"] {
        if let Ok(entries) = std::fs::read_dir(dir.join(folder)) {
            for entry in entries.flatten() {
                visit(entry.path());
            }
        }
    }
    files.sort();
    files
}

/// Polls the data folder each second until the server stops; a change that has settled (the
/// same on two polls, so a file being written is not read half-way) is loaded and swapped in.
fn watch(shared: &Shared, dir: &std::path::Path, reload: &Reload, loaded: Fingerprint) {
    const POLL: Duration = Duration::from_millis(500);
    let mut serving = loaded;
    let mut seen = serving.clone();
    while !shared.stopping.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let now = fingerprint(dir);
        let settled = now == seen;
        seen = now;
        if !settled || seen == serving {
            continue;
        }
        serving.clone_from(&seen);
        (shared.log)("watch: the data changed; loading it beside the graph being served");
        match reload() {
            Ok(kg) => {
                let (entities, relations) = (kg.entity_count(), kg.relation_count());
                let loaded = Arc::new(Loaded::new(kg));
                *shared
                    .graph
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = loaded;
                (shared.log)(&format!(
                    "watch: now serving {entities} entities and {relations} relations"
                ));
            }
            Err(problems) => {
                for problem in &problems {
                    (shared.log)(&format!("watch: {problem}"));
                }
                (shared.log)(&format!(
                    "watch: {} problem(s); still serving the graph loaded before",
                    problems.len()
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_prepared_once_per_graph_and_errors_are_not_kept() {
        let kg = KnowledgeGraph::from_csv(&[("people", "id,name\np1,Ann\n")], &[], None).unwrap();
        let loaded = Loaded::new(kg);
        let text = "MATCH (p:people {id: $id}) RETURN p.name AS name";
        let first = loaded.prepared(text).unwrap();
        let again = loaded.prepared(text).unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the second ask reuses the first preparation"
        );
        assert!(loaded.prepared("MATCH (n RETURN n").is_err());
        assert_eq!(loaded.prepared.lock().unwrap().len(), 1);
    }
}
