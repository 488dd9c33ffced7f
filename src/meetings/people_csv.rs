//! A directory export read as people: UTF-8 (with or without a BOM) or GBK (what Excel saves
//! on Chinese Windows), headers in English or Chinese (姓名, 工号, 部门, …). Rows are numbered
//! as records of the file, the header being row 1.

use super::directory::{FieldError, PersonFields};

/// A directory export of a few thousand people fits well under this.
pub const MAX_CSV_BYTES: usize = 2 * 1024 * 1024;

/// Why a file cannot be read at all (row problems are reported row by row instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("the file is empty: send a header row and a row per person")]
    Empty,
    #[error("the file is larger than {} bytes", MAX_CSV_BYTES)]
    TooLarge,
    #[error("the file is neither UTF-8 nor GBK text")]
    Undecodable,
    #[error("row {0} contains a NUL character")]
    Nul(usize),
    #[error("the header row has no {0} column (columns: name/姓名, employee_no/工号, department/部门, openid, wecom_userid/企业微信, is_admin/管理员, is_organizer/会务组)")]
    MissingColumn(&'static str),
    #[error("{0}")]
    Malformed(String),
}

impl CsvError {
    pub fn zh(&self) -> String {
        match self {
            CsvError::Empty => "文件是空的：第一行是表头，之后每行一人。".into(),
            CsvError::TooLarge => format!("文件超过 {} MB。", MAX_CSV_BYTES / 1024 / 1024),
            CsvError::Undecodable => "文件既不是 UTF-8 也不是 GBK 编码的文本。".into(),
            CsvError::Nul(row) => format!("第 {row} 行含有空字符（NUL）。"),
            CsvError::MissingColumn(c) => format!(
                "表头缺少「{}」列（可用列：姓名、工号、部门、openid、企业微信、管理员、会务组）。",
                if *c == "name" { "姓名" } else { "工号" }
            ),
            CsvError::Malformed(e) => format!("CSV 格式有误：{e}"),
        }
    }
}

/// One person's row: the fields it gives, or why some cannot be taken.
#[derive(Debug, Clone)]
pub struct CsvPerson {
    pub row: u64,
    pub fields: PersonFields,
    pub errors: Vec<FieldError>,
}

/// The file as text: a UTF-8 BOM is dropped; text that is not UTF-8 is read as GBK.
pub fn decode(bytes: &[u8]) -> Result<String, CsvError> {
    if bytes.len() > MAX_CSV_BYTES {
        return Err(CsvError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or(CsvError::Undecodable)
}

/// The column a header names, in either language.
fn column(header: &str) -> Option<&'static str> {
    let h = header.trim().to_ascii_lowercase();
    Some(match h.as_str() {
        "name" | "姓名" | "名字" => "name",
        "employee_no" | "工号" | "员工编号" => "employee_no",
        "department" | "部门" => "department",
        "openid" => "openid",
        "wecom_userid" | "企业微信" | "企业微信账号" | "userid" => "wecom_userid",
        "is_admin" | "管理员" => "is_admin",
        "is_organizer" | "会务组" => "is_organizer",
        _ => return None,
    })
}

fn flag(raw: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" => None,
        "true" | "yes" | "1" | "是" => Some(true),
        "false" | "no" | "0" | "否" => Some(false),
        _ => {
            errors.push(FieldError {
                field,
                message: "must be true or false (是/否)".to_owned(),
            });
            None
        }
    }
}

/// The people in `text`, row by row.
pub fn parse(text: &str) -> Result<Vec<CsvPerson>, CsvError> {
    if text.trim().is_empty() {
        return Err(CsvError::Empty);
    }
    if let Some(line) = text.lines().position(|l| l.contains('\0')) {
        // No text column can store it (PostgreSQL refuses it outright).
        return Err(CsvError::Nul(line + 1));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let columns: Vec<Option<&'static str>> = reader
        .headers()
        .map_err(|e| CsvError::Malformed(e.to_string()))?
        .iter()
        .map(column)
        .collect();
    for required in ["name", "employee_no"] {
        if !columns.contains(&Some(required)) {
            return Err(CsvError::MissingColumn(required));
        }
    }
    let mut people = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| CsvError::Malformed(e.to_string()))?;
        let mut fields = PersonFields::default();
        let mut errors = Vec::new();
        for (value, column) in record.iter().zip(&columns) {
            let given = || Some(value.to_owned()).filter(|v| !v.is_empty());
            match column {
                Some("name") => fields.name = given(),
                Some("employee_no") => fields.employee_no = given(),
                Some("department") => fields.department = Some(value.to_owned()),
                Some("openid") => fields.openid = given(),
                Some("wecom_userid") => fields.wecom_userid = given(),
                Some("is_admin") => fields.is_admin = flag(value, "is_admin", &mut errors),
                Some("is_organizer") => {
                    fields.is_organizer = flag(value, "is_organizer", &mut errors)
                }
                _ => {}
            }
        }
        people.push(CsvPerson {
            row: i as u64 + 2,
            fields,
            errors,
        });
    }
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_with_chinese_headers_reads_like_utf8_with_english_ones() {
        let (gbk, _, lossy) =
            encoding_rs::GBK.encode("姓名,工号,部门,会务组\r\n张三,E1,办公室,是\r\n");
        assert!(!lossy);
        let people = parse(&decode(&gbk).unwrap()).unwrap();
        assert_eq!(people.len(), 1);
        let p = &people[0];
        assert_eq!(p.row, 2);
        assert_eq!(p.fields.name.as_deref(), Some("张三"));
        assert_eq!(p.fields.employee_no.as_deref(), Some("E1"));
        assert_eq!(p.fields.department.as_deref(), Some("办公室"));
        assert_eq!(p.fields.is_organizer, Some(true));

        let bom = "\u{feff}name,employee_no,department\nZhang San,E1,Office\n";
        let people = parse(&decode(bom.as_bytes()).unwrap()).unwrap();
        assert_eq!(people[0].fields.name.as_deref(), Some("Zhang San"));
    }

    #[test]
    fn unreadable_files_are_refused_whole() {
        assert_eq!(decode(&[0xff, 0xfe, 0xfd]), Err(CsvError::Undecodable));
        assert_eq!(parse("  \n").unwrap_err(), CsvError::Empty);
        assert_eq!(
            parse("部门\n办公室\n").unwrap_err(),
            CsvError::MissingColumn("name")
        );
        assert_eq!(
            parse("name,employee_no\na\0,1\n").unwrap_err(),
            CsvError::Nul(2)
        );
        let big = vec![b'a'; MAX_CSV_BYTES + 1];
        assert_eq!(decode(&big), Err(CsvError::TooLarge));
    }

    #[test]
    fn a_bad_flag_is_the_row_s_error() {
        let people = parse("姓名,工号,管理员\n李四,E2,也许\n").unwrap();
        assert_eq!(people[0].errors[0].field, "is_admin");
    }
}
