//! Which of a few lists of words a text holds as substrings: the hint the cue columns of the
//! line shape read before their searches (`cleaner.find.linefeatures._Literals`). The words'
//! UTF-8 bytes make an Aho-Corasick automaton, its moves worked out for every byte (a table of
//! 256 moves a state: the words of the cue lists make a couple of thousand states), so a text
//! costs one table read a byte, as RE2's automaton it mirrors.

use std::collections::VecDeque;

const NONE: u32 = u32::MAX;

pub struct Literals {
    moves: Vec<u32>, // state * 256 + byte -> state
    found: Vec<u32>, // state -> the lists of the words ending there, as bits
    always: u32,     // the lists with an empty word, which every text holds
    every: u32,
}

impl Literals {
    /// At most 32 lists: list i is bit i of what `held` gives.
    pub fn new(lists: &[Vec<String>]) -> Option<Self> {
        if lists.len() > 32 {
            return None;
        }
        let mut moves = vec![NONE; 256];
        let mut found = vec![0u32];
        let mut always = 0;
        for (i, words) in lists.iter().enumerate() {
            let bit = 1u32 << i;
            for word in words {
                if word.is_empty() {
                    always |= bit;
                    continue;
                }
                let mut state = 0usize;
                for &byte in word.as_bytes() {
                    let at = state * 256 + usize::from(byte);
                    if moves[at] == NONE {
                        moves[at] = u32::try_from(found.len()).ok()?;
                        moves.extend(std::iter::repeat_n(NONE, 256));
                        found.push(0);
                    }
                    state = moves[at] as usize;
                }
                found[state] |= bit;
            }
        }
        // Breadth first, each state's fall-back (the longest proper suffix of its path that is a
        // path too) is known before the state: its missing moves are its fall-back's, and it
        // holds what its fall-back holds.
        let mut fallback = vec![0u32; found.len()];
        let mut queue = VecDeque::new();
        for root_move in &mut moves[..256] {
            match *root_move {
                NONE => *root_move = 0,
                child => queue.push_back(child as usize),
            }
        }
        while let Some(state) = queue.pop_front() {
            let back = fallback[state] as usize;
            found[state] |= found[back];
            for byte in 0..256 {
                let at = state * 256 + byte;
                let back_move = moves[back * 256 + byte];
                match moves[at] {
                    NONE => moves[at] = back_move,
                    child => {
                        fallback[child as usize] = back_move;
                        queue.push_back(child as usize);
                    }
                }
            }
        }
        let every = if lists.len() == 32 {
            u32::MAX
        } else {
            (1u32 << lists.len()) - 1
        };
        Some(Literals {
            moves,
            found,
            always,
            every,
        })
    }

    /// The lists of which `text` holds a word, as bits.
    pub fn held(&self, text: &str) -> u32 {
        let mut bits = self.always;
        let mut state = 0usize;
        for &byte in text.as_bytes() {
            if bits == self.every {
                break;
            }
            state = self.moves[state * 256 + usize::from(byte)] as usize;
            bits |= self.found[state];
        }
        bits
    }

    /// Every list, as bits (the answer for a text the caller cannot read).
    pub fn every(&self) -> u32 {
        self.every
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_told_apart_by_their_words() {
        let lists = vec![
            vec!["reply".to_owned(), "says".to_owned(), "ab".to_owned()],
            vec!["comments".to_owned(), "관련".to_owned(), "bc".to_owned()],
        ];
        let literals = Literals::new(&lists).unwrap();
        assert_eq!(literals.held("jane says:"), 1);
        assert_eq!(literals.held("3 comments"), 2);
        assert_eq!(literals.held("관련기사 reply"), 3);
        assert_eq!(literals.held("repl"), 0);
        // a word inside another's beginning: "abc" holds "bc" after failing to go on from "ab"
        assert_eq!(literals.held("xbc"), 2);
        assert_eq!(literals.held("abc"), 3);
        assert_eq!(literals.held("rrreplies sayss"), 1);
        assert_eq!(literals.every(), 3);
    }
}
