//! The small XML dialect of WeChat callbacks: one `<xml>` root, elements holding text or CDATA,
//! a few nested groups (e.g. `ScanCodeInfo`). Parsed into a flat field map; anything that could
//! make a parser fetch or expand something (DOCTYPE, entity declarations) is refused outright.

use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum XmlError {
    #[error("XML with a DOCTYPE or entity declaration is refused")]
    Doctype,
    #[error("XML references an unknown entity &{0};")]
    UnknownEntity(String),
    #[error("malformed XML: {0}")]
    Malformed(String),
    #[error("XML has no <xml> root element")]
    NoRoot,
    #[error("XML is missing the {0} element")]
    Missing(&'static str),
    #[error("XML element {0} has an invalid value")]
    Invalid(&'static str),
}

/// Elements nested under the root, keyed by their path below it (`ScanCodeInfo.ScanResult`).
/// Repeated elements keep the first value: WeChat never repeats the fields we read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fields(HashMap<String, String>);

impl Fields {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    pub fn require(&self, key: &'static str) -> Result<&str, XmlError> {
        self.get(key).ok_or(XmlError::Missing(key))
    }

    pub fn require_i64(&self, key: &'static str) -> Result<i64, XmlError> {
        self.require(key)?
            .trim()
            .parse()
            .map_err(|_| XmlError::Invalid(key))
    }

    pub fn opt_string(&self, key: &str) -> Option<String> {
        self.get(key).map(str::to_owned)
    }

    pub fn string(&self, key: &str) -> String {
        self.get(key).unwrap_or_default().to_owned()
    }

    pub fn opt_f64(&self, key: &'static str) -> Result<Option<f64>, XmlError> {
        self.get(key)
            .map(|v| v.trim().parse().map_err(|_| XmlError::Invalid(key)))
            .transpose()
    }
}

pub fn parse(input: &str) -> Result<Fields, XmlError> {
    let mut reader = Reader::from_str(input);
    let malformed = |e: &dyn std::fmt::Display| XmlError::Malformed(e.to_string());
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut fields = HashMap::new();
    let mut saw_root = false;
    loop {
        match reader.read_event().map_err(|e| malformed(&e))? {
            Event::Start(start) => {
                let name = std::str::from_utf8(start.local_name().into_inner())
                    .map_err(|e| malformed(&e))?
                    .to_owned();
                if path.is_empty() {
                    if saw_root || name != "xml" {
                        return Err(XmlError::NoRoot);
                    }
                    saw_root = true;
                }
                path.push(name);
                text.clear();
            }
            Event::End(_) => {
                if path.len() > 1 {
                    let key = path[1..].join(".");
                    fields
                        .entry(key)
                        .or_insert_with(|| std::mem::take(&mut text));
                }
                text.clear();
                path.pop();
            }
            Event::Empty(start) => {
                let name = std::str::from_utf8(start.local_name().into_inner())
                    .map_err(|e| malformed(&e))?;
                if path.is_empty() {
                    if saw_root || name != "xml" {
                        return Err(XmlError::NoRoot);
                    }
                    saw_root = true;
                    continue;
                }
                let mut key = path[1..].join(".");
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(name);
                fields.entry(key).or_insert_with(String::new);
            }
            Event::Text(t) => text.push_str(&t.decode().map_err(|e| malformed(&e))?),
            Event::CData(c) => text.push_str(&c.decode().map_err(|e| malformed(&e))?),
            Event::GeneralRef(r) => {
                if let Some(ch) = r.resolve_char_ref().map_err(|e| malformed(&e))? {
                    text.push(ch);
                } else {
                    let name = r.decode().map_err(|e| malformed(&e))?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(value) => text.push_str(value),
                        None => return Err(XmlError::UnknownEntity(name.into_owned())),
                    }
                }
            }
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !saw_root {
        return Err(XmlError::NoRoot);
    }
    if !path.is_empty() {
        return Err(XmlError::Malformed("unclosed element".into()));
    }
    Ok(Fields(fields))
}

/// Appends `value` as CDATA that stays well-formed for any input: `]]>` is split across two
/// sections and characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are dropped,
/// since no escape can carry them.
pub fn push_cdata(out: &mut String, value: &str) {
    out.push_str("<![CDATA[");
    let mut rest = value;
    while let Some(at) = rest.find("]]>") {
        push_xml_chars(out, &rest[..at + 2]);
        out.push_str("]]><![CDATA[");
        rest = &rest[at + 2..];
    }
    push_xml_chars(out, rest);
    out.push_str("]]>");
}

pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn push_xml_chars(out: &mut String, s: &str) {
    if s.chars().all(is_xml_char) {
        out.push_str(s);
    } else {
        out.extend(s.chars().filter(|&c| is_xml_char(c)));
    }
}

/// `<Name><![CDATA[value]]></Name>`
pub fn push_cdata_element(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    push_cdata(out, value);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// `<Name>value</Name>` for numbers.
pub fn push_number_element(out: &mut String, name: &str, value: i64) {
    use std::fmt::Write;
    let _ = write!(out, "<{name}>{value}</{name}>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cdata_text_entities_and_nested_groups() {
        let fields = parse(
            "<xml><A><![CDATA[x]]y]]></A><B>1 &amp; &#x4E2D;</B>\
             <ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType></ScanCodeInfo><C/></xml>",
        )
        .unwrap();
        assert_eq!(fields.get("A"), Some("x]]y"));
        assert_eq!(fields.get("B"), Some("1 & 中"));
        assert_eq!(fields.get("ScanCodeInfo.ScanType"), Some("qrcode"));
        assert_eq!(fields.get("C"), Some(""));
    }

    #[test]
    fn refuses_doctype_and_unknown_entities() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><A>&e;</A></xml>"#;
        assert_eq!(parse(xxe), Err(XmlError::Doctype));
        assert_eq!(
            parse("<xml><A>&e;</A></xml>"),
            Err(XmlError::UnknownEntity("e".into()))
        );
    }

    #[test]
    fn refuses_broken_documents() {
        assert!(matches!(
            parse("<xml><A></B></xml>"),
            Err(XmlError::Malformed(_))
        ));
        assert!(parse("<xml><A>").is_err());
        assert_eq!(parse(""), Err(XmlError::NoRoot));
        assert_eq!(parse("<root/>"), Err(XmlError::NoRoot));
        assert_eq!(parse("<xml/>"), Ok(Fields::default()));
        assert_eq!(parse("<xml/><xml/>"), Err(XmlError::NoRoot));
        assert_eq!(parse("<other></other>"), Err(XmlError::NoRoot));
    }

    #[test]
    fn cdata_survives_terminators_and_controls() {
        let mut out = String::from("<xml>");
        push_cdata_element(&mut out, "C", "a]]>b\u{0}c]]]]>");
        out.push_str("</xml>");
        assert_eq!(parse(&out).unwrap().get("C"), Some("a]]>bc]]]]>"));
    }
}
