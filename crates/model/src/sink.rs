//! Where findings go as analysis makes them.

use crate::Finding;

/// Where analysis hands each finding as it is made: a large site has
/// hundreds of thousands, which the caller may rather spill to disk than
/// hold (the binary does; a `Vec` collects them). Here, in `model`, so that
/// analysis (which fills a sink) and report (which provides one) depend on
/// this trait and not on each other.
pub trait FindingSink {
    /// Takes one finding.
    fn push(&mut self, finding: Finding);
}

impl FindingSink for Vec<Finding> {
    fn push(&mut self, finding: Finding) {
        Vec::push(self, finding);
    }
}
