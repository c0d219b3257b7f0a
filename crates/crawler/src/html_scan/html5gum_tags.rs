//! The same [`Tag`]s as [`super::scan`], from html5gum's WHATWG tokenizer
//! (the one lychee uses). Built to measure the hand-written scanner against
//! a maintained crate (see crates/README.md, "HTML scanner"); compiled only
//! with the `html5gum` feature.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, State, Tokenizer};

use super::{Tag, emit};

/// What the callback gathers for the tag being read.
#[derive(Default)]
struct Current {
    name: Vec<u8>,
    attrs: Vec<(String, String)>,
    /// Whether the last attribute name repeated an earlier one (first wins).
    skip_value: bool,
    /// The text of an inline script being read, if any.
    script: Option<Vec<u8>>,
}

impl Current {
    fn finish_script(&mut self, found: &mut impl FnMut(Tag)) {
        if let Some(text) = self.script.take() {
            found(Tag::Script {
                text: String::from_utf8_lossy(&text).into_owned(),
            });
        }
    }
}

/// Calls `found` for every tag of interest, in document order.
pub(crate) fn scan(html: &[u8], mut found: impl FnMut(Tag)) {
    let mut current = Current::default();
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                current.finish_script(&mut found);
                current.name.clear();
                current.name.extend_from_slice(name);
                current.attrs.clear();
            }
            CallbackEvent::AttributeName { name } => {
                let name = String::from_utf8_lossy(name);
                current.skip_value = current.attrs.iter().any(|(n, _)| *n == name);
                if !current.skip_value {
                    current.attrs.push((name.into_owned(), String::new()));
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if !current.skip_value
                    && let Some((_, v)) = current.attrs.last_mut()
                {
                    *v = String::from_utf8_lossy(value).into_owned();
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                emit(&current.name, &current.attrs, &mut found);
                let name = current.name.as_slice();
                if name == b"script" && !current.attrs.iter().any(|(n, _)| n == "src") {
                    current.script = Some(Vec::new());
                }
                // html5gum's automatic switch (`naive_next_state`) spells
                // this one `noframe`: ask the loop below to switch.
                if name == b"noframes" {
                    return Some(State::RawText);
                }
            }
            CallbackEvent::String { value } => {
                if let Some(text) = current.script.as_mut() {
                    text.extend_from_slice(value);
                }
            }
            CallbackEvent::EndTag { .. } => current.finish_script(&mut found),
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
        None
    });
    // Raw text, RCDATA and script data are states the tree builder picks; a
    // tokenizer alone needs to be told (html5gum README).
    emitter.naively_switch_states(true);
    let mut tokenizer = Tokenizer::new_with_emitter(html, emitter);
    while let Some(Ok(state)) = tokenizer.next() {
        tokenizer.set_state(state);
    }
    drop(tokenizer);
    current.finish_script(&mut found);
}
