//! The askama template: `templates/report.html`, escaped by the engine
//! (the `.html` extension turns HTML escaping on for every expression; only
//! the stylesheet, the script and plotters' SVG, all ours, are `|safe`).

use askama::Template;

use super::view::Page;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportTemplate<'a> {
    page: &'a Page,
}

/// Renders the page.
pub(crate) fn render(page: &Page) -> askama::Result<String> {
    ReportTemplate { page }.render()
}
