//! What one query may spend: time and rows held, as a database bounds a transaction.
//!
//! A runaway query (an unbounded variable-length pattern on a dense graph, a cartesian product
//! of six patterns, chained `UNWIND`s) fails with a [`ErrorKind::Limit`] error that names the
//! limit and the flag that raises it, instead of filling memory until the kernel kills it.
//!
//! [`ErrorKind::Limit`]: crate::cypher::error::ErrorKind::Limit

use std::cell::Cell;
use std::time::{Duration, Instant};

use crate::cypher::error::{CypherError, Span};
use crate::cypher::value::Value;

/// The bounds on one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time the query may run; `None` runs to the end.
    pub timeout: Option<Duration>,
    /// Bytes of rows one clause may hold at once, counting the groups of a grouping key and
    /// the values kept by aggregates (`collect`, `count(DISTINCT ...)`). Estimated from the
    /// number of rows and their width; text inside values is not counted.
    pub max_memory: usize,
}

impl Limits {
    /// Two minutes: a query over a million entities that can finish at all does so well
    /// within it on a laptop.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
    /// 2 GiB: about 10 million rows of three columns, and what a laptop can spare.
    pub const DEFAULT_MAX_MEMORY: usize = 2 << 30;

    /// The estimated bytes of `rows` rows of `width` values each: the row, its values, and
    /// the allocator's header for the values.
    #[must_use]
    pub fn table_bytes(rows: usize, width: usize) -> usize {
        const ALLOCATION_HEADER: usize = 16;
        rows.saturating_mul(
            std::mem::size_of::<Vec<Value>>()
                + ALLOCATION_HEADER
                + width * std::mem::size_of::<Value>(),
        )
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Some(Self::DEFAULT_TIMEOUT),
            max_memory: Self::DEFAULT_MAX_MEMORY,
        }
    }
}

/// How many units of work pass between two looks at the clock.
const TICKS_PER_CLOCK_READ: u32 = 4096;

/// Counts a running query's work against its [`Limits`].
pub(crate) struct Meter {
    limits: Limits,
    deadline: Option<Instant>,
    ticks: Cell<u32>,
}

impl Meter {
    /// Starts the clock.
    pub(crate) fn start(limits: Limits) -> Self {
        Meter {
            limits,
            deadline: limits.timeout.and_then(|t| Instant::now().checked_add(t)),
            ticks: Cell::new(0),
        }
    }

    /// Counts one unit of work (a candidate, a step, a row) done for the expression or
    /// pattern at `span`; fails once the time is up.
    pub(crate) fn tick(&self, span: Span) -> Result<(), CypherError> {
        let ticks = self.ticks.get().wrapping_add(1);
        self.ticks.set(ticks);
        if !ticks.is_multiple_of(TICKS_PER_CLOCK_READ) {
            return Ok(());
        }
        match (self.deadline, self.limits.timeout) {
            (Some(deadline), Some(timeout)) if Instant::now() >= deadline => {
                Err(CypherError::limit(
                    span,
                    format!(
                        "the query ran out of time after {} here; raise --timeout SECONDS, \
                         or bound the pattern (`*..N`, a label, an id, LIMIT)",
                        seconds(timeout)
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Fails when `bytes` held exceed the memory budget; `span` is where they come from.
    pub(crate) fn hold(&self, bytes: usize, span: Span) -> Result<(), CypherError> {
        if bytes > self.limits.max_memory {
            return Err(CypherError::limit(
                span,
                format!(
                    "the query holds more than {} MiB of rows here; raise --max-memory MIB, or \
                     aggregate, bound or LIMIT the pattern",
                    self.limits.max_memory >> 20
                ),
            ));
        }
        Ok(())
    }
}

fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_is_read_every_few_thousand_ticks() {
        let meter = Meter::start(Limits {
            timeout: Some(Duration::ZERO),
            max_memory: 10,
        });
        let mut failed_at = None;
        for i in 1..=TICKS_PER_CLOCK_READ {
            if meter.tick(Span::default()).is_err() {
                failed_at = Some(i);
                break;
            }
        }
        assert_eq!(failed_at, Some(TICKS_PER_CLOCK_READ));
    }

    #[test]
    fn rows_past_the_budget_fail_with_the_flag_to_raise_it() {
        let meter = Meter::start(Limits {
            timeout: None,
            max_memory: 10 << 20,
        });
        assert!(meter.hold(10 << 20, Span::default()).is_ok());
        let err = meter.hold((10 << 20) + 1, Span::new(3, 4)).unwrap_err();
        assert_eq!(err.span, Span::new(3, 4));
        assert!(err.message.contains("10 MiB"), "{}", err.message);
        assert!(err.message.contains("--max-memory"), "{}", err.message);
    }
}
