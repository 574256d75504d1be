//! One module per subcommand.

pub mod check;
pub mod diff;
pub mod eval;
pub mod fmt;
pub mod generate;
pub mod import;
pub mod schema;
pub mod seal;
pub mod serve;
pub mod template;
pub mod test;
pub mod verify;
