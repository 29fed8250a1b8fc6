//! The top-level `"version"` of a JSON file (package.json).

use super::{FindError, Span, line_of};

/// Scans JSON for the top-level `"version"` string without building a tree.
pub(super) fn find_json(text: &str) -> Result<Span, FindError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut expect_value_for_version = false;
    let mut last_key_at_depth1: Option<(usize, usize)> = None;
    let mut found: Option<Span> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                depth += 1;
                expect_value_for_version = false;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b':' => {
                expect_value_for_version =
                    depth == 1 && last_key_at_depth1.is_some_and(|(s, e)| &text[s..e] == "version");
            }
            b',' => last_key_at_depth1 = None,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j >= bytes.len() {
                    return Err(FindError {
                        message: "unterminated JSON string".into(),
                        line: line_of(text, i),
                    });
                }
                if expect_value_for_version {
                    if let Some(first) = &found {
                        return Err(FindError {
                            message: format!(
                                "`\"version\"` appears twice at the top level (lines {} and {}); npm reads the last one, so relman will not guess: remove one",
                                line_of(text, first.start),
                                line_of(text, start)
                            ),
                            line: line_of(text, start),
                        });
                    }
                    found = Some(Span { start, end: j });
                    expect_value_for_version = false;
                }
                if depth == 1 && last_key_at_depth1.is_none() {
                    last_key_at_depth1 = Some((start, j));
                }
                i = j;
            }
            c if !c.is_ascii_whitespace() && expect_value_for_version => {
                return Err(FindError {
                    message: "top-level `\"version\"` is not a string".into(),
                    line: line_of(text, i),
                });
            }
            _ => {}
        }
        i += 1;
    }
    found.ok_or_else(|| FindError { message: "no top-level `\"version\"` key".into(), line: 1 })
}
