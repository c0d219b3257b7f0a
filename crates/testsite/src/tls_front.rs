//! The demo's TLS front: terminates https on 127.0.0.1 with a committed
//! self-signed certificate for `secure.demo.test` and relays the bytes to
//! the plain-HTTP demo server, so the demo can show an https → http hop.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

use crate::Error;

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
    pub async fn start(backend: SocketAddr) -> Result<Self, Error> {
        let tls = |reason: String| Error::Tls { reason };
        let certs = CertificateDer::pem_slice_iter(CERT_PEM)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| tls(format!("demo certificate: {e}")))?;
        let key =
            PrivateKeyDer::from_pem_slice(KEY_PEM).map_err(|e| tls(format!("demo key: {e}")))?;
        let config = ServerConfig::builder_with_provider(Arc::new(
            tokio_rustls::rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| tls(format!("TLS protocol versions: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| tls(format!("demo certificate and key: {e}")))?;
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let bind = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let bind_error = |source| Error::Bind { addr: bind, source };
        let listener = TcpListener::bind(bind).await.map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
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
