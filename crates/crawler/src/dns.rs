//! Host names to addresses, with the private-address guard applied to the
//! answer at connect time.
//!
//! Refusing redirects to `127.0.0.1` or `localhost` by their spelling is not
//! enough: a public name can resolve to a private address (DNS rebinding, or
//! a hostile site's own record pointing into the auditor's network). So when
//! the audited site is public, every address a lookup returns is checked
//! before a connection is made; private ones are dropped, and a name with
//! only private addresses is refused with [`PrivateAnswer`]. Names given with
//! `--resolve` never reach this resolver (reqwest answers them first): the
//! user chose those addresses.

use std::collections::HashSet;
use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::guard::is_private_ip;

/// How host names become addresses: the system's resolver
/// ([`HostResolver::system`]) unless an embedder or a test supplies another.
#[derive(Clone)]
pub struct HostResolver(Arc<LookupFn>);

/// A blocking lookup: a host name to its addresses.
type LookupFn = dyn Fn(&str) -> io::Result<Vec<IpAddr>> + Send + Sync;

impl HostResolver {
    /// The operating system's resolver (`getaddrinfo`), as reqwest uses by
    /// default.
    pub fn system() -> Self {
        Self::new(|host| Ok((host, 0).to_socket_addrs()?.map(|a| a.ip()).collect()))
    }

    /// A resolver that answers with `lookup` (called on a blocking thread).
    pub fn new(lookup: impl Fn(&str) -> io::Result<Vec<IpAddr>> + Send + Sync + 'static) -> Self {
        Self(Arc::new(lookup))
    }

    /// The addresses of `host`.
    pub fn lookup(&self, host: &str) -> io::Result<Vec<IpAddr>> {
        (self.0)(host)
    }

    /// Looks `host` up off the async runtime.
    pub(crate) async fn lookup_async(&self, host: String) -> io::Result<Vec<IpAddr>> {
        let resolver = self.clone();
        tokio::task::spawn_blocking(move || resolver.lookup(&host))
            .await
            .map_err(io::Error::other)?
    }
}

impl Default for HostResolver {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for HostResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostResolver")
    }
}

/// A lookup refused because the name has only private addresses while the
/// audited site is public.
#[derive(Debug, thiserror::Error)]
#[error(
    "{host} resolves to the private address {address}; a public site's audit does not connect into private address space (allow with --allow-private)"
)]
pub struct PrivateAnswer {
    /// The name looked up.
    pub host: String,
    /// The first private address it resolved to.
    pub address: IpAddr,
}

/// The resolver reqwest uses: [`HostResolver`] plus the guard.
pub(crate) struct GuardedResolver {
    resolver: HostResolver,
    /// Set when the audited site is itself private (or `--allow-private`):
    /// then every answer is used as it is.
    allow_private: Arc<AtomicBool>,
}

impl GuardedResolver {
    pub(crate) fn new(resolver: HostResolver, allow_private: Arc<AtomicBool>) -> Self {
        Self {
            resolver,
            allow_private,
        }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let resolver = self.resolver.clone();
        let allow_private = self.allow_private.load(Ordering::Relaxed);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let answer = resolver.lookup_async(host.clone()).await?;
            let usable = guard(&host, answer, allow_private)?;
            // Port 0: the connector puts the URL's port in.
            let addrs: Addrs = Box::new(usable.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// `true` when the audited site is private: a seed is a private address or
/// `localhost`, or a name that resolves to a private address (an intranet
/// audited by name). Names given with `--resolve` count by their spelling
/// only, as reqwest never asks the resolver for them.
pub(crate) async fn seeds_are_private(
    seeds: impl IntoIterator<Item = url::Url>,
    overrides: &[(String, SocketAddr)],
    resolve_only: bool,
    resolver: &HostResolver,
) -> bool {
    // A list may hold thousands of seeds: each name is looked up once.
    let mut looked_up: HashSet<String> = HashSet::new();
    for url in seeds {
        if crate::guard::is_private_host(&url) {
            return true;
        }
        let Some(url::Host::Domain(name)) = url.host() else {
            continue;
        };
        let overridden = overrides
            .iter()
            .any(|(host, _)| host.eq_ignore_ascii_case(name));
        if overridden || resolve_only || !looked_up.insert(name.to_owned()) {
            continue;
        }
        let answer = resolver.lookup_async(name.to_owned()).await;
        if answer.is_ok_and(|ips| ips.iter().any(|ip| is_private_ip(*ip))) {
            return true;
        }
    }
    false
}

/// The addresses of `host` a connection may use: all of them when private
/// space is allowed, else the public ones, and an error when there are none.
fn guard(
    host: &str,
    answer: Vec<IpAddr>,
    allow_private: bool,
) -> Result<Vec<IpAddr>, PrivateAnswer> {
    if allow_private {
        return Ok(answer);
    }
    let first_private = answer.iter().copied().find(|ip| is_private_ip(*ip));
    let public: Vec<IpAddr> = answer
        .into_iter()
        .filter(|ip| !is_private_ip(*ip))
        .collect();
    match (public.is_empty(), first_private) {
        (true, Some(address)) => Err(PrivateAnswer {
            host: host.to_owned(),
            address,
        }),
        _ => Ok(public),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_answers_are_dropped_or_refused_for_a_public_site() {
        let mixed = vec![ip("10.0.0.7"), ip("93.184.215.14")];
        assert_eq!(
            guard("a.test", mixed.clone(), false).unwrap(),
            vec![ip("93.184.215.14")]
        );
        assert_eq!(guard("a.test", mixed.clone(), true).unwrap(), mixed);
        for private in [
            "127.0.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "::1",
            "fd00::1",
            "::ffff:10.1.2.3",
        ] {
            let refused = guard("rebind.test", vec![ip(private)], false).unwrap_err();
            assert_eq!(refused.address, ip(private));
            assert!(
                refused
                    .to_string()
                    .contains("rebind.test resolves to the private address")
            );
        }
    }
}
