//! A markdown table in plain text: read row by row, each cell after its
//! column's header name, so a screen reader or a braille transcriber never
//! has to hold a grid in mind.

use super::lines::wrap;

/// A table being collected: its header names and its rows of cells.
pub(super) struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    in_head: bool,
    /// The text of the cell being read.
    pub(super) cell: String,
}

impl Table {
    pub(super) fn new() -> Table {
        Table {
            head: Vec::new(),
            rows: Vec::new(),
            in_head: false,
            cell: String::new(),
        }
    }

    /// Whether the cells read next are header names.
    pub(super) fn set_in_head(&mut self, in_head: bool) {
        self.in_head = in_head;
    }

    pub(super) fn start_row(&mut self) {
        self.rows.push(Vec::new());
    }

    /// Ends the cell being read: a header name, or a cell of the last row.
    pub(super) fn end_cell(&mut self) {
        let cell = std::mem::take(&mut self.cell)
            .split_ascii_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if self.in_head {
            self.head.push(cell);
        } else if let Some(r) = self.rows.last_mut() {
            r.push(cell);
        }
    }

    /// Writes the table under its label (`Table 1:`): each row numbered,
    /// each cell on its own line as `Header: cell`.
    pub(super) fn write(&self, out: &mut String, label: &str) {
        out.push_str(label);
        out.push_str(":\n");
        for (i, row) in self.rows.iter().enumerate() {
            out.push_str(&format!("\n  {}.\n", i + 1));
            for (j, cell) in row.iter().enumerate() {
                let name = self.head.get(j).cloned().unwrap_or_default();
                let line = if name.is_empty() {
                    cell.clone()
                } else {
                    format!("{name}: {cell}")
                };
                out.push_str(&wrap(&line, "    ", "      "));
            }
        }
        out.push('\n');
    }
}
