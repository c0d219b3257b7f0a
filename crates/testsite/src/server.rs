//! Serving a [`Site`]: [`RunningSite`] and the per-connection loop.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use crate::Error;
use crate::conn::{bind, close, send, spawn_accept_loop};
use crate::request::{Next, Request, RequestReader};
use crate::response;
use crate::site::{Action, Lookup, Site};
use crate::template::Context;

/// One request as the server saw it, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The `Host` header value as sent, if any.
    pub authority: Option<String>,
    /// The request target: path and query.
    pub target: String,
}

/// A fixture site being served. Dropping it (or
/// [`shutdown`](RunningSite::shutdown)) stops the server and closes every
/// connection.
#[derive(Debug)]
pub struct RunningSite {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    site: Site,
    port: Vec<u8>,
    /// Used as the authority when a request has no `Host` header.
    local_authority: Vec<u8>,
    log: Mutex<Vec<LoggedRequest>>,
}

impl Site {
    /// Serves the site on `127.0.0.1` with a port chosen by the system.
    pub async fn serve(self) -> Result<RunningSite, Error> {
        self.serve_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
    }

    /// Serves the site on `addr` (port `0` lets the system choose).
    pub async fn serve_on(self, addr: SocketAddr) -> Result<RunningSite, Error> {
        let (listener, local) = bind(addr).await?;
        let shared = Arc::new(Shared {
            site: self,
            port: local.port().to_string().into_bytes(),
            local_authority: local.to_string().into_bytes(),
            log: Mutex::default(),
        });
        let for_handler = Arc::clone(&shared);
        let task = spawn_accept_loop(listener, move |stream| {
            serve_connection(Arc::clone(&for_handler), stream)
        });
        Ok(RunningSite {
            addr: local,
            shared,
            task,
        })
    }
}

impl RunningSite {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT` followed by `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// `http://HOST:PORT` followed by `path`: a URL with a fixture host
    /// name (e.g. `demo.test`) that a client maps to this server.
    pub fn url_for_host(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port())
    }

    /// How many requests (any method, any host) had exactly this target.
    pub fn request_count(&self, path_and_query: &str) -> usize {
        self.lock_log()
            .iter()
            .filter(|r| r.target == path_and_query)
            .count()
    }

    /// The request log as `METHOD target` lines, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.lock_log()
            .iter()
            .map(|r| format!("{} {}", r.method, r.target))
            .collect()
    }

    /// The request log with hosts, in arrival order.
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.lock_log().clone()
    }

    /// Forgets the requests logged so far.
    pub fn clear_requests(&self) {
        self.lock_log().clear();
    }

    /// Stops the server and waits until it has stopped.
    pub async fn shutdown(mut self) {
        self.task.abort();
        let _ = (&mut self.task).await;
    }

    fn lock_log(&self) -> std::sync::MutexGuard<'_, Vec<LoggedRequest>> {
        // A panic while holding the lock cannot leave the Vec inconsistent.
        self.shared
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for RunningSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves requests on one connection until either side closes it.
async fn serve_connection(shared: Arc<Shared>, mut stream: TcpStream) {
    let mut reader = RequestReader::default();
    loop {
        let request = match reader.next(&mut stream).await {
            Ok(Next::Request(request)) => request,
            Ok(Next::Closed) | Err(_) => return,
            Ok(Next::TooLarge) => {
                let _ = send(&mut stream, &response::error(431, false, false), None).await;
                return close(stream).await;
            }
            Ok(Next::Bad) => {
                let _ = send(&mut stream, &response::error(400, false, false), None).await;
                return close(stream).await;
            }
        };
        shared
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(LoggedRequest {
                method: request.method.clone(),
                authority: request
                    .authority()
                    .map(|a| String::from_utf8_lossy(a).into_owned()),
                target: request.target.clone(),
            });
        match respond(&shared, &request, &mut stream).await {
            Ok(true) => {}
            Ok(false) => return close(stream).await,
            Err(_) => return,
        }
    }
}

/// Sends the response to one request; `Ok(true)` if the connection stays
/// open.
async fn respond(
    shared: &Shared,
    request: &Request,
    stream: &mut TcpStream,
) -> std::io::Result<bool> {
    let ctx = Context {
        port: &shared.port,
        authority: request.authority().unwrap_or(&shared.local_authority),
        path: request.target.as_bytes(),
    };
    let keep_alive = request.keep_alive();
    let head_only = match request.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            send(stream, &response::error(405, false, keep_alive), None).await?;
            return Ok(keep_alive);
        }
    };
    let host = request.host_name();
    match shared.site.lookup(host.as_deref(), &request.target) {
        Lookup::Route(route) => {
            if !route.delay.is_zero() {
                tokio::time::sleep(route.delay).await;
            }
            match &route.action {
                Action::Raw {
                    bytes,
                    keep_alive: route_keep_alive,
                } => {
                    send(stream, &bytes.render(&ctx), route.slow_bytes).await?;
                    Ok(*route_keep_alive && keep_alive)
                }
                Action::Reply(reply) if reply.never_end => {
                    send(
                        stream,
                        &response::never_end_head(reply, &ctx),
                        route.slow_bytes,
                    )
                    .await?;
                    if head_only {
                        return Ok(false);
                    }
                    let chunk = response::endless_chunk();
                    loop {
                        send(stream, &chunk, route.slow_bytes).await?;
                    }
                }
                Action::Reply(reply) => {
                    let bytes = response::reply(reply, &ctx, head_only, keep_alive);
                    send(stream, &bytes, route.slow_bytes).await?;
                    Ok(keep_alive)
                }
            }
        }
        Lookup::Page(page) => {
            send(
                stream,
                &response::page(page, &ctx, head_only, keep_alive),
                None,
            )
            .await?;
            Ok(keep_alive)
        }
        Lookup::NotFound => {
            send(stream, &response::error(404, head_only, keep_alive), None).await?;
            Ok(keep_alive)
        }
    }
}
