//! The command line: flags, each also settable through a `RAPPORT_*` environment variable,
//! and the sites file (which origins may post to which surveys, and the link-signing secrets).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

/// `rapport-collector`: receives survey responses, serves surveys and the widget.
///
/// Without a subcommand it runs the server, e.g.
/// `rapport-collector --dist dist --surveys surveys`.
#[derive(Debug, Parser)]
#[command(name = "rapport-collector", version, about)]
pub struct Cli {
    /// The database: `sqlite://FILE` (created if missing) or `postgres://USER@HOST:PORT/DB`.
    #[arg(
        long,
        env = "RAPPORT_DATABASE_URL",
        default_value = "sqlite://rapport.db",
        global = true
    )]
    pub database_url: String,
    /// Log lines as `text` (for people) or `json` (one object a line, for log collectors);
    /// the level is set with `RUST_LOG` (default `info`).
    #[arg(
        long,
        env = "RAPPORT_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// Server settings (used when no subcommand is given).
    #[command(flatten)]
    pub serve: ServeArgs,
    /// What to do instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How log lines are written (to stderr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check survey definition files; prints every problem as `file: path: message` and exits
    /// non-zero if there is any.
    Validate {
        /// Survey JSON files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Create, revoke or list researcher tokens (stored as SHA-256 hashes in the database).
    Token {
        /// What to do.
        #[command(subcommand)]
        action: TokenAction,
    },
}

/// Token subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print it once; only its hash is stored.
    Create {
        /// A name for the token, e.g. who holds it.
        name: String,
    },
    /// Revoke the token with this name.
    Revoke {
        /// The token's name.
        name: String,
    },
    /// List token names.
    List,
}

/// How the server runs.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is logged).
    #[arg(long, env = "RAPPORT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Folder of survey definitions (`*.json`) published at start-up.
    #[arg(long, env = "RAPPORT_SURVEYS")]
    pub surveys: Option<PathBuf>,
    /// Folder served at `/`: the widget bundle and the demo page (`cargo xtask dist` → `dist/`).
    #[arg(long, env = "RAPPORT_DIST")]
    pub dist: Option<PathBuf>,
    /// JSON file with the sites: allowed origins, surveys and link-signing secrets.
    #[arg(long, env = "RAPPORT_SITES")]
    pub sites: Option<PathBuf>,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "RAPPORT_MAX_BODY_BYTES", default_value_t = 64 * 1024)]
    pub max_body_bytes: usize,
    /// Posts per minute one client (IP address) may make on average; 0 turns the limit off.
    #[arg(long, env = "RAPPORT_RATE_LIMIT_PER_MINUTE", default_value_t = 600)]
    pub rate_limit_per_minute: u32,
    /// Posts one client may make at once before the per-minute rate applies.
    #[arg(long, env = "RAPPORT_RATE_LIMIT_BURST", default_value_t = 60)]
    pub rate_limit_burst: u32,
    /// Take the client address from the last `X-Forwarded-For` entry, the one the proxy in
    /// front appended (only behind a proxy that sets it). The environment variable takes
    /// `1`/`0`, `true`/`false`, `yes`/`no`, `on`/`off`.
    #[arg(
        long,
        env = "RAPPORT_TRUST_FORWARDED_FOR",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub trust_forwarded_for: bool,
    /// The collector's public origin (`https://collector.example`), counted as its own origin
    /// besides the `Host` header: set it behind a reverse proxy that rewrites `Host`, so that
    /// the hosted page's posts are not refused as from another origin.
    #[arg(long, env = "RAPPORT_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    /// SHA-256 (hex) of extra researcher tokens, besides those in the database
    /// (comma-separated in the environment variable).
    #[arg(
        long = "researcher-token-sha256",
        env = "RAPPORT_RESEARCHER_TOKEN_SHA256",
        value_delimiter = ','
    )]
    pub researcher_token_sha256: Vec<String>,
}

/// The sites file (`--sites`).
///
/// ```json
/// { "sites": [ { "id": "kaffeewerk",
///                "origins": ["https://kaffeewerk.example"],
///                "surveys": ["post-purchase"],
///                "signing_secret": "a long random string" } ] }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitesFile {
    /// The shops.
    pub sites: Vec<SiteConfig>,
}

/// One shop.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// A name for the site, used in logs.
    pub id: String,
    /// Origins (`https://shop.example`, no path) whose pages may post responses and read
    /// surveys; `*` allows any origin.
    #[serde(default)]
    pub origins: Vec<String>,
    /// The survey ids of this site.
    #[serde(default)]
    pub surveys: Vec<String>,
    /// The secret that signs hosted survey links (`/s/{survey_id}?…&sig=…`); without one,
    /// the site's surveys have no hosted page.
    #[serde(default)]
    pub signing_secret: Option<String>,
}

/// Why the sites file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read the sites file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid sites file.
    #[error("{path}: {path_in_file}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where in the file.
        path_in_file: String,
        /// What is wrong.
        message: String,
    },
    /// `--public-origin` is not an origin.
    #[error("--public-origin `{0}` is not an origin: give the scheme and host (and port, if not the default) of the collector's public address, e.g. https://collector.example or http://127.0.0.1:8080, without a path or a trailing `/`")]
    PublicOrigin(String),
}

impl SitesFile {
    /// Reads and checks a sites file.
    ///
    /// # Errors
    /// The file cannot be read, is not JSON of the expected shape, or names a survey twice,
    /// an origin with a path, a secret shorter than 16 characters or the placeholder secret of
    /// `sites.example.json`.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|(path_in_file, message)| ConfigError::Invalid {
            path: path.to_owned(),
            path_in_file,
            message,
        })
    }

    /// Parses and checks the text of a sites file; errors are (JSON path, message).
    ///
    /// # Errors
    /// As [`SitesFile::read`].
    pub fn parse(text: &str) -> Result<Self, (String, String)> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let file: Self = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|err| (format!("$.{}", err.path()), err.inner().to_string()))?;
        let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
        for (i, site) in file.sites.iter().enumerate() {
            for (j, origin) in site.origins.iter().enumerate() {
                if !is_origin(origin) {
                    return Err((
                        format!("$.sites[{i}].origins[{j}]"),
                        format!("`{origin}` is not an origin such as https://shop.example (scheme and host, no path) or `*`"),
                    ));
                }
            }
            for (j, survey) in site.surveys.iter().enumerate() {
                if let Some(other) = owner.insert(survey, &site.id) {
                    return Err((
                        format!("$.sites[{i}].surveys[{j}]"),
                        format!("survey `{survey}` already belongs to site `{other}`"),
                    ));
                }
            }
            if site.signing_secret.as_deref() == Some(PLACEHOLDER_SECRET) {
                return Err((
                    format!("$.sites[{i}].signing_secret"),
                    format!("site `{}` still has the placeholder secret of sites.example.json; replace it with a long random string of your own (e.g. `openssl rand -hex 32`)", site.id),
                ));
            }
            if site
                .signing_secret
                .as_ref()
                .is_some_and(|secret| secret.len() < 16)
            {
                return Err((
                    format!("$.sites[{i}].signing_secret"),
                    "the signing secret must have at least 16 characters".into(),
                ));
            }
        }
        Ok(file)
    }
}

/// The signing secret of `sites.example.json`, refused in a real sites file: anyone who has
/// read the example could sign links with it.
const PLACEHOLDER_SECRET: &str = "replace-with-a-long-random-string";

/// Checks a `--public-origin` value: `http(s)://host[:port]`, no path, no `*`, a numeric port.
/// The scheme's default port is dropped (`https://x:443` → `https://x`), as browsers leave
/// it out of the `Origin` they send.
///
/// # Errors
/// [`ConfigError::PublicOrigin`] otherwise.
pub fn public_origin(value: &str) -> Result<String, ConfigError> {
    let port_ok = value
        .split_once("://")
        .map(|(_, authority)| authority)
        .and_then(|authority| {
            // `[::1]:8080`: the port follows the closing bracket of an IPv6 address.
            let after_host = authority
                .rsplit_once(']')
                .map_or(authority, |(_, rest)| rest);
            after_host.split_once(':').map(|(_, port)| port)
        })
        .is_none_or(|port| !port.is_empty() && port.parse::<u16>().is_ok());
    if value != "*" && is_origin(value) && port_ok {
        let default_port = if value.starts_with("https://") {
            ":443"
        } else {
            ":80"
        };
        Ok(value.strip_suffix(default_port).unwrap_or(value).to_owned())
    } else {
        Err(ConfigError::PublicOrigin(value.to_owned()))
    }
}

/// Whether `origin` is `*` or `scheme://host[:port]` without a path.
fn is_origin(origin: &str) -> bool {
    if origin == "*" {
        return true;
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', ' ', '@'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_file_reports_the_path_of_a_problem() {
        let err = SitesFile::parse(r#"{"sites": [{"id": "a", "origin": []}]}"#).err();
        assert_eq!(
            err.map(|(path, _)| path),
            Some("$.sites[0].origin".to_owned())
        );
        let err =
            SitesFile::parse(r#"{"sites": [{"id": "a", "origins": ["https://a.example/x"]}]}"#)
                .err();
        assert_eq!(
            err.map(|(path, _)| path),
            Some("$.sites[0].origins[0]".to_owned())
        );
        let err = SitesFile::parse(
            r#"{"sites": [{"id": "a", "surveys": ["s"]}, {"id": "b", "surveys": ["s"]}]}"#,
        )
        .err();
        assert_eq!(
            err,
            Some((
                "$.sites[1].surveys[0]".to_owned(),
                "survey `s` already belongs to site `a`".to_owned()
            ))
        );
    }

    #[test]
    fn the_example_sites_file_is_valid_once_its_secret_is_replaced() {
        let example = include_str!("../sites.example.json");
        let err = SitesFile::parse(example).err();
        assert_eq!(
            err,
            Some((
                "$.sites[0].signing_secret".to_owned(),
                "site `kaffeewerk` still has the placeholder secret of sites.example.json; replace it with a long random string of your own (e.g. `openssl rand -hex 32`)".to_owned()
            ))
        );
        let file = SitesFile::parse(&example.replace(PLACEHOLDER_SECRET, "0123456789abcdef0123"));
        assert_eq!(file.map(|f| f.sites.len()), Ok(1));
    }

    #[test]
    fn origins_are_scheme_and_host() {
        assert!(is_origin("https://shop.example"));
        assert!(is_origin("http://127.0.0.1:8080"));
        assert!(is_origin("*"));
        assert!(!is_origin("shop.example"));
        assert!(!is_origin("https://shop.example/"));
        assert!(!is_origin("ftp://shop.example"));
    }

    #[test]
    fn the_public_origin_is_scheme_host_and_port() {
        for good in [
            "https://collector.example",
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
        ] {
            assert_eq!(public_origin(good).ok().as_deref(), Some(good));
        }
        // The Origin a browser sends has no default port.
        for (given, origin) in [
            ("https://collector.example:443", "https://collector.example"),
            ("http://collector.example:80", "http://collector.example"),
            (
                "https://collector.example:80",
                "https://collector.example:80",
            ),
        ] {
            assert_eq!(public_origin(given).ok().as_deref(), Some(origin));
        }
        for bad in [
            "collector.example",
            "https://collector.example/",
            "https://collector.example/s",
            "https://collector.example:http",
            "https://collector.example:",
            "*",
        ] {
            let err = public_origin(bad).err().map(|err| err.to_string());
            assert!(
                err.as_deref().is_some_and(|err| err.starts_with(&format!(
                    "--public-origin `{bad}` is not an origin: give the scheme and host"
                ))),
                "{bad}: {err:?}"
            );
        }
    }
}
