//! A meeting's material: a title and the web link where it lives (huiwu keeps only the link),
//! read the same from every door: the title trimmed, on one line within 200 characters; the
//! link http(s) with no space anywhere (as the API document says; a form trims its field
//! before it asks).

use super::text;

/// A title and link that passed the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    title: String,
    url: String,
}

/// Why a material was refused; each door words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MaterialError {
    #[error("a title must be 1 to 200 characters, not all blank")]
    Title,
    #[error("a url must be an http(s):// link without spaces")]
    Link,
}

impl Material {
    pub const MAX_TITLE_CHARS: usize = 200;

    pub fn parse(title: &str, url: &str) -> Result<Material, MaterialError> {
        let title = title.trim();
        if !text::is_bounded(title, Self::MAX_TITLE_CHARS) {
            return Err(MaterialError::Title);
        }
        if !text::is_web_link(url) {
            return Err(MaterialError::Link);
        }
        Ok(Material {
            title: title.to_owned(),
            url: url.to_owned(),
        })
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_material_is_trimmed_and_checked_once() {
        let m = Material::parse(" 预算表 ", "https://docs.example.com/b").unwrap();
        assert_eq!(
            (m.title(), m.url()),
            ("预算表", "https://docs.example.com/b")
        );
        assert_eq!(
            Material::parse("  ", "https://x"),
            Err(MaterialError::Title)
        );
        assert_eq!(
            Material::parse(&"长".repeat(201), "https://x"),
            Err(MaterialError::Title)
        );
        assert_eq!(Material::parse("表", "ftp://x"), Err(MaterialError::Link));
        for spaced in ["https://a b", " https://x"] {
            assert_eq!(Material::parse("表", spaced), Err(MaterialError::Link));
        }
    }
}
