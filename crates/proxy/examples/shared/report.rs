//! The medians and result lines of the proxy's benchmarks, shared by the
//! `match_bench` example and `cargo xtask bench` (which compiles this same file
//! with `#[path]`), so both print alike. Standard library only.

/// The median; NaN for no values.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Prints one result line, aligned like the other benchmarks'.
pub fn line(label: &str, value: String, note: String) {
    println!("  {label:<35}{value:>10}  {note}");
}

/// `100000` → `100 000`.
pub fn spaced(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

/// The `q` quantile (nearest rank) of `values`, sorted in place; NaN for none.
#[allow(
    dead_code,
    reason = "each benchmark compiles this file; not all take quantiles"
)]
pub fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = (q * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}
