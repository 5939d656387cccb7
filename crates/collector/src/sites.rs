//! Sites at run time: which origins may post to which survey, and the secrets that sign hosted
//! survey links.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::config::SitesFile;

/// One shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Its name, for logs.
    pub id: String,
    /// Allowed origins.
    origins: HashSet<String>,
    /// Whether any origin is allowed (`*`).
    any_origin: bool,
    /// The secret signing hosted survey links.
    pub signing_secret: Option<Vec<u8>>,
}

impl Site {
    /// Whether pages of `origin` may post to this site's surveys.
    #[must_use]
    pub fn allows(&self, origin: &str) -> bool {
        self.any_origin || self.origins.contains(origin)
    }
}

/// Every site, indexed by survey id.
#[derive(Debug, Clone, Default)]
pub struct Sites {
    by_survey: HashMap<String, Arc<Site>>,
    origins: HashSet<String>,
    any_origin: bool,
}

impl Sites {
    /// Builds the index from a checked sites file.
    #[must_use]
    pub fn new(file: &SitesFile) -> Self {
        let mut sites = Self::default();
        for config in &file.sites {
            let site = Arc::new(Site {
                id: config.id.clone(),
                origins: config.origins.iter().cloned().collect(),
                any_origin: config.origins.iter().any(|o| o == "*"),
                signing_secret: config
                    .signing_secret
                    .as_ref()
                    .map(|s| s.as_bytes().to_vec()),
            });
            sites.any_origin |= site.any_origin;
            sites.origins.extend(site.origins.iter().cloned());
            for survey in &config.surveys {
                sites.by_survey.insert(survey.clone(), Arc::clone(&site));
            }
        }
        sites
    }

    /// The site a survey belongs to.
    #[must_use]
    pub fn site_of(&self, survey_id: &str) -> Option<&Site> {
        self.by_survey.get(survey_id).map(AsRef::as_ref)
    }

    /// Whether a page of `origin` may post to `survey_id`: its site allows the origin.
    /// (Same-origin pages and clients without an `Origin` header are always allowed; the
    /// caller checks that.)
    #[must_use]
    pub fn allows(&self, survey_id: &str, origin: &str) -> bool {
        self.site_of(survey_id)
            .is_some_and(|site| site.allows(origin))
    }

    /// Whether any site allows `origin` (answers CORS preflights, which name no survey).
    #[must_use]
    pub fn knows_origin(&self, origin: &str) -> bool {
        self.any_origin || self.origins.contains(origin)
    }
}
