//! Tables for lists, drawn by comfy-table: an upper-case header and
//! left-aligned columns two spaces apart, no borders. Widths are display
//! widths (a service name in CJK or with an emoji keeps every row aligned).
//! On a terminal the table fits its width, wrapping the widest cells;
//! piped, nothing wraps, so the output diffs cleanly.

use comfy_table::{ContentArrangement, Table, presets};

/// Returns `header` and `rows` as aligned text with a final newline, fitted
/// to `width` columns when given (a terminal's).
pub fn render(header: &[&str], rows: Vec<Vec<String>>, width: Option<u16>) -> String {
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.set_header(header.iter().map(|h| h.to_uppercase()).collect::<Vec<_>>());
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

#[cfg(test)]
mod tests {
    use super::render;

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
