//! Text operations the browser already ships.

/// Unicode lower case through the browser's `String.prototype.toLowerCase`: the
/// same answer as Rust's `str::to_lowercase`, without its 5 KB of tables in the wasm.
pub fn lower(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}
