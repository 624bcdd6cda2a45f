//! The enforcer's offline commands: `scan` (the engine on JSON Lines), `bench` (load generators
//! and the in-process engine benchmark) and `eval` (precision and recall on a labelled corpus).

pub mod bench;
pub mod eval;
pub mod scan;
