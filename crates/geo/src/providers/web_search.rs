//! Web search with the Brave Search API (<https://api-dashboard.search.brave.com/app/documentation/web-search>):
//! `GET {base}/res/v1/web/search?q=&count=` with the key in `X-Subscription-Token` →
//! `{web: {results: [{title, url, description}]}}` (`web` is absent when nothing matched). Titles and
//! descriptions carry `<strong>` highlighting, which is stripped.

use futures::future::BoxFuture;
use reqwest::header::{ACCEPT, HeaderValue};
use serde::{Deserialize, Serialize};

use super::http::{fetch, parse_json, success_body};
use super::{ApiKey, Endpoint, ProviderError};
use crate::source::Source;

/// Brave's largest page.
const MAX_COUNT: u8 = 20;
/// Brave refuses queries over 400 characters.
const MAX_QUERY_CHARS: usize = 400;

/// Searches the web.
pub trait WebSearchProvider: Send + Sync {
    /// Up to `count` results for `query` (clamped to 1..=20); empty for an empty query.
    fn search<'a>(&'a self, query: &'a str, count: u8) -> BoxFuture<'a, Result<WebResults, ProviderError>>;
}

/// Search results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WebResults {
    /// `brave-search`.
    pub source: Source,
    /// In the provider's order.
    pub results: Vec<WebResult>,
}

/// One result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WebResult {
    /// Page title, as plain text.
    pub title: String,
    /// Page address.
    pub url: String,
    /// Summary, as plain text (may be empty).
    pub snippet: String,
}

/// Brave Search client.
#[derive(Clone, Debug)]
pub struct BraveSearch {
    http: reqwest::Client,
    endpoint: Endpoint,
    key: ApiKey,
}

impl BraveSearch {
    /// A client for `endpoint` (base `https://api.search.brave.com`) with its subscription token.
    pub fn new(http: reqwest::Client, endpoint: Endpoint, key: ApiKey) -> BraveSearch {
        BraveSearch { http, endpoint, key }
    }

    async fn web_search(&self, query: &str, count: u8) -> Result<WebResults, ProviderError> {
        let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
        if query.is_empty() {
            return Ok(WebResults { source: Source::BraveSearch, results: Vec::new() });
        }
        let count = count.clamp(1, MAX_COUNT).to_string();
        let url = self.endpoint.url("res/v1/web/search", &[("q", &query), ("count", &count)])?;
        let mut token = HeaderValue::from_str(self.key.expose()).map_err(|_| ProviderError::Unavailable)?;
        token.set_sensitive(true);
        let request = self.http.get(url).header(ACCEPT, "application/json").header("X-Subscription-Token", token);
        let answer = fetch(Source::BraveSearch, request, self.endpoint.timeout()).await?;
        let wire: WireSearch = parse_json(&success_body(answer)?)?;
        let results = wire.web.map(|w| w.results).unwrap_or_default();
        let results = results
            .into_iter()
            .map(|r| WebResult {
                title: plain_text(&r.title),
                url: r.url,
                snippet: r.description.as_deref().map(plain_text).unwrap_or_default(),
            })
            .collect();
        Ok(WebResults { source: Source::BraveSearch, results })
    }
}

impl WebSearchProvider for BraveSearch {
    fn search<'a>(&'a self, query: &'a str, count: u8) -> BoxFuture<'a, Result<WebResults, ProviderError>> {
        Box::pin(self.web_search(query, count))
    }
}

#[derive(Deserialize)]
struct WireSearch {
    #[serde(default)]
    web: Option<WireWeb>,
}

#[derive(Deserialize)]
struct WireWeb {
    #[serde(default)]
    results: Vec<WireResult>,
}

#[derive(Deserialize)]
struct WireResult {
    title: String,
    url: String,
    #[serde(default)]
    description: Option<String>,
}

/// Tags removed and the common entities decoded: the text is shown as text, never as markup.
fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    let decoded = text
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_and_entities_become_plain_text() {
        assert_eq!(
            plain_text("Free <strong>camping</strong> near   Moab &amp; Arches"),
            "Free camping near Moab & Arches"
        );
        assert_eq!(plain_text("a < b and <unclosed"), "a");
        assert_eq!(plain_text("&lt;script&gt;"), "<script>");
    }
}
