//! Reads web-server access logs in one streaming pass into per-URL redirect
//! evidence.
//!
//! (Crate documentation is completed with the reader.)
#![deny(missing_docs)]

mod error;
mod format;
mod googlebot;
mod json;
mod record;
mod time;

pub use error::Error;
pub use format::{DETECT_LINES, Format, UnknownFormat, detect};
pub use googlebot::{Agent, BUNDLED_GOOGLEBOT_JSON, GooglebotRanges, says_googlebot};
pub use record::{Record, Unparseable};
