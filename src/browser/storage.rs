//! `localStorage`, synchronously: drafts are written on every change.

use web_sys::Storage;

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Writes `value` under `key`; says why when the browser refuses (quota, private mode).
pub fn write(key: &str, value: &str) -> Result<(), String> {
    let storage = local().ok_or("this browser keeps no local storage")?;
    storage.set_item(key, value).map_err(|e| {
        js_sys::Error::from(e)
            .message()
            .as_string()
            .unwrap_or_else(|| "the browser refused to store the draft".to_owned())
    })
}

/// Removes `key`.
pub fn remove(key: &str) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

/// The value under `key`, if any.
pub fn read(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Every key that starts with `prefix`, with its value.
pub fn read_all(prefix: &str) -> Vec<(String, String)> {
    let Some(storage) = local() else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .filter_map(|key| {
            storage
                .get_item(&key)
                .ok()
                .flatten()
                .map(|value| (key, value))
        })
        .collect()
}
