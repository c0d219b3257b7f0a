//! Test support: one history suite, run against both backends.
//!
//! A test written as `fn name(h: TestHistory)` runs on a fresh SQLite file
//! and on a fresh database of the shared test PostgreSQL server
//! ([`testpg::shared`]) through [`on_both_backends!`]. PostgreSQL missing is
//! a failure with the reason, never a skip.

use tempfile::TempDir;

use crate::{History, HistoryLocation};

/// Which store a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty history of one backend.
pub(crate) struct TestHistory {
    pub(crate) location: HistoryLocation,
    _dir: TempDir,
}

impl TestHistory {
    pub(crate) fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let location = match backend {
            Backend::Sqlite => HistoryLocation::File(dir.path().join("history.sqlite")),
            Backend::Postgres => {
                let server = testpg::shared().unwrap_or_else(|e| panic!("{e}"));
                let url = server.fresh_database().unwrap_or_else(|e| panic!("{e}"));
                HistoryLocation::parse(&url).unwrap()
            }
        };
        Self {
            location,
            _dir: dir,
        }
    }

    /// Opens (or reopens) the history.
    pub(crate) fn open(&self) -> History {
        History::open(&self.location).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// What error messages call it.
    pub(crate) fn name(&self) -> String {
        self.location.to_string()
    }

    /// One integer from `sql`, on a connection of its own, with the
    /// history's tables unqualified on both backends.
    pub(crate) fn count(&self, sql: &str) -> i64 {
        match &self.location {
            HistoryLocation::File(path) => rusqlite::Connection::open(path)
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
            HistoryLocation::Postgres(url) => {
                let mut client = url.config().connect(postgres::NoTls).unwrap();
                client
                    .batch_execute("SET search_path = redirect_audit")
                    .unwrap();
                client.query_one(sql, &[]).unwrap().get(0)
            }
        }
    }
}

/// `on_both_backends!(a, b)` makes `sqlite::a`, `postgres::a`, … tests that
/// call `a(TestHistory::new(…))`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::testing::TestHistory::new(
                        $crate::testing::Backend::Sqlite,
                    ));
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    super::$name($crate::testing::TestHistory::new(
                        $crate::testing::Backend::Postgres,
                    ));
                }
            )*
        }
    };
}
pub(crate) use on_both_backends;
