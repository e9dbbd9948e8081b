//! File upload through `XMLHttpRequest`, the one browser API that reports upload
//! progress (`fetch` does not).

use std::cell::RefCell;
use std::rc::Rc;

use dialdesk_contract::{ImportJob, CSRF_HEADER};
use futures::channel::oneshot;
use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use crate::api::{decode_answer, ApiError};

/// Posts `file` as the raw body of `POST {path}` with the CSRF token, calling
/// `on_progress(sent, total)` as bytes leave, and returns the proxy's import job.
pub async fn upload_file(
    path: &str,
    file: &File,
    csrf_token: Option<String>,
    on_progress: impl Fn(f64, f64) + 'static,
) -> Result<ImportJob, ApiError> {
    let network = |_: JsValue| ApiError::Network("the browser refused the upload".into());
    let request = XmlHttpRequest::new().map_err(network)?;
    request.open("POST", path).map_err(network)?;
    if let Some(token) = csrf_token {
        request
            .set_request_header(CSRF_HEADER, &token)
            .map_err(network)?;
    }
    request
        .set_request_header("Content-Type", "text/csv")
        .map_err(network)?;

    // The listeners are removed when dropped, at the end of this function.
    let _progress = request.upload().ok().map(|upload| {
        EventListener::new(&upload, "progress", move |event| {
            if let Some(event) = event.dyn_ref::<ProgressEvent>() {
                on_progress(event.loaded(), event.total());
            }
        })
    });
    let (done, finished) = oneshot::channel::<bool>();
    let done = Rc::new(RefCell::new(Some(done)));
    let settle = |name: &'static str, answered: bool| {
        let done = Rc::clone(&done);
        EventListener::new(&request, name, move |_| {
            if let Some(done) = done.borrow_mut().take() {
                let _ = done.send(answered);
            }
        })
    };
    let _settled = [
        settle("load", true),
        settle("error", false),
        settle("abort", false),
    ];
    request.send_with_opt_blob(Some(file)).map_err(network)?;

    let answered = finished.await.unwrap_or(false);
    if !answered {
        return Err(ApiError::Network("the upload was interrupted".into()));
    }
    let status = request.status().unwrap_or(0);
    let body = request.response_text().ok().flatten().unwrap_or_default();
    let status_text = request.status_text().unwrap_or_default();
    decode_answer(status, &status_text, &body)
}
