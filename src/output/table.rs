//! Plain tables for lists (comfy-table, no borders, no terminal probing, so
//! the output reads the same piped as on a terminal).

use comfy_table::{ContentArrangement, Table, presets};

/// Returns a table with `header` and `rows`, rendered as text with a final newline.
pub fn render(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().map(|h| h.to_uppercase()));
    for row in rows {
        table.add_row(row);
    }
    let mut text: String =
        table.lines().map(|l| l.trim_end().to_owned()).collect::<Vec<_>>().join("\n");
    text.push('\n');
    // comfy-table pads the first column with one space; drop it for a flush left edge.
    text.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n") + "\n"
}
