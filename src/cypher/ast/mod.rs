//! The syntax tree of the supported Cypher subset, and its printer (`Display` writes Cypher
//! that parses back to the same tree).

use crate::cypher::error::Span;

/// A whole query: clauses in order, ending in `RETURN`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The clauses of the first part.
    pub clauses: Vec<Clause>,
    /// The parts after `UNION` (or `UNION ALL`, when the flag is set), in order.
    pub unions: Vec<(bool, Vec<Clause>)>,
    /// How many variable occurrences ([`VarId`]) the query has, subqueries included.
    pub variables: VarId,
}

/// One clause.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// `[OPTIONAL] MATCH pattern, ... [WHERE expr]`.
    Match(Match),
    /// `UNWIND expr AS name`.
    Unwind {
        /// The list.
        expr: Expr,
        /// The variable.
        alias: String,
    },
    /// `WITH ...` (a projection that continues the query).
    With(Projection),
    /// `RETURN ...` (the final projection).
    Return(Projection),
    /// `CALL { ... }`: a subquery run for each row, each of its rows joined to the row.
    Call(CallSubquery),
}

/// `CALL [(variables)] { [WITH imports] ... RETURN ... [UNION ...] }`.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSubquery {
    /// Which variables of the row the subquery sees.
    pub imports: Imports,
    /// The clauses of each part, the parts joined by `UNION` (one part without).
    pub parts: Vec<Vec<Clause>>,
    /// `UNION ALL` rather than `UNION` between the parts.
    pub union_all: bool,
    /// Where it is.
    pub span: Span,
}

impl CallSubquery {
    /// The columns the subquery adds to the row: its first part's `RETURN` items (the
    /// semantic pass checks that every part returns the same).
    #[must_use]
    pub fn columns(&self) -> Vec<String> {
        match self.parts.first().and_then(|part| part.last()) {
            Some(Clause::Return(p)) => p.items.iter().map(|item| item.name.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// What `part` (one of [`CallSubquery::parts`]) sees of the row it runs for.
    #[must_use]
    pub fn sees<'c>(&'c self, part: &[Clause]) -> Sees<'c> {
        match &self.imports {
            Imports::All => Sees::Row,
            Imports::Leading if matches!(part.first(), Some(Clause::With(_))) => Sees::Row,
            Imports::Leading => Sees::Only(&[]),
            Imports::Listed(names) => Sees::Only(names),
        }
    }

    /// Whether some part sees the row; if none does, the subquery answers every row alike.
    #[must_use]
    pub fn correlated(&self) -> bool {
        self.parts
            .iter()
            .any(|part| !matches!(self.sees(part), Sees::Only([])))
    }
}

/// What a part of a `CALL` subquery sees of the row it runs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sees<'c> {
    /// Every variable (`CALL (*)`, or a part opening with `WITH`, which projects them).
    Row,
    /// Only these variables (`CALL (a, b)`; none for a part that imports nothing).
    Only(&'c [String]),
}

/// How a `CALL` subquery imports the variables of the row it runs for.
#[derive(Debug, Clone, PartialEq)]
pub enum Imports {
    /// By a `WITH` opening a part (`CALL { WITH p ... }`); a part that opens otherwise sees
    /// none.
    Leading,
    /// `CALL (a, b) { ... }`: those variables.
    Listed(Vec<String>),
    /// `CALL (*) { ... }`: every variable.
    All,
}

/// A `MATCH` or `OPTIONAL MATCH`.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// `OPTIONAL MATCH`.
    pub optional: bool,
    /// The comma-separated path patterns.
    pub patterns: Vec<PathPattern>,
    /// The `WHERE` filter.
    pub filter: Option<Expr>,
}

/// `WITH` or `RETURN`: items, distinct, order, skip, limit, and (for `WITH`) a filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// `DISTINCT`.
    pub distinct: bool,
    /// `*`: keep every variable (then `items` adds more).
    pub star: bool,
    /// The items.
    pub items: Vec<ProjectionItem>,
    /// `ORDER BY`.
    pub order: Vec<SortItem>,
    /// `SKIP`.
    pub skip: Option<Expr>,
    /// `LIMIT`.
    pub limit: Option<Expr>,
    /// `WHERE` after `WITH`.
    pub filter: Option<Expr>,
}

/// `expr [AS alias]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionItem {
    /// The value.
    pub expr: Expr,
    /// The column name: the alias, or the expression as written.
    pub name: String,
    /// Whether `AS` gave the name.
    pub aliased: bool,
}

/// `expr [ASC|DESC]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SortItem {
    /// The key.
    pub expr: Expr,
    /// `DESC`.
    pub descending: bool,
}

/// How a path pattern is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    /// `shortestPath(...)` or `ANY SHORTEST`: one shortest path per pair.
    AnyShortest,
    /// `allShortestPaths(...)` or `ALL SHORTEST`: every shortest path per pair.
    AllShortest,
    /// `SHORTEST k`: the k shortest paths per pair.
    Shortest(usize),
}

/// `[p =] [selector] (a)-[r]->(b)...`.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPattern {
    /// The path variable.
    pub variable: Option<String>,
    /// A shortest-path selector.
    pub selector: Option<Selector>,
    /// Whether the selector was written as a function (`shortestPath(...)`).
    pub legacy_function: bool,
    /// The first node.
    pub start: NodePattern,
    /// Relationship and node pairs.
    pub steps: Vec<(RelPattern, NodePattern)>,
    /// Where it is.
    pub span: Span,
}

impl PathPattern {
    /// Returns the variables the pattern names, path variable first, each once.
    #[must_use]
    pub fn variables(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let steps = self
            .steps
            .iter()
            .flat_map(|(rel, node)| [&rel.variable, &node.variable]);
        for name in [&self.variable, &self.start.variable]
            .into_iter()
            .chain(steps)
            .flatten()
        {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        names
    }
}

/// The number of a node or relationship pattern in its query, in parse order: what the
/// engine's tables about one pattern (the kinds a node pattern allows) are keyed by.
pub type ElementId = u32;

/// `(v:Label|Other {key: value})`.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePattern {
    /// Its number in the query.
    pub element: ElementId,
    /// The variable.
    pub variable: Option<String>,
    /// Label disjunction (any of them).
    pub labels: Vec<String>,
    /// Property equalities.
    pub properties: Vec<(String, Expr)>,
    /// Where it is.
    pub span: Span,
}

/// Relationship direction as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `-[]->`.
    Outgoing,
    /// `<-[]-`.
    Incoming,
    /// `-[]-`.
    Either,
}

/// `-[r:T|U {key: value} *min..max]->`.
#[derive(Debug, Clone, PartialEq)]
pub struct RelPattern {
    /// Its number in the query.
    pub element: ElementId,
    /// The variable.
    pub variable: Option<String>,
    /// Type disjunction.
    pub types: Vec<String>,
    /// Property equalities.
    pub properties: Vec<(String, Expr)>,
    /// Direction.
    pub direction: Direction,
    /// Variable length: minimum and maximum hops (`None` max = unbounded).
    pub length: Option<(usize, Option<usize>)>,
    /// Where it is.
    pub span: Span,
}

/// Binary operators, loosest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `OR`.
    Or,
    /// `XOR`.
    Xor,
    /// `AND`.
    And,
    /// `=`.
    Eq,
    /// `<>`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `IN`.
    In,
    /// `STARTS WITH`.
    StartsWith,
    /// `ENDS WITH`.
    EndsWith,
    /// `CONTAINS`.
    Contains,
    /// `=~`.
    Regex,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
    /// `^`.
    Pow,
}

impl BinaryOp {
    /// Returns the operator as written.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "OR",
            BinaryOp::Xor => "XOR",
            BinaryOp::And => "AND",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "<>",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "IN",
            BinaryOp::StartsWith => "STARTS WITH",
            BinaryOp::EndsWith => "ENDS WITH",
            BinaryOp::Contains => "CONTAINS",
            BinaryOp::Regex => "=~",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "^",
        }
    }
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
}

/// An expression, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// The number of a variable's occurrence in its query, in parse order: what the engine
/// remembers the variable's column by.
pub type VarId = u32;

/// A variable in an expression: its name, and the number of this occurrence.
#[derive(Debug, Clone, Default)]
pub struct Var {
    /// The name as written.
    pub name: String,
    /// This occurrence's number in the query.
    pub id: VarId,
}

impl Var {
    /// Returns the variable `name`, occurrence number `id`.
    #[must_use]
    pub fn new(name: String, id: VarId) -> Self {
        Var { name, id }
    }
}

/// Two variables are equal when their names are: the number says where one was written.
impl PartialEq for Var {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// Expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Literal(Literal),
    /// `$name`.
    Param(String),
    /// A variable.
    Variable(Var),
    /// `expr.key`.
    Property(Box<Expr>, String),
    /// `expr:Label|Other` (a label test in `WHERE`).
    HasLabel(Box<Expr>, Vec<String>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{k: v}`.
    Map(Vec<(String, Expr)>),
    /// `f(args)` or `f(DISTINCT arg)`.
    Call {
        /// The function, resolved by the parser.
        function: Function,
        /// `DISTINCT` (aggregates only).
        distinct: bool,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `count(*)`.
    CountStar,
    /// `NOT expr`.
    Not(Box<Expr>),
    /// `-expr`.
    Negate(Box<Expr>),
    /// `expr IS [NOT] NULL`.
    IsNull(Box<Expr>, bool),
    /// A binary operation.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// A pattern used as a predicate: true when it matches.
    Pattern(Box<PathPattern>),
    /// `CASE [subject] WHEN a THEN b ... [ELSE c] END`: with a subject, each `WHEN` is a value
    /// compared with it; without, a condition.
    Case {
        /// The value the `WHEN`s are compared with, in the simple form.
        subject: Option<Box<Expr>>,
        /// `WHEN` and `THEN`, in order.
        arms: Vec<(Expr, Expr)>,
        /// `ELSE` (null when missing).
        otherwise: Option<Box<Expr>>,
    },
    /// `[x IN list WHERE condition | result]`.
    Comprehension {
        /// The variable each item is bound to.
        variable: Var,
        /// The list.
        list: Box<Expr>,
        /// `WHERE`: the items kept.
        filter: Option<Box<Expr>>,
        /// `|`: what each kept item becomes.
        map: Option<Box<Expr>>,
    },
    /// `all(x IN list WHERE condition)`, and `any`, `none`, `single`.
    Quantified {
        /// Which quantifier.
        quantifier: Quantifier,
        /// The variable each item is bound to.
        variable: Var,
        /// The list.
        list: Box<Expr>,
        /// The condition.
        condition: Box<Expr>,
    },
    /// `expr[index]`: an item of a list (negative from the end) or a value of a map.
    Index(Box<Expr>, Box<Expr>),
    /// `expr[from..to]`: a part of a list, either bound optional.
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `[(a)-->(b) WHERE condition | result]`: one result per match of the pattern.
    PatternComprehension {
        /// The pattern; its new variables are in scope in `filter` and `map`.
        pattern: Box<PathPattern>,
        /// `WHERE`.
        filter: Option<Box<Expr>>,
        /// `|`: the value for each match.
        map: Box<Expr>,
    },
    /// `EXISTS { [MATCH] pattern [WHERE condition] }`: whether the pattern has a match; with
    /// `count`, `COUNT { ... }`: how many.
    Exists {
        /// The pattern.
        pattern: Box<PathPattern>,
        /// `WHERE`, over the pattern's variables.
        filter: Option<Box<Expr>>,
        /// `COUNT { }` rather than `EXISTS { }`.
        count: bool,
    },
    /// `EXISTS { MATCH ... [WITH ...] [RETURN ...] }` (or `COUNT { ... }`): a whole query
    /// run once per row with the row's variables in scope; whether it has a row, or how many.
    Subquery {
        /// The clauses, ending in `RETURN` or not.
        clauses: Vec<Clause>,
        /// `COUNT { }` rather than `EXISTS { }`.
        count: bool,
    },
    /// `n {.name, .*, key: expr, other}`: a map built from a node's, relationship's or map's
    /// properties and more.
    MapProjection(Box<Expr>, Vec<MapItem>),
    /// `reduce(total = init, x IN list | step)`: `step` folded over the list.
    Reduce {
        /// The running value.
        accumulator: Var,
        /// Its first value.
        init: Box<Expr>,
        /// The variable each item is bound to.
        variable: Var,
        /// The list.
        list: Box<Expr>,
        /// The next running value, from `accumulator` and `variable`.
        step: Box<Expr>,
    },
}

/// One item of a map projection.
#[derive(Debug, Clone, PartialEq)]
pub enum MapItem {
    /// `.key`: the subject's property.
    Property(String),
    /// `.*`: every property of the subject.
    AllProperties,
    /// `key: expr`.
    Entry(String, Expr),
    /// `variable`: the variable (an [`ExprKind::Variable`]) under its own name.
    Variable(String, Expr),
}

/// The list predicates: how many items must satisfy the condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// Every item.
    All,
    /// At least one.
    Any,
    /// None.
    None,
    /// Exactly one.
    Single,
}

impl Quantifier {
    /// Every quantifier, as `docs/cypher.md` lists them.
    pub const ALL: [Quantifier; 4] = [
        Quantifier::All,
        Quantifier::Any,
        Quantifier::None,
        Quantifier::Single,
    ];

    /// Returns the name as queries write it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Quantifier::All => "all",
            Quantifier::Any => "any",
            Quantifier::None => "none",
            Quantifier::Single => "single",
        }
    }
}

pub use function::Function;

mod function;
mod print;
mod walk;
