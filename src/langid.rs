//! The byte automaton of py3langid's model: `visit_counts`, which walks a text's UTF-8 bytes
//! through the automaton and counts the n-gram features its states emit.

use std::collections::HashMap;

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
    let mut slot: HashMap<usize, usize> = HashMap::new();
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

#[cfg(test)]
mod tests {
    use super::*;

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
