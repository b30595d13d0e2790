//! The product catalogue: what admins list (each write audited) and what every signed-in user searches.
//! An inactive product stays on record (old links and chats still open it) but is not listed, searched
//! or recommended.

use chrono::{DateTime, Utc};
use pam_kernel::{Caller, Currency, DomainError, FieldError, Money, Page, audit, text};
use pam_store::with_db;
use serde_json::json;
use sqlx::types::Json as SqlJson;
use uuid::Uuid;

use crate::ShopState;

mod types;

pub use types::*;

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: Uuid,
    name: String,
    description: Option<String>,
    category: String,
    price_cents: i64,
    currency: String,
    image_url: Option<String>,
    product_url: Option<String>,
    tags: SqlJson<Vec<String>>,
    vehicle_types: SqlJson<Vec<String>>,
    fuel_types: SqlJson<Vec<String>>,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ProductRow> for Product {
    fn from(r: ProductRow) -> Product {
        Product {
            id: r.id,
            name: r.name,
            description: r.description,
            category: r.category,
            price: Money::from_cents(r.price_cents),
            currency: r.currency,
            image_url: r.image_url,
            product_url: r.product_url,
            tags: r.tags.0,
            vehicle_types: r.vehicle_types.0,
            fuel_types: r.fuel_types.0,
            active: r.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "id, name, description, category, price_cents, currency, image_url, product_url, tags, \
     vehicle_types, fuel_types, active, created_at, updated_at";

/// Names from a fixed vocabulary, lower-cased and without repeats.
fn vocabulary(raw: Vec<String>, allowed: &[&str]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for item in raw {
        let item = item.trim().to_lowercase();
        if !allowed.contains(&item.as_str()) {
            return Err(format!("each must be one of {}", allowed.join(", ")));
        }
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

/// Checks every field, each problem at its own field.
fn check(p: NewProduct) -> Result<NewProduct, DomainError> {
    let mut errors = Vec::new();
    let mut note = |field: &str, msg: String| errors.push(FieldError::new(&["body", field], msg, "value_error"));
    let mut required = |field: &str, raw: String, max: usize| match text::optional_text(Some(raw), max) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            note(field, "must not be blank".into());
            None
        }
        Err(m) => {
            note(field, m);
            None
        }
    };
    let name = required("name", p.name, 200);
    let category = required("category", p.category, 50).map(|c| c.to_lowercase());
    let description = text::optional_text(p.description, 5000).map_err(|m| note("description", m)).ok();
    let currency = Currency::parse(p.currency.as_deref().unwrap_or("AUD")).map_err(|m| note("currency", m)).ok();
    let image_url = text::url(p.image_url).map_err(|m| note("image_url", m)).ok();
    let product_url = text::url(p.product_url).map_err(|m| note("product_url", m)).ok();
    let tags = text::tags(p.tags).map_err(|m| note("tags", m)).ok();
    let vehicle_types = vocabulary(p.vehicle_types, VEHICLE_TYPES).map_err(|m| note("vehicle_types", m)).ok();
    let fuel_types = vocabulary(p.fuel_types, FUEL_TYPES).map_err(|m| note("fuel_types", m)).ok();
    if p.price.cents() <= 0 {
        note("price", "must be greater than 0".into());
    }
    match (name, category, description, currency, image_url, product_url, tags, vehicle_types, fuel_types) {
        (
            Some(name),
            Some(category),
            Some(description),
            Some(currency),
            Some(image_url),
            Some(product_url),
            Some(tags),
            Some(vehicle_types),
            Some(fuel_types),
        ) if errors.is_empty() => Ok(NewProduct {
            name,
            description,
            category,
            price: p.price,
            currency: Some(currency.as_str().to_string()),
            image_url,
            product_url,
            tags,
            vehicle_types,
            fuel_types,
            active: Some(p.active.unwrap_or(true)),
        }),
        _ => Err(DomainError::Invalid(errors)),
    }
}

fn ensure_admin(caller: &Caller) -> Result<(), DomainError> {
    if caller.is_admin { Ok(()) } else { Err(DomainError::Forbidden("Only admins can change the catalogue".into())) }
}

pub async fn create(state: &ShopState, caller: &Caller, input: NewProduct) -> Result<Product, DomainError> {
    ensure_admin(caller)?;
    let p = check(input)?;
    let row: ProductRow = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO products (id, name, description, category, price_cents, currency, image_url, product_url, tags, \
             vehicle_types, fuel_types, active, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING {COLUMNS}"
        )))
        .bind(Uuid::now_v7())
        .bind(&p.name)
        .bind(&p.description)
        .bind(&p.category)
        .bind(p.price.cents())
        .bind(&p.currency)
        .bind(&p.image_url)
        .bind(&p.product_url)
        .bind(SqlJson(&p.tags))
        .bind(SqlJson(&p.vehicle_types))
        .bind(SqlJson(&p.fuel_types))
        .bind(p.active.unwrap_or(true))
        .bind(caller.id)
        .bind(Utc::now())
        .fetch_one(pool)
        .await
    })?;
    let target = Some(("product", row.id.to_string()));
    audit::record(&state.db, Some(caller.id), "product.create", target, json!({"name": row.name})).await?;
    Ok(row.into())
}

pub async fn get(state: &ShopState, id: Uuid) -> Result<Product, DomainError> {
    let row: Option<ProductRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM products WHERE id = $1")))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    row.map(Product::from).ok_or_else(|| DomainError::not_found("Product"))
}

/// `%text%` for LIKE, with LIKE's own wildcards in the text taken literally.
fn contains_pattern(q: &str) -> String {
    let mut out = String::from("%");
    for c in q.trim().to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

const MATCHES: &str = "active AND ($1 IS NULL OR category = $1) AND ($2 IS NULL OR lower(name) LIKE $2 ESCAPE '\\' \
     OR lower(coalesce(description, '')) LIKE $2 ESCAPE '\\' OR lower(CAST(tags AS TEXT)) LIKE $2 ESCAPE '\\')";

/// Active products matching the words and category, by name.
pub async fn search(state: &ShopState, query: &ProductQuery) -> Result<ProductList, DomainError> {
    let page = Page::parse(query.limit, query.offset)?;
    if query.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
        return Err(DomainError::invalid(&["query", "q"], "must be at most 200 characters"));
    }
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let pattern = q.map(contains_pattern);
    let category = query.category.as_deref().map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty());
    let (rows, total): (Vec<ProductRow>, i64) = with_db!(&state.db, |pool| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM products WHERE {MATCHES} ORDER BY lower(name), id LIMIT $3 OFFSET $4"
        )))
        .bind(&category)
        .bind(&pattern)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(pool)
        .await?;
        let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM products WHERE {MATCHES}")))
            .bind(&category)
            .bind(&pattern)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok(ProductList { products: rows.into_iter().map(Product::from).collect(), meta: page.meta(total) })
}

/// Every active product (in `category` when given), at most `cap`: what recommendations choose from.
pub(crate) async fn offered(state: &ShopState, category: Option<&str>, cap: i64) -> Result<Vec<Product>, DomainError> {
    let rows: Vec<ProductRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM products WHERE active AND ($1 IS NULL OR category = $1) ORDER BY id LIMIT $2"
        )))
        .bind(category)
        .bind(cap)
        .fetch_all(pool)
        .await
    })?;
    Ok(rows.into_iter().map(Product::from).collect())
}

pub async fn update(state: &ShopState, caller: &Caller, id: Uuid, u: ProductUpdate) -> Result<Product, DomainError> {
    ensure_admin(caller)?;
    let current = get(state, id).await?;
    let p = check(NewProduct {
        name: u.name.unwrap_or(current.name),
        description: u.description.apply(current.description),
        category: u.category.unwrap_or(current.category),
        price: u.price.unwrap_or(current.price),
        currency: Some(u.currency.unwrap_or(current.currency)),
        image_url: u.image_url.apply(current.image_url),
        product_url: u.product_url.apply(current.product_url),
        tags: u.tags.unwrap_or(current.tags),
        vehicle_types: u.vehicle_types.unwrap_or(current.vehicle_types),
        fuel_types: u.fuel_types.unwrap_or(current.fuel_types),
        active: Some(u.active.unwrap_or(current.active)),
    })?;
    let row: Option<ProductRow> = with_db!(&state.db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE products SET name = $2, description = $3, category = $4, price_cents = $5, currency = $6, \
             image_url = $7, product_url = $8, tags = $9, vehicle_types = $10, fuel_types = $11, active = $12, \
             updated_at = $13 WHERE id = $1 RETURNING {COLUMNS}"
        )))
        .bind(id)
        .bind(&p.name)
        .bind(&p.description)
        .bind(&p.category)
        .bind(p.price.cents())
        .bind(&p.currency)
        .bind(&p.image_url)
        .bind(&p.product_url)
        .bind(SqlJson(&p.tags))
        .bind(SqlJson(&p.vehicle_types))
        .bind(SqlJson(&p.fuel_types))
        .bind(p.active.unwrap_or(true))
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    })?;
    let row = row.ok_or_else(|| DomainError::not_found("Product"))?;
    let target = Some(("product", id.to_string()));
    audit::record(&state.db, Some(caller.id), "product.update", target, json!({"name": row.name})).await?;
    Ok(row.into())
}

pub async fn delete(state: &ShopState, caller: &Caller, id: Uuid) -> Result<(), DomainError> {
    ensure_admin(caller)?;
    let n = with_db!(&state.db, |pool| {
        sqlx::query("DELETE FROM products WHERE id = $1").bind(id).execute(pool).await.map(|r| r.rows_affected())
    })?;
    if n == 0 {
        return Err(DomainError::not_found("Product"));
    }
    audit::record(&state.db, Some(caller.id), "product.delete", Some(("product", id.to_string())), json!({})).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vehicle_and_fuel_names_come_from_wheels_vocabulary() {
        assert_eq!(
            vocabulary(vec![" Motorhome".into(), "motorhome".into()], VEHICLE_TYPES),
            Ok(vec!["motorhome".into()])
        );
        assert!(vocabulary(vec!["hovercraft".into()], VEHICLE_TYPES).is_err());
        assert!(vocabulary(vec!["avgas".into()], FUEL_TYPES).is_err());
        assert_eq!(contains_pattern("50%_"), "%50\\%\\_%");
    }
}
