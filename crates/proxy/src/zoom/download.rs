//! Recording downloads: Zoom's `download_url` is fetched only on the API
//! host, redirects are followed by hand and only to allowed hosts, and the
//! bearer token goes to the API host alone. The body is
//! handed on as a stream, never held in memory.

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::{Response, StatusCode};
use url::Url;

use super::answer::{classify, parse_error_body, Verdict};
use super::client::{Auth, Bearer, ZoomClient};
use super::error::ZoomError;
use super::oauth::read_limited;
use super::settings::ZoomSettings;

/// Most redirects followed.
pub const MAX_REDIRECTS: usize = 5;
/// Largest error body read from a file host.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// A download in progress: the answer's head, and its body to stream.
#[derive(Debug)]
pub struct RecordingStream {
    /// The HTTP status of the final answer (a success).
    pub status: u16,
    /// Its `Content-Type`, if any.
    pub content_type: Option<String>,
    /// Its `Content-Length`, if any.
    pub content_length: Option<u64>,
    response: Response,
}

impl RecordingStream {
    /// The body, chunk by chunk (e.g. for axum's `Body::from_stream`).
    pub fn bytes_stream(
        self,
    ) -> impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static {
        self.response.bytes_stream()
    }
}

/// Downloads `url` for `auth`, following at most [`MAX_REDIRECTS`]
/// redirects to allowed hosts.
pub(crate) async fn download(
    client: &ZoomClient,
    settings: &ZoomSettings,
    auth: &Auth,
    url: Url,
) -> Result<RecordingStream, ZoomError> {
    if !settings.is_api_host(&url) {
        return Err(refused(&url));
    }
    let mut current = url;
    let mut response = client
        .get_authorized(Bearer::Stored(auth), current.clone())
        .await?;
    for hop in 0..=MAX_REDIRECTS {
        let status = response.status();
        if status.is_success() {
            return Ok(stream(response));
        }
        if !is_redirect(status) {
            return Err(failure(response).await);
        }
        if hop == MAX_REDIRECTS {
            break;
        }
        let next = location(&response, &current)?;
        if !settings.download_allowed(&next) {
            tracing::warn!(host = %host_of(&next), "refused a recording redirect to a host not allowed");
            return Err(refused(&next));
        }
        tracing::debug!(host = %host_of(&next), "following a recording redirect");
        response = if settings.is_api_host(&next) {
            client
                .get_authorized(Bearer::Stored(auth), next.clone())
                .await?
        } else {
            client.get_plain(&next).await?
        };
        current = next;
    }
    Err(ZoomError::BadResponse(format!(
        "the recording download was redirected more than {MAX_REDIRECTS} times"
    )))
}

fn stream(response: Response) -> RecordingStream {
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    RecordingStream {
        status: response.status().as_u16(),
        content_type: header(CONTENT_TYPE),
        content_length: header(CONTENT_LENGTH).and_then(|length| length.trim().parse().ok()),
        response,
    }
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The absolute target of a redirect.
fn location(response: &Response, current: &Url) -> Result<Url, ZoomError> {
    let text = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| {
            ZoomError::BadResponse("a redirect without a readable Location".to_owned())
        })?;
    current
        .join(text)
        .map_err(|err| ZoomError::BadResponse(format!("a redirect to an invalid URL: {err}")))
}

/// The error of a non-success, non-redirect answer off the API host.
async fn failure(response: Response) -> ZoomError {
    let status = response.status().as_u16();
    let body = read_limited(response, MAX_ERROR_BODY)
        .await
        .unwrap_or_default();
    match classify(status, &parse_error_body(&body)) {
        Verdict::Fail(err) => err,
        Verdict::RenewToken => ZoomError::Zoom {
            status,
            code: None,
            message: "the file host refused the download".to_owned(),
        },
    }
}

fn refused(url: &Url) -> ZoomError {
    ZoomError::DownloadRefused { host: host_of(url) }
}

/// `host[:port]` of a URL, for messages.
fn host_of(url: &Url) -> String {
    let host = url.host_str().unwrap_or("(no host)");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}
