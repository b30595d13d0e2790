//! What a person types into the search box, parsed once into terms both engines are given the same way:
//! words (all must match), `"quoted phrases"`, `or` between alternatives and `-word` to leave out —
//! Postgres's `websearch_to_tsquery` rules. Only letters and digits reach either engine, so no input can
//! be read as search syntax the parser did not mean.

use pam_kernel::DomainError;

/// A word, or words that must appear together in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Phrase(Vec<String>),
}

/// Every group must match (one of its alternatives), and no excluded term may.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms {
    pub groups: Vec<Vec<Term>>,
    pub excluded: Vec<Term>,
}

pub const MAX_QUERY_CHARS: usize = 200;
const MAX_TERMS: usize = 16;

/// Splits a token into its words: letters and digits, lower-cased (apostrophes and hyphens split).
fn words_of(token: &str) -> Vec<String> {
    token.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn term_of(words: Vec<String>) -> Option<Term> {
    match words.len() {
        0 => None,
        1 => words.into_iter().next().map(Term::Word),
        _ => Some(Term::Phrase(words)),
    }
}

/// A token as typed: its text, whether it was quoted, and whether it had a leading `-`.
struct Token {
    text: String,
    quoted: bool,
    negated: bool,
}

fn tokens(raw: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = raw.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-';
        if negated {
            chars.next();
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            let text: String = chars.by_ref().take_while(|&c| c != '"').collect();
            out.push(Token { text, quoted: true, negated });
        } else {
            let mut text = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                text.push(c);
                chars.next();
            }
            out.push(Token { text, quoted: false, negated });
        }
    }
    out
}

impl Terms {
    /// Parses a search; a 422 at `loc` when it is too long or has nothing to look for.
    pub fn parse(raw: &str, loc: &[&str]) -> Result<Terms, DomainError> {
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(DomainError::invalid(loc, format!("must be at most {MAX_QUERY_CHARS} characters")));
        }
        let mut groups: Vec<Vec<Term>> = Vec::new();
        let mut excluded = Vec::new();
        let mut or_pending = false;
        for token in tokens(raw) {
            if !token.quoted && !token.negated && token.text.eq_ignore_ascii_case("or") {
                or_pending = !groups.is_empty();
                continue;
            }
            let Some(term) = term_of(words_of(&token.text)) else { continue };
            if token.negated {
                excluded.push(term);
            } else if or_pending && let Some(last) = groups.last_mut() {
                last.push(term);
            } else {
                groups.push(vec![term]);
            }
            or_pending = false;
        }
        if groups.is_empty() {
            return Err(DomainError::invalid(loc, "must contain a word to search for"));
        }
        if groups.iter().map(Vec::len).sum::<usize>() + excluded.len() > MAX_TERMS {
            return Err(DomainError::invalid(loc, format!("must have at most {MAX_TERMS} words or phrases")));
        }
        Ok(Terms { groups, excluded })
    }

    /// The FTS5 query: each term a quoted string (only letters and digits inside), groups joined by AND,
    /// alternatives by OR, exclusions by NOT.
    pub fn fts5(&self) -> String {
        let quoted = |t: &Term| match t {
            Term::Word(w) => format!("\"{w}\""),
            Term::Phrase(ws) => format!("\"{}\"", ws.join(" ")),
        };
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                let alternatives: Vec<String> = g.iter().map(quoted).collect();
                format!("({})", alternatives.join(" OR "))
            })
            .collect();
        let mut query = groups.join(" AND ");
        for t in &self.excluded {
            query = format!("({query}) NOT {}", quoted(t));
        }
        query
    }

    /// The same search in `websearch_to_tsquery`'s syntax.
    pub fn websearch(&self) -> String {
        let shown = |t: &Term| match t {
            Term::Word(w) => w.clone(),
            Term::Phrase(ws) => format!("\"{}\"", ws.join(" ")),
        };
        let mut parts: Vec<String> =
            self.groups.iter().map(|g| g.iter().map(shown).collect::<Vec<_>>().join(" or ")).collect();
        parts.extend(self.excluded.iter().map(|t| format!("-{}", shown(t))));
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Terms {
        Terms::parse(raw, &["query", "q"]).unwrap()
    }

    #[test]
    fn words_phrases_alternatives_and_exclusions_become_both_syntaxes() {
        let t = parse("Dump point");
        assert_eq!(t.fts5(), "(\"dump\") AND (\"point\")");
        assert_eq!(t.websearch(), "dump point");
        let t = parse("\"dump point\" water or showers -paid");
        assert_eq!(t.fts5(), "((\"dump point\") AND (\"water\" OR \"showers\")) NOT \"paid\"");
        assert_eq!(t.websearch(), "\"dump point\" water or showers -paid");
    }

    #[test]
    fn search_syntax_in_the_input_is_only_words() {
        let t = parse("NEAR(dump* point) title:x \"unclosed");
        assert_eq!(t.fts5(), "(\"near dump\") AND (\"point\") AND (\"title x\") AND (\"unclosed\")");
        assert_eq!(parse("o'brien's").groups, vec![vec![Term::Phrase(vec!["o".into(), "brien".into(), "s".into()])]]);
        // A leading "or" has nothing to join.
        assert_eq!(parse("or water").fts5(), "(\"water\")");
    }

    #[test]
    fn empty_long_or_only_negative_searches_are_refused() {
        for bad in ["", "  ", "***", "-paid", &"a ".repeat(17), &"x".repeat(201)] {
            assert!(Terms::parse(bad, &["query", "q"]).is_err(), "{bad:?} should be refused");
        }
    }
}
