//! Tables for lists, drawn by comfy-table: an upper-case header and
//! left-aligned columns two spaces apart, no borders. Widths are display
//! widths (a service name in CJK or with an emoji keeps every row aligned).
//! On a terminal the table fits its width, wrapping the widest cells;
//! piped, nothing wraps, so the output diffs cleanly.

use comfy_table::{ContentArrangement, Table, presets};
use unicode_width::UnicodeWidthStr;

/// Returns `header` and `rows` as aligned text with a final newline, fitted
/// to `width` columns when given (a terminal's).
pub fn render(header: &[&str], rows: Vec<Vec<String>>, width: Option<u16>) -> String {
    let header: Vec<String> = header.iter().map(|h| h.to_uppercase()).collect();
    if width.is_none()
        && let Some(out) = unwrapped(&header, &rows)
    {
        return out;
    }
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.set_header(header.clone());
    table.add_rows(rows);
    match width {
        Some(w) => {
            table.set_width(w).set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let last = header.len().saturating_sub(1);
    for i in 0..header.len() {
        if let Some(column) = table.column_mut(i) {
            column.set_padding((0, if i < last { 2 } else { 0 }));
        }
    }
    let mut out = String::new();
    for line in table.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The table as `render` draws it when nothing wraps, drawn directly: what
/// comfy-table would give, at a fraction of its cost on a 10,000-row
/// `status`. `None` (draw it with comfy-table) for a row of another length
/// or a cell holding a line break or another control character.
fn unwrapped(header: &[String], rows: &[Vec<String>]) -> Option<String> {
    let n = header.len();
    let all = || std::iter::once(header).chain(rows.iter().map(Vec::as_slice));
    let mut widths = vec![0usize; n];
    for row in all() {
        if row.len() != n {
            return None;
        }
        for (w, cell) in widths.iter_mut().zip(row) {
            if cell.chars().any(char::is_control) {
                return None;
            }
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in all() {
        let start = out.len();
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < n {
                let pad = widths[i] + 2 - cell.width();
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.truncate(start + out[start..].trim_end().len());
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table comfy-table draws when nothing wraps.
    fn drawn_by_comfy_table(header: &[&str], rows: Vec<Vec<String>>) -> String {
        let mut table = Table::new();
        table.load_style(presets::NOTHING);
        table.set_header(header.iter().map(|h| h.to_uppercase()).collect::<Vec<_>>());
        table.add_rows(rows);
        table.set_content_arrangement(ContentArrangement::Disabled);
        for i in 0..header.len() {
            if let Some(column) = table.column_mut(i) {
                column.set_padding((0, if i + 1 < header.len() { 2 } else { 0 }));
            }
        }
        table.lines().map(|l| format!("{}\n", l.trim_end())).collect()
    }

    #[test]
    fn a_piped_table_is_drawn_as_comfy_table_draws_it() {
        let words = ["", "curve", "曲线服务", "curve 🚀", " lead", "trail ", "a  b", "ñandú", "x"];
        // A fixed walk through the words, rows of three cells.
        let mut k = 7usize;
        let mut rows = Vec::new();
        for _ in 0..200 {
            let mut row = Vec::new();
            for _ in 0..3 {
                k = (k * 31 + 11) % 997;
                row.push(words[k % words.len()].to_string());
            }
            rows.push(row);
        }
        let header = ["service", "current", "next"];
        for n in [0, 1, 5, 200] {
            let some: Vec<Vec<String>> = rows[..n].to_vec();
            assert_eq!(render(&header, some.clone(), None), drawn_by_comfy_table(&header, some));
        }
        // Not drawn directly: a line break in a cell, a row of another length.
        let odd = vec![vec!["two\nlines".to_string(), "1.0.0".into(), String::new()]];
        assert!(unwrapped(&["A".into(), "B".into(), "C".into()], &odd).is_none());
        assert_eq!(render(&header, odd.clone(), None), drawn_by_comfy_table(&header, odd));
        let short = vec![vec!["curve".to_string()]];
        assert_eq!(render(&header, short.clone(), None), drawn_by_comfy_table(&header, short));
    }

    #[test]
    fn aligns_columns_two_spaces_apart() {
        let rows = vec![
            vec!["curve".into(), "1.4.2".into(), "-".into()],
            vec!["backtesting".into(), "0.9.0".into(), String::new()],
        ];
        assert_eq!(
            render(&["service", "current", "next"], rows, None),
            "SERVICE      CURRENT  NEXT\ncurve        1.4.2    -\nbacktesting  0.9.0\n"
        );
    }

    #[test]
    fn wide_characters_keep_the_columns_aligned() {
        let rows = vec![
            vec!["曲线服务".into(), "1.4.2".into()],
            vec!["curve 🚀".into(), "2.0.0".into()],
            vec!["backtesting".into(), "0.9.0".into()],
        ];
        let out = render(&["service", "current"], rows, None);
        let columns: Vec<usize> = out
            .lines()
            .map(|l| {
                let at = l.find("CURRENT").or_else(|| l.find(|c: char| c.is_ascii_digit()));
                unicode_width(&l[..at.unwrap_or(0)])
            })
            .collect();
        assert_eq!(columns, [13, 13, 13, 13], "{out}");
        assert!(columns.windows(2).all(|w| w[0] == w[1]), "{out}");
    }

    /// Display width as a terminal shows it: CJK and emoji take two cells.
    fn unicode_width(s: &str) -> usize {
        s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
    }

    #[test]
    fn a_terminal_width_wraps_the_widest_cell() {
        let rows = vec![vec![
            "curve".into(),
            "a reason that is far too long to fit in thirty columns".into(),
        ]];
        let out = render(&["service", "reason"], rows, Some(30));
        assert!(out.lines().all(|l| l.chars().count() <= 30), "{out}");
        assert!(out.lines().count() > 2, "{out}");
    }
}
