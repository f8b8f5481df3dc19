//! `MATCH`: planning a pattern from its bound end, candidates, fixed-length steps (longer
//! walks are in `paths.rs`).

use super::{
    CypherError, DEFAULT_MAX_HOPS, Direction, EdgeIndex, Engine, Expr, ExprKind, FxHashMap,
    Grouping, Hops, Limits, Match, Matching, NodeIndex, NodePattern, Output, PathPattern,
    PathValue, Plan, Projection, RelPattern, Sink, Span, State, StepLinks, Table, TypeSet, Value,
    projection_columns, truthy, walk_order,
};
use crate::cypher::plan::Stage;
use crate::cypher::plan::start::{id_equalities, start_of};

impl<'g> Engine<'g> {
    /// Runs a `MATCH`; with `aggregate_into`, also the aggregating projection that follows,
    /// fed row by row.
    pub(super) fn run_match(
        &self,
        table: Table,
        clause: &Match,
        budget: Option<usize>,
        aggregate_into: Option<&Projection>,
    ) -> Result<Table, CypherError> {
        let mut names = table.names.clone();
        for pattern in &clause.patterns {
            for name in pattern.variables() {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let anchors = clause
            .filter
            .as_ref()
            .map(id_equalities)
            .unwrap_or_default();
        // Each pattern may start from a node an earlier one bound.
        let mut bound: Option<Vec<String>> = None;
        let mut plans: Vec<Plan<'_>> = Vec::with_capacity(clause.patterns.len());
        for (index, pattern) in clause.patterns.iter().enumerate() {
            let before = bound.as_deref().unwrap_or(&table.names);
            plans.push(self.plan(pattern, &names, before, &anchors)?);
            if index + 1 < clause.patterns.len() {
                bound
                    .get_or_insert_with(|| table.names.clone())
                    .extend(pattern.variables());
            }
        }
        if let Some(filter) = &clause.filter {
            check_variables(filter, &names)?;
        }
        let span = clause
            .patterns
            .iter()
            .map(|p| p.span)
            .reduce(Span::to)
            .unwrap_or_default();
        let counts = self.profiling().then(|| RowCounts::new(&plans));
        let mut out = Output {
            sink: match aggregate_into {
                Some(projection) => Sink::Groups(Grouping::new(projection, &names)?),
                None => Sink::Rows(Vec::new()),
            },
            produced: 0,
        };
        for row in table.rows {
            let mut state = State {
                row: row
                    .iter()
                    .cloned()
                    .chain(std::iter::repeat_n(Value::Null, names.len() - row.len()))
                    .collect(),
                prebound: row.len(),
                used: Vec::new(),
                path_nodes: Vec::new(),
                path_edges: Vec::new(),
            };
            let before = out.produced;
            let remaining = budget.map(|b| b.saturating_sub(out.produced));
            self.match_pattern(
                &Matching {
                    plans: &plans,
                    names: &names,
                    filter: clause.filter.as_ref(),
                    anchors: &anchors,
                    budget: remaining,
                    span,
                    counts: counts.as_ref(),
                },
                0,
                &mut state,
                &mut out,
            )?;
            if out.produced == before && clause.optional {
                let mut padded = row;
                padded.resize(names.len(), Value::Null);
                self.emit(&mut out, &names, padded, span)?;
            }
            if budget.is_some_and(|b| out.produced >= b) {
                break;
            }
        }
        if let Some(counts) = &counts {
            for (stage, rows) in counts.stages() {
                self.count_rows(stage, rows);
            }
            self.count_rows(Stage::Out, out.produced);
        }
        match (out.sink, aggregate_into) {
            (Sink::Groups(grouping), Some(projection)) => {
                // The projection is the next clause's.
                self.clause.set(self.clause.get() + 1);
                let (out_names, _) = projection_columns(&names, projection)?;
                let rows = self.finish_groups(grouping, &names)?;
                self.finish_projection(&names, projection, out_names, rows, true)
            }
            (Sink::Rows(mut rows), _) => {
                rows.truncate(budget.unwrap_or(usize::MAX));
                Ok(Table { names, rows })
            }
            (Sink::Groups(_), None) => unreachable!("groups are made only for a projection"),
        }
    }

    /// Puts one matched row where the clause's rows go, within the row budget.
    pub(super) fn emit(
        &self,
        out: &mut Output<'_>,
        names: &[String],
        row: Vec<Value>,
        span: Span,
    ) -> Result<(), CypherError> {
        out.produced += 1;
        match &mut out.sink {
            Sink::Rows(rows) => {
                rows.push(row);
                self.meter
                    .hold(Limits::table_bytes(rows.len(), names.len()), span)
            }
            Sink::Groups(grouping) => grouping.add(self, names, row),
        }
    }

    pub(super) fn plan<'q>(
        &self,
        pattern: &'q PathPattern,
        names: &[String],
        bound: &[String],
        anchors: &FxHashMap<String, Expr>,
    ) -> Result<Plan<'q>, CypherError> {
        for node in std::iter::once(&pattern.start).chain(pattern.steps.iter().map(|(_, n)| n)) {
            for (_, expr) in &node.properties {
                check_variables(expr, names)?;
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let size =
            |node: &NodePattern| self.kg.entities_in(self.node_kinds(node).as_deref()) as f64;
        let reversed = start_of(pattern, bound, anchors, &size).reversed;
        let (nodes, rels) = walk_order(pattern, reversed);
        let slot = |v: &Option<String>| v.as_ref().and_then(|v| names.iter().position(|n| n == v));
        Ok(Plan {
            pattern,
            node_slots: nodes.iter().map(|n| slot(&n.variable)).collect(),
            rel_slots: rels.iter().map(|(r, _)| slot(&r.variable)).collect(),
            rel_types: rels
                .iter()
                .map(|(r, _)| TypeSet::of(&r.types, &self.kg.catalog.rel_types))
                .collect(),
            path_slot: slot(&pattern.variable),
            nodes,
            rels,
            reversed,
        })
    }

    pub(super) fn match_pattern(
        &self,
        m: &Matching<'_, '_>,
        index: usize,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        if m.budget.is_some_and(|b| out.produced >= b) {
            return Ok(());
        }
        if let (Some(counts), Some(done)) = (m.counts, index.checked_sub(1)) {
            counts.bump(counts.joined(done));
        }
        let Some(plan) = m.plans.get(index) else {
            let keep = match m.filter {
                Some(filter) => truthy(&self.eval(filter, m.names, &state.row)?),
                None => true,
            };
            if keep {
                if let Some(counts) = m.counts {
                    counts.bump(counts.kept_by_where());
                }
                self.emit(out, m.names, state.row.clone(), m.span)?;
            }
            return Ok(());
        };
        if plan.pattern.selector.is_some() {
            return self.match_shortest(m, index, state, out);
        }
        let candidates =
            self.candidates(plan.nodes[0], plan.node_slots[0], state, m.names, m.anchors)?;
        for node in candidates {
            self.meter.tick(m.span)?;
            if !self.node_fits(plan.nodes[0], plan.node_slots[0], node, state, m.names)? {
                continue;
            }
            if let Some(counts) = m.counts {
                counts.bump(counts.start(index));
            }
            let saved = bind(&mut state.row, plan.node_slots[0], Value::Node(node));
            state.path_nodes.clear();
            state.path_edges.clear();
            state.path_nodes.push(node);
            self.match_step(m, index, 0, node, state, out)?;
            unbind(&mut state.row, plan.node_slots[0], saved);
            if m.budget.is_some_and(|b| out.produced >= b) {
                break;
            }
        }
        Ok(())
    }

    /// Returns the entities a pattern may start from, most selective source first.
    pub(super) fn candidates(
        &self,
        node: &NodePattern,
        slot: Option<usize>,
        state: &State,
        names: &[String],
        anchors: &FxHashMap<String, Expr>,
    ) -> Result<Vec<NodeIndex>, CypherError> {
        if let Some(slot) = slot {
            match &state.row[slot] {
                Value::Node(n) => return Ok(vec![*n]),
                Value::Null if slot < state.prebound => return Ok(Vec::new()),
                Value::Null => {}
                other => {
                    return Err(CypherError::semantic(
                        node.span,
                        format!("variable is {}, not a node", other.described_type()),
                    ));
                }
            }
        }
        let id_expr = node
            .properties
            .iter()
            .find(|(k, _)| k == "id")
            .map(|(_, e)| e)
            .or_else(|| node.variable.as_ref().and_then(|v| anchors.get(v)));
        if let Some(expr) = id_expr {
            // A WHERE anchor may use variables bound later; fall back to a scan then.
            if let Ok(value) = self.eval(expr, names, &state.row) {
                return Ok(match value {
                    Value::Str(id) => self.kg.node_by_id(&id).into_iter().collect(),
                    _ => Vec::new(),
                });
            }
        }
        let Some(kinds) = self.node_kinds(node) else {
            return Ok(self.kg.node_indices().collect());
        };
        // The entities of the allowed kinds, in input order as a scan finds them.
        let mut found: Vec<NodeIndex> = Vec::new();
        let mut allowed = 0;
        for (kind, _) in kinds.iter().enumerate().filter(|&(_, &allowed)| allowed) {
            allowed += 1;
            let members = self.kg.entities_of_kind(kind);
            found.extend(members.iter().map(|&n| NodeIndex::new(n as usize)));
        }
        if allowed > 1 {
            found.sort_unstable();
        }
        Ok(found)
    }

    /// [`KnowledgeGraph::kinds_labelled`] of a node pattern's labels, worked out once per
    /// pattern and query
    /// (it was once per candidate entity).
    fn node_kinds(&self, pattern: &NodePattern) -> Option<std::rc::Rc<[bool]>> {
        self.kind_sets
            .borrow_mut()
            .entry(pattern.element)
            .or_insert_with(|| {
                self.kg
                    .kinds_labelled(&pattern.labels)
                    .map(std::rc::Rc::from)
            })
            .clone()
    }

    pub(super) fn node_fits(
        &self,
        pattern: &NodePattern,
        slot: Option<usize>,
        node: NodeIndex,
        state: &State,
        names: &[String],
    ) -> Result<bool, CypherError> {
        if let Some(slot) = slot {
            match &state.row[slot] {
                Value::Node(bound) if *bound != node => return Ok(false),
                // Bound by an earlier clause to null (OPTIONAL MATCH) or to a non-node.
                Value::Null if slot < state.prebound => return Ok(false),
                Value::Node(_) | Value::Null => {}
                _ => return Ok(false),
            }
        }
        if let Some(kinds) = self.node_kinds(pattern)
            && !kinds[usize::from(self.kg.entity(node).kind)]
        {
            return Ok(false);
        }
        for (key, expr) in &pattern.properties {
            let want = self.eval(expr, names, &state.row)?;
            if self.node_property(node, key).equals(&want) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub(super) fn rel_fits(
        &self,
        pattern: &RelPattern,
        types: &TypeSet,
        edge: EdgeIndex,
        state: &State,
        names: &[String],
    ) -> Result<bool, CypherError> {
        if state.used.contains(&edge) {
            return Ok(false);
        }
        // Without a type the relation is not read: from a snapshot, relations are read a
        // section at a time on first use, and a walk that never asks reads none.
        if !matches!(types, TypeSet::Any)
            && !types.allows(usize::from(self.kg.relation(edge).rel_type))
        {
            return Ok(false);
        }
        for (key, expr) in &pattern.properties {
            let want = self.eval(expr, names, &state.row)?;
            if self.rel_property(edge, key).equals(&want) != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub(super) fn links(&self, node: NodeIndex, direction: Direction) -> StepLinks<'g> {
        let v = u32::try_from(node.index()).expect("petgraph indices are u32");
        self.adjacency.step(
            v,
            direction == Direction::Outgoing,
            direction == Direction::Incoming,
        )
    }

    pub(super) fn match_step(
        &self,
        m: &Matching<'_, '_>,
        index: usize,
        step: usize,
        at: NodeIndex,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let plan = &m.plans[index];
        if step == plan.rels.len() {
            let path = path_value(plan, state);
            let saved = bind(&mut state.row, plan.path_slot, path);
            let (nodes, edges) = (state.path_nodes.clone(), state.path_edges.clone());
            self.match_pattern(m, index + 1, state, out)?;
            state.path_nodes = nodes;
            state.path_edges = edges;
            unbind(&mut state.row, plan.path_slot, saved);
            return Ok(());
        }
        let (rel, direction) = plan.rels[step];
        let next_pattern = plan.nodes[step + 1];
        let next_slot = plan.node_slots[step + 1];
        if let Some((min, max)) = rel.length {
            // run_match said so when it planned the pattern.
            return self.expand(
                m,
                Hops {
                    index,
                    step,
                    min,
                    max: max.unwrap_or(DEFAULT_MAX_HOPS),
                    capped: max.is_none(),
                },
                at,
                state,
                out,
            );
        }
        for link in self.links(at, direction) {
            self.meter.tick(m.span)?;
            let edge = EdgeIndex::new(link.edge as usize);
            let next = NodeIndex::new(link.node as usize);
            if !self.rel_fits(rel, &plan.rel_types[step], edge, state, m.names)? {
                continue;
            }
            if let Some(slot) = plan.rel_slots[step]
                && let Value::Rel(bound) = &state.row[slot]
                && *bound != edge
            {
                continue;
            }
            if let Some(counts) = m.counts {
                counts.bump(counts.walked(index, step));
            }
            let saved_rel = bind(&mut state.row, plan.rel_slots[step], Value::Rel(edge));
            if self.node_fits(next_pattern, next_slot, next, state, m.names)? {
                if let Some(counts) = m.counts {
                    counts.bump(counts.reached(index, step));
                }
                let saved_node = bind(&mut state.row, next_slot, Value::Node(next));
                state.used.push(edge);
                state.path_nodes.push(next);
                state.path_edges.push(edge);
                self.match_step(m, index, step + 1, next, state, out)?;
                state.path_nodes.pop();
                state.path_edges.pop();
                state.used.pop();
                unbind(&mut state.row, next_slot, saved_node);
            }
            unbind(&mut state.row, plan.rel_slots[step], saved_rel);
            if m.budget.is_some_and(|b| out.produced >= b) {
                break;
            }
        }
        Ok(())
    }
}

/// `PROFILE`'s row counts of one `MATCH`'s operators, bumped as matching runs: per pattern
/// its start, then per step the rows whose relationship fits ([`Stage::Walked`]) and whose far
/// node fits too ([`Stage::Reached`]), then the rows of the patterns so far; last, the rows
/// the `WHERE` kept.
pub(super) struct RowCounts {
    /// Where each pattern's counts begin, and (last) where the `WHERE`'s is.
    offsets: Vec<usize>,
    cells: Vec<std::cell::Cell<u64>>,
}

impl RowCounts {
    fn new(plans: &[Plan<'_>]) -> Self {
        let mut offsets = Vec::with_capacity(plans.len() + 1);
        let mut next = 0;
        for plan in plans {
            offsets.push(next);
            next += 2 + 2 * plan.rels.len();
        }
        offsets.push(next);
        RowCounts {
            offsets,
            cells: vec![std::cell::Cell::new(0); next + 1],
        }
    }

    pub(super) fn bump(&self, at: usize) {
        self.cells[at].set(self.cells[at].get() + 1);
    }

    pub(super) fn start(&self, pattern: usize) -> usize {
        self.offsets[pattern]
    }

    pub(super) fn walked(&self, pattern: usize, step: usize) -> usize {
        self.offsets[pattern] + 1 + 2 * step
    }

    pub(super) fn reached(&self, pattern: usize, step: usize) -> usize {
        self.offsets[pattern] + 2 + 2 * step
    }

    fn joined(&self, pattern: usize) -> usize {
        self.offsets[pattern + 1] - 1
    }

    fn kept_by_where(&self) -> usize {
        self.cells.len() - 1
    }

    /// Every count, by the operator it belongs to.
    fn stages(&self) -> Vec<(Stage, usize)> {
        let read = |at: usize| usize::try_from(self.cells[at].get()).unwrap_or(usize::MAX);
        let mut stages = Vec::with_capacity(self.cells.len());
        for pattern in 0..self.offsets.len() - 1 {
            stages.push((Stage::Start(pattern), read(self.start(pattern))));
            let steps = (self.offsets[pattern + 1] - self.offsets[pattern] - 2) / 2;
            for step in 0..steps {
                stages.push((
                    Stage::Walked(pattern, step),
                    read(self.walked(pattern, step)),
                ));
                stages.push((
                    Stage::Reached(pattern, step),
                    read(self.reached(pattern, step)),
                ));
            }
            stages.push((Stage::Joined(pattern), read(self.joined(pattern))));
        }
        stages.push((Stage::Where, read(self.kept_by_where())));
        stages
    }
}

/// Returns the path walked so far, in the pattern's written order.
pub(super) fn path_value(plan: &Plan<'_>, state: &State) -> Value {
    let mut nodes = state.path_nodes.clone();
    let mut edges = state.path_edges.clone();
    if plan.reversed {
        nodes.reverse();
        edges.reverse();
    }
    Value::Path(PathValue { nodes, edges })
}

pub(super) fn bind(row: &mut [Value], slot: Option<usize>, value: Value) -> Option<Value> {
    slot.map(|s| std::mem::replace(&mut row[s], value))
}

pub(super) fn unbind(row: &mut [Value], slot: Option<usize>, saved: Option<Value>) {
    if let (Some(slot), Some(saved)) = (slot, saved) {
        row[slot] = saved;
    }
}

/// Reports the first variable `expr` uses that `names` lacks (pattern predicates may
/// introduce their own).
pub(super) fn check_variables(expr: &Expr, names: &[String]) -> Result<(), CypherError> {
    match &expr.kind {
        ExprKind::Variable(v) if !names.contains(&v.name) => Err(CypherError::semantic(
            expr.span,
            format!("unknown variable `{}`", v.name),
        )),
        ExprKind::Pattern(pattern) => {
            let mut all = names.to_vec();
            all.extend(pattern.variables());
            for node in std::iter::once(&pattern.start).chain(pattern.steps.iter().map(|(_, n)| n))
            {
                for (_, e) in &node.properties {
                    check_variables(e, &all)?;
                }
            }
            Ok(())
        }
        _ => expr.try_for_each_child_in_scope(names, check_variables),
    }
}
