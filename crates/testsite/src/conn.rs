//! Connection plumbing shared by both servers: the accept loop, sending
//! bytes (optionally slowly) and closing politely.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use crate::Error;

/// Binds `addr`; returns the listener and the address it got.
pub(crate) async fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), Error> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| Error::Bind { addr, source })?;
    Ok((listener, local))
}

/// Spawns a task that accepts connections and runs `handle` on each, one
/// task per connection. Aborting the returned task closes the listener
/// and every connection.
pub(crate) fn spawn_accept_loop<F, Fut>(listener: TcpListener, handle: F) -> JoinHandle<()>
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        // Owning the connections here means dropping this future (on abort)
        // aborts them all.
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        connections.spawn(handle(stream));
                    }
                    // Out of file descriptors and the like: back off
                    // instead of spinning.
                    Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
    })
}

/// Writes `bytes` in one call, or one byte every `slow` if set.
pub(crate) async fn send(
    stream: &mut TcpStream,
    bytes: &[u8],
    slow: Option<Duration>,
) -> std::io::Result<()> {
    match slow {
        None => stream.write_all(bytes).await,
        Some(pause) => {
            for byte in bytes {
                stream.write_all(std::slice::from_ref(byte)).await?;
                tokio::time::sleep(pause).await;
            }
            Ok(())
        }
    }
}

/// Closes after a response: shut down our side, then read until the
/// client closes (bounded), so that unread request bytes do not turn the
/// close into a reset that destroys the response in flight
/// (RFC 9112 §9.6).
pub(crate) async fn close(mut stream: TcpStream) {
    if stream.shutdown().await.is_err() {
        return;
    }
    let mut scratch = [0u8; 4096];
    let drain = async {
        while let Ok(n) = stream.read(&mut scratch).await {
            if n == 0 {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
}
