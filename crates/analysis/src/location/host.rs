//! Does the first segment of a scheme-less Location name a host?
//!
//! `www.example.com/x` and `www.html` are both RFC 3986 relative references
//! (§4.2), and browsers resolve both as paths below the current directory.
//! Only the first was meant as a host, and even that is at most a warning:
//! a relative path must never be an error because its first segment looks
//! like a host. The heuristic, in order:
//!
//! 1. an IPv4 address, or `localhost` with a port, is a host;
//! 2. otherwise the segment must be a DNS name of two or more labels
//!    (letters, digits, inner hyphens; RFC 1035 §2.3.1);
//! 3. whose last label is not a common file extension (`html`, `php`, `gz`,
//!    `md`, `js` …): those are paths, even where a country code has the same
//!    letters (`.md`, `.pl`, `.sh`);
//! 4. and which has a port (`example.com:8080`), or starts with `www.` and
//!    has a name after it (`www.example.com`, not `www.html`), or ends in a
//!    TLD-shaped label: two letters (a country code) or a common generic TLD.
//!
//! So `index.php`, `v1.2/notes`, `file.tar.gz` and `www.html` are paths, and
//! `example.com/x`, `www.example.org/x` and `shop.example.de:8443/p` hosts.

/// `true` when `segment` (the value up to the first `/`, `?` or `#`,
/// possibly with a `:port`) plausibly names a host.
pub(super) fn plausible_host(segment: &str) -> bool {
    let (host, port) = match segment.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            (host, true)
        }
        Some(_) => return false,
        None => (segment, false),
    };
    let host = host.to_ascii_lowercase();
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    if host == "localhost" {
        return port;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || !labels.iter().all(|l| is_dns_label(l)) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    if FILE_EXTENSIONS.contains(&tld) || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    port || (labels[0] == "www" && labels.len() >= 3)
        || tld.len() == 2
        || GENERIC_TLDS.contains(&tld)
}

fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Endings of files served on the web: a first segment ending in one is a
/// relative path to a file or folder, whatever else it looks like.
const FILE_EXTENSIONS: &[&str] = &[
    "7z", "action", "ai", "apk", "asp", "aspx", "atom", "avi", "avif", "bak", "bin", "bmp", "bz2",
    "cfm", "cgi", "cjs", "css", "csv", "db", "deb", "dmg", "do", "doc", "docx", "eot", "eps",
    "epub", "exe", "flac", "gif", "gpx", "gz", "heic", "htm", "html", "ico", "ics", "ini", "iso",
    "jar", "jpeg", "jpg", "js", "json", "jsp", "jspx", "kml", "log", "m4a", "m4v", "map", "md",
    "mjs", "mkv", "mobi", "mov", "mp3", "mp4", "msi", "odp", "ods", "odt", "ogg", "ogv", "otf",
    "pdf", "php", "phtml", "pl", "png", "ppt", "pptx", "ps", "psd", "py", "rar", "rb", "rpm",
    "rss", "rtf", "sh", "shtml", "sql", "svg", "swf", "tar", "tgz", "tif", "tiff", "toml", "ts",
    "tsv", "ttf", "txt", "vcf", "war", "wasm", "wav", "webm", "webp", "woff", "xhtml", "xls",
    "xlsx", "xml", "xz", "yaml", "yml", "zip",
];

/// Generic TLDs common enough to read `name.tld/…` as a host (two-letter
/// labels are country codes and need no list).
const GENERIC_TLDS: &[&str] = &[
    "app", "biz", "blog", "cloud", "club", "com", "dev", "edu", "gov", "info", "int", "io", "mil",
    "name", "net", "news", "online", "org", "page", "pro", "shop", "site", "store", "tech", "xyz",
];
