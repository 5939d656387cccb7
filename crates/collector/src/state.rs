//! The state every handler shares: the store and its writer, the published surveys, the
//! sites, the rate limiter and the limits.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rapport_survey::Problem;

use crate::config::{ConfigError, ServeArgs, SitesFile};
use crate::ratelimit::RateLimiter;
use crate::registry::{PublishedSurvey, Registry};
use crate::sites::Sites;
use crate::store::{PublishOutcome, Store, StoreError};
use crate::writer::{Writer, WriterTasks};

/// Settings of a running collector (the parts of [`ServeArgs`] handlers need).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Posts per minute per client; 0 = no limit.
    pub rate_limit_per_minute: u32,
    /// Posts a client may make at once.
    pub rate_limit_burst: u32,
    /// Whether to take the client address from `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// The collector's public origin (`--public-origin`), its own besides `Host`.
    pub public_origin: Option<String>,
    /// The folder served at `/`.
    pub dist: Option<PathBuf>,
    /// The sites.
    pub sites: SitesFile,
    /// SHA-256 hashes of researcher tokens given on the command line.
    pub token_sha256: Vec<String>,
    /// How long a request to the widget's routes and the hosted page may take, its body
    /// included ([`crate::http::REQUEST_DEADLINE`]): a client that trickles its request in
    /// holds the connection no longer than this.
    pub request_deadline: std::time::Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            max_body_bytes: 64 * 1024,
            rate_limit_per_minute: 600,
            rate_limit_burst: 60,
            trust_forwarded_for: false,
            public_origin: None,
            dist: None,
            sites: SitesFile::default(),
            token_sha256: Vec::new(),
            request_deadline: crate::http::REQUEST_DEADLINE,
        }
    }
}

impl Settings {
    /// Settings from the command line (reads the sites file).
    ///
    /// # Errors
    /// `--public-origin` is not an origin; the sites file cannot be read or is invalid.
    pub fn from_args(args: &ServeArgs) -> Result<Self, ConfigError> {
        let public_origin = args
            .public_origin
            .as_deref()
            .map(crate::config::public_origin)
            .transpose()?;
        let sites = match &args.sites {
            Some(path) => SitesFile::read(path)?,
            None => SitesFile::default(),
        };
        Ok(Self {
            max_body_bytes: args.max_body_bytes,
            rate_limit_per_minute: args.rate_limit_per_minute,
            rate_limit_burst: args.rate_limit_burst,
            trust_forwarded_for: args.trust_forwarded_for,
            public_origin,
            dist: args.dist.clone(),
            sites,
            token_sha256: args.researcher_token_sha256.clone(),
            request_deadline: crate::http::REQUEST_DEADLINE,
        })
    }
}

/// Why the collector cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The surveys folder cannot be read.
    #[error("cannot read the surveys folder {path}: {source}")]
    SurveysDir {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A survey file is invalid.
    #[error("{}", problems.iter().map(|p| format!("{}: {p}", file.display())).collect::<Vec<_>>().join("\n"))]
    InvalidSurvey {
        /// The file.
        file: PathBuf,
        /// Every problem.
        problems: Vec<Problem>,
    },
    /// A survey file changes a version that is already published.
    #[error("{}: survey `{id}` version {version} is already published with different content; published versions never change, so give the file a new version number", file.display())]
    PublishedVersionChanged {
        /// The file.
        file: PathBuf,
        /// The survey id.
        id: String,
        /// The version.
        version: i64,
    },
}

/// Shared, cheaply cloned state of the collector.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Arc<dyn Store>,
    writer: Writer,
    registry: Registry,
    sites: Sites,
    limiter: Option<RateLimiter>,
    settings: Settings,
    token_sha256: HashSet<String>,
}

impl std::fmt::Debug for dyn Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.backend())
    }
}

impl AppState {
    /// Starts the writer tasks, publishes the surveys of `surveys_dir` (if any) and loads
    /// every published survey.
    ///
    /// # Errors
    /// A survey file is invalid or changes a published version; the database fails.
    pub async fn start(
        store: Arc<dyn Store>,
        settings: Settings,
        surveys_dir: Option<&Path>,
    ) -> Result<(Self, WriterTasks), StartError> {
        let registry = Registry::default();
        if let Some(dir) = surveys_dir {
            publish_dir(store.as_ref(), dir).await?;
        }
        for stored in store.surveys().await? {
            match PublishedSurvey::from_stored(&stored) {
                Ok(survey) => {
                    registry.insert(survey);
                }
                Err(problems) => tracing::warn!(
                    survey = %stored.survey_id,
                    version = stored.version,
                    problems = ?problems,
                    "a published survey no longer validates; it is not served"
                ),
            }
        }
        if settings.dist.is_none() {
            let hosted: Vec<&str> = settings
                .sites
                .sites
                .iter()
                .filter(|site| site.signing_secret.is_some())
                .map(|site| site.id.as_str())
                .collect();
            if !hosted.is_empty() {
                tracing::warn!(
                    sites = %hosted.join(", "),
                    "sites have signing secrets, but there is no --dist: the hosted survey pages /s/... answer 503 until the collector is started with --dist (the folder `cargo xtask dist` builds)"
                );
            }
        }
        let (writer, tasks) = Writer::spawn(Arc::clone(&store));
        let state = Self {
            inner: Arc::new(Inner {
                sites: Sites::new(&settings.sites),
                limiter: RateLimiter::new(
                    settings.rate_limit_per_minute,
                    settings.rate_limit_burst,
                ),
                token_sha256: settings
                    .token_sha256
                    .iter()
                    .map(|h| h.to_ascii_lowercase())
                    .collect(),
                store,
                writer,
                registry,
                settings,
            }),
        };
        Ok((state, tasks))
    }

    /// The store.
    #[must_use]
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// The group-commit writer.
    #[must_use]
    pub fn writer(&self) -> &Writer {
        &self.inner.writer
    }

    /// The published surveys loaded so far.
    #[must_use]
    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    /// The sites.
    #[must_use]
    pub fn sites(&self) -> &Sites {
        &self.inner.sites
    }

    /// The rate limiter, if limits are on.
    #[must_use]
    pub fn limiter(&self) -> Option<&RateLimiter> {
        self.inner.limiter.as_ref()
    }

    /// The settings.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Whether a token hash was given on the command line.
    #[must_use]
    pub fn is_configured_token(&self, sha256: &str) -> bool {
        self.inner.token_sha256.contains(sha256)
    }

    /// A published version: from memory, else from the database (published by another
    /// instance), else `None`.
    ///
    /// # Errors
    /// The database fails.
    pub async fn survey(
        &self,
        survey_id: &str,
        version: i64,
    ) -> Result<Option<Arc<PublishedSurvey>>, StoreError> {
        if let Some(survey) = self.registry().get(survey_id, version) {
            return Ok(Some(survey));
        }
        let Some(stored) = self.store().survey(survey_id, version).await? else {
            return Ok(None);
        };
        match PublishedSurvey::from_stored(&stored) {
            Ok(survey) => Ok(Some(self.registry().insert(survey))),
            Err(problems) => {
                tracing::warn!(survey = survey_id, version, problems = ?problems, "a published survey no longer validates");
                Ok(None)
            }
        }
    }

    /// The latest published version of a survey.
    ///
    /// # Errors
    /// The database fails.
    pub async fn latest_survey(
        &self,
        survey_id: &str,
    ) -> Result<Option<Arc<PublishedSurvey>>, StoreError> {
        match self.store().latest_version(survey_id).await? {
            Some(version) => self.survey(survey_id, version).await,
            None => Ok(None),
        }
    }
}

/// Publishes every `*.json` file of `dir` (in name order) unless already published.
async fn publish_dir(store: &dyn Store, dir: &Path) -> Result<(), StartError> {
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |source| StartError::SurveysDir { path, source }
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        let path = entry.map_err(io_error(dir))?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(io_error(&file))?;
        let survey = crate::registry::load_definition(&text).map_err(|problems| {
            StartError::InvalidSurvey {
                file: file.clone(),
                problems,
            }
        })?;
        let published = PublishedSurvey::new(survey, crate::now_rfc3339()).map_err(|err| {
            StartError::SurveysDir {
                path: file.clone(),
                source: std::io::Error::other(err),
            }
        })?;
        match store.publish_survey(&published.to_stored()).await? {
            PublishOutcome::Published => tracing::info!(
                file = %file.display(),
                survey = %published.survey.id,
                version = published.survey.version,
                "published"
            ),
            PublishOutcome::Unchanged => {}
            PublishOutcome::Conflict => {
                return Err(StartError::PublishedVersionChanged {
                    file,
                    id: published.survey.id.clone(),
                    version: published.survey.version,
                })
            }
        }
    }
    Ok(())
}
