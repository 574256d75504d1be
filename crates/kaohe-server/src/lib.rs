//! kaohe as an HTTP service (issue 17): the JSON contract of `kaohe::api`
//! over HTTP, the workbench page, and sealed periods kept in `kaohe-store`.

pub mod page;
