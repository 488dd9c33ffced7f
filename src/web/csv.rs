//! CSV for spreadsheets: UTF-8 with a BOM so Excel opens it right, CRLF rows.

/// A text field, quoted when it must be; a leading `=`, `+`, `-` or `@` is defused so that
/// Excel shows a name rather than running it as a formula. Numbers are written as they are.
pub fn text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The document: `header`, then `rows` of fields already written (`text`, or numbers).
pub fn document(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_separators_quoted() {
        assert_eq!(text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text("张三, 李四"), "\"张三, 李四\"");
        assert_eq!(
            document(&["a"], vec![vec!["-0.5".into()]]),
            "\u{feff}a\r\n-0.5\r\n"
        );
    }
}
