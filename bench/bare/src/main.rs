//! Usage: bench-bare PORT DATABASE_URL. Serves GET /api/expenses/{user_id}: 50 newest expenses plus the
//! count and exact sum, as JSON — the query and shape of the real route, with nothing else around it.
use axum::extract::{Path, State};
use axum::{Json, Router, routing::get};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    user_id: Uuid,
    amount_cents: i64,
    currency: String,
    category: String,
    description: Option<String>,
    expense_date: NaiveDate,
    location: Option<String>,
    tags: SqlJson<Vec<String>>,
    receipt_url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Listed {
    #[sqlx(flatten)]
    row: Row,
    total_count: i64,
    total_cents: i64,
}

#[derive(Clone)]
enum Db {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

const ROWS: &str = "SELECT *, count(*) OVER () AS total_count, CAST(SUM(amount_cents) OVER () AS BIGINT) AS total_cents \
    FROM expenses WHERE user_id = $1 ORDER BY expense_date DESC, created_at DESC LIMIT 50 OFFSET 0";

async fn expenses(State(db): State<Db>, Path(user_id): Path<Uuid>) -> Json<Value> {
    let rows: Vec<Listed> = match &db {
        Db::Sqlite(p) => sqlx::query_as(ROWS).bind(user_id).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(ROWS).bind(user_id).fetch_all(p).await.unwrap(),
    };
    let (total, cents) = rows.first().map_or((0, 0), |r| (r.total_count, r.total_cents));
    let expenses: Vec<Value> = rows
        .into_iter()
        .map(|Listed { row: r, .. }| {
            json!({"id": r.id, "user_id": r.user_id, "amount": r.amount_cents as f64 / 100.0, "currency": r.currency,
                   "category": r.category, "description": r.description, "date": r.expense_date, "location": r.location,
                   "tags": r.tags.0, "receipt_url": r.receipt_url, "created_at": r.created_at, "updated_at": r.updated_at})
        })
        .collect();
    Json(json!({"user_id": user_id, "expenses": expenses, "total_expenses": total,
                "total_amount": cents as f64 / 100.0, "filters": {"limit": 50, "offset": 0}}))
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let port = args.next().expect("PORT");
    let url = args.next().expect("DATABASE_URL");
    let db = if url.starts_with("sqlite") {
        Db::Sqlite(sqlx::sqlite::SqlitePoolOptions::new().max_connections(16).connect(&url).await.unwrap())
    } else {
        Db::Postgres(sqlx::postgres::PgPoolOptions::new().max_connections(16).connect(&url).await.unwrap())
    };
    let app = Router::new().route("/api/expenses/{user_id}", get(expenses)).with_state(db);
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
