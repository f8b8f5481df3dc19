//! `ties serve` through neo4rs, the Rust driver (Bolt 4.x): answers equal `ties query`'s.
//!
//! Usage: ties-neo4rs-check TIES_BINARY DATA_DIR
//! Starts `ties serve` on a free port of 127.0.0.1 with a password, runs queries through
//! neo4rs and through `ties query --format json`, and exits 1 on the first difference.

use std::io::BufRead;
use std::process::{Command, Stdio};

use neo4rs::{Graph, Node, Relation, query};

const QUERIES: [&str; 4] = [
    "MATCH (c:countries) RETURN c.name AS name ORDER BY name",
    "MATCH (p:people)-[v:visited]->(c) RETURN p.name AS leader, count(*) AS visits ORDER BY leader",
    "MATCH (a:countries {id: 'kazakhstan'})-[r]-(b) RETURN type(r) AS t, count(*) AS n ORDER BY t",
    "UNWIND range(1, 1500) AS i RETURN i * 2 AS twice ORDER BY twice",
];

fn ties_query(
    ties: &str,
    data: &str,
    text: &str,
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let out = Command::new(ties)
        .args([
            "--data", data, "-q", "query", "--format", "json", "-e", text,
        ])
        .output()
        .expect("ties query runs");
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    answer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_object().unwrap().clone())
        .collect()
}

fn fail(message: &str) -> ! {
    println!("neo4rs: FAIL {message}");
    std::process::exit(1);
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (ties, data) = (&args[1], &args[2]);
    let mut server = Command::new(ties)
        .args([
            "--data",
            data,
            "serve",
            "--bolt",
            "127.0.0.1:0",
            "--auth",
            "reader:s3cret",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ties serve starts");
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split("bolt://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| fail(&format!("no address in {line:?}")))
        .to_owned();
    let result = check(ties, data, &address).await;
    let _ = server.kill();
    let _ = server.wait();
    if let Err(message) = result {
        fail(&message);
    }
    println!(
        "neo4rs: {} queries and the graph types agree with ties query",
        QUERIES.len()
    );
}

async fn check(ties: &str, data: &str, address: &str) -> Result<(), String> {
    let graph = Graph::new(address, "reader", "s3cret")
        .await
        .map_err(|e| format!("connect: {e}"))?;
    for text in QUERIES {
        let expected = ties_query(ties, data, text);
        let mut stream = graph
            .execute(query(text))
            .await
            .map_err(|e| format!("{text}: {e}"))?;
        let mut got = Vec::new();
        while let Some(row) = stream.next().await.map_err(|e| format!("{text}: {e}"))? {
            got.push(
                row.to::<serde_json::Map<String, serde_json::Value>>()
                    .map_err(|e| format!("{text}: {e}"))?,
            );
        }
        let normal = |rows: &[serde_json::Map<String, serde_json::Value>]| {
            rows.iter()
                .map(|row| serde_json::to_string(row).unwrap())
                .collect::<Vec<_>>()
        };
        if normal(&got) != normal(&expected) {
            return Err(format!(
                "{text}\n  ties query: {:?}\n  neo4rs:     {:?}",
                normal(&expected),
                normal(&got)
            ));
        }
    }
    // Nodes and relationships with their labels, type and properties; a parameter.
    let mut stream = graph
        .execute(
            query("MATCH (p:people {id: $id})-[v:visited]->(c) RETURN p, v ORDER BY v.rid LIMIT 1")
                .param("id", "shimon-peres"),
        )
        .await
        .map_err(|e| e.to_string())?;
    let row = stream
        .next()
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no row")?;
    let person: Node = row.get("p").map_err(|e| e.to_string())?;
    if person.labels() != ["Entity", "people"]
        || person.get::<String>("name").ok().as_deref() != Some("Shimon Peres")
    {
        return Err(format!("the node came back as {person:?}"));
    }
    let visit: Relation = row.get("v").map_err(|e| e.to_string())?;
    if visit.typ() != "visited" {
        return Err(format!("the relationship came back as {visit:?}"));
    }
    // A write is refused.
    if graph
        .run(query("CREATE (n:people {id: 'x'})"))
        .await
        .is_ok()
    {
        return Err("a write was accepted".to_owned());
    }
    Ok(())
}
