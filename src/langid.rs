//! The byte automaton of py3langid's model: `visit_counts`, which walks a text's UTF-8 bytes
//! through the automaton and counts the n-gram features its states emit.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for feature numbers: one multiplication (Fibonacci hashing). The walk looks a
/// feature up at nearly every byte, and the standard hasher's SipHash cost more than the step.
#[derive(Default)]
struct FeatureHasher(u64);

impl Hasher for FeatureHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, value: usize) {
        self.0 = (value as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The features the walk of `text` emits and how often, in the order each first appears (the
/// order of py3langid's `Counter`, which its scoring adds up in). `nextmove` is the transition
/// table, `rowbase` each state's row in it (already shifted by 8), `output` each state's feature
/// or a negative number. A state or move outside the tables ends the walk: the caller checked
/// the model once, and a damaged one must not read outside its arrays.
pub fn visit_counts(
    nextmove: &[u32],
    rowbase: &[usize],
    output: &[i32],
    text: &[u8],
) -> (Vec<usize>, Vec<u32>) {
    let mut order: Vec<usize> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut slot: HashMap<usize, usize, BuildHasherDefault<FeatureHasher>> = HashMap::default();
    let mut state = 0usize;
    for &byte in text {
        let Some(&next) = rowbase
            .get(state)
            .and_then(|base| nextmove.get(base + usize::from(byte)))
        else {
            break;
        };
        state = next as usize;
        let Some(&feature) = output.get(state) else {
            break;
        };
        if let Ok(feature) = usize::try_from(feature) {
            let at = *slot.entry(feature).or_insert_with(|| {
                order.push(feature);
                counts.push(0);
                order.len() - 1
            });
            counts[at] += 1;
        }
    }
    (order, counts)
}

/// IEEE 754 half-precision bits as the f32 of the same value (exact: every half is an f32),
/// as numpy's cast gives it: a NaN keeps its sign and payload, a subnormal becomes normal.
pub fn half_to_f32(half: u16) -> f32 {
    let sign = u32::from(half & 0x8000) << 16;
    let exponent = u32::from((half >> 10) & 0x1f);
    let mantissa = u32::from(half & 0x3ff);
    let bits = match exponent {
        0 if mantissa == 0 => sign,
        // mantissa × 2^-24: both exact in f32, and so is their product
        0 => sign | (mantissa as f32 * (1.0 / 16_777_216.0)).to_bits(),
        0x1f => sign | 0x7f80_0000 | (mantissa << 13),
        _ => sign | ((exponent + 112) << 23) | (mantissa << 13),
    };
    f32::from_bits(bits)
}

/// The rows of `table` (`classes` halves a row, row after row) of `features`, in that order,
/// as native-endian f32 bytes: py3langid's scoring gathers these rows and casts them to f32
/// before it multiplies. None when a feature has no row in the table.
pub fn feature_rows(table: &[u16], classes: usize, features: &[usize]) -> Option<Vec<u8>> {
    // The features are distinct, so their rows fit in the table: a `classes` too large for it
    // fails below rather than asking for more memory than the table holds (an abort, not an error).
    let halves = features.len().saturating_mul(classes).min(table.len());
    let mut rows = Vec::with_capacity(halves * 4);
    for &feature in features {
        let start = feature.checked_mul(classes)?;
        let row = table.get(start..start.checked_add(classes)?)?;
        rows.extend(row.iter().flat_map(|&half| half_to_f32(half).to_ne_bytes()));
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_become_the_floats_of_the_same_value() {
        assert_eq!(half_to_f32(0x3c00), 1.0);
        assert_eq!(half_to_f32(0xc000), -2.0);
        assert_eq!(half_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(half_to_f32(0x7c00), f32::INFINITY);
        assert_eq!(half_to_f32(0x8000).to_bits(), 0x8000_0000);
        assert!(half_to_f32(0x7e00).is_nan());
    }

    #[test]
    fn rows_are_gathered_in_the_order_of_the_features() {
        let table = [0x3c00, 0x4000, 0x4200, 0x4400];
        let rows = feature_rows(&table, 2, &[1, 0]).unwrap();
        let floats: Vec<f32> = rows
            .chunks(4)
            .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        assert_eq!(floats, [3.0, 4.0, 1.0, 2.0]);
        assert!(feature_rows(&table, 2, &[2]).is_none());
    }

    #[test]
    fn a_row_width_past_the_table_is_refused_without_asking_for_its_memory() {
        let table = [0x3c00, 0x4000];
        assert!(feature_rows(&table, usize::MAX / 2, &[0]).is_none());
        assert!(feature_rows(&table, 1 << 40, &[0, 1]).is_none());
        assert!(feature_rows(&table, 2, &[usize::MAX]).is_none());
        assert_eq!(feature_rows(&table, 0, &[0, 1]), Some(Vec::new()));
    }

    #[test]
    fn features_are_counted_in_the_order_they_first_appear() {
        // Two states: 0 emits nothing, 1 emits feature 7; byte b'a' moves to 1, others to 0.
        let mut nextmove = vec![0u32; 512];
        nextmove[usize::from(b'a')] = 1;
        nextmove[256 + usize::from(b'a')] = 1;
        let (features, counts) = visit_counts(&nextmove, &[0, 256], &[-1, 7], b"xaab a");
        assert_eq!((features, counts), (vec![7], vec![3]));
    }

    #[test]
    fn a_move_outside_the_tables_ends_the_walk() {
        let nextmove = vec![5u32; 256];
        assert_eq!(
            visit_counts(&nextmove, &[0], &[-1], b"abc"),
            (vec![], vec![])
        );
    }
}
