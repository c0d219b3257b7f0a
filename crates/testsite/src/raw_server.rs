//! [`RawServer`]: exact bytes for every connection, for one-off tests.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::task::JoinHandle;

use crate::Error;
use crate::conn::{bind, close, send, spawn_accept_loop};
use crate::request::{Next, Request, RequestReader};

type Handler = dyn Fn(&Request) -> Vec<u8> + Send + Sync;

/// A server on `127.0.0.1` that answers each connection's first request
/// with exact bytes and then closes the connection. Dropping it (or
/// [`shutdown`](RawServer::shutdown)) stops it.
#[derive(Debug)]
pub struct RawServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
    task: JoinHandle<()>,
}

impl RawServer {
    /// Sends `bytes`, unchanged, to every request.
    pub async fn start(bytes: Vec<u8>) -> Result<RawServer, Error> {
        RawServer::with_handler(move |_| bytes.clone()).await
    }

    /// Sends what `handler` returns for each request.
    pub async fn with_handler<F>(handler: F) -> Result<RawServer, Error>
    where
        F: Fn(&Request) -> Vec<u8> + Send + Sync + 'static,
    {
        let (listener, addr) = bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let task_log = Arc::clone(&log);
        let task = spawn_accept_loop(listener, move |mut stream| {
            let handler = Arc::clone(&handler);
            let log = Arc::clone(&task_log);
            async move {
                let Ok(Next::Request(request)) = RequestReader::default().next(&mut stream).await
                else {
                    return;
                };
                let bytes = handler(&request);
                log.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(request);
                if send(&mut stream, &bytes, None).await.is_ok() {
                    close(stream).await;
                }
            }
        });
        Ok(RawServer { addr, log, task })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Stops the server and waits until it has stopped.
    pub async fn shutdown(mut self) {
        self.task.abort();
        let _ = (&mut self.task).await;
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
