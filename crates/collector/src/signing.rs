//! Signed links to the hosted survey page, `/s/{survey_id}?order_id=…&expires=…&sig=…`.
//!
//! The shop signs with its site's secret: `sig` is the lowercase hex HMAC-SHA256 of
//! `/s/{survey_id}?{query}`, where `{query}` is the query string exactly as it appears in the
//! link before `&sig=`. `expires` (Unix seconds) is required.
//! Parameters: `order_id`, `total`, `currency`, `earlier_orders`, `segment`,
//! `relationship`, `locale`, `expires`.
//!
//! Whatever follows `sig` (tracking parameters an email tool appends, `&utm_source=…`) is
//! ignored: it is neither signed nor read as context.

use hmac::{Hmac, Mac};
use rapport_survey::{Context, Response};
use sha2::Sha256;

/// How long after `expires` a response to a signed link is still counted as verified
/// (the customer may open the link just before it expires and answer a bit later).
pub const ANSWER_GRACE_SECS: i64 = 24 * 60 * 60;

/// Why a link is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// A parameter is missing, unknown, repeated or malformed.
    #[error("the link is incomplete or malformed: {0}")]
    Malformed(String),
    /// The signature does not match: the link was changed or signed with another secret.
    #[error("the link's signature does not match")]
    BadSignature,
    /// The link is past its `expires` time.
    #[error("the link has expired")]
    Expired,
}

/// The context a valid link carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignedContext {
    /// Unix seconds after which the link is expired.
    pub expires: i64,
    /// `order_id`.
    pub order_id: Option<String>,
    /// `total`.
    pub total: Option<f64>,
    /// `currency`.
    pub currency: Option<String>,
    /// `earlier_orders`.
    pub earlier_orders: Option<u32>,
    /// `segment`.
    pub segment: Option<String>,
    /// `relationship`.
    pub relationship: Option<String>,
    /// `locale`.
    pub locale: Option<String>,
}

impl SignedContext {
    /// The widget context the link describes.
    #[must_use]
    pub fn context(&self) -> Context {
        let mut context = Context::default();
        context.order.id.clone_from(&self.order_id);
        context.order.total = self.total;
        context.order.currency.clone_from(&self.currency);
        context.customer.earlier_orders = self.earlier_orders;
        context.customer.segment.clone_from(&self.segment);
        context.relationship.clone_from(&self.relationship);
        context.locale.clone_from(&self.locale);
        context
    }

    /// Whether a posted response carries exactly this context.
    #[must_use]
    pub fn matches(&self, response: &Response) -> bool {
        response.context == self.context()
    }
}

/// The signature of a link's query (everything before `&sig=`), lowercase hex.
#[must_use]
pub fn sign(secret: &[u8], survey_id: &str, query: &str) -> String {
    hex::encode(mac(secret, survey_id, query).finalize().into_bytes())
}

fn mac(secret: &[u8], survey_id: &str, query: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else {
        unreachable!("HMAC-SHA256 accepts keys of any length")
    };
    mac.update(b"/s/");
    mac.update(survey_id.as_bytes());
    mac.update(b"?");
    mac.update(query.as_bytes());
    mac
}

/// A link's raw query split into the signed part (before `&sig=`) and the signature;
/// parameters after `sig` are dropped. `None` without a `sig` parameter.
#[must_use]
pub fn split_signature(raw_query: &str) -> Option<(&str, &str)> {
    let (query, rest) = raw_query.split_once("&sig=")?;
    let sig = rest.split_once('&').map_or(rest, |(sig, _ignored)| sig);
    Some((query, sig))
}

/// Checks a link's raw query string; accepts it until `expires + grace_secs`. Parameters
/// after `sig` are ignored (see [`split_signature`]).
///
/// # Errors
/// [`LinkError`]: malformed, bad signature (checked before expiry, so a changed `expires`
/// reads as tampering), or expired.
pub fn verify(
    secret: &[u8],
    survey_id: &str,
    raw_query: &str,
    now_unix: i64,
    grace_secs: i64,
) -> Result<SignedContext, LinkError> {
    let Some((query, sig)) = split_signature(raw_query) else {
        return Err(LinkError::Malformed(
            "there is no `sig` parameter after the signed ones".into(),
        ));
    };
    let sig = hex::decode(sig).map_err(|_| LinkError::BadSignature)?;
    mac(secret, survey_id, query)
        .verify_slice(&sig)
        .map_err(|_| LinkError::BadSignature)?;
    let signed = parse(query)?;
    if now_unix > signed.expires.saturating_add(grace_secs) {
        return Err(LinkError::Expired);
    }
    Ok(signed)
}

fn parse(query: &str) -> Result<SignedContext, LinkError> {
    let mut signed = SignedContext::default();
    let mut expires = None;
    let mut seen = std::collections::HashSet::new();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if !seen.insert(key.clone()) {
            return Err(LinkError::Malformed(format!("`{key}` is given twice")));
        }
        let value = value.into_owned();
        let number = |what: &str| LinkError::Malformed(format!("`{key}` must be {what}"));
        match key.as_ref() {
            "order_id" => signed.order_id = Some(value),
            "total" => {
                signed.total = Some(
                    value
                        .parse::<f64>()
                        .ok()
                        .filter(|t| t.is_finite())
                        .ok_or_else(|| number("a number such as 649.00"))?,
                );
            }
            "currency" => signed.currency = Some(value),
            "earlier_orders" => {
                signed.earlier_orders = Some(value.parse().map_err(|_| number("a whole number"))?);
            }
            "segment" => signed.segment = Some(value),
            "relationship" => signed.relationship = Some(value),
            "locale" => signed.locale = Some(value),
            "expires" => {
                expires = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| number("a Unix time in seconds"))?,
                );
            }
            other => {
                return Err(LinkError::Malformed(format!(
                    "`{other}` is not a parameter of survey links"
                )))
            }
        }
    }
    signed.expires = expires.ok_or_else(|| LinkError::Malformed("`expires` is missing".into()))?;
    Ok(signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"kaffeewerk-secret-0123456789";

    fn link(query: &str) -> String {
        format!("{query}&sig={}", sign(SECRET, "post-purchase", query))
    }

    #[test]
    fn a_signed_link_verifies_and_carries_its_context() {
        let raw = link("order_id=A-1001&total=649.00&currency=EUR&earlier_orders=0&expires=2000");
        let signed = verify(SECRET, "post-purchase", &raw, 1000, 0);
        let Ok(signed) = signed else {
            panic!("expected a valid link, got {signed:?}");
        };
        assert_eq!(signed.order_id.as_deref(), Some("A-1001"));
        assert_eq!(signed.total, Some(649.0));
        assert_eq!(signed.context().customer.first_purchase(), Some(true));
    }

    #[test]
    fn the_documented_test_vector_holds() {
        // The same vector is in the collector README, computed there with Python and openssl.
        let query = "order_id=A-1001&total=649.00&currency=EUR&earlier_orders=0&relationship=best_friends&expires=1798761600";
        assert_eq!(
            sign(SECRET, "post-purchase", query),
            "c8b1246af7964102ab1229b9ffedeaf5f519bedce84d32cdfe4cc08814b36141"
        );
    }

    #[test]
    fn parameters_after_sig_are_ignored_and_never_read_as_context() {
        let raw = link("order_id=A-1001&total=649.00&expires=2000");
        let tracked = format!("{raw}&utm_source=newsletter&order_id=EVIL&total=1");
        let signed = verify(SECRET, "post-purchase", &tracked, 1000, 0);
        let Ok(signed) = signed else {
            panic!("expected a valid link, got {signed:?}");
        };
        assert_eq!(signed.order_id.as_deref(), Some("A-1001"));
        assert_eq!(signed.total, Some(649.0));
        // A parameter slipped in before `sig` is still tampering.
        let (query, sig) = split_signature(&raw).unwrap_or_default();
        let inserted = format!("{query}&order_id=EVIL&sig={sig}");
        assert_eq!(
            verify(SECRET, "post-purchase", &inserted, 1000, 0),
            Err(LinkError::BadSignature)
        );
    }

    #[test]
    fn tampering_expiry_and_malformed_links_are_refused() {
        let raw = link("order_id=A-1001&total=649.00&expires=2000");
        let tampered = raw.replace("649.00", "6.49");
        assert_eq!(
            verify(SECRET, "post-purchase", &tampered, 1000, 0),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            verify(SECRET, "other-survey", &raw, 1000, 0),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            verify(b"another-secret-0123", "post-purchase", &raw, 1000, 0),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            verify(SECRET, "post-purchase", &raw, 2001, 0),
            Err(LinkError::Expired)
        );
        assert!(verify(SECRET, "post-purchase", &raw, 2001, 10).is_ok());
        assert!(matches!(
            verify(SECRET, "post-purchase", "order_id=A", 0, 0),
            Err(LinkError::Malformed(_))
        ));
        assert!(matches!(
            verify(SECRET, "post-purchase", &link("order_id=A"), 0, 0),
            Err(LinkError::Malformed(_))
        ));
        assert!(matches!(
            verify(SECRET, "post-purchase", &link("coupon=1&expires=5"), 0, 0),
            Err(LinkError::Malformed(_))
        ));
    }
}
