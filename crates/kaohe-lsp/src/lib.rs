//! The language server for `.rules` files (issue 16 §1), spoken over stdio by
//! `rulec lsp`.
