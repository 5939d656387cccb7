//! The PostgreSQL backend, for several collector instances on one database. Commits are
//! durable with PostgreSQL's defaults (`fsync`, `synchronous_commit = on`); deduplication
//! holds across instances because it rests on the primary key, not on instance memory.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::Postgres;

use super::{SqlStore, StoreResult};

/// Writer tasks per instance: PostgreSQL commits concurrent transactions in parallel.
const WRITERS: usize = 4;

/// A store in a PostgreSQL database.
pub type PostgresStore = SqlStore<Postgres>;

impl SqlStore<Postgres> {
    /// Connects to a `postgres://…` URL and applies the migrations (under PostgreSQL's
    /// advisory lock, so instances starting together do not race).
    ///
    /// # Errors
    /// The server cannot be reached, or a migration fails.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(WRITERS as u32 + 4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(Self {
            write: pool.clone(),
            read: pool,
            writers: WRITERS,
        })
    }
}
