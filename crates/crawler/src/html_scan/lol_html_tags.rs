//! The same [`Tag`]s as [`super::scan`], from Cloudflare's lol_html
//! streaming rewriter. Built to measure the hand-written scanner against a
//! maintained crate (see crates/README.md, "HTML scanner"); compiled only
//! with the `lol_html` feature.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

use lol_html::html_content::{Element, TextChunk};
use lol_html::{ElementContentHandlers, HandlerResult, HtmlRewriter, Selector, Settings};

use super::{Tag, decode_attribute, emit};

/// The selectors, parsed once rather than per page (lol_html's `element!`
/// macro parses its selector on every call).
static SELECTORS: LazyLock<[Selector; 6]> = LazyLock::new(|| {
    [
        "a[href]",
        "area[href]",
        "base[href]",
        "link[rel][href]",
        "meta[http-equiv][content]",
        "script",
    ]
    .map(|css| css.parse().expect("static selector is valid"))
});

/// Calls `found` for every tag of interest: tags of a kind in document
/// order, scripts after the other tags (the order [`super::scan`] promises
/// within a kind, which is all extraction relies on).
pub(crate) fn scan(html: &[u8], mut found: impl FnMut(Tag)) {
    let tags = RefCell::new(Vec::new());
    let script_text: RefCell<Option<String>> = RefCell::new(None);
    let script_inline = Cell::new(false);
    let on_tag = |el: &mut Element<'_, '_>| -> HandlerResult {
        let mut attrs: Vec<(String, String)> = Vec::new();
        for attr in el.attributes() {
            let name = attr.name();
            if !attrs.iter().any(|(n, _)| *n == name) {
                // lol_html hands values over undecoded ("may have HTML
                // entities"); decode them as html5ever does.
                attrs.push((name, decode_attribute(attr.value().as_bytes())));
            }
        }
        emit(el.tag_name().as_bytes(), &attrs, &mut |tag| {
            tags.borrow_mut().push(tag);
        });
        Ok(())
    };
    let on_script = |el: &mut Element<'_, '_>| -> HandlerResult {
        script_inline.set(!el.has_attribute("src"));
        Ok(())
    };
    let on_text = |chunk: &mut TextChunk<'_>| -> HandlerResult {
        if script_inline.get() {
            let mut text = script_text.borrow_mut();
            text.get_or_insert_default().push_str(chunk.as_str());
            if chunk.last_in_text_node() {
                let text = text.take().unwrap_or_default();
                tags.borrow_mut().push(Tag::Script { text });
            }
        }
        Ok(())
    };
    let [a, area, base, link, meta, script] = &*SELECTORS;
    let on = |selector| Cow::Borrowed(selector);
    let settings = Settings::new()
        .append_element_content_handler((on(a), ElementContentHandlers::default().element(on_tag)))
        .append_element_content_handler((
            on(area),
            ElementContentHandlers::default().element(on_tag),
        ))
        .append_element_content_handler((
            on(base),
            ElementContentHandlers::default().element(on_tag),
        ))
        .append_element_content_handler((
            on(link),
            ElementContentHandlers::default().element(on_tag),
        ))
        .append_element_content_handler((
            on(meta),
            ElementContentHandlers::default().element(on_tag),
        ))
        .append_element_content_handler((
            on(script),
            ElementContentHandlers::default()
                .element(on_script)
                .text(on_text),
        ));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // Errors are a memory limit or an encoding that is not ASCII-compatible:
    // neither happens with the default settings and UTF-8, and a failed
    // page keeps whatever was found before.
    let ended = rewriter.write(html).and_then(|()| rewriter.end());
    debug_assert!(ended.is_ok(), "{ended:?}");
    for tag in tags.into_inner() {
        found(tag);
    }
}
