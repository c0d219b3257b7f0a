//! Serves a fixture site until Ctrl-C, for poking at it with curl:
//! `cargo run -p redirect-audit-testsite --example serve -- demo`, then
//! `curl -si --resolve demo.test:PORT:127.0.0.1 http://demo.test:PORT/`.

#[expect(clippy::print_stdout, reason = "an example for people, at a terminal")]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args().nth(1).unwrap_or_else(|| "demo".to_owned());
    let port: u16 = std::env::args().nth(2).map_or(Ok(0), |p| p.parse())?;
    let site = redirect_audit_testsite::Site::fixture(&name)?
        .serve_on(([127, 0, 0, 1], port).into())
        .await?;
    println!("serving fixtures/{name} on {}", site.origin());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
