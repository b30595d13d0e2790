//! Full-text search of the knowledge shelf, ranked: how well the text matches (a title match weighs ten
//! times a body match on SQLite, five times on Postgres), how near the article's place is to the reader,
//! and the admins' priority. Nearness multiplies the text match, so it reorders comparable matches
//! without lifting a weak match over a much better one, and never lifts an article the words barely
//! match.
//!
//! The one query in the codebase written per dialect (see `pam_store`'s docs on when that is allowed):
//! SQLite matches with FTS5 and scores with `bm25()`, Postgres with the weighted `tsvector` of the
//! `knowledge_articles_search` index, `websearch_to_tsquery` and `ts_rank`. Both branches take the same
//! parameters and return the same candidates; the ranking after that is one piece of Rust.

use std::collections::HashMap;

use pam_geo::Coordinates;
use pam_kernel::{DomainError, ListMeta, Page};
use pam_store::Db;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::KnowledgeState;
use crate::articles::{self, Article, KnowledgeType};
use crate::near::{self, Near, NearShown};
use crate::query::Terms;

/// How many matches, best by text, are ranked at most. The shelf is curated by hand (hundreds of
/// articles), so every match is ranked in practice; the bound keeps a one-word search over a grown
/// shelf from loading it all.
pub const MAX_CANDIDATES: i64 = 2000;
/// How much being at the reader's spot multiplies the text match by, less one (×1.75 at the spot).
pub const NEAR_WEIGHT: f64 = 0.75;
/// What priority 10 adds over priority 0.
pub const PRIORITY_WEIGHT: f64 = 0.1;

/// `GET /api/v1/knowledge/search`: the words, optionally where the reader is (`lat`/`lng`, or a place
/// name in `near`), a type and a category.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find; `"quoted phrases"`, `or` and `-excluded` work as in a web search. At most 200
    /// characters and 16 words or phrases, with at least one word to look for (not only `-excluded`
    /// ones or `or`): the pattern asks for a letter or digit, ASCII or beyond.
    #[param(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]",
        example = "dump point"
    )]
    pub q: String,
    /// A place to favour articles near ("Dubbo").
    pub near: Option<String>,
    /// Given with `lng`.
    #[param(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    /// Given with `lat`.
    #[param(minimum = -180, maximum = 180)]
    pub lng: Option<f64>,
    pub knowledge_type: Option<KnowledgeType>,
    pub category: Option<String>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// One article found, with its score and (when the search had a place) its distance.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = KnowledgeSearchHit)]
pub struct SearchHit {
    #[serde(flatten)]
    pub article: Article,
    /// Higher is better: text match (0–1) boosted by nearness, plus priority.
    pub score: f64,
    pub distance_km: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = KnowledgeSearchResults)]
pub struct SearchResults {
    pub articles: Vec<SearchHit>,
    #[serde(flatten)]
    pub meta: ListMeta,
    /// The place the results were ranked for, when there was one.
    pub near: Option<NearShown>,
}

/// A checked search.
pub struct Search {
    pub terms: Terms,
    pub near: Option<Near>,
    pub knowledge_type: Option<KnowledgeType>,
    pub category: Option<String>,
    pub page: Page,
}

impl SearchQuery {
    pub fn checked(&self) -> Result<Search, DomainError> {
        let terms = Terms::parse(&self.q, &["query", "q"])?;
        let fields = near::NearFields { root: "query", name: "near", lat: "lat", lng: "lng" };
        Ok(Search {
            terms,
            near: near::resolve(&fields, self.near.as_deref(), self.lat, self.lng)?,
            knowledge_type: self.knowledge_type,
            category: self.category.as_deref().map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()),
            page: Page::parse(self.limit, self.offset)?,
        })
    }
}

/// A matching article's id and what ranking needs of it.
#[derive(sqlx::FromRow, Debug, Clone)]
struct Candidate {
    id: Uuid,
    relevance: f64,
    latitude: Option<f64>,
    longitude: Option<f64>,
    priority: i32,
}

/// The articles matching the words (and filters), best text match first.
async fn candidates(db: &Db, s: &Search) -> Result<Vec<Candidate>, DomainError> {
    let kind = s.knowledge_type.map(KnowledgeType::as_str);
    let category = s.category.as_deref();
    let rows = match db {
        // bm25() is lower for better matches; its weights follow the FTS table's columns (article_id,
        // title, content, tags).
        Db::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT a.id, -bm25(knowledge_articles_fts, 0.0, 10.0, 1.0, 4.0) AS relevance, \
                 a.latitude, a.longitude, a.priority \
                 FROM knowledge_articles_fts JOIN knowledge_articles a ON a.id = knowledge_articles_fts.article_id \
                 WHERE knowledge_articles_fts MATCH $1 AND ($2 IS NULL OR a.knowledge_type = $2) \
                 AND ($3 IS NULL OR a.category = $3) ORDER BY relevance DESC, a.id LIMIT $4",
            )
            .bind(s.terms.fts5())
            .bind(kind)
            .bind(category)
            .bind(MAX_CANDIDATES)
            .fetch_all(pool)
            .await
        }
        // The document expression is the index's (0011_knowledge_medical_shop.sql), word for word, so
        // the planner uses it. ts_rank's default weights make title (A) 1.0, tags (B) 0.4, body (C) 0.2.
        Db::Postgres(pool) => {
            sqlx::query_as(
                "SELECT a.id, ts_rank(setweight(to_tsvector('english'::regconfig, a.title), 'A') || \
                 setweight(to_tsvector('english'::regconfig, a.tags), 'B') || \
                 setweight(to_tsvector('english'::regconfig, a.content), 'C'), q)::float8 AS relevance, \
                 a.latitude, a.longitude, a.priority \
                 FROM knowledge_articles a, websearch_to_tsquery('english'::regconfig, $1) q \
                 WHERE (setweight(to_tsvector('english'::regconfig, a.title), 'A') || \
                 setweight(to_tsvector('english'::regconfig, a.tags), 'B') || \
                 setweight(to_tsvector('english'::regconfig, a.content), 'C')) @@ q \
                 AND ($2 IS NULL OR a.knowledge_type = $2) \
                 AND ($3 IS NULL OR a.category = $3) ORDER BY relevance DESC, a.id LIMIT $4",
            )
            .bind(s.terms.websearch())
            .bind(kind)
            .bind(category)
            .bind(MAX_CANDIDATES)
            .fetch_all(pool)
            .await
        }
    };
    Ok(rows?)
}

/// A candidate's final score and distance from the reader.
#[derive(Debug, Clone, PartialEq)]
struct Ranked {
    id: Uuid,
    score: f64,
    distance_km: Option<f64>,
}

/// Scores every candidate: its text match scaled so the best is 1 (the engines' raw scales differ),
/// boosted by nearness, plus priority. Best first; equal scores by id, so pages are stable.
fn rank(found: Vec<Candidate>, near: Option<&Near>) -> Vec<Ranked> {
    let best = found.iter().map(|c| c.relevance).filter(|r| r.is_finite()).fold(0.0_f64, f64::max);
    let mut ranked: Vec<Ranked> = found
        .into_iter()
        .map(|c| {
            let text = if best > 0.0 && c.relevance.is_finite() { (c.relevance / best).clamp(0.0, 1.0) } else { 1.0 };
            let distance_km = match (near, c.latitude, c.longitude) {
                (Some(n), Some(lat), Some(lng)) => Coordinates::new(lat, lng).ok().map(|p| n.point.distance_km(p)),
                _ => None,
            };
            let nearness = distance_km.map_or(0.0, near::closeness);
            let priority = f64::from(c.priority.clamp(0, 10)) / 10.0;
            let score = text * (1.0 + NEAR_WEIGHT * nearness) + PRIORITY_WEIGHT * priority;
            Ranked { id: c.id, score, distance_km }
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    ranked
}

fn round_to(value: f64, places: i32) -> f64 {
    let scale = 10_f64.powi(places);
    (value * scale).round() / scale
}

pub async fn search(state: &KnowledgeState, s: &Search) -> Result<SearchResults, DomainError> {
    let ranked = rank(candidates(&state.db, s).await?, s.near.as_ref());
    let total = i64::try_from(ranked.len()).unwrap_or(i64::MAX);
    let offset = usize::try_from(s.page.offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(s.page.limit).unwrap_or(0);
    let page: Vec<Ranked> = ranked.into_iter().skip(offset).take(limit).collect();
    let ids: Vec<Uuid> = page.iter().map(|r| r.id).collect();
    let mut articles: HashMap<Uuid, Article> =
        articles::by_ids(state, &ids).await?.into_iter().map(|a| (a.id, a)).collect();
    // An article deleted between the two reads is left out rather than shown under another's score.
    let hits = page
        .into_iter()
        .filter_map(|r| {
            articles.remove(&r.id).map(|article| SearchHit {
                article,
                score: round_to(r.score, 4),
                distance_km: r.distance_km.map(|d| round_to(d, 1)),
            })
        })
        .collect();
    Ok(SearchResults { articles: hits, meta: s.page.meta(total), near: s.near.as_ref().map(Near::shown) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(n: u128, relevance: f64, at: Option<(f64, f64)>, priority: i32) -> Candidate {
        Candidate { id: Uuid::from_u128(n), relevance, latitude: at.map(|p| p.0), longitude: at.map(|p| p.1), priority }
    }

    #[test]
    fn text_match_leads_and_nearness_reorders_equal_matches() {
        let dubbo = (-32.25, 148.6);
        let cairns = (-16.92, 145.77);
        let found =
            vec![candidate(1, 2.0, Some(cairns), 5), candidate(2, 2.0, Some(dubbo), 5), candidate(3, 9.0, None, 5)];
        let at_dubbo = Near { label: "Dubbo".into(), point: Coordinates::new(dubbo.0, dubbo.1).unwrap() };
        let order = |ranked: Vec<Ranked>| ranked.into_iter().map(|r| r.id.as_u128()).collect::<Vec<_>>();
        assert_eq!(order(rank(found.clone(), None)), vec![3, 1, 2], "best text first, then by id");
        assert_eq!(order(rank(found.clone(), Some(&at_dubbo))), vec![3, 2, 1], "the Dubbo article rises");
        let at_cairns = Near { label: "Cairns".into(), point: Coordinates::new(cairns.0, cairns.1).unwrap() };
        assert_eq!(order(rank(found, Some(&at_cairns))), vec![3, 1, 2]);
    }

    #[test]
    fn odd_scores_do_not_break_the_ranking() {
        let found = vec![candidate(1, f64::NAN, None, 99), candidate(2, 0.0, None, -3)];
        let ranked = rank(found, None);
        assert!(ranked.iter().all(|r| r.score.is_finite()), "{ranked:?}");
    }
}
