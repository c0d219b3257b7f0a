//! The harness against the installed PostgreSQL.

#[test]
fn a_server_starts_answers_and_stops() {
    let server = redirect_audit_testpg::Server::start().unwrap_or_else(|e| panic!("{e}"));
    let url = server.fresh_database().unwrap();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let one: i32 = client.query_one("SELECT 1", &[]).unwrap().get(0);
    assert_eq!(one, 1);
    server.stop().unwrap();
    assert!(client.query_one("SELECT 1", &[]).is_err());
}
