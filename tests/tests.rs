//! End-to-end tests of the real `redirect-audit` binary against fixture
//! sites served over loopback. One integration-test binary, one module per
//! area.

mod support;

mod access_log;
mod bad_input;
mod browser;
mod check;
mod crawl;
mod demo;
mod example_report;
mod history;
mod html_report;
mod interrupt;
mod politeness;
mod postgres;
mod readme;
mod same_site;
mod trap;
