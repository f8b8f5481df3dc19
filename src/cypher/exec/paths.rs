//! Steps that walk more than one relationship: variable-length expansion (trails, depth
//! first on an explicit stack) and shortest-path patterns on the path engine.

use super::matching::{bind, unbind};
use super::{
    ALL_SHORTEST_LIMIT, CypherError, Direction, EdgeIndex, Engine, Filter, FilterSpec, Hops,
    Matching, NodeIndex, Output, PathMode, PathQuery, PathSearch, PathValue, Selector, State,
    Value,
};

impl Engine<'_> {
    /// Variable-length expansion: every trail of `min..=max` relationships from `start`,
    /// depth first with an explicit stack, so a trail of any length costs heap, not stack.
    pub(super) fn expand(
        &self,
        m: &Matching<'_, '_>,
        hops: Hops,
        start: NodeIndex,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let plan = &m.plans[hops.index];
        let (rel, direction) = plan.rels[hops.step];
        if let Some(slot) = plan.rel_slots[hops.step]
            && slot < state.prebound
        {
            return self.follow_bound(m, hops, start, slot, state, out);
        }
        let mut walked: Vec<EdgeIndex> = Vec::new();
        self.arrive(m, hops, start, &walked, state, out)?;
        // One iterator of links per node on the trail: `stack.len() == walked.len() + 1`.
        let mut stack = Vec::new();
        if hops.max > 0 {
            stack.push(self.links(start, direction));
        }
        while m.budget.is_none_or(|b| out.produced < b) {
            let Some(links) = stack.last_mut() else {
                break;
            };
            let Some(link) = links.next() else {
                stack.pop();
                if walked.pop().is_some() {
                    state.leave();
                }
                continue;
            };
            self.meter.tick(m.span)?;
            let edge = EdgeIndex::new(link.edge as usize);
            if !self.rel_fits(rel, &plan.rel_types[hops.step], edge, state, m.names)? {
                continue;
            }
            let next = NodeIndex::new(link.node as usize);
            walked.push(edge);
            state.enter(edge, next);
            self.arrive(m, hops, next, &walked, state, out)?;
            if walked.len() < hops.max {
                stack.push(self.links(next, direction));
            } else {
                if hops.capped && !self.truncated.get() {
                    // The cap, not the pattern, ends this trail if it could go on.
                    for link in self.links(next, direction) {
                        let edge = EdgeIndex::new(link.edge as usize);
                        if !state.used.contains(&edge)
                            && self.rel_fits(
                                rel,
                                &plan.rel_types[hops.step],
                                edge,
                                state,
                                m.names,
                            )?
                        {
                            self.truncated.set(true);
                            break;
                        }
                    }
                }
                walked.pop();
                state.leave();
            }
        }
        for _ in walked {
            state.leave();
        }
        Ok(())
    }

    /// A variable-length relationship whose variable an earlier clause bound to a list of
    /// relationships: the pattern follows exactly that list, from `start`, as openCypher does.
    fn follow_bound(
        &self,
        m: &Matching<'_, '_>,
        hops: Hops,
        start: NodeIndex,
        slot: usize,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let plan = &m.plans[hops.index];
        let (rel, direction) = plan.rels[hops.step];
        let mut edges: Vec<EdgeIndex> = match &state.row[slot] {
            Value::Null => return Ok(()),
            Value::List(items) => {
                let mut edges = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Rel(edge) => edges.push(*edge),
                        _ => return Ok(()),
                    }
                }
                edges
            }
            _ => {
                let variable = rel.variable.as_deref().unwrap_or("");
                return Err(CypherError::semantic(
                    rel.span,
                    format!(
                        "`{variable}` is already bound to a single relationship; a \
                         variable-length relationship needs a new variable or a list of \
                         relationships"
                    ),
                ));
            }
        };
        if plan.reversed {
            edges.reverse();
        }
        if edges.len() < hops.min || edges.len() > hops.max {
            return Ok(());
        }
        let mut at = start;
        let mut entered = 0;
        let mut fits = true;
        for &edge in &edges {
            let next = self
                .links(at, direction)
                .find(|link| link.edge as usize == edge.index())
                .map(|link| NodeIndex::new(link.node as usize));
            let usable = next.is_some()
                && !state.used.contains(&edge)
                && self.rel_fits(rel, &plan.rel_types[hops.step], edge, state, m.names)?;
            let Some(next) = next.filter(|_| usable) else {
                fits = false;
                break;
            };
            state.enter(edge, next);
            entered += 1;
            at = next;
        }
        if fits {
            self.arrive(m, hops, at, &edges, state, out)?;
        }
        for _ in 0..entered {
            state.leave();
        }
        Ok(())
    }

    /// A variable-length trail `walked` reached `at`: when it is long enough and `at` fits
    /// the next node, match the rest of the pattern from there.
    pub(super) fn arrive(
        &self,
        m: &Matching<'_, '_>,
        hops: Hops,
        at: NodeIndex,
        walked: &[EdgeIndex],
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let Hops {
            index, step, min, ..
        } = hops;
        let plan = &m.plans[index];
        let (next_pattern, next_slot) = (plan.nodes[step + 1], plan.node_slots[step + 1]);
        if walked.len() < min {
            return Ok(());
        }
        if let Some(counts) = m.counts {
            counts.bump(counts.walked(index, step));
        }
        if !self.node_fits(next_pattern, next_slot, at, state, m.names)? {
            return Ok(());
        }
        if let Some(counts) = m.counts {
            counts.bump(counts.reached(index, step));
        }
        let mut list: Vec<Value> = walked.iter().map(|&e| Value::Rel(e)).collect();
        if plan.reversed {
            list.reverse();
        }
        let saved_rel = bind(&mut state.row, plan.rel_slots[step], Value::List(list));
        let saved_node = bind(&mut state.row, next_slot, Value::Node(at));
        self.match_step(m, index, step + 1, at, state, out)?;
        unbind(&mut state.row, next_slot, saved_node);
        unbind(&mut state.row, plan.rel_slots[step], saved_rel);
        Ok(())
    }

    /// `shortestPath`, `allShortestPaths`, `ANY SHORTEST`, `ALL SHORTEST`, `SHORTEST k`.
    pub(super) fn match_shortest(
        &self,
        m: &Matching<'_, '_>,
        index: usize,
        state: &mut State,
        out: &mut Output<'_>,
    ) -> Result<(), CypherError> {
        let plan = &m.plans[index];
        let pattern = plan.pattern;
        let (rel, end) = &pattern.steps[0];
        let (start_slot, end_slot) = (plan.node_slots[0], plan.node_slots[1]);
        let known: Vec<String> = rel
            .types
            .iter()
            .filter(|t| self.kg.catalog.rel_types.contains(t))
            .cloned()
            .collect();
        if !rel.types.is_empty() && known.is_empty() {
            return Ok(());
        }
        let spec = FilterSpec {
            rel_types: known,
            directed: rel.direction != Direction::Either,
            ..FilterSpec::default()
        };
        let mode = match pattern
            .selector
            .expect("only called for selective patterns")
        {
            Selector::AnyShortest => PathMode::Shortest,
            // One more than kept: finding it says the answer was cut.
            Selector::AllShortest => PathMode::AllShortest {
                limit: ALL_SHORTEST_LIMIT + 1,
            },
            Selector::Shortest(k) => PathMode::KShortest(k),
        };
        let (min, max) = rel.length.unwrap_or((1, None));
        let query = PathQuery {
            filter: Filter::new(self.kg, &spec)
                .map_err(|err| CypherError::semantic(rel.span, err.to_string()))?,
            max_hops: max,
            weighted: false,
            mode,
        };
        let starts = self.candidates(&pattern.start, start_slot, state, m.names, m.anchors)?;
        let ends = self.candidates(end, end_slot, state, m.names, m.anchors)?;
        for &a in &starts {
            if !self.node_fits(&pattern.start, start_slot, a, state, m.names)? {
                continue;
            }
            if let Some(counts) = m.counts {
                counts.bump(counts.start(index));
            }
            let saved_a = bind(&mut state.row, start_slot, Value::Node(a));
            for &b in &ends {
                self.meter.tick(m.span)?;
                if !self.node_fits(end, end_slot, b, state, m.names)? || (a == b && min > 0) {
                    continue;
                }
                let (from, to) = if rel.direction == Direction::Incoming {
                    (b, a)
                } else {
                    (a, b)
                };
                // The borrow ends before recursing: nested patterns may search again.
                let paths = self
                    .search
                    .borrow_mut()
                    .get_or_insert_with(|| PathSearch::new(self.kg, self.adjacency))
                    .search(from, to, &query)
                    .map_err(|err| CypherError::semantic(rel.span, err.to_string()))?;
                let mut paths = paths;
                if paths.len() > ALL_SHORTEST_LIMIT {
                    paths.truncate(ALL_SHORTEST_LIMIT);
                    self.truncated.set(true);
                }
                for path in paths {
                    let (mut nodes, mut edges) = (path.nodes, path.edges);
                    if rel.direction == Direction::Incoming {
                        nodes.reverse();
                        edges.reverse();
                    }
                    if edges.iter().any(|e| state.used.contains(e)) {
                        continue;
                    }
                    let saved_b = bind(&mut state.row, end_slot, Value::Node(b));
                    let saved_rel = bind(
                        &mut state.row,
                        plan.rel_slots[0],
                        Value::List(edges.iter().map(|&e| Value::Rel(e)).collect()),
                    );
                    let saved_path = bind(
                        &mut state.row,
                        plan.path_slot,
                        Value::Path(PathValue {
                            nodes,
                            edges: edges.clone(),
                        }),
                    );
                    if let Some(counts) = m.counts {
                        counts.bump(counts.walked(index, 0));
                        counts.bump(counts.reached(index, 0));
                    }
                    state.used.extend(&edges);
                    self.match_pattern(m, index + 1, state, out)?;
                    state.used.truncate(state.used.len() - edges.len());
                    unbind(&mut state.row, plan.path_slot, saved_path);
                    unbind(&mut state.row, plan.rel_slots[0], saved_rel);
                    unbind(&mut state.row, end_slot, saved_b);
                }
            }
            unbind(&mut state.row, start_slot, saved_a);
        }
        Ok(())
    }
}
