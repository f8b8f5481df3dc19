//! `ties serve` spoken to in raw Bolt over 127.0.0.1: a session as drivers run it, and the
//! faults a server meets (bad bytes, no common version, wrong passwords, a client gone
//! mid-stream, a hundred connections at once), after each of which it still answers.
//! Every socket has a timeout, so a wrong server fails the test instead of hanging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use ties::serve::packstream::Bolt;

use super::support::root;

const SUCCESS: u8 = 0x70;
const RECORD: u8 = 0x71;
const IGNORED: u8 = 0x7E;
const FAILURE: u8 = 0x7F;

/// A server on a free port of 127.0.0.1, stopped when dropped.
struct Served {
    child: Child,
    address: String,
    /// The HTTP address, with `--http`.
    http: Option<String>,
    /// Where its log lines (stderr) go.
    log: tempfile::NamedTempFile,
}

impl Served {
    fn start(extra: &[&str]) -> Self {
        Self::start_on(&root().join("tests/data/article"), extra)
    }

    fn start_on(data: &std::path::Path, extra: &[&str]) -> Self {
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ties"))
            .current_dir(root())
            .env("TIES_DATA", data)
            .args(["serve", "--bolt", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let http = extra.contains(&"--http").then(|| {
            let mut second = String::new();
            stdout.read_line(&mut second).unwrap();
            second
                .split("http://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or_else(|| panic!("no HTTP address in {second:?}"))
                .to_owned()
        });
        let address = line
            .split("bolt://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Served {
            child,
            address,
            http,
            log,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap()
    }

    fn connect(&self) -> TcpStream {
        connect(&self.address)
    }

    fn client(&self, version: [u8; 4]) -> Client {
        client(&self.address, version)
    }
}

fn connect(address: &str) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// A connection through the handshake, proposing `version` (`[0, range, minor, major]`).
fn client(address: &str, version: [u8; 4]) -> Client {
    let mut stream = connect(address);
    let mut hello = vec![0x60, 0x60, 0xB0, 0x17];
    hello.extend_from_slice(&version);
    hello.extend_from_slice(&[0; 12]);
    stream.write_all(&hello).unwrap();
    let mut agreed = [0u8; 4];
    stream.read_exact(&mut agreed).unwrap();
    Client { stream, agreed }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Client {
    stream: TcpStream,
    agreed: [u8; 4],
}

impl Client {
    fn send(&mut self, signature: u8, fields: Vec<Bolt>) {
        let mut bytes = Vec::new();
        Bolt::Struct(signature, fields).encode(&mut bytes);
        let mut framed = Vec::new();
        for chunk in bytes.chunks(0xFFFF) {
            framed.extend_from_slice(&u16::try_from(chunk.len()).unwrap().to_be_bytes());
            framed.extend_from_slice(chunk);
        }
        framed.extend_from_slice(&[0, 0]);
        self.stream.write_all(&framed).unwrap();
    }

    /// The next message, or `None` when the server closed the connection.
    fn receive(&mut self) -> Option<(u8, Vec<Bolt>)> {
        let mut message = Vec::new();
        loop {
            let mut size = [0u8; 2];
            self.stream.read_exact(&mut size).ok()?;
            let size = usize::from(u16::from_be_bytes(size));
            if size == 0 {
                break;
            }
            let start = message.len();
            message.resize(start + size, 0);
            self.stream.read_exact(&mut message[start..]).ok()?;
        }
        match Bolt::decode(&message).unwrap().0 {
            Bolt::Struct(signature, fields) => Some((signature, fields)),
            other => panic!("not a message: {other:?}"),
        }
    }

    fn expect(&mut self, signature: u8) -> Vec<Bolt> {
        let (got, fields) = self.receive().expect("the server closed the connection");
        assert_eq!(got, signature, "{fields:?}");
        fields
    }

    fn hello(&mut self, auth: Option<(&str, &str)>) {
        self.send(
            0x01,
            vec![Bolt::map([("user_agent", Bolt::str("ties-test/1"))])],
        );
        self.expect(SUCCESS);
        let logon = match auth {
            Some((user, password)) => Bolt::map([
                ("scheme", Bolt::str("basic")),
                ("principal", Bolt::str(user)),
                ("credentials", Bolt::str(password)),
            ]),
            None => Bolt::map([("scheme", Bolt::str("none"))]),
        };
        self.send(0x6A, vec![logon]);
    }

    /// RUN and PULL everything: the fields and the records, or the failure's code.
    fn query(&mut self, text: &str, params: Bolt) -> Result<(Vec<Bolt>, Vec<Vec<Bolt>>), String> {
        self.send(0x10, vec![Bolt::str(text), params, Bolt::map([])]);
        self.send(0x3F, vec![Bolt::map([("n", Bolt::Int(-1))])]);
        let (signature, fields) = self.receive().unwrap();
        if signature == FAILURE {
            let code = fields[0].get("code").unwrap().as_str().unwrap().to_owned();
            assert_eq!(self.receive().unwrap().0, IGNORED, "PULL after a failure");
            self.send(0x0F, vec![]);
            self.expect(SUCCESS);
            return Err(code);
        }
        assert_eq!(signature, SUCCESS);
        let Some(Bolt::List(columns)) = fields[0].get("fields").cloned() else {
            panic!("no fields in {fields:?}");
        };
        let mut rows = Vec::new();
        loop {
            let (signature, fields) = self.receive().unwrap();
            match signature {
                RECORD => match &fields[0] {
                    Bolt::List(values) => rows.push(values.clone()),
                    other => panic!("a record that is not a list: {other:?}"),
                },
                SUCCESS => return Ok((columns, rows)),
                other => panic!("0x{other:02X} during PULL"),
            }
        }
    }
}

const V5: [u8; 4] = [0, 4, 4, 5];

#[test]
fn a_session_runs_queries_and_streams_entities_in_batches() {
    let served = Served::start(&[]);
    let mut client = served.client(V5);
    assert_eq!(client.agreed, [0, 0, 4, 5], "Bolt 5.4 agreed");
    client.hello(None);
    client.expect(SUCCESS);

    let (columns, rows) = client
        .query(
            "MATCH (p:people {id: $id})-[v:visited]->(c) RETURN p, v, c.name AS country ORDER BY country",
            Bolt::map([("id", Bolt::str("shimon-peres"))]),
        )
        .unwrap();
    assert_eq!(
        columns,
        [Bolt::str("p"), Bolt::str("v"), Bolt::str("country")]
    );
    assert_eq!(rows.len(), 2);
    let Bolt::Struct(0x4E, node) = &rows[0][0] else {
        panic!("not a node: {:?}", rows[0][0]);
    };
    assert_eq!(
        node[1],
        Bolt::List(vec![Bolt::str("Entity"), Bolt::str("people")])
    );
    assert_eq!(node[2].get("name"), Some(&Bolt::str("Shimon Peres")));
    assert_eq!(
        node[3],
        Bolt::str("shimon-peres"),
        "the element id is the entity's id"
    );
    let Bolt::Struct(0x52, relationship) = &rows[0][1] else {
        panic!("not a relationship: {:?}", rows[0][1]);
    };
    assert_eq!(relationship[3], Bolt::str("visited"));
    assert_eq!(relationship[6], Bolt::str("shimon-peres"));

    // A whole day is a Bolt Date; a year alone stays text.
    let (_, rows) = client
        .query(
            "RETURN date('1992-12-27') AS day, date('1992') AS year",
            Bolt::map([]),
        )
        .unwrap();
    assert_eq!(rows[0][0], Bolt::Struct(0x44, vec![Bolt::Int(8396)]));
    assert_eq!(rows[0][1], Bolt::str("1992"));

    // PULL in batches of n, inside an explicit transaction, by query id.
    client.send(0x11, vec![Bolt::map([("mode", Bolt::str("r"))])]);
    client.expect(SUCCESS);
    client.send(
        0x10,
        vec![
            Bolt::str("UNWIND range(1, 5) AS i RETURN i"),
            Bolt::map([]),
            Bolt::map([]),
        ],
    );
    let run = client.expect(SUCCESS);
    assert_eq!(run[0].get("qid"), Some(&Bolt::Int(0)));
    client.send(
        0x3F,
        vec![Bolt::map([("n", Bolt::Int(2)), ("qid", Bolt::Int(0))])],
    );
    client.expect(RECORD);
    client.expect(RECORD);
    let more = client.expect(SUCCESS);
    assert_eq!(more[0].get("has_more"), Some(&Bolt::Bool(true)));
    client.send(
        0x2F,
        vec![Bolt::map([("n", Bolt::Int(-1)), ("qid", Bolt::Int(0))])],
    );
    client.expect(SUCCESS);
    client.send(0x12, vec![]);
    client.expect(SUCCESS);

    // What tools ask on connect.
    let (_, rows) = client.query("CALL db.labels()", Bolt::map([])).unwrap();
    assert!(rows.contains(&vec![Bolt::str("countries")]));
    let (_, rows) = client
        .query(
            "CALL db.relationshipTypes() YIELD relationshipType WHERE relationshipType STARTS WITH 'vis' RETURN relationshipType",
            Bolt::map([]),
        )
        .unwrap();
    assert_eq!(rows, [vec![Bolt::str("visited")]]);
    let (_, rows) = client.query("SHOW DATABASES", Bolt::map([])).unwrap();
    assert_eq!(rows[0][0], Bolt::str("neo4j"));
    // The schema LangChain reads, as APOC's apoc.meta.data gives it.
    let (_, rows) = client
        .query(
            "CALL apoc.meta.data({sample: $n}) YIELD label, other, elementType, type, property
             WHERE label = 'people' AND elementType = 'node'
             RETURN property, type, other ORDER BY property",
            Bolt::map([("n", Bolt::Int(1000))]),
        )
        .unwrap();
    let found: Vec<(Bolt, Bolt)> = rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert!(
        found.contains(&(Bolt::str("name"), Bolt::str("STRING"))),
        "{found:?}"
    );
    assert!(
        found.contains(&(Bolt::str("visited"), Bolt::str("RELATIONSHIP"))),
        "{found:?}"
    );
    let (_, rows) = client.query("SHOW CONSTRAINTS", Bolt::map([])).unwrap();
    assert!(rows.is_empty());

    // A typo answers nothing, and says why as Neo4j's notifications do.
    client.send(
        0x10,
        vec![
            Bolt::str("MATCH (c:countrys) RETURN c"),
            Bolt::map([]),
            Bolt::map([]),
        ],
    );
    client.send(0x3F, vec![Bolt::map([("n", Bolt::Int(-1))])]);
    client.expect(SUCCESS);
    let summary = client.expect(SUCCESS);
    let Some(Bolt::List(notifications)) = summary[0].get("notifications") else {
        panic!("no notifications in {summary:?}");
    };
    assert_eq!(
        notifications[0].get("code"),
        Some(&Bolt::str(
            "Neo.ClientNotification.Statement.UnknownLabelWarning"
        ))
    );

    // Errors carry Neo4j's status codes; the session goes on after RESET.
    for (query, code) in [
        (
            "CREATE (n:people {id: 'x'})",
            "Neo.ClientError.Statement.AccessMode",
        ),
        ("MATCH (n RETURN n", "Neo.ClientError.Statement.SyntaxError"),
        (
            "RETURN $nothing",
            "Neo.ClientError.Statement.ParameterMissing",
        ),
        (
            "CALL apoc.nothing()",
            "Neo.ClientError.Procedure.ProcedureNotFound",
        ),
        (
            "MATCH ()-[r]->() MATCH (r) RETURN r",
            "Neo.ClientError.Statement.SemanticError",
        ),
    ] {
        assert_eq!(
            client.query(query, Bolt::map([])).unwrap_err(),
            code,
            "{query}"
        );
    }
    assert!(client.query("RETURN 1", Bolt::map([])).is_ok());
    client.send(0x02, vec![]);
}

#[test]
fn bolt_4_4_speaks_without_element_ids_and_with_credentials_in_hello() {
    let served = Served::start(&["--auth", "reader:s3cret"]);
    let mut client = served.client([0, 0, 4, 4]);
    assert_eq!(client.agreed, [0, 0, 4, 4]);
    client.send(
        0x01,
        vec![Bolt::map([
            ("user_agent", Bolt::str("ties-test/1")),
            ("scheme", Bolt::str("basic")),
            ("principal", Bolt::str("reader")),
            ("credentials", Bolt::str("s3cret")),
        ])],
    );
    client.expect(SUCCESS);
    let (_, rows) = client
        .query("MATCH (c:countries {id: 'israel'}) RETURN c", Bolt::map([]))
        .unwrap();
    let Bolt::Struct(0x4E, node) = &rows[0][0] else {
        panic!("not a node");
    };
    assert_eq!(node.len(), 3, "Bolt 4.4 nodes have no element id");
}

#[test]
fn faults_leave_the_server_answering() {
    // Room for the hundred queries at once below: past `--max-queries` a query is refused
    // with a transient error (drivers retry it), which a slow, loaded machine can reach.
    let served = Served::start(&[
        "--auth",
        "reader:s3cret",
        "--timeout",
        "1",
        "--max-queries",
        "128",
    ]);
    let answers = |address: &str| {
        let mut client = client(address, V5);
        client.hello(Some(("reader", "s3cret")));
        client.expect(SUCCESS);
        client.query("RETURN 1 AS one", Bolt::map([])).unwrap().1
    };

    // A wrong password: Unauthorized, and the connection is closed.
    let mut client = served.client(V5);
    client.hello(Some(("reader", "guess")));
    let failure = client.expect(FAILURE);
    assert_eq!(
        failure[0].get("code"),
        Some(&Bolt::str("Neo.ClientError.Security.Unauthorized"))
    );
    assert!(client.receive().is_none());

    // No version in common: four zero bytes, then the server hangs up.
    let client = served.client([0, 0, 0, 3]);
    assert_eq!(client.agreed, [0, 0, 0, 0]);

    // Not Bolt at all.
    let mut stream = served.connect();
    stream.write_all(b"GET / HTTP/1.1\r\n\r\n\r\n").unwrap();
    assert_eq!(stream.read(&mut [0u8; 16]).unwrap_or(0), 0);

    // Malformed PackStream inside a well-formed chunk: a failure, then the end.
    let mut client = served.client(V5);
    client.stream.write_all(&[0, 2, 0xB1, 0xC7, 0, 0]).unwrap();
    assert_eq!(
        client.expect(FAILURE)[0].get("code"),
        Some(&Bolt::str("Neo.ClientError.Request.Invalid"))
    );

    // A chunk that announces more than is sent, then the client vanishes.
    let mut client = served.client(V5);
    client.stream.write_all(&[0xFF, 0xFF, 0xB1]).unwrap();
    drop(client);

    // A client gone mid-stream: it asked for a large result and left without pulling.
    let mut client = served.client(V5);
    client.hello(Some(("reader", "s3cret")));
    client.expect(SUCCESS);
    client.send(
        0x10,
        vec![
            Bolt::str("UNWIND range(1, 200000) AS i RETURN i"),
            Bolt::map([]),
            Bolt::map([]),
        ],
    );
    client.send(0x3F, vec![Bolt::map([("n", Bolt::Int(10))])]);
    drop(client);

    // A query past the timeout fails as Neo4j's does, and the session goes on.
    let mut client = served.client(V5);
    client.hello(Some(("reader", "s3cret")));
    client.expect(SUCCESS);
    assert_eq!(
        client
            .query("MATCH p=(a)-[*]-(b)-[*]-(c) RETURN count(p)", Bolt::map([]))
            .unwrap_err(),
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
    );
    assert_eq!(
        client.query("RETURN 2", Bolt::map([])).unwrap().1,
        [vec![Bolt::Int(2)]]
    );

    // A hundred connections at once, each asking.
    let threads: Vec<_> = (0..100)
        .map(|_| {
            let address = served.address.clone();
            std::thread::spawn(move || {
                assert_eq!(answers(&address), [vec![Bolt::Int(1)]]);
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(answers(&served.address), [vec![Bolt::Int(1)]]);
}

#[test]
fn sigterm_drains_the_query_in_flight_then_exits() {
    let mut served = Served::start(&[]);
    let mut client = served.client(V5);
    client.hello(None);
    client.expect(SUCCESS);
    let idle = served.client(V5);
    client.send(
        0x10,
        vec![
            Bolt::str("UNWIND range(1, 2000000) AS i WITH i WHERE i % 2 = 0 RETURN count(*) AS n"),
            Bolt::map([]),
            Bolt::map([]),
        ],
    );
    client.send(0x3F, vec![Bolt::map([("n", Bolt::Int(-1))])]);
    std::thread::sleep(Duration::from_millis(100));
    let pid = served.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    // The query in flight answers in full; then the server closes and exits cleanly.
    client.expect(SUCCESS);
    assert_eq!(
        client.expect(RECORD)[0],
        Bolt::List(vec![Bolt::Int(1_000_000)])
    );
    client.expect(SUCCESS);
    assert!(
        client.receive().is_none(),
        "the connection ends after the answer"
    );
    drop(idle);
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not exit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_serves_changed_data_and_keeps_the_old_graph_when_the_new_one_has_errors() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["entities", "relations"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(root().join("tests/data/article").join(folder)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(
                &path,
                dir.path().join(folder).join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    let toml = root().join("tests/data/article/ties.toml");
    if toml.exists() {
        std::fs::copy(&toml, dir.path().join("ties.toml")).unwrap();
    }
    let served = Served::start_on(dir.path(), &["--watch"]);
    let countries = |served: &Served| {
        let mut client = served.client(V5);
        client.hello(None);
        client.expect(SUCCESS);
        let (_, rows) = client
            .query("MATCH (c:countries) RETURN count(*) AS n", Bolt::map([]))
            .unwrap();
        rows[0][0].as_int().unwrap()
    };
    let before = countries(&served);
    let file = dir.path().join("entities/countries.csv");
    let mut text = std::fs::read_to_string(&file).unwrap();
    let header_width = text.lines().next().unwrap().split(',').count();
    let mut row = vec!["atlantis".to_owned(), "Atlantis".to_owned()];
    row.resize(header_width, String::new());
    text.push_str(&(row.join(",") + "\n"));
    std::fs::write(&file, &text).unwrap();
    let started = std::time::Instant::now();
    while countries(&served) != before + 1 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the change was never served"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // A row with too many cells: the new data is refused, the graph before keeps serving.
    text.push_str("broken,row,with,far,too,many,cells,here\n");
    std::fs::write(&file, &text).unwrap();
    let started = std::time::Instant::now();
    while !served
        .log()
        .contains("still serving the graph loaded before")
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{}",
            served.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(served.log().contains("countries.csv:"), "{}", served.log());
    assert_eq!(countries(&served), before + 1);
}

/// One HTTP/1.1 request to `address`; the status code and the body.
fn http(address: &str, request: &str) -> (u16, String) {
    let mut stream = connect(address);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {response:?}"));
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, body.to_owned())
}

fn post_query(address: &str, host: &str, auth: Option<&str>, body: &str) -> (u16, String) {
    let auth = auth.map_or(String::new(), |a| format!("Authorization: Basic {a}\r\n"));
    http(
        address,
        &format!(
            "POST /query HTTP/1.1\r\nHost: {host}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

#[test]
fn the_explorer_is_served_live_and_post_query_answers_as_ties_query_does() {
    let served = Served::start(&["--http", "127.0.0.1:0", "--auth", "reader:s3cret"]);
    let address = served.http.clone().unwrap();
    // "reader:s3cret" in base64.
    let auth = Some("cmVhZGVyOnMzY3JldA==");
    let (status, page) = http(
        &address,
        &format!(
            "GET / HTTP/1.1\r\nHost: {address}\r\nAuthorization: Basic cmVhZGVyOnMzY3JldA==\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 200);
    assert!(page.contains(r#"id="cypher""#) && page.contains("ties-data"));

    let query = "MATCH (p:people {id: $id})-[v:visited]->(c) RETURN p, v, c.name AS country ORDER BY country, v.rid";
    let body = serde_json::json!({"query": query, "params": {"id": "shimon-peres"}}).to_string();
    let (status, answer) = post_query(&address, &address, auth, &body);
    assert_eq!(status, 200, "{answer}");
    let expected = super::support::ties()
        .args([
            "query",
            "--format",
            "json",
            "--param",
            "id=shimon-peres",
            "-e",
            query,
        ])
        .output()
        .unwrap();
    let expected: serde_json::Value = serde_json::from_slice(&expected.stdout).unwrap();
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["rows"], expected["rows"]);
    assert_eq!(answer["columns"], expected["columns"]);

    // A write, no password, another host name, a body that is not JSON.
    let (status, answer) = post_query(&address, &address, auth, r#"{"query": "CREATE (n)"}"#);
    assert_eq!(status, 400);
    assert!(
        answer.contains("Neo.ClientError.Statement.AccessMode"),
        "{answer}"
    );
    assert_eq!(post_query(&address, &address, None, &body).0, 401);
    assert_eq!(
        post_query(&address, "rebound.example:80", auth, &body).0,
        403
    );
    assert_eq!(post_query(&address, &address, auth, "not json").0, 400);
}

#[test]
fn serve_starts_from_the_snapshot_and_reads_all_of_it_first() {
    use crate::snapshot::{copy_of, snapshot_in};
    let data = copy_of("article");
    let cache = tempfile::tempdir().unwrap();
    let cache_arg = cache.path().to_str().unwrap();
    crate::support::ties()
        .env("TIES_DATA", data.path())
        .args(["--cache", cache_arg, "stats"])
        .assert()
        .success();
    let question =
        "MATCH (p {id: 'shimon-peres'})-[v:visited]->() RETURN v.note AS note ORDER BY note";
    let answer = |served: &Served| {
        let mut client = served.client(V5);
        client.hello(None);
        client.expect(SUCCESS);
        client.query(question, Bolt::map([])).unwrap().1
    };
    let served = Served::start_on(data.path(), &["--cache", cache_arg]);
    let whole = answer(&served);
    assert_eq!(whole.len(), 2, "{whole:?}");
    assert!(!served.log().contains("snapshot"), "{}", served.log());
    drop(served);
    // A damaged byte in a part commands read on first use: the server reads
    // all of the snapshot before answering, finds it, and serves the data files.
    let file = snapshot_in(cache.path());
    let mut bytes = std::fs::read(&file).unwrap();
    // The first relation file's attributes (after the catalog and nine entity files).
    let (offset, len) = crate::snapshot::sections_of(&bytes)[2 + 9];
    bytes[offset + len / 2] ^= 0x10;
    std::fs::write(&file, &bytes).unwrap();
    let served = Served::start_on(data.path(), &["--cache", cache_arg]);
    assert_eq!(answer(&served), whole);
    assert!(
        served.log().contains("ignoring the graph snapshot"),
        "{}",
        served.log()
    );
}
