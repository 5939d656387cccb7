//! `GET /s/{survey_id}?…&sig=…`: the hosted survey page, for shops whose order-confirmation
//! page takes no scripts. It runs the same widget full-page with the context of a link the
//! shop signed (see [`crate::signing`]); the widget posts to `/v1/responses?ctx=…`, so the
//! collector can check the signature again and record the response as verified.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::signing::{self, LinkError};
use crate::state::AppState;

/// The hosted page, or a clear error page.
pub async fn hosted_page(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(secret) = state
        .sites()
        .site_of(&survey_id)
        .and_then(|site| site.signing_secret.clone())
    else {
        return problem_page(
            StatusCode::NOT_FOUND,
            "Survey not found",
            "There is no survey at this address. Please use the link from your order email.",
        );
    };
    let widget = match &state.settings().dist {
        Some(dist) => tokio::fs::metadata(dist.join("rapport.js"))
            .await
            .is_ok_and(|file| file.is_file()),
        None => false,
    };
    if !widget {
        // The page loads `/rapport.js` from `--dist`; without it the customer would see a
        // blank page.
        tracing::warn!(survey = %survey_id, "hosted page asked for, but the collector was started without --dist, or its folder has no rapport.js (build it with `cargo xtask dist`); answered 503");
        return problem_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Please try again later",
            "The survey cannot be shown right now. Please try again later. (For the shop: this collector was started without --dist, or its folder has no rapport.js: the survey widget.)",
        );
    }
    match state.latest_survey(&survey_id).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return problem_page(
                StatusCode::NOT_FOUND,
                "Survey not found",
                "This survey is not available (any more). Thank you for your interest.",
            )
        }
        Err(err) => {
            tracing::error!(error = %err, "hosted page: database error");
            return problem_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Please try again later",
                "The survey cannot be shown right now. Please try again in a few minutes.",
            );
        }
    }
    let query = query.unwrap_or_default();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let signed = match signing::verify(&secret, &survey_id, &query, now, 0) {
        Ok(signed) => signed,
        Err(LinkError::Expired) => {
            return problem_page(
                StatusCode::GONE,
                "This survey link has expired",
                "Thank you for wanting to answer! This link is no longer valid. If the shop sent you a newer email, please use the link in it.",
            )
        }
        Err(err) => {
            tracing::info!(error = %err, survey = %survey_id, "hosted page: invalid link");
            return problem_page(
                StatusCode::FORBIDDEN,
                "This survey link is not valid",
                "The link seems to be incomplete or changed. Please open it again from your order email, or copy the whole address.",
            );
        }
    };
    let context = serde_json::to_string(&signed.context()).unwrap_or_else(|_| "{}".into());
    // The link as signed, without parameters appended after `sig` (tracking by email tools).
    let link = signing::split_signature(&query).map_or_else(
        || query.clone(),
        |(signed, sig)| format!("{signed}&sig={sig}"),
    );
    let endpoint = format!(
        "/v1/responses?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("ctx", &link)
            .finish()
    );
    let locale = signed
        .locale
        .as_deref()
        .map(|l| format!("\n          data-locale=\"{}\"", escape(l)))
        .unwrap_or_default();
    Html(format!(
        r##"<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Survey</title>
</head>
<body>
  <main class="shop-main">
    <div id="rapport-survey"></div>
    <noscript><p>This survey needs JavaScript.</p></noscript>
  </main>
  <script src="/rapport.js"
          data-survey="/v1/surveys/{survey}"
          data-endpoint="{endpoint}"
          data-target="#rapport-survey"{locale}
          data-context="{context}"
          async></script>
</body>
</html>
"##,
        lang = escape(signed.locale.as_deref().unwrap_or("en")),
        survey = escape(&survey_id),
        endpoint = escape(&endpoint),
        context = escape(&context),
    ))
    .into_response()
}

/// A small page explaining what went wrong, for customers.
fn problem_page(status: StatusCode, title: &str, text: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n  <title>{title}</title>\n</head>\n<body>\n  <main>\n    <h1>{title}</h1>\n    <p>{text}</p>\n  </main>\n</body>\n</html>\n",
        title = escape(title),
        text = escape(text),
    );
    (status, Html(page)).into_response()
}

/// Escapes text for HTML content and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
