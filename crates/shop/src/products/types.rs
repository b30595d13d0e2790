//! The catalogue's shapes: what admins send, what is stored and what everyone is shown.

use chrono::{DateTime, Utc};
use pam_kernel::money::CurrencyCode;
use pam_kernel::text::{Link, Tag};
use pam_kernel::{ListMeta, Money, Patch};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The wheels domain's vehicle and fuel type names (`pam_wheels::vehicles`), which products are matched
/// against. Kept here as names so the shop needs no other domain; a name not in these lists is refused.
pub const VEHICLE_TYPES: &[&str] = &["motorhome", "caravan_tow", "campervan", "fifth_wheel", "truck", "car", "other"];
pub const FUEL_TYPES: &[&str] = &["diesel", "petrol", "lpg", "electric", "other"];

/// A string schema whose values are one of a fixed vocabulary (any case is accepted on input).
macro_rules! vocabulary_schema {
    ($(#[$doc:meta])* $name:ident, $values:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some($values.iter().copied()))
                    .into()
            }
        }

        impl ToSchema for $name {}
    };
}

vocabulary_schema!(
    /// The schema of one of [`VEHICLE_TYPES`] (any case).
    ProductVehicleType,
    VEHICLE_TYPES
);
vocabulary_schema!(
    /// The schema of one of [`FUEL_TYPES`] (any case).
    ProductFuelType,
    FUEL_TYPES
);

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewProduct {
    /// 1–200 characters.
    #[schema(
        example = "20 L diesel jerry can",
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    /// Stored in lower case ("water", "power", "recovery"); 1–50 characters.
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub category: String,
    pub price: Money,
    /// ISO 4217; default AUD.
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<String>,
    #[schema(value_type = Option<Link>)]
    pub image_url: Option<String>,
    /// Where to buy it.
    #[schema(value_type = Option<Link>)]
    pub product_url: Option<String>,
    #[serde(default)]
    #[schema(value_type = Vec<Tag>, max_items = 20)]
    pub tags: Vec<String>,
    /// Vehicle types it is made for (wheels' names: motorhome, caravan_tow, …); empty: any.
    #[serde(default)]
    #[schema(value_type = Vec<ProductVehicleType>)]
    pub vehicle_types: Vec<String>,
    /// Fuel types it is made for (diesel, petrol, lpg, electric, other); empty: any.
    #[serde(default)]
    #[schema(value_type = Vec<ProductFuelType>)]
    pub fuel_types: Vec<String>,
    /// Default true.
    pub active: Option<bool>,
}

/// Partial update: fields present replace, `null` clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProductUpdate {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub description: Patch<String>,
    #[schema(
        min_length = 1,
        max_length = 50,
        pattern = r"[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub category: Option<String>,
    pub price: Option<Money>,
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Link>)]
    pub image_url: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Link>)]
    pub product_url: Patch<String>,
    #[schema(value_type = Option<Vec<Tag>>, max_items = 20)]
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<ProductVehicleType>>)]
    pub vehicle_types: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<ProductFuelType>>)]
    pub fuel_types: Option<Vec<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Product {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub category: String,
    pub price: Money,
    pub currency: String,
    pub image_url: Option<String>,
    pub product_url: Option<String>,
    pub tags: Vec<String>,
    pub vehicle_types: Vec<String>,
    pub fuel_types: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductList {
    pub products: Vec<Product>,
    #[serde(flatten)]
    pub meta: ListMeta,
}

/// `q` finds products whose name, description or tags contain it (any case); `category` is exact.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// At most 200 characters.
    #[param(max_length = 200)]
    pub q: Option<String>,
    pub category: Option<String>,
    /// 1–1000, default 50.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}
