//! Data from where it lives: Excel's CSVs (`;`, tabs, a byte-order mark, Windows-1252),
//! workbooks (`.xlsx`, `.ods`) with typed cells, and the rules that keep one mistake from
//! becoming many (no cascades, spaces around ids).

use std::io::Write;

use super::support::{DataDir, load_errors, load_ok, ties};

/// The relations every variant below shares, as a comma CSV.
const PEOPLE: &str =
    "id,name,born:date,height:float\nada,Ada Lovelace,1815-12-10,1.65\nzoe,Zoé,,\n";
const KNOWS: &str = "from,type,to,start\nada,knows,zoe,1840\n";

/// Entities and relations of a data dir as `id name attributes` and `from type to start`.
fn summary(kg: &ties::graph::KnowledgeGraph) -> Vec<String> {
    let mut lines: Vec<String> = kg
        .node_indices()
        .map(|n| {
            let attrs: Vec<String> = kg
                .catalog
                .entity_attrs(kg.entity(n))
                .map(|(def, value)| format!("{}={}", def.name, serde_json::json!(value)))
                .collect();
            format!(
                "{} {} {} [{}]",
                kg.kind(n),
                kg.id(n),
                kg.name(n),
                attrs.join(" ")
            )
        })
        .collect();
    for e in kg.edge_indices() {
        let (a, b) = kg.endpoints(e);
        let start = kg
            .relation(e)
            .start
            .map(|d| d.to_string())
            .unwrap_or_default();
        lines.push(format!(
            "{} {} {} {start}",
            kg.id(a),
            kg.rel_type(e),
            kg.id(b)
        ));
    }
    lines
}

fn reference() -> Vec<String> {
    let data = DataDir::new(&[
        ("entities/people.csv", PEOPLE.as_bytes()),
        ("relations/knows.csv", KNOWS.as_bytes()),
    ]);
    summary(&load_ok(&data))
}

#[test]
fn excel_csvs_separated_by_semicolons_or_tabs_read_as_the_comma_files_do() {
    let semicolons = |text: &str| {
        let mut bytes = b"\xef\xbb\xbf".to_vec(); // the byte-order mark Excel writes
        bytes.extend(text.replace(',', ";").replace('\n', "\r\n").bytes());
        bytes
    };
    let data = DataDir::new(&[
        ("entities/people.csv", &semicolons(PEOPLE)),
        ("relations/knows.tsv", KNOWS.replace(',', "\t").as_bytes()),
    ]);
    assert_eq!(summary(&load_ok(&data)), reference());
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .arg("check")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("warning:").count(), 1, "said once: {stderr}");
    assert!(
        stderr.contains("entities/people.csv by `;`")
            && stderr.contains("relations/knows.tsv by tabs"),
        "{stderr}"
    );
}

#[test]
fn windows_1252_reads_when_the_encoding_is_named() {
    // Windows-1252: é is the one byte 0xE9.
    let latin: Vec<u8> = PEOPLE
        .chars()
        .map(|c| {
            if c == 'é' {
                0xe9
            } else {
                u8::try_from(c).unwrap()
            }
        })
        .collect();
    let files: [(&str, &[u8]); 2] = [
        ("entities/people.csv", &latin),
        ("relations/knows.csv", KNOWS.as_bytes()),
    ];
    let data = DataDir::new(&files);
    assert_eq!(load_errors(&data).len(), 1);
    let options = ties::load::LoadOptions {
        encoding: Some("windows-1252".to_owned()),
    };
    let loaded = ties::load::load_dir_with(data.path(), &options, &ties::load::NoProgress)
        .map(ties::graph::KnowledgeGraph::from_dataset)
        .unwrap();
    assert_eq!(summary(&loaded), reference());
    // The same from ties.toml, and the flag through the CLI.
    let mut with_toml: Vec<(&str, &[u8])> = files.to_vec();
    with_toml.push(("ties.toml", b"encoding = \"windows-1252\"\n"));
    assert_eq!(summary(&load_ok(&DataDir::new(&with_toml))), reference());
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .args(["--encoding", "windows-1252", "find", "zo"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "zoe  people  Zoé\n"
    );
    let output = ties()
        .arg("--data")
        .arg(data.path())
        .args(["--encoding", "klingon", "check"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--encoding: unknown encoding `klingon`")
    );
}

#[test]
fn a_bad_cell_is_one_error_not_one_per_relation_of_its_row() {
    let data = DataDir::new(&[
        (
            "entities/people.csv",
            b"id,name,born:date\nlarry-page,Larry Page,26.03.1973\nsergey,Sergey Brin,1973-08-21\n",
        ),
        (
            "relations/r.csv",
            b"from,type,to\nlarry-page,knows,sergey\nsergey,knows,larry-page\nlarry-page,met,sergey\nnobody,knows,sergey\n",
        ),
    ]);
    assert_eq!(
        load_errors(&data),
        [
            "entities/people.csv:2: column `born`: `26.03.1973` is not a date: write it `1973-03-26` (YYYY-MM-DD)",
            "relations/r.csv:5: column `from`: unknown entity `nobody`",
        ]
    );
}

#[test]
fn ids_and_types_with_spaces_around_them_are_read_trimmed_with_a_warning() {
    let data = DataDir::new(&[
        (
            "entities/countries.csv",
            b"id,name\nus ,United States\nkz,Kazakhstan\n",
        ),
        (
            "relations/r.csv",
            b"from,type,to\nkz, trades_with,us\n kz,trades_with,us \n",
        ),
    ]);
    let kg = load_ok(&data);
    assert_eq!(
        kg.node_by_id("us").map(|n| kg.name(n)),
        Some("United States")
    );
    assert_eq!(kg.catalog.rel_types, ["trades_with"]);
    let warnings: Vec<String> = kg.warnings.iter().map(ToString::to_string).collect();
    let prefix = format!("{}/", data.path().display());
    let warnings: Vec<String> = warnings.iter().map(|w| w.replace(&prefix, "")).collect();
    assert_eq!(
        warnings,
        [
            "entities/countries.csv:2: id `us ` has spaces around it; read as `us`",
            "relations/r.csv:3: 2 ids have spaces around them and are read trimmed, this one first: ` kz` as `kz`",
            "relations/r.csv:2: relation type ` trades_with` has spaces around it; read as `trades_with`",
        ]
    );
}

/// A workbook of `sheets` (name, rows of cells) written by `rust_xlsxwriter`.
fn xlsx(sheets: &[(&str, &[&[Cell]])]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r).unwrap();
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap();
                match cell {
                    Cell::Text(text) => sheet.write_string(r, c, *text).map(|_| ()),
                    Cell::Number(x) => sheet.write_number(r, c, *x).map(|_| ()),
                    Cell::Bool(b) => sheet.write_boolean(r, c, *b).map(|_| ()),
                    Cell::Date(text) => sheet
                        .write_datetime_with_format(
                            r,
                            c,
                            ExcelDateTime::parse_from_str(text).unwrap(),
                            &date,
                        )
                        .map(|_| ()),
                    Cell::Formula(formula, result) => sheet
                        .write_formula(r, c, Formula::new(*formula).set_result(*result))
                        .map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

enum Cell {
    Text(&'static str),
    Number(f64),
    Bool(bool),
    Date(&'static str),
    Formula(&'static str, &'static str),
    Empty,
}

use Cell::{Bool, Date, Empty, Formula, Number, Text};

#[test]
fn a_workbook_is_a_table_per_sheet_with_its_cells_typed() {
    let registry = xlsx(&[
        (
            "people",
            &[
                &[
                    Text("id"),
                    Text("name"),
                    Text("born"),
                    Text("height"),
                    Text("alive"),
                    Text("joined"),
                ],
                &[
                    Text("ada"),
                    Text("Ada Lovelace"),
                    Date("1915-12-10"),
                    Number(1.65),
                    Bool(false),
                    Text("1933-06"),
                ],
                // An empty row between two, as spreadsheets have.
                &[Empty],
                &[
                    Text("zoe"),
                    Text("Zoé"),
                    Empty,
                    Formula("=1+1", "2"),
                    Bool(true),
                    Empty,
                ],
            ],
        ),
        (
            "companies",
            &[
                &[Text("id"), Text("name"), Text("founded:int")],
                &[Text("acme"), Text("Acme"), Number(1905.0)],
            ],
        ),
    ]);
    let ties_rows = xlsx(&[(
        "Sheet1",
        &[
            &[
                Text("from"),
                Text("type"),
                Text("to"),
                Text("start"),
                Text("amount"),
            ],
            &[
                Text("ada"),
                Text("knows"),
                Text("zoe"),
                Date("1940-01-02"),
                Number(100.0),
            ],
            &[
                Text("acme"),
                Text("employs"),
                Text("ada"),
                Text("1941"),
                Number(250.5),
            ],
        ],
    )]);
    let data = DataDir::new(&[
        ("entities/registry.xlsx", &registry),
        ("relations/ties.xlsx", &ties_rows),
    ]);
    let kg = load_ok(&data);
    assert_eq!(
        summary(&kg),
        [
            "people ada Ada Lovelace [born=\"1915-12-10\" height=1.65 alive=false joined=\"1933-06\"]",
            "people zoe Zoé [height=2.0 alive=true]",
            "companies acme Acme [founded=1905]",
            "ada knows zoe 1940-01-02",
            "acme employs ada 1941",
        ]
    );
    // Types come from the cells: a date column is a date, numbers are numbers.
    let types: Vec<String> = kg
        .catalog
        .entity_attrs
        .iter()
        .chain(&kg.catalog.relation_attrs)
        .map(|def| format!("{}:{}", def.name, def.column_type))
        .collect();
    assert_eq!(
        types,
        [
            "born:date",
            "height:float",
            "alive:bool",
            "joined:string",
            "founded:int",
            "amount:float"
        ]
    );
    // Paths inside the data folder name the sheet.
    let files: Vec<&str> = kg
        .catalog
        .files
        .iter()
        .map(|f| f.relative.as_str())
        .collect();
    assert_eq!(
        files,
        [
            "entities/registry.xlsx[people]",
            "entities/registry.xlsx[companies]",
            "relations/ties.xlsx[Sheet1]"
        ]
    );
}

#[test]
fn a_workbook_error_names_the_file_the_sheet_its_row_and_column() {
    let registry = xlsx(&[(
        "people",
        &[
            &[
                Text("id"),
                Text("name"),
                Text("born:date"),
                Text("height:float"),
            ],
            &[Empty],
            &[Text("ada"), Text("Ada"), Text("10.12.1815"), Text("tall")],
        ],
    )]);
    let data = DataDir::new(&[("entities/people.xlsx", &registry)]);
    assert_eq!(
        load_errors(&data),
        [
            "entities/people.xlsx[people]:3: column `born` (column C): `10.12.1815` is not a date: write it `1815-12-10` (YYYY-MM-DD)",
            "entities/people.xlsx[people]:3: column `height` (column D): `tall` is not a number (use a dot for decimals, as in 0.5)",
        ]
    );
}

/// An ODS (`OpenDocument`) sheet, cells as `(type, value, text)`: what `LibreOffice`
/// writes, reduced to what a reader needs.
fn ods(sheet: &str, rows: &[&[(&str, &str)]]) -> Vec<u8> {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    content.push_str(&format!(r#"<table:table table:name="{sheet}">"#));
    for row in rows {
        content.push_str("<table:table-row>");
        for (kind, value) in *row {
            match *kind {
                "string" => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>"#
                )),
                "float" => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>"#
                )),
                "date" => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{value}"><text:p>{value}</text:p></table:table-cell>"#
                )),
                _ => content.push_str("<table:table-cell/>"),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_opendocument_spreadsheet_reads_as_a_workbook() {
    let people = ods(
        "people",
        &[
            &[
                ("string", "id"),
                ("string", "name"),
                ("string", "born"),
                ("string", "height"),
            ],
            &[
                ("string", "ada"),
                ("string", "Ada Lovelace"),
                ("date", "1815-12-10"),
                ("float", "1.65"),
            ],
            &[("string", "zoe"), ("string", "Zoé"), ("", ""), ("", "")],
        ],
    );
    let data = DataDir::new(&[
        ("entities/people.ods", &people),
        ("relations/knows.csv", KNOWS.as_bytes()),
    ]);
    assert_eq!(summary(&load_ok(&data)), reference());
}
