//! Table tests over hand-built crawls. `kit` builds the records; one module
//! per rule family.

mod access_log;
mod changes;
mod filters;
mod fragments;
mod history;
mod kit;
mod migration;
mod report_facts;
mod rules;
mod statuses;
