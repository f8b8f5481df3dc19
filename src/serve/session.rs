//! One Bolt connection: the handshake, then messages in, responses out, following Bolt's
//! state machine (a failure ignores everything until `RESET`).

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::packstream::Bolt;
use super::procedures;
use super::values::{self, Encoder};
use super::{Shared, Status};
use crate::cypher::Value;

/// Bolt messages by signature.
mod msg {
    pub const HELLO: u8 = 0x01;
    pub const GOODBYE: u8 = 0x02;
    pub const RESET: u8 = 0x0F;
    pub const RUN: u8 = 0x10;
    pub const BEGIN: u8 = 0x11;
    pub const COMMIT: u8 = 0x12;
    pub const ROLLBACK: u8 = 0x13;
    pub const DISCARD: u8 = 0x2F;
    pub const PULL: u8 = 0x3F;
    pub const TELEMETRY: u8 = 0x54;
    pub const ROUTE: u8 = 0x66;
    pub const LOGON: u8 = 0x6A;
    pub const LOGOFF: u8 = 0x6B;
    pub const SUCCESS: u8 = 0x70;
    pub const RECORD: u8 = 0x71;
    pub const IGNORED: u8 = 0x7E;
    pub const FAILURE: u8 = 0x7F;
}

/// The Bolt versions served, best first: 5.0–5.4, and 4.0–4.4 for drivers of the 4.x line
/// (neo4rs 0.8 offers only 4.1 and 4.0). They differ here only in where the credentials come
/// (`HELLO` before 5.1) and in element ids (5.0 on).
pub const VERSIONS: [(u8, u8); 10] = [
    (5, 4),
    (5, 3),
    (5, 2),
    (5, 1),
    (5, 0),
    (4, 4),
    (4, 3),
    (4, 2),
    (4, 1),
    (4, 0),
];

/// The largest message accepted (a query with its parameters).
const MAX_MESSAGE_BYTES: usize = 16 << 20;

/// How long a client has to send its handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Picks the best version both sides speak from a client's four proposals (each `[0, range,
/// minor, major]`: that minor and `range` below it); `None` when there is none.
#[must_use]
pub fn negotiate(proposals: &[[u8; 4]; 4]) -> Option<(u8, u8)> {
    for proposal in proposals {
        let [_, range, minor, major] = *proposal;
        // 0xFF as major is 5.7's manifest negotiation, which this server does not speak: the
        // client's other proposals carry the versions it also accepts.
        if major == 0xFF {
            continue;
        }
        let lowest = minor.saturating_sub(range);
        if let Some(&version) = VERSIONS
            .iter()
            .find(|&&(ma, mi)| ma == major && (lowest..=minor).contains(&mi))
        {
            return Some(version);
        }
    }
    None
}

/// A result waiting for `PULL` or `DISCARD`, with the graph its entities belong to.
struct Pending {
    rows: std::vec::IntoIter<Vec<Value>>,
    graph: std::sync::Arc<super::Loaded>,
    /// Typos and performance notices, sent in the summary as Neo4j's notifications.
    notices: Vec<crate::cypher::Notice>,
}

pub(super) struct Session<'s> {
    shared: &'s Shared,
    id: u64,
    peer: String,
    version: (u8, u8),
    authenticated: bool,
    in_transaction: bool,
    failed: bool,
    /// Results by query id within a transaction (the last one for auto-commit).
    results: Vec<Option<Pending>>,
    out: BufWriter<TcpStream>,
    input: TcpStream,
}

/// Why a connection ends.
enum End {
    /// The client said goodbye or hung up.
    Closed,
    /// The client broke the protocol; it was told so where it could be.
    Violation(String),
}

impl<'s> Session<'s> {
    /// Runs a connection to its end; the log gets a line when it opens and when it closes.
    pub(super) fn serve(shared: &'s Shared, stream: TcpStream, id: u64) {
        let peer = stream
            .peer_addr()
            .map_or_else(|_| "?".to_owned(), |a| a.to_string());
        let Ok(input) = stream.try_clone() else {
            return;
        };
        let _ = stream.set_nodelay(true);
        let mut session = Session {
            shared,
            id,
            peer,
            version: (0, 0),
            authenticated: false,
            in_transaction: false,
            failed: false,
            results: Vec::new(),
            out: BufWriter::new(stream),
            input,
        };
        let end = session.handshake().and_then(|()| {
            (shared.log)(&format!(
                "bolt-{id}: {} connected (Bolt {}.{})",
                session.peer, session.version.0, session.version.1
            ));
            session.messages()
        });
        match end {
            Ok(End::Closed) | Err(_) => {
                (shared.log)(&format!("bolt-{id}: {} closed", session.peer));
            }
            Ok(End::Violation(why)) => {
                (shared.log)(&format!("bolt-{id}: {} dropped: {why}", session.peer));
            }
        }
    }

    fn handshake(&mut self) -> io::Result<()> {
        self.input.set_read_timeout(Some(HANDSHAKE_TIMEOUT))?;
        let mut preamble = [0u8; 20];
        self.input.read_exact(&mut preamble)?;
        if preamble[..4] != [0x60, 0x60, 0xB0, 0x17] {
            (self.shared.log)(&format!(
                "bolt-{}: {} is not a Bolt client",
                self.id, self.peer
            ));
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not Bolt"));
        }
        let mut proposals = [[0u8; 4]; 4];
        for (i, proposal) in proposals.iter_mut().enumerate() {
            proposal.copy_from_slice(&preamble[4 + i * 4..8 + i * 4]);
        }
        let Some(version) = negotiate(&proposals) else {
            self.out.write_all(&[0, 0, 0, 0])?;
            self.out.flush()?;
            (self.shared.log)(&format!(
                "bolt-{}: {} proposed no version this server speaks (it speaks 4.0 to 4.4 and 5.0 to 5.4)",
                self.id, self.peer
            ));
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "no common version",
            ));
        };
        self.version = version;
        self.out.write_all(&[0, 0, version.1, version.0])?;
        self.out.flush()?;
        self.input.set_read_timeout(None)
    }

    /// Reads one message, joining its chunks; `None` when the client hung up between messages.
    fn read_message(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut message = Vec::new();
        loop {
            let mut size = [0u8; 2];
            match self.input.read_exact(&mut size) {
                Err(err) if err.kind() == io::ErrorKind::UnexpectedEof && message.is_empty() => {
                    return Ok(None);
                }
                other => other?,
            }
            let size = usize::from(u16::from_be_bytes(size));
            if size == 0 {
                if message.is_empty() {
                    continue; // a keep-alive NOOP
                }
                return Ok(Some(message));
            }
            if message.len() + size > MAX_MESSAGE_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a message over {} MiB", MAX_MESSAGE_BYTES >> 20),
                ));
            }
            let start = message.len();
            message.resize(start + size, 0);
            self.input.read_exact(&mut message[start..])?;
        }
    }

    fn send(&mut self, signature: u8, fields: Vec<Bolt>) -> io::Result<()> {
        let mut bytes = Vec::new();
        Bolt::Struct(signature, fields).encode(&mut bytes);
        for chunk in bytes.chunks(0xFFFF) {
            let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
            self.out.write_all(&len.to_be_bytes())?;
            self.out.write_all(chunk)?;
        }
        self.out.write_all(&[0, 0])
    }

    fn success(&mut self, metadata: Bolt) -> io::Result<()> {
        self.send(msg::SUCCESS, vec![metadata])
    }

    fn failure(&mut self, status: &Status, message: &str) -> io::Result<()> {
        self.failed = true;
        self.in_transaction = false;
        self.results.clear();
        let mut metadata = vec![
            ("code".to_owned(), Bolt::str(status.code)),
            ("message".to_owned(), Bolt::str(message)),
        ];
        // Bolt 5.7 adds GQL's status fields; earlier versions read only these two.
        if self.version >= (5, 7) {
            metadata.push(("neo4j_code".to_owned(), Bolt::str(status.code)));
        }
        self.send(msg::FAILURE, vec![Bolt::Map(metadata)])
    }

    fn messages(&mut self) -> io::Result<End> {
        loop {
            let Some(bytes) = self.read_message()? else {
                return Ok(End::Closed);
            };
            let (signature, fields) = match Bolt::decode(&bytes) {
                Ok((Bolt::Struct(signature, fields), used)) if used == bytes.len() => {
                    (signature, fields)
                }
                Ok(_) => return self.violation("a message that is not one structure"),
                Err(err) => return self.violation(&err.to_string()),
            };
            if signature == msg::GOODBYE {
                return Ok(End::Closed);
            }
            let go_on = self.message(signature, &fields)?;
            self.out.flush()?;
            if let Some(end) = go_on {
                return Ok(end);
            }
            // Draining: messages the client already sent (a PULL after its RUN) are still
            // answered; a pause means it has nothing more in flight, and the connection ends.
            if self.shared.stopping.load(Ordering::SeqCst) {
                self.input
                    .set_read_timeout(Some(Duration::from_millis(200)))?;
            }
        }
    }

    fn violation(&mut self, why: &str) -> io::Result<End> {
        let status = Status::PROTOCOL;
        self.failure(&status, why)?;
        self.out.flush()?;
        Ok(End::Violation(why.to_owned()))
    }

    /// Answers one message; `Some` ends the connection.
    fn message(&mut self, signature: u8, fields: &[Bolt]) -> io::Result<Option<End>> {
        let first = fields.first().unwrap_or(&Bolt::Null);
        match signature {
            msg::HELLO => {
                // Before 5.1, HELLO carries the credentials; from 5.1 on, LOGON does.
                if self.version < (5, 1) && !self.logon(first)? {
                    return Ok(Some(End::Violation("wrong credentials".to_owned())));
                }
                let server = format!(
                    "Neo4j/5.26.0 (compatible; ties {})",
                    env!("CARGO_PKG_VERSION")
                );
                self.success(Bolt::map([
                    ("server", Bolt::Str(server)),
                    ("connection_id", Bolt::Str(format!("bolt-{}", self.id))),
                    ("hints", Bolt::map([])),
                ]))?;
            }
            msg::LOGON => {
                if !self.logon(first)? {
                    return Ok(Some(End::Violation("wrong credentials".to_owned())));
                }
                self.success(Bolt::map([]))?;
            }
            msg::LOGOFF => {
                self.authenticated = false;
                self.success(Bolt::map([]))?;
            }
            msg::RESET => {
                self.failed = false;
                self.in_transaction = false;
                self.results.clear();
                self.success(Bolt::map([]))?;
            }
            _ if self.failed => self.send(msg::IGNORED, Vec::new())?,
            _ if !self.authenticated => {
                self.failure(&Status::UNAUTHORIZED, "log on first (HELLO, then LOGON)")?;
            }
            msg::RUN => self.run(fields)?,
            msg::PULL => self.pull(first, true)?,
            msg::DISCARD => self.pull(first, false)?,
            msg::BEGIN => {
                self.in_transaction = true;
                self.results.clear();
                self.success(Bolt::map([]))?;
            }
            msg::COMMIT => {
                self.in_transaction = false;
                self.results.clear();
                self.success(Bolt::map([("bookmark", Bolt::str("ties:0"))]))?;
            }
            msg::ROLLBACK => {
                self.in_transaction = false;
                self.results.clear();
                self.success(Bolt::map([]))?;
            }
            msg::ROUTE => self.route()?,
            msg::TELEMETRY => self.success(Bolt::map([]))?,
            other => {
                let why = format!("unknown message 0x{other:02X}");
                self.failure(&Status::PROTOCOL, &why)?;
                return Ok(Some(End::Violation(why)));
            }
        }
        Ok(None)
    }

    /// Checks credentials (`scheme`, `principal`, `credentials`); a failure is answered and
    /// slowed down, so guessing is slow.
    fn logon(&mut self, auth: &Bolt) -> io::Result<bool> {
        let Some((user, password)) = &self.shared.options.auth else {
            self.authenticated = true;
            return Ok(true);
        };
        let given = (
            auth.get("scheme").and_then(Bolt::as_str),
            auth.get("principal").and_then(Bolt::as_str),
            auth.get("credentials").and_then(Bolt::as_str),
        );
        if given == (Some("basic"), Some(user.as_str()), Some(password.as_str())) {
            self.authenticated = true;
            return Ok(true);
        }
        self.shared.slow_down_after_failure();
        (self.shared.log)(&format!(
            "bolt-{}: {} failed to authenticate",
            self.id, self.peer
        ));
        self.failure(
            &Status::UNAUTHORIZED,
            "The client is unauthorized due to authentication failure.",
        )?;
        self.out.flush()?;
        Ok(false)
    }

    fn route(&mut self) -> io::Result<()> {
        let address = self.shared.advertised.clone();
        let servers = ["ROUTE", "READ", "WRITE"]
            .into_iter()
            .map(|role| {
                Bolt::map([
                    ("addresses", Bolt::List(vec![Bolt::str(address.clone())])),
                    ("role", Bolt::str(role)),
                ])
            })
            .collect();
        self.success(Bolt::map([(
            "rt",
            Bolt::map([
                ("ttl", Bolt::Int(300)),
                ("db", Bolt::str("neo4j")),
                ("servers", Bolt::List(servers)),
            ]),
        )]))
    }

    fn run(&mut self, fields: &[Bolt]) -> io::Result<()> {
        let Some(text) = fields.first().and_then(Bolt::as_str) else {
            return self.failure(&Status::PROTOCOL, "RUN without a query text");
        };
        let params = match fields
            .get(1)
            .map_or(Ok(BTreeMap::default()), values::params)
        {
            Ok(params) => params,
            Err(why) => return self.failure(&Status::TYPE_ERROR, &why),
        };
        let started = Instant::now();
        let graph = self.shared.graph();
        let answer = {
            let Some(_slot) = self.shared.query_slot() else {
                let why = format!(
                    "the server runs at most {} queries at once; try again",
                    self.shared.options.max_queries
                );
                return self.failure(&Status::BUSY, &why);
            };
            procedures::run(self.shared, &graph, text, params)
        };
        match answer {
            Ok(Answered {
                columns,
                rows,
                notices,
            }) => {
                let qid = if self.in_transaction {
                    self.results.len()
                } else {
                    self.results.clear();
                    0
                };
                self.results.push(Some(Pending {
                    rows: rows.into_iter(),
                    graph,
                    notices,
                }));
                let elapsed = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
                let mut metadata = vec![
                    (
                        "fields".to_owned(),
                        Bolt::List(columns.into_iter().map(Bolt::Str).collect()),
                    ),
                    ("t_first".to_owned(), Bolt::Int(elapsed)),
                ];
                if self.in_transaction {
                    metadata.push(("qid".to_owned(), Bolt::Int(i64::try_from(qid).unwrap_or(0))));
                }
                self.success(Bolt::Map(metadata))
            }
            Err((status, message)) => {
                (self.shared.log)(&format!(
                    "bolt-{}: query failed ({}): {}",
                    self.id,
                    status.code,
                    message.lines().next().unwrap_or_default()
                ));
                self.failure(&status, &message)
            }
        }
    }

    /// `PULL` (records, then a summary) or `DISCARD` (the summary) of `n` rows of query
    /// `qid` (`-1`: all rows, the last query).
    fn pull(&mut self, extra: &Bolt, records: bool) -> io::Result<()> {
        let n = extra.get("n").and_then(Bolt::as_int).unwrap_or(-1);
        let qid = extra.get("qid").and_then(Bolt::as_int).unwrap_or(-1);
        let at = if qid < 0 {
            self.results.iter().rposition(Option::is_some)
        } else {
            usize::try_from(qid).ok()
        };
        let Some(pending) = at
            .and_then(|i| self.results.get_mut(i))
            .and_then(Option::take)
        else {
            return self.failure(&Status::PROTOCOL, "no result to pull: RUN a query first");
        };
        let mut pending = pending;
        let limit = usize::try_from(n).unwrap_or(usize::MAX);
        let graph = std::sync::Arc::clone(&pending.graph);
        let encoder = Encoder {
            kg: &graph.kg,
            element_ids: self.version.0 >= 5,
        };
        let mut sent = 0;
        let mut records_out = Vec::new();
        while sent < limit {
            let Some(row) = pending.rows.next() else {
                break;
            };
            if records {
                records_out.push(Bolt::List(row.iter().map(|v| encoder.value(v)).collect()));
            }
            sent += 1;
        }
        let has_more = pending.rows.len() > 0 && n >= 0;
        for record in records_out {
            self.send(msg::RECORD, vec![record])?;
        }
        if has_more {
            if let Some(i) = at {
                self.results[i] = Some(pending);
            }
            return self.success(Bolt::map([("has_more", Bolt::Bool(true))]));
        }
        let mut summary = vec![
            ("type".to_owned(), Bolt::str("r")),
            ("t_last".to_owned(), Bolt::Int(0)),
            ("db".to_owned(), Bolt::str("neo4j")),
        ];
        if !self.in_transaction {
            summary.push(("bookmark".to_owned(), Bolt::str("ties:0")));
        }
        if !pending.notices.is_empty() {
            summary.push(("notifications".to_owned(), notifications(&pending.notices)));
        }
        self.success(Bolt::Map(summary))
    }
}

/// Notices as Neo4j's notifications (code, title, description, severity, position).
fn notifications(notices: &[crate::cypher::Notice]) -> Bolt {
    Bolt::List(
        notices
            .iter()
            .map(|notice| {
                let mut fields = vec![
                    ("code".to_owned(), Bolt::Str(notice.code())),
                    ("title".to_owned(), Bolt::str(notice.title)),
                    ("description".to_owned(), Bolt::str(notice.message.clone())),
                    ("severity".to_owned(), Bolt::str(notice.severity())),
                    (
                        "category".to_owned(),
                        Bolt::str(if notice.severity() == "WARNING" {
                            "UNRECOGNIZED"
                        } else {
                            "PERFORMANCE"
                        }),
                    ),
                ];
                if let (Some(span), Some((line, column))) = (notice.span, notice.position) {
                    let int = |n: usize| Bolt::Int(i64::try_from(n).unwrap_or(0));
                    fields.push((
                        "position".to_owned(),
                        Bolt::map([
                            ("offset", int(span.start)),
                            ("line", int(line)),
                            ("column", int(column)),
                        ]),
                    ));
                }
                Bolt::Map(fields)
            })
            .collect(),
    )
}

/// A query's answer: its columns, its rows, and what its author should know.
pub(super) struct Answered {
    pub(super) columns: Vec<String>,
    pub(super) rows: Vec<Vec<Value>>,
    pub(super) notices: Vec<crate::cypher::Notice>,
}

impl Answered {
    /// An answer with nothing to notice (a procedure's).
    pub(super) fn plain(columns: Vec<String>, rows: Vec<Vec<Value>>) -> Self {
        Answered {
            columns,
            rows,
            notices: Vec::new(),
        }
    }
}

/// The query's answer, or a Neo4j status and a message.
pub(super) type Answer = Result<Answered, (Status, String)>;

/// Runs Cypher text over the served graph within the server's limits.
pub(super) fn run_cypher(
    shared: &Shared,
    graph: &super::Loaded,
    text: &str,
    params: BTreeMap<String, Value>,
) -> Answer {
    let prepared = graph
        .prepared(text)
        .map_err(|error| Status::of(&error, text))?;
    let kg = &graph.kg;
    match prepared.run(kg, kg.adjacency(), params, shared.options.limits) {
        Ok(result) => Ok(Answered {
            columns: result.columns,
            rows: result.rows,
            notices: result.notices,
        }),
        Err(error) => Err(Status::of(&error, text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_common_version_is_chosen_and_manifests_are_passed_over() {
        // Driver 6.x: the 5.7+ manifest first, then 5.8 down to 5.0, then 4.4.
        let six = [[0, 0, 1, 0xFF], [0, 8, 8, 5], [0, 0, 4, 4], [0, 0, 0, 0]];
        assert_eq!(negotiate(&six), Some((5, 4)));
        let four = [[0, 2, 4, 4], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
        assert_eq!(negotiate(&four), Some((4, 4)));
        let five_two = [[0, 0, 2, 5], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
        assert_eq!(negotiate(&five_two), Some((5, 2)));
        let neo4rs = [[0, 0, 1, 4], [0, 0, 0, 4], [0, 0, 0, 0], [0, 0, 0, 0]];
        assert_eq!(negotiate(&neo4rs), Some((4, 1)));
        let old = [[0, 0, 0, 3], [0, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0]];
        assert_eq!(negotiate(&old), None);
    }
}
