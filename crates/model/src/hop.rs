//! One HTTP request and the response it got: the unit of evidence.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::RawValue;

/// One request the crawler made and what came back, exactly as sent.
///
/// Every URL is fetched at most once per audit; a [`crate::Chain`] is a list
/// of these, so a hop shared by several chains is one fetch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// The URL requested (normalised, no fragment).
    pub url: String,
    /// The status code; `None` when no response was received.
    pub status: Option<u16>,
    /// Every `Location` header value, in the order received, as raw bytes.
    /// Empty when the response had none.
    pub locations: Vec<RawValue>,
    /// Where a client goes next: the first Location resolved against
    /// [`Hop::url`] by WHATWG URL rules, with the Location's own fragment if
    /// it has one. The fragment a client carries over from the link when the
    /// Location has none (RFC 9110 §10.2.2) is not part of it: it depends on
    /// how the URL was linked, not on what the server sent. `None` when there
    /// is no Location or it cannot be resolved.
    pub target: Option<String>,
    /// The `Refresh` header, raw.
    pub refresh: Option<RawValue>,
    /// The `Cache-Control` header, lossily decoded.
    pub cache_control: Option<String>,
    /// The `Expires` header, lossily decoded.
    pub expires: Option<String>,
    /// The `Content-Type` header, lossily decoded.
    pub content_type: Option<String>,
    /// Wall time from sending the request to the end of the body (or error).
    pub elapsed_ms: u64,
    /// How many attempts this response took (retries after 429/503/5xx or
    /// network errors count).
    pub attempts: u32,
    /// What went wrong, when the request failed or its body could not be read.
    pub error: Option<FetchError>,
}

impl Hop {
    /// The URL a client requests next, as the key it was fetched under:
    /// [`Hop::target`] normalised (see [`crate::normalize_url`]), so without
    /// any fragment. `None` when this is not a redirect or has no usable
    /// target.
    pub fn next_url(&self) -> Option<String> {
        if !self.is_redirect() {
            return None;
        }
        let target = url::Url::parse(self.target.as_deref()?).ok()?;
        Some(crate::normalize_url(target).into())
    }

    /// `true` when a client follows this response: see
    /// [`crate::is_redirect_status`].
    pub fn is_redirect(&self) -> bool {
        self.status
            .is_some_and(|s| crate::is_redirect_status(s, !self.locations.is_empty()))
    }
}

/// Why a fetch failed: a value on the record, not an `Err` of the audit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchError {
    /// The class of failure.
    pub kind: FetchErrorKind,
    /// A one-line description naming the cause.
    pub message: String,
}

impl FetchError {
    /// Builds an error of `kind` with a message.
    pub fn new(kind: FetchErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// Classes of fetch failure, stable strings in reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FetchErrorKind {
    /// The request or body took longer than the per-request timeout.
    Timeout,
    /// Could not connect (refused, DNS failure, unreachable).
    Connect,
    /// TLS handshake or certificate failure.
    Tls,
    /// The server broke HTTP: bad status line, broken chunking, reset mid-body.
    Protocol,
    /// The body was larger than the configured cap (after decompression).
    BodyTooLarge,
    /// robots.txt disallows the URL for our user agent; not fetched.
    BlockedByRobots,
    /// The URL's scheme is not http(s) (`ftp:`, `javascript:` …); not fetched.
    UnsupportedScheme,
    /// The target is a private, loopback or link-local address reached from a
    /// public site; not fetched.
    PrivateAddress,
    /// Anything else.
    Other,
}

impl FetchErrorKind {
    /// The stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Connect => "connect",
            Self::Tls => "tls",
            Self::Protocol => "protocol",
            Self::BodyTooLarge => "body-too-large",
            Self::BlockedByRobots => "blocked-by-robots",
            Self::UnsupportedScheme => "unsupported-scheme",
            Self::PrivateAddress => "private-address",
            Self::Other => "other",
        }
    }

    /// `true` when no request was sent on purpose (robots, scheme, address).
    pub fn is_not_fetched(self) -> bool {
        matches!(
            self,
            Self::BlockedByRobots | Self::UnsupportedScheme | Self::PrivateAddress
        )
    }
}

impl fmt::Display for FetchErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
