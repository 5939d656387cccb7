//! Researcher endpoints, behind bearer tokens: publish and list surveys, aggregates, exports.

use std::collections::BTreeMap;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::stream::{self, Stream};
use rapport_survey::{Problem, ProblemCode, StepKind};
use serde::Deserialize;
use serde_json::json;

use super::surveys::{find_version, parse_version};
use super::{AppError, AppResult};
use crate::aggregate::Aggregator;
use crate::registry::PublishedSurvey;
use crate::state::AppState;
use crate::store::{PublishOutcome, Store, StoreError, StoredResponse};

/// Largest survey definition accepted for publishing, in bytes.
pub const MAX_SURVEY_BYTES: usize = 1024 * 1024;

/// Rows read from the database at a time by results and exports.
const PAGE: i64 = 500;

/// Proof that the request carries a valid researcher token.
#[derive(Debug, Clone, Copy)]
pub struct Researcher;

impl FromRequestParts<AppState> for Researcher {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            // The scheme is case-insensitive (RFC 9110 §11.1): `Bearer`, `bearer`, `BEARER`.
            .and_then(|value| value.trim_start().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty())
            .ok_or(AppError::Unauthorized)?;
        let hash = crate::tokens::hash(token);
        if state.is_configured_token(&hash) || state.store().token_exists(&hash).await? {
            Ok(Self)
        } else {
            Err(AppError::Unauthorized)
        }
    }
}

/// `GET /v1/surveys`: every survey with its published versions.
pub async fn surveys_list(_: Researcher, State(state): State<AppState>) -> AppResult<Response> {
    let mut surveys: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for stored in state.store().surveys().await? {
        surveys.entry(stored.survey_id).or_default().push(json!({
            "version": stored.version,
            "etag": stored.etag,
            "published_at": stored.published_at,
        }));
    }
    let list: Vec<_> = surveys
        .into_iter()
        .map(|(id, versions)| {
            json!({
                "id": id,
                "latest": versions.last().and_then(|v| v.get("version")).cloned(),
                "versions": versions,
            })
        })
        .collect();
    Ok(Json(json!({ "surveys": list })).into_response())
}

/// `GET /v1/surveys/{survey_id}/versions`: the published versions of a survey.
pub async fn versions_list(
    _: Researcher,
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
) -> AppResult<Response> {
    let versions: Vec<_> = state
        .store()
        .surveys()
        .await?
        .into_iter()
        .filter(|s| s.survey_id == survey_id)
        .map(|s| json!({"version": s.version, "etag": s.etag, "published_at": s.published_at}))
        .collect();
    if versions.is_empty() {
        return Err(AppError::UnknownSurvey(survey_id));
    }
    Ok(Json(json!({ "id": survey_id, "versions": versions })).into_response())
}

/// `POST /v1/surveys`: publishes a survey version (the body is the definition). 201 when
/// published, 200 when the same definition was published before, 409 when that version
/// exists with other content, 422 with every problem when it does not validate.
pub async fn surveys_publish(
    _: Researcher,
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<Response> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge {
                limit: MAX_SURVEY_BYTES,
            }
        } else {
            AppError::UnreadableBody
        }
    })?;
    let text = std::str::from_utf8(&body).map_err(|_| AppError::InvalidSurvey {
        problems: vec![Problem::new(
            "$",
            ProblemCode::Syntax,
            "the body is not UTF-8 text",
        )],
    })?;
    let survey = crate::registry::load_definition(text)
        .map_err(|problems| AppError::InvalidSurvey { problems })?;
    let published = PublishedSurvey::new(survey, crate::now_rfc3339()).map_err(|err| {
        AppError::InvalidSurvey {
            problems: vec![Problem::new("$", ProblemCode::Structure, err.to_string())],
        }
    })?;
    let (id, version) = (published.survey.id.clone(), published.survey.version);
    let status = match state.store().publish_survey(&published.to_stored()).await? {
        PublishOutcome::Published => StatusCode::CREATED,
        PublishOutcome::Unchanged => StatusCode::OK,
        PublishOutcome::Conflict => {
            return Err(AppError::VersionPublished {
                survey_id: id,
                version,
            })
        }
    };
    let published = match state.survey(&id, version).await? {
        Some(survey) => survey,
        None => state.registry().insert(published),
    };
    let location = format!("/v1/surveys/{id}/versions/{version}");
    let mut response = (
        status,
        Json(json!({
            "id": id,
            "version": version,
            "etag": published.etag,
            "published_at": published.published_at,
            "url": location,
        })),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    Ok(response)
}

/// `GET /v1/surveys/{survey_id}/versions/{version}/results`: aggregates of one version.
pub async fn results_get(
    _: Researcher,
    State(state): State<AppState>,
    Path((survey_id, version)): Path<(String, String)>,
) -> AppResult<Response> {
    let version = parse_version(&version)?;
    let survey = find_version(&state, &survey_id, version).await?;
    let mut aggregator = Aggregator::new(survey.survey.survey());
    let mut after = 0;
    loop {
        let page = state
            .store()
            .responses_page(&survey_id, Some(version), after, PAGE)
            .await?;
        for row in &page {
            match serde_json::from_str(&row.payload) {
                Ok(response) => aggregator.add(&response, row.context_verified == 1),
                Err(err) => {
                    tracing::warn!(response_id = %row.response_id, error = %err, "a stored payload does not parse; left out of the results")
                }
            }
        }
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => after = last.id,
            _ => break,
        }
    }
    Ok(Json(aggregator.finish()).into_response())
}

/// Query of the exports.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Only this version (all versions when absent).
    version: Option<String>,
}

/// Query of the CSV export.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvQuery {
    /// Only this version (all versions when absent).
    version: Option<String>,
    /// How the file is written (RFC 4180 when absent).
    #[serde(default)]
    dialect: CsvDialect,
}

/// How a CSV export is written, for the program that opens it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CsvDialect {
    /// RFC 4180: `,` between cells, `.` in numbers, no byte order mark (pandas, R, databases).
    #[default]
    Rfc4180,
    /// As RFC 4180, with a UTF-8 byte order mark so that Excel reads umlauts as such.
    Excel,
    /// For Excel set to German (or any language whose list separator is `;` and whose decimal
    /// mark is `,`): the byte order mark, `;` between cells, `,` in the order total.
    ExcelDe,
}

impl CsvDialect {
    fn separator(self) -> char {
        match self {
            Self::Rfc4180 | Self::Excel => ',',
            Self::ExcelDe => ';',
        }
    }

    /// A number with a fractional part, written with this dialect's decimal mark.
    fn decimal(self, number: f64) -> String {
        let text = number.to_string();
        match self {
            Self::Rfc4180 | Self::Excel => text,
            Self::ExcelDe => text.replace('.', ","),
        }
    }
}

/// `GET /v1/surveys/{survey_id}/export.csv[?version=N][&dialect=excel|excel-de]`: raw
/// responses as CSV, streamed. One column per step (`answer.<step id>`) of the exported
/// versions.
pub async fn export_csv(
    _: Researcher,
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    query: Result<Query<CsvQuery>, axum::extract::rejection::QueryRejection>,
) -> AppResult<Response> {
    let Query(query) = query.map_err(|err| AppError::InvalidQuery(err.body_text()))?;
    let version = query.version.as_deref().map(parse_version).transpose()?;
    let dialect = query.dialect;
    let steps = export_steps(&state, &survey_id, version).await?;
    let mut header: Vec<String> = CSV_FIXED.iter().map(|c| (*c).to_owned()).collect();
    header.extend(steps.iter().map(|s| format!("answer.{s}")));
    let mut first = String::new();
    if dialect != CsvDialect::Rfc4180 {
        first.push('\u{feff}');
    }
    first.push_str(&csv_line(header.iter().map(String::as_str), dialect));
    let body = rows(state.store().clone(), survey_id.clone(), version, first, {
        move |row| csv_row(row, &steps, dialect)
    });
    Ok(download(body, "text/csv; charset=utf-8", &survey_id, "csv"))
}

/// `GET /v1/surveys/{survey_id}/export.jsonl[?version=N]`: raw responses as JSON lines,
/// streamed; each line has the stored columns and the payload under `response`.
pub async fn export_jsonl(
    _: Researcher,
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> AppResult<Response> {
    let version = export_version(query)?;
    export_steps(&state, &survey_id, version).await?;
    let body = rows(
        state.store().clone(),
        survey_id.clone(),
        version,
        String::new(),
        |row| {
            let payload: serde_json::Value =
                serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null);
            let mut line = json!({
                "response_id": row.response_id,
                "survey_id": row.survey_id,
                "survey_version": row.survey_version,
                "sequence": row.sequence,
                "status": row.status,
                "relationship_type": row.relationship_type,
                "relationship_source": row.relationship_source,
                "price_band": row.price_band,
                "purchase": row.purchase,
                "context_verified": row.context_verified == 1,
                "received_at": row.received_at,
                "updated_at": row.updated_at,
                "response": payload,
            })
            .to_string();
            line.push('\n');
            line
        },
    );
    Ok(download(body, "application/x-ndjson", &survey_id, "jsonl"))
}

fn export_version(
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> AppResult<Option<i64>> {
    let Query(query) = query.map_err(|err| AppError::InvalidQuery(err.body_text()))?;
    query.version.as_deref().map(parse_version).transpose()
}

/// The answerable step ids of the exported versions, in order of first appearance; 404 for
/// an unknown survey or version.
async fn export_steps(
    state: &AppState,
    survey_id: &str,
    version: Option<i64>,
) -> AppResult<Vec<String>> {
    let surveys = match version {
        Some(version) => vec![find_version(state, survey_id, version).await?],
        None => {
            let mut all = Vec::new();
            for stored in state.store().surveys().await? {
                if stored.survey_id == survey_id {
                    if let Some(survey) = state.survey(survey_id, stored.version).await? {
                        all.push(survey);
                    }
                }
            }
            if all.is_empty() {
                return Err(AppError::UnknownSurvey(survey_id.to_owned()));
            }
            all
        }
    };
    let mut steps: Vec<String> = Vec::new();
    for survey in &surveys {
        for step in &survey.survey.steps {
            if step.kind != StepKind::Reassurance && !steps.contains(&step.id) {
                steps.push(step.id.clone());
            }
        }
    }
    Ok(steps)
}

/// A body streaming `first`, then `format(row)` for every row, a page at a time.
fn rows(
    store: std::sync::Arc<dyn Store>,
    survey_id: String,
    version: Option<i64>,
    first: String,
    format: impl Fn(&StoredResponse) -> String + Send + Sync + 'static,
) -> Body {
    struct Cursor {
        after: i64,
        done: bool,
        first: Option<String>,
    }
    let start = Cursor {
        after: 0,
        done: false,
        first: Some(first).filter(|f| !f.is_empty()),
    };
    let format = std::sync::Arc::new(format);
    let pages = stream::try_unfold(start, move |mut cursor| {
        let (store, survey_id, format) = (store.clone(), survey_id.clone(), format.clone());
        async move {
            if let Some(first) = cursor.first.take() {
                return Ok::<_, StoreError>(Some((Bytes::from(first), cursor)));
            }
            if cursor.done {
                return Ok(None);
            }
            let page = store
                .responses_page(&survey_id, version, cursor.after, PAGE)
                .await?;
            let Some(last) = page.last() else {
                return Ok(None);
            };
            cursor.after = last.id;
            cursor.done = (page.len() as i64) < PAGE;
            let chunk: String = page.iter().map(|row| format(row)).collect();
            Ok(Some((Bytes::from(chunk), cursor)))
        }
    });
    Body::from_stream(log_errors(pages))
}

fn log_errors<S>(pages: S) -> impl Stream<Item = Result<Bytes, StoreError>>
where
    S: Stream<Item = Result<Bytes, StoreError>>,
{
    use futures_util::StreamExt;
    pages.inspect(|item| {
        if let Err(err) = item {
            tracing::error!(error = %err, "export stopped by a database error");
        }
    })
}

fn download(body: Body, content_type: &'static str, survey_id: &str, ext: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Survey ids are `a-z 0-9 - _` (validated), so the file name needs no quoting rules.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{survey_id}.{ext}\""))
    {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

/// Fixed CSV columns, before one column per step.
const CSV_FIXED: [&str; 25] = [
    "response_id",
    "survey_id",
    "survey_version",
    "sequence",
    "status",
    "relationship_type",
    "relationship_source",
    "price_band",
    "purchase",
    "context_verified",
    "received_at",
    "updated_at",
    "started_at",
    "submitted_at",
    "locale",
    "order_id",
    "order_total",
    "currency",
    "earlier_orders",
    "segment",
    "channel",
    "nps",
    "nps_category",
    "csat",
    "ces",
];

fn csv_row(row: &StoredResponse, steps: &[String], dialect: CsvDialect) -> String {
    let response: Option<rapport_survey::Response> = serde_json::from_str(&row.payload).ok();
    let r = response.as_ref();
    let ctx = r.map(|r| &r.context);
    let opt = |value: Option<String>| value.unwrap_or_default();
    let mut cells: Vec<String> = vec![
        row.response_id.clone(),
        row.survey_id.clone(),
        row.survey_version.to_string(),
        row.sequence.to_string(),
        row.status.clone(),
        row.relationship_type.clone(),
        row.relationship_source.clone(),
        opt(row.price_band.clone()),
        opt(row.purchase.clone()),
        (row.context_verified == 1).to_string(),
        row.received_at.clone(),
        row.updated_at.clone(),
        opt(r.map(|r| r.started_at.clone())),
        opt(r.map(|r| r.submitted_at.clone())),
        opt(r.map(|r| r.locale.clone())),
        opt(ctx.and_then(|c| c.order.id.clone())),
        opt(ctx.and_then(|c| c.order.total).map(|t| dialect.decimal(t))),
        opt(ctx.and_then(|c| c.order.currency.clone())),
        opt(ctx
            .and_then(|c| c.customer.earlier_orders)
            .map(|n| n.to_string())),
        opt(ctx.and_then(|c| c.customer.segment.clone())),
        opt(ctx.and_then(|c| c.channel.clone())),
        opt(r.and_then(|r| r.scores.nps).map(|n| n.score.to_string())),
        opt(r
            .and_then(|r| r.scores.nps)
            .map(|n| format!("{:?}", n.category).to_lowercase())),
        opt(r.and_then(|r| r.scores.csat).map(|n| n.to_string())),
        opt(r.and_then(|r| r.scores.ces).map(|n| n.to_string())),
    ];
    for step in steps {
        cells.push(opt(r.and_then(|r| r.answers.get(step)).map(
            |answer| match answer {
                rapport_survey::AnswerValue::MultiChoice(values) => values.join(";"),
                other => other.display(),
            },
        )));
    }
    csv_line(cells.iter().map(String::as_str), dialect)
}

/// One CSV line (RFC 4180 with the dialect's separator), with cells that a spreadsheet would
/// run as a formula defused by a leading `'`.
fn csv_line<'a>(cells: impl Iterator<Item = &'a str>, dialect: CsvDialect) -> String {
    let separator = dialect.separator();
    let mut line = String::new();
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            line.push(separator);
        }
        let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
            || (cell.starts_with('-') && cell.replace(',', ".").parse::<f64>().is_err());
        let cell = if formula {
            format!("'{cell}")
        } else {
            cell.to_owned()
        };
        if cell.contains([separator, '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&cell);
        }
    }
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::{csv_line, CsvDialect};

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(
            csv_line(
                ["a", "b,c", "say \"hi\"", "=SUM(A1)", "-3", "-x"].into_iter(),
                CsvDialect::Rfc4180
            ),
            "a,\"b,c\",\"say \"\"hi\"\"\",'=SUM(A1),-3,'-x\r\n"
        );
    }

    #[test]
    fn excel_de_separates_by_semicolon_and_quotes_cells_that_hold_one() {
        assert_eq!(
            csv_line(
                ["a;b", "b,c", "-3,5", "-x"].into_iter(),
                CsvDialect::ExcelDe
            ),
            "\"a;b\";b,c;-3,5;'-x\r\n"
        );
        assert_eq!(CsvDialect::ExcelDe.decimal(49.9), "49,9");
        assert_eq!(CsvDialect::Excel.decimal(49.9), "49.9");
    }
}
