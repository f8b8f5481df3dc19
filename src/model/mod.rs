//! The data model: partial dates, typed values, compact record storage, entities, relations,
//! the declared schema and display styles. The leftmost layer: it uses nothing else from the
//! crate and does no I/O.

pub(crate) mod bytes;
pub mod date;
pub mod entity;
pub mod fingerprint;
pub mod ftm;
pub(crate) mod index;
pub mod printable;
pub mod schema;
pub(crate) mod similar;
pub(crate) mod store;
pub mod style;
pub mod value;
