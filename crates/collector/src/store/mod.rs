//! Storage behind one interface, [`Store`], with two real backends: SQLite (WAL, the default)
//! and PostgreSQL (for several collector instances on one database). Migrations are applied
//! when a store is opened.
//!
//! Both backends run the same SQL (SQLite accepts PostgreSQL's `$1` placeholders); only the
//! connection set-up, the column types in `migrations/` and the number of writers differ.

mod postgres;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::{Database, Pool};

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// A store on a sqlx database: a pool for writes and one for reads (the same pool for
/// PostgreSQL; SQLite gets a single write connection so writes never wait on each other).
#[derive(Debug, Clone)]
pub struct SqlStore<DB: Database> {
    write: Pool<DB>,
    read: Pool<DB>,
    writers: usize,
}

impl<DB: Database> SqlStore<DB> {
    /// Closes the pools, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Why a storage operation failed. Shown to operators (logs, CLI), never to HTTP clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is neither `sqlite://…` nor `postgres://…`.
    #[error("unsupported database URL `{0}`: use sqlite://FILE or postgres://USER@HOST:PORT/DB")]
    UnsupportedUrl(String),
    /// Connecting or a query failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying the migrations failed.
    #[error("applying the database migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The writer task is gone (the collector is shutting down).
    #[error("the response writer has stopped")]
    WriterStopped,
}

/// A `Result` with a [`StoreError`].
pub type StoreResult<T> = Result<T, StoreError>;

/// A response to insert or to replace an earlier post of the same response with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResponse {
    /// The response id (UUID) — the deduplication key.
    pub response_id: String,
    /// The survey answered.
    pub survey_id: String,
    /// Its version.
    pub survey_version: i64,
    /// The post's sequence number; a higher one replaces a lower one.
    pub sequence: i64,
    /// `partial` or `complete`.
    pub status: String,
    /// The relationship type id.
    pub relationship_type: String,
    /// Where the type came from (`explicit`, `rule`, `screener`, `default`).
    pub relationship_source: String,
    /// The price band, if any.
    pub price_band: Option<String>,
    /// `first` or `repeat`, if known.
    pub purchase: Option<String>,
    /// Whether the context was signed by the shop and the signature checked.
    pub context_verified: bool,
    /// When the collector received this post (RFC 3339).
    pub received_at: String,
    /// The payload as received (JSON).
    pub payload: String,
}

/// What saving one response did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SaveOutcome {
    /// A new row.
    Created,
    /// Replaced a post with a lower sequence.
    Updated,
    /// The same sequence was stored before; nothing changed.
    Duplicate,
    /// A post with a higher sequence is stored; nothing changed.
    Stale,
    /// The response id is stored for another survey or version; nothing changed.
    Conflict,
}

/// A stored response.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredResponse {
    /// Insertion order; the key of paged reads.
    pub id: i64,
    /// The response id (UUID).
    pub response_id: String,
    /// The survey answered.
    pub survey_id: String,
    /// Its version.
    pub survey_version: i64,
    /// The highest sequence received.
    pub sequence: i64,
    /// `partial` or `complete`.
    pub status: String,
    /// The relationship type id.
    pub relationship_type: String,
    /// Where the type came from.
    pub relationship_source: String,
    /// The price band, if any.
    pub price_band: Option<String>,
    /// `first` or `repeat`, if known.
    pub purchase: Option<String>,
    /// 1 if the context was verified by a signed link, else 0.
    pub context_verified: i64,
    /// When the first post arrived (RFC 3339).
    pub received_at: String,
    /// When the stored post arrived (RFC 3339).
    pub updated_at: String,
    /// The stored payload (JSON).
    pub payload: String,
}

/// A published survey version.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredSurvey {
    /// The survey id.
    pub survey_id: String,
    /// The version.
    pub version: i64,
    /// The definition as canonical JSON.
    pub definition: String,
    /// A strong ETag of the definition (`"sha256-…"`).
    pub etag: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
}

/// What publishing a survey version did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishOutcome {
    /// Stored as a new version.
    Published,
    /// The same definition was published before.
    Unchanged,
    /// Another definition is published under this id and version.
    Conflict,
}

/// A researcher token (its hash only).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenInfo {
    /// The token's name, e.g. who holds it.
    pub name: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// The storage interface the collector uses; one implementation per database.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// How many writer tasks should feed [`Store::save_batch`] concurrently.
    fn writers(&self) -> usize;

    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    /// Saves a batch of responses in one transaction, durably committed on `Ok`, in order:
    /// a new id is inserted, a higher sequence replaces a lower one, anything else changes
    /// nothing. Returns one outcome per item.
    async fn save_batch(&self, batch: &[NewResponse]) -> StoreResult<Vec<SaveOutcome>>;

    /// One stored response by id.
    async fn response(&self, response_id: &str) -> StoreResult<Option<StoredResponse>>;

    /// Up to `limit` responses of a survey (all versions if `version` is `None`) with
    /// [`StoredResponse::id`] greater than `after`, in id order.
    async fn responses_page(
        &self,
        survey_id: &str,
        version: Option<i64>,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<StoredResponse>>;

    /// Number of stored responses (all surveys).
    async fn count_responses(&self) -> StoreResult<i64>;

    /// Publishes a survey version unless that id and version exist.
    async fn publish_survey(&self, survey: &StoredSurvey) -> StoreResult<PublishOutcome>;

    /// One published version.
    async fn survey(&self, survey_id: &str, version: i64) -> StoreResult<Option<StoredSurvey>>;

    /// The highest published version of a survey.
    async fn latest_version(&self, survey_id: &str) -> StoreResult<Option<i64>>;

    /// Every published version, ordered by id and version.
    async fn surveys(&self) -> StoreResult<Vec<StoredSurvey>>;

    /// Stores a token hash under a name; `false` if the name is taken.
    async fn create_token(&self, name: &str, sha256: &str, created_at: &str) -> StoreResult<bool>;

    /// Deletes a token by name; `false` if there was none.
    async fn revoke_token(&self, name: &str) -> StoreResult<bool>;

    /// Whether a token with this hash exists.
    async fn token_exists(&self, sha256: &str) -> StoreResult<bool>;

    /// Every token, by name.
    async fn tokens(&self) -> StoreResult<Vec<TokenInfo>>;

    /// Claims the signed link whose signature hashes to `link_sha256` for `response_id`:
    /// `true` if the link is that response's (claimed now or by an earlier post of it),
    /// `false` if another response claimed it first.
    async fn claim_link(&self, link_sha256: &str, response_id: &str, at: &str)
        -> StoreResult<bool>;
}

/// Opens the store a database URL names and applies its migrations.
///
/// # Errors
/// [`StoreError::UnsupportedUrl`] for other schemes; connection and migration errors.
pub async fn open(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::open(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(shown_url(url)))
    }
}

/// A database URL as it may be shown in messages and logs: a password in it is `***`
/// (`postgres://rapport:***@db/rapport`).
#[must_use]
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// The SQL both backends run.
mod sql {
    pub const INSERT_RESPONSE: &str =
        "INSERT INTO responses (response_id, survey_id, survey_version, sequence, status, \
         relationship_type, relationship_source, price_band, purchase, context_verified, \
         received_at, updated_at, payload) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) \
         ON CONFLICT (response_id) DO NOTHING";

    pub const UPDATE_RESPONSE: &str =
        "UPDATE responses SET sequence = $4, status = $5, relationship_type = $6, \
         relationship_source = $7, price_band = $8, purchase = $9, context_verified = $10, \
         updated_at = $11, payload = $12 \
         WHERE response_id = $1 AND survey_id = $2 AND survey_version = $3 AND sequence < $4";

    pub const RESPONSE_KEY: &str =
        "SELECT survey_id, survey_version, sequence FROM responses WHERE response_id = $1";

    pub const RESPONSE_COLUMNS: &str = "id, response_id, survey_id, survey_version, sequence, status, relationship_type, \
         relationship_source, price_band, purchase, context_verified, received_at, updated_at, payload";

    pub const INSERT_SURVEY: &str =
        "INSERT INTO surveys (survey_id, version, definition, etag, published_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (survey_id, version) DO NOTHING";

    pub const SURVEY_COLUMNS: &str = "survey_id, version, definition, etag, published_at";
}

/// What a conflicting earlier row says about a post that changed nothing.
fn unchanged_outcome(item: &NewResponse, stored: Option<(String, i64, i64)>) -> SaveOutcome {
    match stored {
        Some((survey_id, version, sequence))
            if survey_id == item.survey_id && version == item.survey_version =>
        {
            if sequence == item.sequence {
                SaveOutcome::Duplicate
            } else {
                SaveOutcome::Stale
            }
        }
        // A row that vanished between the statements cannot happen (rows are never
        // deleted); treat it like another survey's row: the post is not stored.
        _ => SaveOutcome::Conflict,
    }
}

/// The order in which a batch is written: by response id, so that concurrent transactions
/// (several PostgreSQL instances) lock rows in the same order and cannot deadlock.
fn write_order(batch: &[NewResponse]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by(|&a, &b| batch[a].response_id.cmp(&batch[b].response_id));
    order
}

/// Implements [`Store`] for `SqlStore<$db>`: the queries are the same for both backends.
macro_rules! impl_store {
    ($db:ty, $name:literal) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $crate::store::SqlStore<$db> {
            fn backend(&self) -> &'static str {
                $name
            }

            fn writers(&self) -> usize {
                self.writers
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.read).await?;
                Ok(())
            }

            async fn save_batch(&self, batch: &[NewResponse]) -> StoreResult<Vec<SaveOutcome>> {
                let mut tx = self.write.begin().await?;
                let mut outcomes = vec![SaveOutcome::Conflict; batch.len()];
                for index in $crate::store::write_order(batch) {
                    let item = &batch[index];
                    let bind = |query: &'static str| {
                        sqlx::query(query)
                            .bind(&item.response_id)
                            .bind(&item.survey_id)
                            .bind(item.survey_version)
                            .bind(item.sequence)
                            .bind(&item.status)
                            .bind(&item.relationship_type)
                            .bind(&item.relationship_source)
                            .bind(&item.price_band)
                            .bind(&item.purchase)
                            .bind(i64::from(item.context_verified))
                            .bind(&item.received_at)
                            .bind(&item.payload)
                    };
                    let inserted = bind(sql::INSERT_RESPONSE)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    outcomes[index] = if inserted == 1 {
                        SaveOutcome::Created
                    } else if bind(sql::UPDATE_RESPONSE)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                        == 1
                    {
                        SaveOutcome::Updated
                    } else {
                        let stored: Option<(String, i64, i64)> = sqlx::query_as(sql::RESPONSE_KEY)
                            .bind(&item.response_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                        $crate::store::unchanged_outcome(item, stored)
                    };
                }
                tx.commit().await?;
                Ok(outcomes)
            }

            async fn response(&self, response_id: &str) -> StoreResult<Option<StoredResponse>> {
                let query = format!(
                    "SELECT {} FROM responses WHERE response_id = $1",
                    sql::RESPONSE_COLUMNS
                );
                Ok(sqlx::query_as(&query)
                    .bind(response_id)
                    .fetch_optional(&self.read)
                    .await?)
            }

            async fn responses_page(
                &self,
                survey_id: &str,
                version: Option<i64>,
                after: i64,
                limit: i64,
            ) -> StoreResult<Vec<StoredResponse>> {
                let query = format!(
                    "SELECT {} FROM responses WHERE survey_id = $1 \
                     AND ($2 = 0 OR survey_version = $3) AND id > $4 ORDER BY id LIMIT $5",
                    sql::RESPONSE_COLUMNS
                );
                Ok(sqlx::query_as(&query)
                    .bind(survey_id)
                    .bind(i64::from(version.is_some()))
                    .bind(version.unwrap_or(0))
                    .bind(after)
                    .bind(limit)
                    .fetch_all(&self.read)
                    .await?)
            }

            async fn count_responses(&self) -> StoreResult<i64> {
                let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM responses")
                    .fetch_one(&self.read)
                    .await?;
                Ok(count)
            }

            async fn publish_survey(&self, survey: &StoredSurvey) -> StoreResult<PublishOutcome> {
                let inserted = sqlx::query(sql::INSERT_SURVEY)
                    .bind(&survey.survey_id)
                    .bind(survey.version)
                    .bind(&survey.definition)
                    .bind(&survey.etag)
                    .bind(&survey.published_at)
                    .execute(&self.write)
                    .await?
                    .rows_affected();
                if inserted == 1 {
                    return Ok(PublishOutcome::Published);
                }
                let stored = self.survey(&survey.survey_id, survey.version).await?;
                Ok(match stored {
                    Some(stored)
                        if crate::registry::same_content(
                            &stored.definition,
                            &survey.definition,
                        ) =>
                    {
                        PublishOutcome::Unchanged
                    }
                    _ => PublishOutcome::Conflict,
                })
            }

            async fn survey(
                &self,
                survey_id: &str,
                version: i64,
            ) -> StoreResult<Option<StoredSurvey>> {
                let query = format!(
                    "SELECT {} FROM surveys WHERE survey_id = $1 AND version = $2",
                    sql::SURVEY_COLUMNS
                );
                Ok(sqlx::query_as(&query)
                    .bind(survey_id)
                    .bind(version)
                    .fetch_optional(&self.read)
                    .await?)
            }

            async fn latest_version(&self, survey_id: &str) -> StoreResult<Option<i64>> {
                let (latest,): (Option<i64>,) =
                    sqlx::query_as("SELECT MAX(version) FROM surveys WHERE survey_id = $1")
                        .bind(survey_id)
                        .fetch_one(&self.read)
                        .await?;
                Ok(latest)
            }

            async fn surveys(&self) -> StoreResult<Vec<StoredSurvey>> {
                let query = format!(
                    "SELECT {} FROM surveys ORDER BY survey_id, version",
                    sql::SURVEY_COLUMNS
                );
                Ok(sqlx::query_as(&query).fetch_all(&self.read).await?)
            }

            async fn create_token(
                &self,
                name: &str,
                sha256: &str,
                created_at: &str,
            ) -> StoreResult<bool> {
                let inserted = sqlx::query(
                    "INSERT INTO tokens (name, sha256, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .bind(sha256)
                .bind(created_at)
                .execute(&self.write)
                .await?
                .rows_affected();
                Ok(inserted == 1)
            }

            async fn revoke_token(&self, name: &str) -> StoreResult<bool> {
                let deleted = sqlx::query("DELETE FROM tokens WHERE name = $1")
                    .bind(name)
                    .execute(&self.write)
                    .await?
                    .rows_affected();
                Ok(deleted == 1)
            }

            async fn claim_link(
                &self,
                link_sha256: &str,
                response_id: &str,
                at: &str,
            ) -> StoreResult<bool> {
                let mut tx = self.write.begin().await?;
                sqlx::query(
                    "INSERT INTO verified_links (link_sha256, response_id, claimed_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (link_sha256) DO NOTHING",
                )
                .bind(link_sha256)
                .bind(response_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                let (owner,): (String,) =
                    sqlx::query_as("SELECT response_id FROM verified_links WHERE link_sha256 = $1")
                        .bind(link_sha256)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                Ok(owner == response_id)
            }

            async fn token_exists(&self, sha256: &str) -> StoreResult<bool> {
                let found: Option<(String,)> =
                    sqlx::query_as("SELECT name FROM tokens WHERE sha256 = $1")
                        .bind(sha256)
                        .fetch_optional(&self.read)
                        .await?;
                Ok(found.is_some())
            }

            async fn tokens(&self) -> StoreResult<Vec<TokenInfo>> {
                Ok(
                    sqlx::query_as("SELECT name, created_at FROM tokens ORDER BY name")
                        .fetch_all(&self.read)
                        .await?,
                )
            }
        }
    };
}
impl_store!(sqlx::Sqlite, "sqlite");
impl_store!(sqlx::Postgres, "postgres");

#[cfg(test)]
mod tests {
    use super::shown_url;

    #[test]
    fn a_password_in_a_database_url_is_not_shown() {
        assert_eq!(
            shown_url("postgres://rapport:s3cr%40t@db.example:5432/rapport?sslmode=require"),
            "postgres://rapport:***@db.example:5432/rapport?sslmode=require"
        );
        assert_eq!(
            shown_url("postgresql://rapport@db/rapport"),
            "postgresql://rapport@db/rapport"
        );
        assert_eq!(shown_url("sqlite://rapport.db"), "sqlite://rapport.db");
        assert_eq!(
            shown_url("sqlite:rapport.db?mode=rwc"),
            "sqlite:rapport.db?mode=rwc"
        );
        assert_eq!(shown_url("mysql://u:p@h/db"), "mysql://u:***@h/db");
    }
}
