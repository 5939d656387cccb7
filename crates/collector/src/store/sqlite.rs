//! The SQLite backend: one file in WAL mode with `synchronous=FULL`, so a committed
//! transaction survives a crash or power loss; one write connection (SQLite has one writer
//! at a time anyway) fed by one writer task that commits batches.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Sqlite;

use super::{SqlStore, StoreResult};

/// A store in one SQLite file.
pub type SqliteStore = SqlStore<Sqlite>;

impl SqlStore<Sqlite> {
    /// Opens (creating if missing) the database file of a `sqlite://FILE` URL and applies
    /// the migrations.
    ///
    /// # Errors
    /// The file cannot be opened or created, or a migration fails.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: the WAL is synced on every commit. NORMAL would lose the last commits
            // on power loss — acknowledged responses must not be lost.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        Ok(Self {
            write,
            read,
            writers: 1,
        })
    }
}

impl SqlStore<Sqlite> {
    /// The write connection's `journal_mode` and `synchronous` settings, e.g. `("wal", 2)`
    /// (2 = FULL): what durability rests on.
    ///
    /// # Errors
    /// The database fails.
    pub async fn durability(&self) -> StoreResult<(String, i64)> {
        let mut conn = self.write.acquire().await?;
        let (journal,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?;
        let (synchronous,): (i64,) = sqlx::query_as("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await?;
        Ok((journal, synchronous))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn commits_are_durable_wal_with_synchronous_full() -> Result<(), super::super::StoreError>
    {
        let dir = std::env::temp_dir().join(format!("rapport-sqlite-{}", crate::sample::uuid()));
        std::fs::create_dir_all(&dir).map_err(sqlx::Error::Io)?;
        let store = SqliteStore::open(&format!("sqlite://{}", dir.join("d.db").display())).await?;
        assert_eq!(store.durability().await?, ("wal".to_owned(), 2));
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
        Ok(())
    }
}
