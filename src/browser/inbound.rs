//! Reading the data of a `message` event that passed the origin and source checks:
//! limits first, on the `JsValue` itself, then serde-wasm-bindgen into the typed
//! envelope. A deserializer walking a `JsValue` recurses once per level, so it must
//! never see a value deeper than the limit: the walk here is iterative.

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::protocol::{Envelope, Message, RejectReason, MAX_DEPTH, MAX_MESSAGE_BYTES};

/// Checks `data` against the limits, then decodes it into a typed message.
pub fn read_message(data: JsValue) -> Result<Message, RejectReason> {
    check_shape(&data)?;
    if json_size(&data)? > MAX_MESSAGE_BYTES {
        return Err(RejectReason::TooLarge);
    }
    // A derived struct would also read an array as its fields in order.
    if !data.is_object() || Array::is_array(&data) || !is_plain_object(&data) {
        return Err(RejectReason::NotAnEnvelope);
    }
    let envelope: Envelope =
        serde_wasm_bindgen::from_value(data).map_err(|_| RejectReason::NotAnEnvelope)?;
    envelope.into_message()
}

/// Walks `data` without recursion: only plain objects, arrays, strings, finite or
/// not numbers, booleans, `null` and `undefined`; containers nested at most
/// [`MAX_DEPTH`] deep (the envelope is the first); no cycles; no more values than
/// the size limit has bytes (each value takes at least one in JSON).
fn check_shape(data: &JsValue) -> Result<(), RejectReason> {
    let mut stack: Vec<(JsValue, usize)> = vec![(data.clone(), 1)];
    // The containers from the root to the one being looked at (depth-first order).
    let mut path: Vec<JsValue> = Vec::new();
    let mut values = 0_usize;
    while let Some((value, depth)) = stack.pop() {
        values += 1;
        if values > MAX_MESSAGE_BYTES {
            return Err(RejectReason::TooLarge);
        }
        if value.is_string()
            || value.as_f64().is_some()
            || value.as_bool().is_some()
            || value.is_null()
            || value.is_undefined()
        {
            continue;
        }
        if !value.is_object() || value.is_function() {
            // BigInt, Symbol, functions: nothing JSON can carry.
            return Err(RejectReason::NotJson);
        }
        path.truncate(depth - 1);
        if path.iter().any(|ancestor| Object::is(ancestor, &value)) {
            return Err(RejectReason::NotJson);
        }
        if depth > MAX_DEPTH {
            return Err(RejectReason::TooDeep);
        }
        let children = if Array::is_array(&value) {
            value.unchecked_ref::<Array>().clone()
        } else if is_plain_object(&value) {
            Object::values(value.unchecked_ref::<Object>())
        } else {
            return Err(RejectReason::NotJson);
        };
        stack.extend(children.iter().map(|child| (child, depth + 1)));
        path.push(value);
    }
    Ok(())
}

/// The UTF-8 length of `JSON.stringify(data)`, once the shape is known to be JSON.
/// The text is copied into the wasm only when its UTF-16 length cannot settle the
/// question by itself.
fn json_size(data: &JsValue) -> Result<usize, RejectReason> {
    let text = js_sys::JSON::stringify(data).map_err(|_| RejectReason::NotJson)?;
    let units = usize::try_from(text.length()).unwrap_or(usize::MAX);
    // A UTF-16 unit takes one to three bytes in UTF-8 (a surrogate pair four).
    if units > MAX_MESSAGE_BYTES || units.saturating_mul(3) <= MAX_MESSAGE_BYTES {
        return Ok(units);
    }
    Ok(String::from(text).len())
}

/// True for objects whose prototype is `Object.prototype` (or `null`): rejects Map,
/// Set, Blob, Date… which `JSON.stringify` would silently turn into `{}` or text, and
/// which a deserializer would read in ways of their own.
fn is_plain_object(value: &JsValue) -> bool {
    thread_local! {
        static OBJECT_PROTOTYPE: Object = Object::get_prototype_of(&Object::new());
    }
    let proto = Object::get_prototype_of(value);
    proto.is_null() || OBJECT_PROTOTYPE.with(|object| Object::is(&proto, object))
}
