//! A hook's output: read as bytes to the end, whatever they are, cut into
//! lines and decoded lossily (a byte that is not UTF-8 becomes U+FFFD and
//! the reading goes on), and kept in memory only as a bounded tail.
//!
//! Stopping at a stray byte would leave the hook writing into a pipe nobody
//! reads: it would die of SIGPIPE mid-deploy. Keeping every line would let
//! a chatty hook (`yes`) take all the memory there is.

use std::io::{ErrorKind, Read};

/// A line longer than this is cut into pieces of at most this size.
pub(super) const MAX_LINE: usize = 64 * 1024;

/// How much of its output an [`Outcome`](super::Outcome) keeps: the end.
pub(super) const TAIL: usize = 64 * 1024;

/// How much is read at a time; one read is one batch of lines.
const READ: usize = 8 * 1024;

/// Reads `pipe` to its end and hands `send` batches of whole lines, each
/// ending in `\n`, decoded lossily. A last line without its newline gets
/// one; a line longer than [`MAX_LINE`] is cut. Stops early only when
/// `send` returns `false` (nobody listens any more).
pub(super) fn read_lines(mut pipe: impl Read, mut send: impl FnMut(String) -> bool) {
    let mut buf = vec![0u8; READ];
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let n = match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let seen = pending.len();
        pending.extend_from_slice(&buf[..n]);
        let whole = pending[seen..].iter().rposition(|&b| b == b'\n').map(|i| seen + i + 1);
        let batch = match whole {
            Some(end) => {
                let text = String::from_utf8_lossy(&pending[..end]).into_owned();
                pending.drain(..end);
                text
            }
            None if pending.len() > MAX_LINE => {
                let end = char_boundary(&pending, MAX_LINE);
                let mut text = String::from_utf8_lossy(&pending[..end]).into_owned();
                text.push('\n');
                pending.drain(..end);
                text
            }
            None => continue,
        };
        if !send(batch) {
            return;
        }
    }
    if !pending.is_empty() {
        let mut text = String::from_utf8_lossy(&pending).into_owned();
        text.push('\n');
        let _ = send(text);
    }
}

/// Where to cut `bytes` at or before `at` without splitting a UTF-8
/// character (a continuation byte is `10xxxxxx`).
fn char_boundary(bytes: &[u8], at: usize) -> usize {
    let mut cut = at.min(bytes.len());
    for _ in 0..3 {
        match bytes.get(cut) {
            Some(b) if b & 0xC0 == 0x80 && cut > 1 => cut -= 1,
            _ => break,
        }
    }
    cut
}

/// The last [`TAIL`] bytes or so of a hook's output, in whole lines.
#[derive(Debug, Default)]
pub(super) struct Tail {
    text: String,
    dropped: usize,
}

impl Tail {
    /// Appends one line (without its newline).
    pub(super) fn push(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
        // Trimmed when twice the size, so each byte is moved about once.
        if self.text.len() > 2 * TAIL {
            let mut cut = self.text.len() - TAIL;
            while !self.text.is_char_boundary(cut) {
                cut += 1;
            }
            // From the start of a line, unless the last line alone is longer.
            let start = match self.text[cut..].find('\n') {
                Some(i) if cut + i + 1 < self.text.len() => cut + i + 1,
                _ => cut,
            };
            self.dropped += self.text[..start].matches('\n').count();
            self.text.drain(..start);
        }
    }

    /// The lines kept, after a line saying how many earlier ones were not.
    pub(super) fn into_text(self) -> String {
        if self.dropped == 0 {
            self.text
        } else {
            format!("[relman: {} earlier lines not kept here]\n{}", self.dropped, self.text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batches(input: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        read_lines(input, |b| {
            out.push(b);
            true
        });
        out
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced_and_reading_goes_on() {
        let text: String = batches(b"caf\xe9\nafter\nlast").concat();
        assert_eq!(text, "caf\u{fffd}\nafter\nlast\n");
    }

    #[test]
    fn a_long_line_is_cut_at_a_character_boundary() {
        let mut input = vec![b'a'; MAX_LINE - 1];
        input.extend_from_slice("é".repeat(READ).as_bytes());
        input.push(b'\n');
        let text: String = batches(&input).concat();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() >= 2, "{}", lines.len());
        assert!(lines.iter().all(|l| l.len() <= MAX_LINE));
        assert!(!text.contains('\u{fffd}'));
        assert_eq!(text.len(), input.len() + lines.len() - 1);
    }

    #[test]
    fn the_tail_keeps_the_last_lines_and_counts_the_others() {
        let mut tail = Tail::default();
        for i in 0..100_000 {
            tail.push(&format!("line {i}"));
        }
        let text = tail.into_text();
        assert!(text.len() <= 2 * TAIL + 100, "{}", text.len());
        assert!(text.ends_with("line 99999\n"));
        let first = text.lines().next().unwrap_or_default();
        assert!(first.starts_with("[relman: ") && first.ends_with(" earlier lines not kept here]"));
        let kept = text.lines().count() - 1;
        let dropped: usize = first
            .trim_start_matches("[relman: ")
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_default();
        assert_eq!(kept + dropped, 100_000);
    }
}
