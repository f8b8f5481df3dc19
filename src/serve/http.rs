//! The explorer, live: `GET /` gives the explorer page, `POST /query` answers Cypher with the
//! JSON of `ties query --format json`, `GET /health` says what is served. Same binding, same
//! password (HTTP Basic) and same limits as Bolt.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::Ordering;

use base64::Engine as _;
use tiny_http::{Header, Method, Request, Response};

use super::{Shared, Status, procedures};
use crate::cypher::{QueryResult, Value};

/// The largest request body read (a query and its parameters).
const MAX_BODY_BYTES: u64 = 1 << 20;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

fn json(status: u16, body: &serde_json::Value) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(serde_json::to_vec(body).unwrap_or_default())
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json; charset=utf-8"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn error(status: u16, code: &str, message: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    json(
        status,
        &serde_json::json!({"error": {"code": code, "message": message}}),
    )
}

/// Serves requests until the server stops (`http.unblock()` ends the wait).
pub(super) fn serve(shared: &Shared, http: &tiny_http::Server, page: &str) {
    while !shared.stopping.load(Ordering::SeqCst) {
        let Ok(mut request) = http.recv() else {
            break;
        };
        let response = respond(shared, page, &mut request);
        if let Err(err) = request.respond(response) {
            (shared.log)(&format!("http: a response was not sent: {err}"));
        }
    }
}

/// Whether the request names this server as its host: on a loopback address only
/// `127.0.0.1`, `localhost` or `[::1]` with the port, so a page from elsewhere cannot reach
/// the server through a DNS name rebound to 127.0.0.1.
fn host_allowed(shared: &Shared, request: &Request) -> bool {
    let Some(address) = shared.http_address else {
        return false;
    };
    if !address.ip().is_loopback() {
        return true;
    }
    let port = address.port();
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .is_some_and(|h| {
            let host = h.value.as_str();
            [
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
            ]
            .contains(&host.to_ascii_lowercase())
        })
}

fn authorized(shared: &Shared, request: &Request) -> bool {
    let Some((user, password)) = &shared.options.auth else {
        return true;
    };
    let given = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .and_then(|h| h.value.as_str().strip_prefix("Basic "))
        .and_then(|encoded| {
            base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .ok()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok());
    given.as_deref() == Some(&format!("{user}:{password}"))
}

fn respond(
    shared: &Shared,
    page: &str,
    request: &mut Request,
) -> Response<std::io::Cursor<Vec<u8>>> {
    if !host_allowed(shared, request) {
        return error(
            403,
            "Forbidden",
            "this server answers requests for its own address only",
        );
    }
    if !authorized(shared, request) {
        shared.slow_down_after_failure();
        (shared.log)("http: a request with wrong or no credentials");
        return error(401, Status::UNAUTHORIZED.code, "log in (HTTP Basic)").with_header(header(
            "WWW-Authenticate",
            "Basic realm=\"ties\", charset=\"UTF-8\"",
        ));
    }
    let path = request
        .url()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    match (request.method(), path.as_str()) {
        (Method::Get, "/" | "/index.html") => Response::from_data(page.as_bytes().to_vec())
            .with_header(header("Content-Type", "text/html; charset=utf-8"))
            .with_header(header("X-Content-Type-Options", "nosniff")),
        (Method::Get, "/health") => {
            let graph = shared.graph();
            json(
                200,
                &serde_json::json!({
                    "entities": graph.kg.entity_count(),
                    "relations": graph.kg.relation_count(),
                }),
            )
        }
        (Method::Post, "/query") => query(shared, request),
        // Browsers ask for an icon; there is none, and saying so is not an error.
        (Method::Get, "/favicon.ico") => Response::from_data(Vec::new()).with_status_code(204),
        (_, "/" | "/index.html" | "/health" | "/query") => {
            error(405, "MethodNotAllowed", "GET / and /health, POST /query")
        }
        _ => error(
            404,
            "NotFound",
            "GET / (the explorer), GET /health, POST /query",
        ),
    }
}

/// `POST /query` with `{"query": "...", "params": {...}}` (JSON, so a page of another site
/// cannot send it without the browser asking first).
fn query(shared: &Shared, request: &mut Request) -> Response<std::io::Cursor<Vec<u8>>> {
    let is_json = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Content-Type"))
        .is_some_and(|h| h.value.as_str().starts_with("application/json"));
    if !is_json {
        return error(
            415,
            "UnsupportedMediaType",
            "send the query as application/json",
        );
    }
    let mut body = String::new();
    let read = request
        .as_reader()
        .take(MAX_BODY_BYTES + 1)
        .read_to_string(&mut body);
    if read.is_err() || body.len() as u64 > MAX_BODY_BYTES {
        return error(
            413,
            "PayloadTooLarge",
            "a query of at most 1 MiB of UTF-8 JSON",
        );
    }
    let Ok(request_json) = serde_json::from_str::<serde_json::Value>(&body) else {
        return error(400, Status::PROTOCOL.code, "the body is not JSON");
    };
    let Some(text) = request_json
        .get("query")
        .and_then(serde_json::Value::as_str)
    else {
        return error(400, Status::PROTOCOL.code, "no \"query\" text in the body");
    };
    let params = match request_json.get("params") {
        None | Some(serde_json::Value::Null) => BTreeMap::new(),
        Some(serde_json::Value::Object(map)) => {
            map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()
        }
        Some(_) => return error(400, Status::PROTOCOL.code, "\"params\" is not an object"),
    };
    let graph = shared.graph();
    let answer = {
        let Some(_slot) = shared.query_slot() else {
            return error(
                503,
                Status::BUSY.code,
                "too many queries at once; try again",
            );
        };
        procedures::run(shared, &graph, text, params)
    };
    match answer {
        Ok(answer) => {
            let result = QueryResult {
                columns: answer.columns,
                rows: answer.rows,
                notices: answer.notices,
                plan: None,
                truncated: false,
            };
            json(200, &crate::cypher::json::result_json(&graph.kg, &result))
        }
        Err((status, message)) => {
            (shared.log)(&format!(
                "http: query failed ({}): {}",
                status.code,
                message.lines().next().unwrap_or_default()
            ));
            error(400, status.code, &message)
        }
    }
}

fn from_json(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN)), Value::Int),
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}
