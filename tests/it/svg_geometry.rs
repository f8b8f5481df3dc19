//! Measures a Graphviz SVG the way a reader meets it: boxes of entities and of text, the lines
//! of relations, and how large the labels are when the whole picture is fitted into a page.
//!
//! Text boxes are estimated from the font size: a Helvetica character is 0.55 em wide on
//! average (a little more than in most text), a space 0.28 em, a line 0.95 em tall around its
//! baseline; spaces around a text hold no ink and are left out of its box. The estimate errs
//! on the side of finding an overlap. Curves are Graphviz's cubic Béziers, sampled.

use quick_xml::events::{BytesStart, Event};

/// An axis-aligned box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    fn around(points: &[(f64, f64)]) -> Option<Rect> {
        let first = points.first()?;
        let mut rect = Rect {
            x0: first.0,
            y0: first.1,
            x1: first.0,
            y1: first.1,
        };
        for &(x, y) in points {
            rect.x0 = rect.x0.min(x);
            rect.y0 = rect.y0.min(y);
            rect.x1 = rect.x1.max(x);
            rect.y1 = rect.y1.max(y);
        }
        Some(rect)
    }

    fn union(self, other: Rect) -> Rect {
        Rect {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    /// Whether the two overlap by more than `slack` on both axes.
    pub fn overlaps(&self, other: &Rect, slack: f64) -> bool {
        self.x0 + slack < other.x1
            && other.x0 + slack < self.x1
            && self.y0 + slack < other.y1
            && other.y0 + slack < self.y1
    }

    pub fn centre(&self) -> (f64, f64) {
        (
            f64::midpoint(self.x0, self.x1),
            f64::midpoint(self.y0, self.y1),
        )
    }

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        x > self.x0 && x < self.x1 && y > self.y0 && y < self.y1
    }

    /// Whether the segment from `a` to `b` passes through the box.
    fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        if self.contains(a) || self.contains(b) {
            return true;
        }
        let corners = [
            (self.x0, self.y0),
            (self.x1, self.y0),
            (self.x1, self.y1),
            (self.x0, self.y1),
        ];
        (0..4).any(|i| segments_cross(a, b, corners[i], corners[(i + 1) % 4]))
    }
}

fn segments_cross(p: (f64, f64), q: (f64, f64), r: (f64, f64), s: (f64, f64)) -> bool {
    let orient = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
    };
    let (d1, d2) = (orient(r, s, p), orient(r, s, q));
    let (d3, d4) = (orient(p, q, r), orient(p, q, s));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// A text element: its box, its font size, and what it says.
#[derive(Debug, Clone)]
pub struct Text {
    pub rect: Rect,
    pub font_size: f64,
    pub content: String,
}

/// An entity as drawn.
#[derive(Debug, Clone)]
pub struct DrawnNode {
    /// The `<title>`: the DOT id.
    pub title: String,
    pub rect: Rect,
    pub texts: Vec<Text>,
}

/// A relation (or bundle) as drawn.
#[derive(Debug, Clone)]
pub struct DrawnEdge {
    /// The curve, sampled into a polyline.
    pub line: Vec<(f64, f64)>,
    pub labels: Vec<Text>,
}

/// Everything measured in one SVG.
#[derive(Debug, Clone, Default)]
pub struct Picture {
    /// The viewBox width, in points.
    pub width: f64,
    pub nodes: Vec<DrawnNode>,
    pub edges: Vec<DrawnEdge>,
    /// Texts outside nodes and edges (the title and legend).
    pub other_texts: Vec<Text>,
    /// The boxes of clusters.
    pub clusters: Vec<Rect>,
}

/// What a reader would complain about.
#[derive(Debug, Clone, PartialEq)]
pub struct Findings {
    pub node_overlaps: usize,
    pub text_overlaps: usize,
    /// The texts that overlap, to say which.
    pub overlapping_texts: Vec<(String, String)>,
    pub labels_on_nodes: usize,
    pub edge_labels: usize,
    pub crossed_labels: usize,
    /// The smallest entity label, in pixels, when the picture is fitted into 1,400 px.
    pub smallest_label_px: f64,
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(std::borrow::Cow::into_owned)
        })
}

fn number(element: &BytesStart<'_>, name: &str) -> f64 {
    attribute(element, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

fn points(text: &str) -> Vec<(f64, f64)> {
    text.split_whitespace()
        .filter_map(|pair| {
            let (x, y) = pair.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// Graphviz paths are `M x,y C x,y x,y x,y ...`: the anchor and control points, sampled.
fn curve(d: &str) -> Vec<(f64, f64)> {
    let cleaned: String = d
        .chars()
        .map(|c| if c.is_ascii_alphabetic() { ' ' } else { c })
        .collect();
    let controls = points(&cleaned);
    let mut line = Vec::new();
    let Some(&start) = controls.first() else {
        return line;
    };
    line.push(start);
    let mut at = start;
    for chunk in controls[1..].chunks(3) {
        if let [c1, c2, end] = chunk {
            for step in 1..=16 {
                let t = f64::from(step) / 16.0;
                let u = 1.0 - t;
                line.push((
                    u * u * u * at.0
                        + 3.0 * u * u * t * c1.0
                        + 3.0 * u * t * t * c2.0
                        + t * t * t * end.0,
                    u * u * u * at.1
                        + 3.0 * u * u * t * c1.1
                        + 3.0 * u * t * t * c2.1
                        + t * t * t * end.1,
                ));
            }
            at = *end;
        }
    }
    line
}

fn text_rect(x: f64, y: f64, anchor: &str, font_size: f64, content: &str) -> Rect {
    // Spaces (ordinary or non-breaking) are narrow in Helvetica: 0.28 em.
    let ems = |text: &str| -> f64 {
        text.chars()
            .map(|c| {
                if c == ' ' || c == '\u{a0}' {
                    0.28
                } else {
                    0.55
                }
            })
            .sum()
    };
    let width = ems(content) * font_size;
    let x0 = match anchor {
        "middle" => x - width / 2.0,
        "end" => x - width,
        _ => x,
    };
    // The box holds the ink: spaces around the text cover nothing a reader sees.
    let blank = |c: char| c == ' ' || c == '\u{a0}';
    let lead = content.len() - content.trim_start_matches(blank).len();
    let ink = content.trim_matches(blank);
    let start = x0 + ems(&content[..lead]) * font_size;
    Rect {
        x0: start,
        y0: y - 0.75 * font_size,
        x1: start + ems(ink) * font_size,
        y1: y + 0.2 * font_size,
    }
}

#[derive(PartialEq)]
enum Group {
    Node,
    Edge,
    Cluster,
    Other,
}

fn resolve(r: &quick_xml::events::BytesRef<'_>) -> String {
    match r.resolve_char_ref().ok().flatten() {
        Some(c) => c.to_string(),
        None => quick_xml::escape::resolve_predefined_entity(r)
            .unwrap_or("?")
            .to_owned(),
    }
}

/// Reads a Graphviz SVG.
pub fn read(svg: &str) -> Picture {
    let mut picture = Picture::default();
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut group = Group::Other;
    let mut depth_of_group = 0usize;
    let mut depth = 0usize;
    let mut in_title = false;
    let mut title = String::new();
    let mut shapes: Vec<Rect> = Vec::new();
    let mut line: Vec<(f64, f64)> = Vec::new();
    let mut texts: Vec<Text> = Vec::new();
    let mut open_text: Option<(f64, f64, String, f64, String)> = None;
    loop {
        let event = reader.read_event().expect("well-formed SVG");
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                depth += 1;
                let name = e.name().as_ref().to_owned();
                match name.as_str() {
                    "svg" => {
                        if let Some(view_box) = attribute(&e, "viewBox") {
                            let parts: Vec<f64> = view_box
                                .split_whitespace()
                                .filter_map(|p| p.parse().ok())
                                .collect();
                            picture.width = parts.get(2).copied().unwrap_or(0.0);
                        }
                    }
                    "g" => match attribute(&e, "class").as_deref() {
                        Some("node") => {
                            group = Group::Node;
                            depth_of_group = depth;
                        }
                        Some("edge") => {
                            group = Group::Edge;
                            depth_of_group = depth;
                        }
                        Some("cluster") => {
                            group = Group::Cluster;
                            depth_of_group = depth;
                        }
                        _ => {}
                    },
                    "title" => {
                        in_title = true;
                        title.clear();
                    }
                    "text" => {
                        open_text = Some((
                            number(&e, "x"),
                            number(&e, "y"),
                            attribute(&e, "text-anchor").unwrap_or_default(),
                            number(&e, "font-size"),
                            String::new(),
                        ));
                    }
                    other => shape(other, &e, &group, &mut shapes, &mut line),
                }
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                shape(&name, &e, &group, &mut shapes, &mut line);
            }
            Event::Text(t) => {
                let content = t
                    .xml_content(quick_xml::XmlVersion::Implicit1_0)
                    .into_owned();
                if in_title {
                    title.push_str(&content);
                } else if let Some(open) = &mut open_text {
                    open.4.push_str(&content);
                }
            }
            Event::GeneralRef(r) => {
                let content = resolve(&r);
                if in_title {
                    title.push_str(&content);
                } else if let Some(open) = &mut open_text {
                    open.4.push_str(&content);
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_owned();
                match name.as_str() {
                    "title" => in_title = false,
                    "text" => {
                        if let Some((x, y, anchor, size, content)) = open_text.take() {
                            let text = Text {
                                rect: text_rect(x, y, &anchor, size, &content),
                                font_size: size,
                                content,
                            };
                            if group == Group::Other {
                                picture.other_texts.push(text);
                            } else {
                                texts.push(text);
                            }
                        }
                    }
                    "g" if depth == depth_of_group && group != Group::Other => {
                        match group {
                            Group::Node => picture.nodes.push(DrawnNode {
                                title: title.clone(),
                                rect: shapes.iter().copied().reduce(Rect::union).unwrap_or(Rect {
                                    x0: 0.0,
                                    y0: 0.0,
                                    x1: 0.0,
                                    y1: 0.0,
                                }),
                                texts: std::mem::take(&mut texts),
                            }),
                            Group::Edge => picture.edges.push(DrawnEdge {
                                line: std::mem::take(&mut line),
                                labels: std::mem::take(&mut texts),
                            }),
                            Group::Cluster => {
                                picture.other_texts.append(&mut texts);
                                picture
                                    .clusters
                                    .extend(shapes.iter().copied().reduce(Rect::union));
                            }
                            Group::Other => {}
                        }
                        shapes.clear();
                        group = Group::Other;
                    }
                    _ => {}
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    picture
}

fn shape(
    name: &str,
    e: &BytesStart<'_>,
    group: &Group,
    shapes: &mut Vec<Rect>,
    line: &mut Vec<(f64, f64)>,
) {
    match (group, name) {
        (Group::Node, "ellipse") => {
            let (cx, cy) = (number(e, "cx"), number(e, "cy"));
            let (rx, ry) = (number(e, "rx"), number(e, "ry"));
            shapes.push(Rect {
                x0: cx - rx,
                y0: cy - ry,
                x1: cx + rx,
                y1: cy + ry,
            });
        }
        (Group::Node | Group::Cluster, "polygon" | "polyline") => {
            if let Some(rect) = Rect::around(&points(&attribute(e, "points").unwrap_or_default())) {
                shapes.push(rect);
            }
        }
        (Group::Node | Group::Cluster, "path") => {
            if let Some(rect) = Rect::around(&curve(&attribute(e, "d").unwrap_or_default())) {
                shapes.push(rect);
            }
        }
        (Group::Edge, "path") => line.extend(curve(&attribute(e, "d").unwrap_or_default())),
        _ => {}
    }
}

impl Picture {
    /// What a reader would complain about.
    pub fn findings(&self) -> Findings {
        let node_texts = self.nodes.iter().flat_map(|n| n.texts.iter());
        let edge_texts = self.edges.iter().flat_map(|e| e.labels.iter());
        let all_texts: Vec<&Text> = node_texts
            .chain(edge_texts)
            .chain(&self.other_texts)
            .collect();
        let mut overlapping_texts = Vec::new();
        for (i, a) in all_texts.iter().enumerate() {
            for b in &all_texts[i + 1..] {
                if a.rect.overlaps(&b.rect, 0.5) {
                    overlapping_texts.push((a.content.clone(), b.content.clone()));
                }
            }
        }
        let mut node_overlaps = 0;
        for (i, a) in self.nodes.iter().enumerate() {
            for b in &self.nodes[i + 1..] {
                if a.rect.overlaps(&b.rect, 0.5) {
                    node_overlaps += 1;
                }
            }
        }
        let mut labels_on_nodes = 0;
        let mut crossed_labels = 0;
        let mut edge_labels = 0;
        for (i, edge) in self.edges.iter().enumerate() {
            for label in &edge.labels {
                edge_labels += 1;
                if self.nodes.iter().any(|n| n.rect.overlaps(&label.rect, 0.5)) {
                    labels_on_nodes += 1;
                }
                let crossed = self.edges.iter().enumerate().any(|(j, other)| {
                    j != i
                        && other
                            .line
                            .windows(2)
                            .any(|w| label.rect.crossed_by(w[0], w[1]))
                });
                if crossed {
                    crossed_labels += 1;
                }
            }
        }
        let smallest = self
            .nodes
            .iter()
            .flat_map(|n| n.texts.iter().map(|t| t.font_size))
            .fold(f64::INFINITY, f64::min);
        Findings {
            node_overlaps,
            text_overlaps: overlapping_texts.len(),
            overlapping_texts,
            labels_on_nodes,
            edge_labels,
            crossed_labels,
            smallest_label_px: smallest * 1400.0 / self.width,
        }
    }

    /// The centre of the entity whose DOT id is `title`.
    pub fn centre_of(&self, title: &str) -> (f64, f64) {
        self.nodes
            .iter()
            .find(|n| n.title == title)
            .unwrap_or_else(|| panic!("no node `{title}` in the picture"))
            .rect
            .centre()
    }
}

#[test]
fn the_measure_finds_what_it_should() {
    let svg = r#"<svg viewBox="0 0 700 100"><g class="graph">
      <g class="node"><title>a</title><ellipse cx="10" cy="10" rx="10" ry="5"/><text x="10" y="12" font-size="10" text-anchor="middle">aa</text></g>
      <g class="node"><title>b</title><ellipse cx="15" cy="10" rx="10" ry="5"/><text x="15" y="12" font-size="10" text-anchor="middle">bb</text></g>
      <g class="edge"><title>a-&gt;b</title><path d="M0,50C10,50 20,50 30,50"/><text x="50" y="80" font-size="8" text-anchor="middle">lbl</text></g>
      <g class="edge"><title>b-&gt;a</title><path d="M50,60C50,70 50,90 50,100"/></g>
    </g></svg>"#;
    let picture = read(svg);
    assert_eq!(picture.nodes.len(), 2);
    assert_eq!(picture.edges.len(), 2);
    let findings = picture.findings();
    assert_eq!(findings.node_overlaps, 1);
    assert_eq!(findings.text_overlaps, 1);
    assert_eq!(findings.edge_labels, 1);
    assert_eq!(findings.crossed_labels, 1);
    assert_eq!(findings.labels_on_nodes, 0);
    assert!((findings.smallest_label_px - 20.0).abs() < 1e-9);
}
