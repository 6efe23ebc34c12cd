//! Word count, the dataflow's kernel: lower-case, split on whitespace, emit
//! (word, 1), sum by word — Python's `text.lower().split()` and a `Counter`.
//! Also the inputs: a small set of headlines and a large generated corpus.
use crate::{Checkpoint, Stopped};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rustc_hash::FxHashMap;
use std::ops::Range;

pub type Counts = FxHashMap<String, u64>;

/// Eight short headlines: 79 words, 69 distinct once lower-cased and split.
pub const HEADLINES: [&str; 8] = [
    "City council approves new budget for public parks and libraries",
    "Storm leaves thousands without power on the northern coast",
    "Local team wins championship after a dramatic final minute",
    "Scientists discover a rare species of frog in the rainforest",
    "Prices of fresh vegetables rise for the third month running",
    "New bridge opens to traffic following long delays",
    "Students plant trees along the river to mark its spring festival",
    "Museum reopens with an exhibition of ancient maps, coins and old letters",
];

pub fn headlines_text() -> String {
    HEADLINES.join("\n")
}

/// Count the words of `text` into `counts`. Checks in every few thousand words.
pub fn count_into(text: &str, counts: &mut Counts, checkpoint: &mut dyn Checkpoint) -> Result<(), Stopped> {
    if text.is_ascii() {
        return count_ascii(text.as_bytes(), counts, checkpoint);
    }
    for (i, word) in text.split_whitespace().enumerate() {
        if i % 4096 == 4095 {
            checkpoint.check()?;
        }
        // Only words with capitals pay for a lower-cased copy.
        let lower;
        let word = if word.chars().any(char::is_uppercase) {
            lower = word.to_lowercase();
            lower.as_str()
        } else {
            word
        };
        add(counts, word);
    }
    Ok(())
}

fn add(counts: &mut Counts, word: &str) {
    match counts.get_mut(word) {
        Some(n) => *n += 1,
        None => {
            counts.insert(word.to_owned(), 1);
        }
    }
}

/// The same for ASCII text (the common case), a byte at a time: ASCII
/// whitespace is all the whitespace there is, and lower-casing is per byte.
fn count_ascii(text: &[u8], counts: &mut Counts, checkpoint: &mut dyn Checkpoint) -> Result<(), Stopped> {
    let mut lower = Vec::with_capacity(64);
    let mut words = 0u32;
    for word in text.split(|b| b.is_ascii_whitespace() || *b == 0x0b).filter(|w| !w.is_empty()) {
        words += 1;
        if words.is_multiple_of(4096) {
            checkpoint.check()?;
        }
        let word = if word.iter().any(u8::is_ascii_uppercase) {
            lower.clear();
            lower.extend(word.iter().map(u8::to_ascii_lowercase));
            &lower[..]
        } else {
            word
        };
        // ASCII bytes are always valid UTF-8.
        add(counts, std::str::from_utf8(word).unwrap_or_default());
    }
    Ok(())
}

pub fn count(text: &str, checkpoint: &mut dyn Checkpoint) -> Result<Counts, Stopped> {
    let mut counts = Counts::default();
    count_into(text, &mut counts, checkpoint)?;
    Ok(counts)
}

/// Add `part`'s counts to `into` (the combine and reduce steps).
pub fn merge(into: &mut Counts, part: Counts) {
    if into.is_empty() {
        *into = part;
        return;
    }
    for (word, n) in part {
        *into.entry(word).or_insert(0) += n;
    }
}

/// Cut `text` into `parts` byte ranges of about equal size, each cut moved
/// forward to an ASCII whitespace byte so that no word (and no UTF-8
/// character: their bytes are never ASCII) is split. Some ranges may be empty.
pub fn partition(text: &[u8], parts: usize) -> Vec<Range<usize>> {
    let parts = parts.max(1);
    let mut cuts = vec![0];
    for i in 1..parts {
        let mut at = (text.len() * i / parts).max(*cuts.last().unwrap_or(&0));
        while at < text.len() && !text[at].is_ascii_whitespace() {
            at += 1;
        }
        cuts.push(at);
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

pub fn total(counts: &Counts) -> u64 {
    counts.values().sum()
}

/// The `n` most frequent words, most frequent first, ties alphabetical.
pub fn top(counts: &Counts, n: usize) -> Vec<(String, u64)> {
    let mut all: Vec<(&String, &u64)> = counts.iter().collect();
    all.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    all.into_iter().take(n).map(|(w, c)| (w.clone(), *c)).collect()
}

const ONSETS: [&str; 16] = ["b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "br", "st"];
const VOWELS: [&str; 6] = ["a", "e", "i", "o", "u", "ea"];
const CODAS: [&str; 6] = ["", "n", "r", "s", "t", "nd"];

fn vocabulary(size: usize, rng: &mut SmallRng) -> Vec<String> {
    let mut words = Vec::with_capacity(size);
    let mut seen = std::collections::HashSet::new();
    while words.len() < size {
        let syllables = rng.random_range(1..=3);
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(ONSETS[rng.random_range(0..ONSETS.len())]);
            w.push_str(VOWELS[rng.random_range(0..VOWELS.len())]);
            w.push_str(CODAS[rng.random_range(0..CODAS.len())]);
        }
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

/// A deterministic corpus of about `bytes` bytes: one headline per line,
/// 6 to 14 words each, the first capitalised, words drawn from a 20 000-word
/// vocabulary with a Zipf-like law (a few words very common, most rare).
pub fn corpus(bytes: usize, seed: u64) -> String {
    generate(bytes, seed, &mut crate::checkpoint::NoCheckpoint).unwrap_or_default()
}

/// [`corpus`], calling `checkpoint` every few thousand lines.
pub fn generate(bytes: usize, seed: u64, checkpoint: &mut dyn Checkpoint) -> Result<String, Stopped> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let words = vocabulary(20_000, &mut rng);
    let ln_v = (words.len() as f64).ln();
    let mut out = String::with_capacity(bytes + 128);
    let mut lines = 0u32;
    while out.len() < bytes {
        lines += 1;
        if lines.is_multiple_of(4096) {
            checkpoint.check()?;
        }
        let n = rng.random_range(6..=14);
        for i in 0..n {
            let rank = ((ln_v * rng.random::<f64>()).exp() as usize).saturating_sub(1).min(words.len() - 1);
            let w = &words[rank];
            if i == 0 {
                let mut c = w.chars();
                if let Some(first) = c.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(w);
            }
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::NoCheckpoint;

    #[test]
    fn headlines_have_79_words_69_distinct() {
        let c = count(&headlines_text(), &mut NoCheckpoint).unwrap();
        assert_eq!(total(&c), 79);
        assert_eq!(c.len(), 69);
        assert_eq!(top(&c, 1), vec![("the".to_string(), 4)]);
    }

    #[test]
    fn lower_cases_and_splits_on_any_whitespace() {
        let c = count("The the\tTHE\n thé Thé", &mut NoCheckpoint).unwrap();
        assert_eq!(c["the"], 3);
        assert_eq!(c["thé"], 2);
        let ascii = count("The the\tTHE\n\x0b\x0c\r thE", &mut NoCheckpoint).unwrap();
        assert_eq!((ascii["the"], ascii.len()), (4, 1));
        let text = corpus(100_000, 5);
        let with_one_accent = format!("{text} é");
        let mut slow = count(&with_one_accent, &mut NoCheckpoint).unwrap();
        assert_eq!(slow.remove("é"), Some(1));
        assert_eq!(slow, count(&text, &mut NoCheckpoint).unwrap(), "both paths count alike");
    }

    #[test]
    fn partitions_never_split_a_word_and_sum_to_the_whole() {
        let text = corpus(50_000, 7);
        let whole = count(&text, &mut NoCheckpoint).unwrap();
        for parts in [1, 2, 3, 7, 64] {
            let ranges = partition(text.as_bytes(), parts);
            assert_eq!(ranges.len(), parts);
            let mut merged = Counts::default();
            for r in ranges {
                merge(&mut merged, count(&text[r], &mut NoCheckpoint).unwrap());
            }
            assert_eq!(merged, whole, "{parts} parts");
        }
    }

    #[test]
    fn partition_of_tiny_text_has_empty_parts() {
        let ranges = partition(b"one two", 4);
        assert_eq!(ranges.len(), 4);
        assert_eq!(ranges.iter().map(|r| r.len()).sum::<usize>(), 7);
    }

    #[test]
    fn corpus_is_deterministic_and_zipf_like() {
        let a = corpus(200_000, 1);
        assert_eq!(a, corpus(200_000, 1));
        assert!(a.len() >= 200_000);
        let c = count(&a, &mut NoCheckpoint).unwrap();
        let t = top(&c, 10);
        assert!(t[0].1 > 20 * t[9].1 / 10, "the most common word is much more common than the 10th: {t:?}");
        assert!(c.len() > 5_000);
    }

    #[test]
    fn stops_at_a_checkpoint() {
        let text = corpus(100_000, 3);
        let mut calls = 0;
        let mut stop_after_two = || {
            calls += 1;
            if calls > 2 {
                Err(Stopped)
            } else {
                Ok(())
            }
        };
        assert_eq!(count(&text, &mut stop_after_two), Err(Stopped));
    }
}
