//! Knowledge (SPEC §4 "Knowledge, medical, shop"): the admins' curated travel knowledge — tips, rules,
//! seasonal advice — read by every signed-in user through a ranked full-text search that favours
//! articles about places near the reader, and written by admins only (each write audited). Each face
//! (service, routes, tools) calls the same service functions.
//!
//! Needs from elsewhere: place names resolved with `pam-geo`'s bundled gazetteer. Holds no user rows, so
//! its part of the account export is empty.

// Outside data never reaches an unwrap: failures are errors, not panics (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod articles;
pub mod near;
pub mod query;
pub mod routes;
pub mod search;
pub mod tools;

use axum::extract::FromRef;
use pam_kernel::DomainError;
use pam_kernel::export::{OwnedTable, Sections};
use pam_store::Db;
use pam_web::Authn;
use utoipa_axum::router::OpenApiRouter;

/// What this domain's services need.
#[derive(Clone)]
pub struct KnowledgeState {
    pub db: Db,
}

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    KnowledgeState: FromRef<S>,
    Authn: FromRef<S>,
{
    use pam_kernel::schema_rules::state;
    let mut router = routes::router();
    state::<articles::NewArticle>(router.get_openapi_mut());
    state::<articles::ArticleUpdate>(router.get_openapi_mut());
    router
}

/// Articles belong to the shelf, not to the admin who wrote them: no user rows here.
pub const TABLES: &[OwnedTable] = &[];

pub async fn export() -> Result<Sections, DomainError> {
    Ok(Sections::new())
}
