//! Templates: bytes with `{port}`, `{authority}`, `{origin}`, `{host}` and
//! `{path}` filled in per request.
//!
//! Parsed once at load time so that serving is a copy of literal runs plus
//! a few variable values. Any other `{…}` is literal text, so HTML, CSS and
//! JavaScript need no escaping.

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(Vec<u8>),
    Var(Var),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    Port,
    Authority,
    Origin,
    Host,
    Path,
}

const VARS: [(&[u8], Var); 5] = [
    (b"{port}", Var::Port),
    (b"{authority}", Var::Authority),
    (b"{origin}", Var::Origin),
    (b"{host}", Var::Host),
    (b"{path}", Var::Path),
];

/// The per-request values a template can use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    /// The port the server listens on, as decimal text.
    pub(crate) port: &'a [u8],
    /// The request's `Host` header value as sent (or the server's address).
    pub(crate) authority: &'a [u8],
    /// The request target as sent (path and query).
    pub(crate) path: &'a [u8],
}

impl Context<'_> {
    /// The authority without its port (`[::1]` keeps its brackets).
    fn host(&self) -> &[u8] {
        let a = self.authority;
        match a.iter().rposition(|&b| b == b':') {
            Some(i) if !a[i..].contains(&b']') => &a[..i],
            _ => a,
        }
    }
}

impl Template {
    /// Parses `bytes`, recognising the variables anywhere.
    pub(crate) fn parse(bytes: &[u8]) -> Template {
        let mut parts = Vec::new();
        let mut literal_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'{'
                && let Some((name, var)) = VARS.iter().find(|(n, _)| bytes[i..].starts_with(n))
            {
                if literal_start < i {
                    parts.push(Part::Literal(bytes[literal_start..i].to_vec()));
                }
                parts.push(Part::Var(*var));
                i += name.len();
                literal_start = i;
                continue;
            }
            i += 1;
        }
        if literal_start < bytes.len() {
            parts.push(Part::Literal(bytes[literal_start..].to_vec()));
        }
        Template { parts }
    }

    /// Appends the rendered template to `out`.
    pub(crate) fn render_into(&self, ctx: &Context<'_>, out: &mut Vec<u8>) {
        for part in &self.parts {
            match part {
                Part::Literal(bytes) => out.extend_from_slice(bytes),
                Part::Var(Var::Port) => out.extend_from_slice(ctx.port),
                Part::Var(Var::Authority) => out.extend_from_slice(ctx.authority),
                Part::Var(Var::Origin) => {
                    out.extend_from_slice(b"http://");
                    out.extend_from_slice(ctx.authority);
                }
                Part::Var(Var::Host) => out.extend_from_slice(ctx.host()),
                Part::Var(Var::Path) => out.extend_from_slice(ctx.path),
            }
        }
    }

    /// Renders the template into a new buffer.
    pub(crate) fn render(&self, ctx: &Context<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        self.render_into(ctx, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &str, authority: &str) -> String {
        let ctx = Context {
            port: b"8080",
            authority: authority.as_bytes(),
            path: b"/p?q",
        };
        String::from_utf8(Template::parse(t.as_bytes()).render(&ctx)).unwrap()
    }

    #[test]
    fn substitutes_every_variable_and_keeps_other_braces() {
        assert_eq!(
            render(
                "{origin}/a {authority} {host}:{port}{path} {x} {} {port",
                "demo.test:8080"
            ),
            "http://demo.test:8080/a demo.test:8080 demo.test:8080/p?q {x} {} {port"
        );
    }

    #[test]
    fn host_strips_port_but_not_ipv6_brackets() {
        assert_eq!(render("{host}", "[::1]:80"), "[::1]");
        assert_eq!(render("{host}", "[::1]"), "[::1]");
        assert_eq!(render("{host}", "a.test"), "a.test");
    }
}
