//! The single-audit rules, one module per family. Each appends findings for
//! one [`Index`]; filtering and ordering happen in [`crate::analyze`]. The
//! families are leaves: what they share (making a finding, reading a
//! client-side redirect, message text) lives outside `rules`, in
//! [`crate::emit`], [`crate::links`] and [`crate::text`].

mod chains;
mod client;
mod hops;
mod location;
mod loops;
mod references;

use model::FindingSink;

use crate::index::Index;

/// Runs every single-audit rule.
pub(crate) fn run(ix: &Index<'_>, out: &mut dyn FindingSink) {
    location::check(ix, out);
    hops::check(ix, out);
    chains::check(ix, out);
    loops::check(ix, out);
    client::check(ix, out);
    references::check(ix, out);
}
