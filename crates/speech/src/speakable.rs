//! Text as it should be heard. PAM's replies are written for a screen — markdown, links, emoji, "$42.50"
//! — and a speech engine reads those literally ("dollar forty two point five zero", "asterisk asterisk",
//! "h t t p s colon slash slash…"). Every reply is passed through [`speakable`] before synthesis.
//!
//! The rules, in order: markdown structure (fences, headings, quotes, list markers, table bars, rules)
//! and inline marks (links keep their text, images their alt text, code and emphasis lose their marks);
//! HTML-looking tags and espeak-ng's `[[phoneme]]` brackets dropped; a bare URL becomes its host
//! ("parks.nsw.gov.au"); emoji removed, arrows read as "to"; money read naturally ("$42.50" → "42
//! dollars 50", "A$12" → "12 Australian dollars", "$1.859/L" → "1.859 dollars per litre"); a few symbols
//! read as words (%, &, °C, km/h, L/100km); each line or list item ends as a sentence.

mod money;

/// At most `max` characters of `text`, cut after the last sentence end (or else the last space) that
/// fits, so a long reply is spoken up to a natural stop rather than refused.
pub fn clip_at_sentence(text: &str, max: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max) else { return text.to_string() };
    let head = &text[..cut];
    let end = head.rfind(['.', '!', '?']).map(|i| i + 1).or_else(|| head.rfind(char::is_whitespace)).unwrap_or(cut);
    head[..end].trim_end().to_string()
}

/// The reply as it should be spoken; empty when nothing in it can be spoken (only emoji, say).
pub fn speakable(text: &str) -> String {
    let mut sentences = Vec::new();
    let mut in_fence = false;
    for raw in text.lines() {
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        let line = if in_fence { line.to_string() } else { line_without_markdown(line) };
        let line = inline(&line);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        // A line, list item or heading is heard as its own sentence.
        if line.ends_with(['.', '!', '?', ':', ';', ',']) {
            sentences.push(line.to_string());
        } else {
            sentences.push(format!("{line}."));
        }
    }
    collapse(&sentences.join(" "))
}

/// Strips the block-level marks at the start of a line (and table bars throughout it).
fn line_without_markdown(line: &str) -> String {
    let marks: Vec<char> = line.chars().filter(|c| *c != ' ').collect();
    let is_rule = marks.len() >= 3 && ['-', '*', '_'].iter().any(|m| marks.iter().all(|c| c == m));
    if is_rule {
        return String::new();
    }
    if line.starts_with('|') {
        // A table's separator row (|---|:--:|) says nothing; a data row is read cell by cell.
        if line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
            return String::new();
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
        return cells.join(", ");
    }
    let mut rest = line.trim_start_matches('#').trim_start();
    while let Some(r) = rest.strip_prefix('>') {
        rest = r.trim_start();
    }
    for marker in ["- ", "* ", "+ ", "• "] {
        if let Some(r) = rest.strip_prefix(marker) {
            return r.trim_start().to_string();
        }
    }
    // "1. " or "1) "
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        let after = &rest[digits..];
        if let Some(r) = after.strip_prefix(". ").or_else(|| after.strip_prefix(") ")) {
            return r.trim_start().to_string();
        }
    }
    rest.to_string()
}

/// Inline marks, links, tags, URLs, emoji, money and symbols.
fn inline(line: &str) -> String {
    let text = links(line);
    let text = without_tags(&text);
    let text = text.replace("[[", " ").replace("]]", " ").replace('`', "");
    let text = emphasis(&text);
    let text: String = text.split(' ').map(url_as_host).collect::<Vec<_>>().join(" ");
    let text = symbols(&text);
    money::read_money(&text)
}

/// `[text](url)` → text, `![alt](url)` → alt.
fn links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else { break };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else { break };
        let label = &rest[open + 1..close];
        let before = rest[..open].strip_suffix('!').unwrap_or(&rest[..open]);
        out.push_str(before);
        out.push_str(label);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Drops `<b>`, `</i>`, `<br/>` and the like (a `<` that does not open a tag-like run stays).
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let tag_like = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        match after.find('>') {
            Some(close) if tag_like && !after[..close].contains('<') => {
                out.push_str(&rest[..open]);
                out.push(' ');
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `**bold**`, `__bold__`, `~~gone~~`, `*em*`, `_em_` lose their marks; an underscore inside a word
/// (snake_case) becomes a space.
fn emphasis(text: &str) -> String {
    let text = text.replace("**", "").replace("__", "").replace("~~", "");
    text.replace('*', "").replace('_', " ")
}

/// A bare URL token becomes its host without `www.`, keeping trailing punctuation.
fn url_as_host(token: &str) -> String {
    let body = token.trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
    let trailing = &token[body.len()..];
    let lower = body.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) {
        r
    } else if lower.starts_with("www.") && lower.len() > 4 {
        &lower[..]
    } else {
        return token.to_string();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.split('@').next_back().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default().trim_start_matches("www.");
    if host.is_empty() { trailing.trim_start_matches(')').to_string() } else { format!("{host}{trailing}") }
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF   // pictographs, emoticons, transport, flags, skin tones
        | 0x2600..=0x27BF   // symbols and dingbats (☀ ✅ ✈)
        | 0x2B00..=0x2BFF   // stars, arrows in boxes
        | 0x2300..=0x23FF   // ⌚ ⏰ ⏳
        | 0x25A0..=0x25FF   // ▶ ◀ ■
        | 0xFE00..=0xFE0F   // variation selectors
        | 0x200D | 0x20E3   // joiner, keycap
        | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0xE0020..=0xE007F // tag sequences
    )
}

fn symbols(text: &str) -> String {
    let mut text = text.to_string();
    for (from, to) in [
        ("L/100km", " litres per 100 kilometres"),
        ("l/100km", " litres per 100 kilometres"),
        ("km/h", " kilometres per hour"),
        ("°C", " degrees Celsius"),
        ("°F", " degrees Fahrenheit"),
        ("°", " degrees"),
        ("→", " to "),
        ("->", " to "),
        ("⇒", " to "),
        ("&", " and "),
        ("%", " percent"),
        ("—", ", "),
        (" – ", ", "),
        ("…", "."),
        ("•", ","),
    ] {
        if text.contains(from) {
            text = text.replace(from, to);
        }
    }
    text.chars().filter(|c| !is_emoji(*c)).collect()
}

/// One space between words, no space before punctuation, no empty sentences.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let stray = word.chars().all(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?'));
        if stray && !out.is_empty() {
            // "word ." → "word." ; ". ." → "."
            if !out.ends_with(['.', ',', ';', ':', '!', '?']) {
                out.push_str(&word[..1]);
            }
            continue;
        }
        if stray {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.replace(",.", ".").replace(", .", ".").replace("..", ".")
}

#[cfg(test)]
mod tests;
