//! Recording downloads: the API redirects to the file host with a signed link, and the file
//! host serves a WAV tone without needing (and recording any) `Authorization` header.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::error::ZoomError;
use super::faults::DownloadRedirect;
use super::params::Params;
use super::state::Shared;

/// Where the `foreign_host` fault redirects downloads.
const FOREIGN_URL: &str = "http://127.0.0.3:9/evil";
/// Samples per second of the recordings.
const SAMPLE_RATE: u32 = 8_000;
/// Samples in a recording: 6.25 s, 100 000 bytes of 16-bit audio.
const SAMPLES: u32 = 50_000;

/// `GET /v2/phone/recording/download/{fileId}`: 302 to the file host (or, under the
/// `foreign_host` fault, to a host the client must refuse).
pub async fn download(
    State(shared): State<Arc<Shared>>,
    Path(file_id): Path<String>,
) -> Result<Response, ZoomError> {
    if shared
        .book
        .find_recording(&file_id, shared.clock.now_ms())
        .is_none()
    {
        return Err(ZoomError::NoRecording(file_id));
    }
    let location = match shared.faults().download_redirect {
        DownloadRedirect::FileHost => format!(
            "http://{}/__emu/files/{file_id}?access={}",
            shared.urls.file_host,
            sign(&shared.file_key, &file_id)
        ),
        DownloadRedirect::ForeignHost => FOREIGN_URL.to_owned(),
    };
    let location = HeaderValue::from_str(&location).map_err(|_| ZoomError::NoRecording(file_id))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response())
}

/// `GET /__emu/files/{fileId}?access=…` on the file host: the WAV for a correctly signed link,
/// 403 otherwise. Counts every request and every one that carried `Authorization`.
pub async fn serve(
    State(shared): State<Arc<Shared>>,
    Path(file_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    {
        let mut counters = shared.counters();
        counters.file_requests += 1;
        if headers.contains_key(header::AUTHORIZATION) {
            counters.file_requests_with_authorization += 1;
            tracing::warn!("the recording file host received an Authorization header");
        }
    }
    let params = Params::parse(query.as_deref().unwrap_or_default());
    match params.one("access") {
        Ok(Some(access)) if access == sign(&shared.file_key, &file_id) => (
            [
                (header::CONTENT_TYPE, "audio/wav"),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            shared.wav.clone(),
        )
            .into_response(),
        _ => (
            StatusCode::FORBIDDEN,
            "invalid or missing access signature\n",
        )
            .into_response(),
    }
}

/// The link signature of a file: hex SHA-256 of the emulator's key and the file id.
fn sign(key: &[u8; 32], file_id: &str) -> String {
    let digest = Sha256::new()
        .chain_update(key)
        .chain_update(file_id.as_bytes())
        .finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A 440 Hz tone, 8 kHz 16-bit mono PCM in a WAV container (about 100 KB).
pub fn tone_wav() -> Bytes {
    let data_len = SAMPLES * 2;
    let mut wav = Vec::with_capacity(44 + data_len as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    wav.extend_from_slice(&(SAMPLE_RATE * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for n in 0..SAMPLES {
        let phase = f64::from(n) * 440.0 * std::f64::consts::TAU / f64::from(SAMPLE_RATE);
        // The amplitude is below i16::MAX, so the cast never saturates.
        let sample = (phase.sin() * 8_000.0) as i16;
        wav.extend_from_slice(&sample.to_le_bytes());
    }
    Bytes::from(wav)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tone_is_a_wav_of_about_100_kb() {
        let wav = tone_wav();
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..12], b"WAVE");
        assert_eq!(wav.len(), 44 + 100_000);
    }

    #[test]
    fn signatures_depend_on_key_and_file() {
        let key = [7u8; 32];
        assert_eq!(sign(&key, "a"), sign(&key, "a"));
        assert_ne!(sign(&key, "a"), sign(&key, "b"));
        assert_ne!(sign(&key, "a"), sign(&[8u8; 32], "a"));
        assert_eq!(sign(&key, "a").len(), 64);
    }
}
