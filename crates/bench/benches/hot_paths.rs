//! Micro-benchmarks of the per-page and per-hop hot paths of a crawl: link
//! extraction, URL normalisation, Location resolution and classification,
//! and `hops.csv` writing. Input comes from the generated benchmark site, so
//! it looks like what `redirect-audit-bench run` crawls.
//!
//! Run with `cargo bench -p redirect-audit-bench`; CI only builds this.

use std::collections::HashMap;
use std::hint::black_box;
use std::io;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use model::{AuditEnd, Chain, ChainEnd, CrawlOutput, CrawlStats, Hop, RawValue};
use redirect_audit_bench::Site;
use url::Url;

const ORIGIN: &str = "http://127.0.0.1:8080";

/// The generated page closest to 25 KB, and its URL.
fn page_of_25kb(site: &Site) -> (String, Url) {
    let (i, html) = (0..200)
        .map(|i| (i, site.page_html(i)))
        .min_by_key(|(_, html)| html.len().abs_diff(25_000))
        .expect("the site has pages");
    let url = Url::parse(&format!("{ORIGIN}{}", site.page_path(i))).expect("valid URL");
    (html, url)
}

/// A large page shaped like a news or shop front page: inline JSON and
/// scripts (comments and `</script>`-lookalikes in strings included), a big
/// inline stylesheet, SVG icons, and hundreds of links with classes, data
/// attributes and character references.
fn large_page(kib: usize) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Front page &amp; news</title>\n",
    );
    html.push_str("<link rel=canonical href=\"https://shop.example/\">\n");
    html.push_str("<style>");
    for i in 0..400 {
        html.push_str(&format!(
            ".c{i}{{margin:0 {i}px;background:url(/img/{i}.png)}} a.c{i}:hover{{color:#{i:03x}}}\n"
        ));
    }
    html.push_str("</style>\n");
    for i in 0..20 {
        html.push_str(&format!(
            "<script>window.__DATA_{i}__={{\"items\":[{}],\"html\":\"<a href=\\\"/x\\\">x<\\/a>\"}};\n\
             // <!-- analytics --> if (a < b && c > d) {{ track('{i}') }}\n</script>\n",
            (0..40).map(|k| format!("{{\"id\":{k},\"u\":\"/p/{k}\"}}")).collect::<Vec<_>>().join(",")
        ));
    }
    html.push_str("</head><body>\n");
    let mut i = 0;
    while html.len() < kib * 1024 {
        html.push_str(&format!(
            "<div class=\"card c{n}\" data-id={i}><svg viewBox=\"0 0 24 24\" aria-hidden=true><path d=\"M12 2l3 7h7l-5.5 4 2 7-6.5-4.5L5.5 20l2-7L2 9h7z\"/></svg>\n\
             <a class=\"c{n} link\" href=\"/products/{i}?ref=home&amp;pos={i}\" data-track='{{\"pos\":{i}}}'>Product {i} &mdash; caf&eacute;</a>\n\
             <p>Text about product {i} with <b>bold</b> &lt;words&gt; and <img src=/img/{i}.jpg alt=\"\"> an image.</p></div>\n",
            n = i % 400
        ));
        i += 1;
    }
    html.push_str("<script>if (location.pathname === '/') { location.href = '/welcome'; }</script></body></html>\n");
    html
}

fn extract_links(c: &mut Criterion) {
    use crawler::Extractor;
    let site = Site::new(2000);
    let (page, url) = page_of_25kb(&site);
    let large = large_page(400);
    let extractors = [
        ("scanner", Extractor::Scanner),
        ("html5gum", Extractor::Html5gum),
        ("lol_html", Extractor::LolHtml),
    ];
    for (name, html) in [("page_25kb", &page), ("page_400kb", &large)] {
        let mut group = c.benchmark_group(format!("extract_links/{name}"));
        group.throughput(Throughput::Bytes(html.len() as u64));
        for (extractor_name, extractor) in extractors {
            // Each extractor finds the same links, or the timing compares
            // different work.
            assert_eq!(
                crawler::extract_links_with(extractor, html.as_bytes(), &url),
                crawler::extract_links_with(Extractor::Scanner, html.as_bytes(), &url),
                "{extractor_name} on {name}"
            );
            group.bench_function(extractor_name, |b| {
                b.iter(|| {
                    crawler::extract_links_with(
                        extractor,
                        black_box(html.as_bytes()),
                        black_box(&url),
                    )
                });
            });
        }
        group.finish();
    }
}

/// URLs as links and Location values write them: plain, with a fragment,
/// with lowercase percent-escapes, with a query.
fn sample_urls() -> Vec<Url> {
    let site = Site::new(2000);
    (0..100)
        .map(|i| {
            let path = site.page_path(i);
            let text = match i % 4 {
                0 => format!("{ORIGIN}{path}"),
                1 => format!("{ORIGIN}{path}#section-{i}"),
                2 => format!("{ORIGIN}/caf%c3%a9/{i}?q=%e2%82%ac"),
                _ => format!("{ORIGIN}{path}?utm_source=x&id={i}"),
            };
            Url::parse(&text).expect("valid URL")
        })
        .collect()
}

fn normalize_url(c: &mut Criterion) {
    let urls = sample_urls();
    let mut group = c.benchmark_group("normalize_url");
    group.throughput(Throughput::Elements(urls.len() as u64));
    group.bench_function("100_urls", |b| {
        b.iter_batched(
            || urls.clone(),
            |urls| {
                for url in urls {
                    black_box(model::normalize_url(url));
                }
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// Raw Location values: absolute, absolute-path, relative, protocol-relative,
/// non-UTF-8, and defective ones (space, missing scheme colon, bad escape).
fn sample_locations() -> Vec<Vec<u8>> {
    let mut values: Vec<Vec<u8>> = (0..10)
        .flat_map(|i| {
            [
                format!("{ORIGIN}/p/{i}.html").into_bytes(),
                format!("/p/{i}.html").into_bytes(),
                format!("../p/{i}.html?x=1").into_bytes(),
                format!("//127.0.0.1:8080/r/{i}/a").into_bytes(),
                format!("/caf\u{e9}/{i}").into_bytes(),
                format!("/new page {i}").into_bytes(),
                format!("http//127.0.0.1/p/{i}.html").into_bytes(),
                format!("/p/{i}%zz").into_bytes(),
            ]
        })
        .collect();
    values.push(b"/latin1-\xe9".to_vec());
    values
}

fn resolve_location(c: &mut Criterion) {
    let base = Url::parse(&format!("{ORIGIN}/r/1/a")).expect("valid URL");
    let values = sample_locations();
    let mut group = c.benchmark_group("resolve_location");
    group.throughput(Throughput::Elements(values.len() as u64));
    group.bench_function("81_values", |b| {
        b.iter(|| {
            for value in &values {
                black_box(crawler::resolve_location(black_box(&base), value));
            }
        });
    });
    group.finish();
}

fn classify_location(c: &mut Criterion) {
    let base = Url::parse(&format!("{ORIGIN}/r/1/a")).expect("valid URL");
    let values = sample_locations();
    let mut group = c.benchmark_group("classify_location");
    group.throughput(Throughput::Elements(values.len() as u64));
    group.bench_function("81_values", |b| {
        b.iter(|| {
            for value in &values {
                black_box(analysis::classify_location(value, black_box(&base)));
            }
        });
    });
    group.finish();
}

fn hop(url: String, status: u16, target: Option<String>) -> Hop {
    Hop {
        locations: target.iter().map(|t| RawValue::new(t.as_bytes())).collect(),
        url,
        status: Some(status),
        target,
        cache_control: Some("max-age=3600".into()),
        content_type: Some("text/html".into()),
        elapsed_ms: 1,
        attempts: 1,
        ..Hop::default()
    }
}

/// A crawl output with the site's chains, `chains` of them (sources are
/// repeated with a query string when the site has fewer).
fn crawl_with_chains(chains: usize) -> CrawlOutput {
    let site = Site::new(100_000);
    let chains = (0..chains)
        .map(|n| {
            let k = n % site.sources();
            let suffix = if n < site.sources() {
                String::new()
            } else {
                format!("?n={n}")
            };
            let paths = site.chain(&site.source_path(k));
            let hops: Vec<Hop> = paths
                .iter()
                .enumerate()
                .map(|(i, path)| {
                    let url = format!("{ORIGIN}{path}{}", if i == 0 { &suffix } else { "" });
                    match site.rules().iter().find(|r| &r.from == path) {
                        Some(rule) => hop(url, rule.status, Some(format!("{ORIGIN}{}", rule.to))),
                        None if site.is_page(path) => hop(url, 200, None),
                        None => hop(url, 404, None),
                    }
                })
                .collect();
            let end = match hops.last().and_then(|h| h.target.clone()) {
                Some(back_to) => ChainEnd::Loop { back_to },
                None => ChainEnd::Final,
            };
            Chain {
                start: format!("{ORIGIN}{}{suffix}", paths[0]),
                hops,
                end,
            }
        })
        .collect();
    CrawlOutput {
        start_url: format!("{ORIGIN}/"),
        pages: Vec::new().into(),
        referrers: Vec::new(),
        chains,
        links: Vec::new(),
        end: AuditEnd::Completed,
        stats: CrawlStats::default(),
    }
}

fn write_hops_csv(c: &mut Criterion) {
    let crawl = crawl_with_chains(10_000);
    let rows: usize = crawl.chains.iter().map(|c| c.hops.len()).sum();
    let classes: HashMap<String, String> = crawl
        .chains
        .iter()
        .flat_map(|c| &c.hops)
        .filter(|h| h.is_redirect())
        .map(|h| (h.url.clone(), "moved".to_owned()))
        .collect();
    let mut group = c.benchmark_group("write_hops_csv");
    group.throughput(Throughput::Elements(rows as u64));
    group.sample_size(20);
    group.bench_function("10000_chains", |b| {
        b.iter(|| report::write_hops_csv(io::sink(), black_box(&crawl), &classes));
    });
    group.finish();
}

criterion_group!(
    hot_paths,
    extract_links,
    normalize_url,
    resolve_location,
    classify_location,
    write_hops_csv
);
criterion_main!(hot_paths);
