//! Deterministic pseudo-random draws for the generated data: the same seed parts give the same
//! sequence in every process and on every platform (SplitMix64, no external generator).

/// A sequence of pseudo-random numbers fixed by its seed parts.
pub struct Draw(u64);

/// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Draw {
    /// The sequence for these seed parts (for example a day number and a call index).
    pub fn new(parts: &[u64]) -> Self {
        Self(
            parts
                .iter()
                .fold(0x5eed_d1a1_de5c_u64, |acc, part| mix(acc ^ mix(*part))),
        )
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// An index into a collection of `len` items (0 when empty).
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// True with a probability of `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let mut a = Draw::new(&[20_000, 7]);
        let mut b = Draw::new(&[20_000, 7]);
        let mut c = Draw::new(&[20_000, 8]);
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let second: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let other: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(first, second);
        assert_ne!(first, other);
    }

    #[test]
    fn bounds_hold() {
        let mut draw = Draw::new(&[1]);
        assert_eq!(draw.below(0), 0);
        assert_eq!(draw.index(0), 0);
        assert!((0..1000).all(|_| draw.below(7) < 7));
    }
}
