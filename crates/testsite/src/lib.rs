//! Serves fixture sites over real sockets on 127.0.0.1 for tests, the
//! `redirect-audit demo` command and benchmarks, including raw responses
//! that HTTP frameworks refuse to send (`Location: http//host/x`, two
//! `Location` headers, a 302 without one, non-UTF-8 bytes).
//!
//! A fixture site is a folder with a `site.toml` (routes) and `pages/`
//! (files served with `200`); `fixtures/README.md` documents the format.
//! The server is a small hand-written HTTP/1.1 server: one task per
//! connection, keep-alive, `GET` and `HEAD`, each response written with a
//! single `write_all`.
#![deny(missing_docs)]

mod browser;
mod conn;
mod embedded;
mod error;
mod raw_server;
mod reason;
mod request;
mod response;
mod server;
mod site;
mod source;
mod spec;
mod template;
mod tls_front;

pub use browser::{CHROMIUM, CHROMIUM_HEADLESS_ARGS};
pub use embedded::embedded_demo;
pub use error::Error;
pub use raw_server::RawServer;
pub use request::{MAX_HEAD_BYTES, Request};
pub use server::{LoggedRequest, RunningSite};
pub use site::{Site, fixtures_dir};
pub use tls_front::TlsFront;
