//! The demo's TLS front: terminates https on 127.0.0.1 with a committed
//! self-signed certificate for `secure.demo.test` and relays the bytes to
//! the plain-HTTP demo server, so the demo can show an https → http hop.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use anyhow::{Context, Result};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

/// Test-only key material: a certificate nobody trusts, for a name that
/// only the demo resolves. Never use it for anything else.
const CERT_PEM: &[u8] = include_bytes!("../demo-tls/cert.pem");
const KEY_PEM: &[u8] = include_bytes!("../demo-tls/key.pem");

/// A running TLS front; dropping it stops accepting connections.
pub struct TlsFront {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl TlsFront {
    /// Listens on 127.0.0.1:0 and relays every connection to `backend`.
    pub async fn start(backend: SocketAddr) -> Result<Self> {
        let certs = CertificateDer::pem_slice_iter(CERT_PEM)
            .collect::<Result<Vec<_>, _>>()
            .context("demo certificate")?;
        let key = PrivateKeyDer::from_pem_slice(KEY_PEM).context("demo key")?;
        let config = ServerConfig::builder_with_provider(Arc::new(
            tokio_rustls::rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("demo certificate and key")?;
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .context("cannot listen on 127.0.0.1 for the demo's TLS front")?;
        let addr = listener.local_addr().context("TLS front address")?;
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(client).await else {
                        return;
                    };
                    let Ok(mut server) = TcpStream::connect(backend).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
                });
            }
        });
        Ok(Self { addr, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}
