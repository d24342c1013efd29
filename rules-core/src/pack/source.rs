//! The regulation text a pack encodes, split into articles.

/// A regulation text split into its articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The whole text.
    pub text: String,
    /// Articles in order.
    pub articles: Vec<Article>,
}

/// One article: its number as the text writes it, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// E.g. `第十三条` or `第7条`.
    pub label: String,
    /// The article's text, heading included, up to the next article or chapter heading.
    pub text: String,
}

const NUMERALS: &str = "零〇一二三四五六七八九十百千0123456789";

/// If `line` starts with `第<numeral>(条|章|节)`, the heading and its kind.
fn heading(line: &str) -> Option<(&str, char)> {
    let rest = line.strip_prefix('第')?;
    let num_len: usize = rest.chars().take_while(|c| NUMERALS.contains(*c)).map(char::len_utf8).sum();
    if num_len == 0 {
        return None;
    }
    let kind = rest.get(num_len..)?.chars().next()?;
    matches!(kind, '条' | '章' | '节')
        .then(|| (line.get(..'第'.len_utf8() + num_len + kind.len_utf8()).unwrap_or(line), kind))
}

impl Source {
    /// Splits a text into articles by the lines that start with `第…条`.
    pub fn parse(text: &str) -> Self {
        let mut articles: Vec<Article> = Vec::new();
        let mut open = false;
        for line in text.lines() {
            let trimmed = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
            match heading(trimmed) {
                Some((label, '条')) => {
                    articles.push(Article { label: label.to_owned(), text: trimmed.to_owned() });
                    open = true;
                }
                Some(_) => open = false,
                None if open => {
                    if let Some(a) = articles.last_mut() {
                        a.text.push('\n');
                        a.text.push_str(line);
                    }
                }
                None => {}
            }
        }
        Source { text: text.to_owned(), articles }
    }

    /// An article by its label.
    pub fn article(&self, label: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.label == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_chinese_and_arabic_numbering() {
        let s = Source::parse("第一章 总则\n第一条 为了\n续行\n第二章\n第7条 七\n第四十七条本制度");
        let labels: Vec<_> = s.articles.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(labels, ["第一条", "第7条", "第四十七条"]);
        assert_eq!(s.articles[0].text, "第一条 为了\n续行");
    }
}
