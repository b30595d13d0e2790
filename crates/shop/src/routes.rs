//! `/api/v1/shop/products`: the catalogue for every signed-in user; writes for admins (403 otherwise).

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use pam_web::{AdminUser, AppError, AuthUser, Authn, ErrorBody, ValidationErrorBody};
use pam_web::{Json, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::ShopState;
use crate::products::{self, NewProduct, Product, ProductList, ProductQuery, ProductUpdate};

pub fn router<S>() -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
    ShopState: FromRef<S>,
    Authn: FromRef<S>,
{
    OpenApiRouter::new().routes(routes!(list_products, create_product)).routes(routes!(
        get_product,
        patch_product,
        delete_product
    ))
}

/// Products on offer, by name; `q` searches names, descriptions and tags, `category` narrows.
#[utoipa::path(get, path = "/api/v1/shop/products", tag = "shop", security(("bearer" = [])),
    params(ProductQuery),
    responses((status = 200, body = ProductList), (status = 401, body = ErrorBody), (status = 422, body = ValidationErrorBody)))]
async fn list_products(
    State(state): State<ShopState>,
    _user: AuthUser,
    Query(q): Query<ProductQuery>,
) -> Result<Json<ProductList>, AppError> {
    Ok(Json(products::search(&state, &q).await?))
}

/// Add a product (admins only; audited).
#[utoipa::path(post, path = "/api/v1/shop/products", tag = "shop", security(("bearer" = [])),
    request_body = NewProduct,
    responses((status = 201, body = Product), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::BodyRefused))]
async fn create_product(
    State(state): State<ShopState>,
    admin: AdminUser,
    Json(body): Json<NewProduct>,
) -> Result<(StatusCode, Json<Product>), AppError> {
    Ok((StatusCode::CREATED, Json(products::create(&state, &admin.0, body).await?)))
}

/// One product (an inactive one too: old links still open).
#[utoipa::path(get, path = "/api/v1/shop/products/{id}", tag = "shop", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Product), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        pam_web::doc::InvalidParameters))]
async fn get_product(
    State(state): State<ShopState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Product>, AppError> {
    Ok(Json(products::get(&state, id).await?))
}

/// Change a product (admins only; audited). `active: false` takes it off offer.
#[utoipa::path(patch, path = "/api/v1/shop/products/{id}", tag = "shop", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ProductUpdate,
    responses((status = 200, body = Product), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ValidationErrorBody), pam_web::doc::Unauthorized, pam_web::doc::BodyRefused))]
async fn patch_product(
    State(state): State<ShopState>,
    admin: AdminUser,
    Path(id): Path<Uuid>,
    Json(body): Json<ProductUpdate>,
) -> Result<Json<Product>, AppError> {
    Ok(Json(products::update(&state, &admin.0, id, body).await?))
}

/// Remove a product (admins only; audited).
#[utoipa::path(delete, path = "/api/v1/shop/products/{id}", tag = "shop", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        pam_web::doc::Unauthorized, pam_web::doc::InvalidParameters))]
async fn delete_product(
    State(state): State<ShopState>,
    admin: AdminUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    products::delete(&state, &admin.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
