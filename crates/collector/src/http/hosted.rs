//! `GET /s/{survey_id}?…&sig=…`: the hosted survey page, for shops whose order-confirmation
//! page takes no scripts. It runs the same widget full-page with the context of a link the
//! shop signed (see [`crate::signing`]); the widget posts to `/v1/responses?ctx=…`, so the
//! collector can check the signature again and record the response as verified.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::page_words::{self, PageWords};
use crate::signing::{self, LinkError};
use crate::state::AppState;

/// The hosted page, or a clear error page, in the customer's language (the link's `locale`,
/// else the browser's `Accept-Language`; see [`page_words`]).
pub async fn hosted_page(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query.unwrap_or_default();
    // The link's locale, read before its signature is checked: it only picks the words of
    // the page, so that an expired or broken link is explained in the customer's language.
    let link_locale = form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "locale")
        .map(|(_, value)| value.into_owned());
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    let words = page_words::choose(link_locale.as_deref(), accept_language);
    let Some(secret) = state
        .sites()
        .site_of(&survey_id)
        .and_then(|site| site.signing_secret.clone())
    else {
        return problem_page(
            words,
            StatusCode::NOT_FOUND,
            words.not_found,
            words.no_such_survey,
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
        let text = format!(
            "{} (For the shop: this collector was started without --dist, or its folder has no rapport.js: the survey widget.)",
            words.cannot_show
        );
        return problem_page(
            words,
            StatusCode::SERVICE_UNAVAILABLE,
            words.try_later,
            &text,
        );
    }
    match state.latest_survey(&survey_id).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return problem_page(
                words,
                StatusCode::NOT_FOUND,
                words.not_found,
                words.withdrawn,
            )
        }
        Err(err) => {
            tracing::error!(error = %err, "hosted page: database error");
            return problem_page(
                words,
                StatusCode::SERVICE_UNAVAILABLE,
                words.try_later,
                words.cannot_show_minutes,
            );
        }
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let signed = match signing::verify(&secret, &survey_id, &query, now, 0) {
        Ok(signed) => signed,
        Err(LinkError::Expired) => {
            let [title, text] = words.expired;
            return problem_page(words, StatusCode::GONE, title, text);
        }
        Err(err) => {
            tracing::info!(error = %err, survey = %survey_id, "hosted page: invalid link");
            let [title, text] = words.invalid;
            return problem_page(words, StatusCode::FORBIDDEN, title, text);
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
  <title>{title}</title>
</head>
<body>
  <main class="shop-main">
    <div id="rapport-survey"></div>
    <noscript><p lang="{words_lang}">{needs_javascript}</p></noscript>
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
        // The widget reads the page's language when the link names no locale.
        lang = escape(signed.locale.as_deref().unwrap_or(words.lang)),
        title = escape(words.survey),
        words_lang = words.lang,
        needs_javascript = escape(words.needs_javascript),
        survey = escape(&survey_id),
        endpoint = escape(&endpoint),
        context = escape(&context),
    ))
    .into_response()
}

/// A small page explaining what went wrong, for customers.
fn problem_page(words: &PageWords, status: StatusCode, title: &str, text: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n  <meta charset=\"utf-8\">\n  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n  <title>{title}</title>\n</head>\n<body>\n  <main>\n    <h1>{title}</h1>\n    <p>{text}</p>\n  </main>\n</body>\n</html>\n",
        lang = words.lang,
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
