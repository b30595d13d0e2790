//! Rules between a body's fields that JSON Schema can state but the schema derive cannot: one field or
//! another, not two at once, both or neither. A type whose check enforces such a rule states it beside
//! that check ([`BodyRules`]), and its domain's router adds it to the type's component schema in the
//! OpenAPI document ([`state`]), so the document refuses what the server refuses.
//!
//! A field counts as *given* the way the server reads it. serde reads `null` for an `Option` field as
//! absent, so there "given" is present and not null ([`given`]); for a [`Patch`](crate::Patch) field
//! `null` is itself an instruction (clear it), so there it is merely present ([`present`]).
//!
//! Only the document changes: PAM's tools take their argument schemas from the types themselves
//! ([`schema_of`](crate::tool::schema_of)), where these rules are not added.
//!
//! Rules are stated with `anyOf` and `not` only: a condition ("a date only with a clock time") is one
//! more `anyOf` branch rather than `if`/`then`, and alternatives never overlap in a `oneOf`. Test
//! generators (schemathesis's coverage phase) draw far fewer valid bodies from `if`/`then`, and an
//! overlapping `oneOf` refuses what two branches allow.

use serde_json::{Map, Value, json};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};

/// A body type's rules between its fields, stated on its component schema by [`state`].
pub trait BodyRules: utoipa::ToSchema {
    fn rules() -> Rules;
}

/// States `T`'s rules on its component schema in `doc` (a domain's router calls this for its body types).
///
/// # Panics
/// When `doc` has no such schema, or it is not an object: the router does not take `T` as a body.
pub fn state<T: BodyRules>(doc: &mut OpenApi) {
    T::rules().state_on(doc, &T::name());
}

/// What must hold of a body beside each field's own schema.
#[derive(Debug, Default, Clone)]
#[must_use]
pub struct Rules {
    schemas: Vec<Value>,
    required: Vec<String>,
}

impl Rules {
    pub fn new() -> Rules {
        Rules::default()
    }

    /// At least one of `alternatives` holds (`anyOf`).
    pub fn any_of(mut self, alternatives: impl IntoIterator<Item = Value>) -> Rules {
        self.schemas.push(json!({"anyOf": alternatives.into_iter().collect::<Vec<_>>()}));
        self
    }

    /// At most one of `conditions` holds: no two at once (`not` of each pair).
    pub fn at_most_one(mut self, conditions: impl IntoIterator<Item = Value>) -> Rules {
        let conditions: Vec<Value> = conditions.into_iter().collect();
        let mut pairs = Vec::new();
        for (i, a) in conditions.iter().enumerate() {
            for b in &conditions[i + 1..] {
                pairs.push(all([a.clone(), b.clone()]));
            }
        }
        let both = if pairs.len() == 1 { pairs.remove(0) } else { json!({"anyOf": pairs}) };
        self.schemas.push(json!({"not": both}));
        self
    }

    /// The fields are given together or not at all (each [`given`], or each [`absent`]).
    pub fn together(self, fields: &[&str]) -> Rules {
        let every = all(fields.iter().map(|f| given(f)));
        let none = all(fields.iter().map(|f| absent(f)));
        self.any_of([every, none])
    }

    /// Fields the body must have though the type reads them as optional: the same type serves one of
    /// PAM's tools, which may leave them out (the document's `required` only).
    pub fn required(mut self, fields: &[&str]) -> Rules {
        self.required.extend(fields.iter().map(|f| f.to_string()));
        self
    }

    /// The rules as one schema: the only one, or `allOf` of them (one keyword either way, so the
    /// document's text does not depend on the order a map keeps its keys in).
    pub fn schema(&self) -> Option<Value> {
        match self.schemas.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            many => Some(json!({"allOf": many})),
        }
    }

    /// Adds the rules to the component schema `name` in `doc`.
    pub fn state_on(self, doc: &mut OpenApi, name: &str) {
        let schema = doc.components.as_mut().and_then(|c| c.schemas.get_mut(name));
        let Some(RefOr::T(Schema::Object(object))) = schema else {
            panic!("the document has no object schema {name} to state its rules on");
        };
        for field in &self.required {
            assert!(object.properties.contains_key(field), "{name} has no property {field}");
            if !object.required.contains(field) {
                object.required.push(field.clone());
            }
        }
        let Some(mut schema) = self.schema() else { return };
        let properties: Map<String, Value> = object
            .properties
            .iter()
            .filter_map(|(name, p)| serde_json::to_value(p).ok().map(|p| (name.clone(), p)))
            .collect();
        spell_out_not_null(&mut schema, &properties);
        let Value::Object(keywords) = schema else { return };
        let extensions = object.extensions.get_or_insert_with(Default::default);
        for (keyword, value) in keywords {
            assert!(!extensions.contains_key(&keyword), "{name} already has {keyword}");
            extensions.insert(keyword, value);
        }
    }
}

/// The field is present and not null.
pub fn given(field: &str) -> Value {
    json!({"required": [field], "properties": {field: {"not": {"type": "null"}}}})
}

/// What [`given`] says of a property's value, `not: {type: null}`, spelled as the property's own
/// non-null form where it has one (`type: [number, null]` gives `type: number`, `oneOf: [X, null]`
/// gives `X`): the same rule, which generators need not filter for.
fn spell_out_not_null(rule: &mut Value, properties: &Map<String, Value>) {
    let not_null = json!({"not": {"type": "null"}});
    match rule {
        Value::Object(keywords) => {
            if let Some(Value::Object(constrained)) = keywords.get_mut("properties") {
                for (name, schema) in constrained.iter_mut() {
                    if *schema == not_null
                        && let Some(form) = properties.get(name).and_then(non_null_form)
                    {
                        *schema = form;
                    }
                }
            }
            keywords.values_mut().for_each(|v| spell_out_not_null(v, properties));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| spell_out_not_null(v, properties)),
        _ => {}
    }
}

fn non_null_form(property: &Value) -> Option<Value> {
    if let Some(types) = property["type"].as_array() {
        let types: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
        return match types.as_slice() {
            [] => None,
            [one] => Some(json!({"type": one})),
            many => Some(json!({"type": many})),
        };
    }
    match property["oneOf"].as_array().map(Vec::as_slice) {
        Some([value, null] | [null, value]) if *null == json!({"type": "null"}) => match value.get("$ref") {
            Some(reference) => Some(json!({"$ref": reference})),
            None => Some(value.clone()),
        },
        _ => None,
    }
}

/// The field is present, `null` included.
pub fn present(field: &str) -> Value {
    json!({"required": [field]})
}

/// The field is absent or null.
pub fn absent(field: &str) -> Value {
    json!({"properties": {field: {"type": "null"}}})
}

/// The field is present and its value meets `schema`.
pub fn given_as(field: &str, schema: Value) -> Value {
    json!({"required": [field], "properties": {field: schema}})
}

/// A reference to `T`'s component schema (`T` must be in the document: a field of the body names it).
pub fn reference<T: utoipa::ToSchema>() -> Value {
    json!({"$ref": format!("#/components/schemas/{}", T::name())})
}

/// The field is present and text with something besides whitespace (the checks trim text, and blank text
/// reads as none).
pub fn written(field: &str) -> Value {
    given_as(field, json!({"type": "string", "pattern": crate::text::NOT_BLANK}))
}

/// Every one of `conditions` holds: their `required` lists and `properties` merged into one schema (a
/// property named twice must meet both), anything else under `allOf`.
pub fn all(conditions: impl IntoIterator<Item = Value>) -> Value {
    let mut required: Vec<Value> = Vec::new();
    let mut properties = Map::new();
    let mut others = Vec::new();
    for condition in conditions {
        let Value::Object(mut keywords) = condition else {
            others.push(condition);
            continue;
        };
        if let Some(Value::Array(names)) = keywords.remove("required") {
            required.extend(names.into_iter().filter(|n| !required.contains(n)).collect::<Vec<_>>());
        }
        if let Some(Value::Object(props)) = keywords.remove("properties") {
            for (name, schema) in props {
                match properties.remove(&name) {
                    Some(before) if before != schema => properties.insert(name, json!({"allOf": [before, schema]})),
                    _ => properties.insert(name, schema),
                };
            }
        }
        if !keywords.is_empty() {
            others.push(Value::Object(keywords));
        }
    }
    let mut merged = Map::new();
    if !required.is_empty() {
        merged.insert("required".into(), Value::Array(required));
    }
    if !properties.is_empty() {
        merged.insert("properties".into(), Value::Object(properties));
    }
    if !others.is_empty() {
        merged.insert("allOf".into(), Value::Array(others));
    }
    Value::Object(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_of_given_fields_are_barred() {
        let rules = Rules::new().at_most_one([given("a"), given("b"), given("c")]);
        let not = &rules.schema().unwrap()["not"]["anyOf"];
        assert_eq!(not.as_array().unwrap().len(), 3);
        assert_eq!(not[0]["required"], json!(["a", "b"]));
        assert_eq!(not[2]["properties"]["c"], json!({"not": {"type": "null"}}));
    }

    #[test]
    fn together_is_all_given_or_all_absent() {
        let schema = Rules::new().together(&["lat", "lng"]).schema().unwrap();
        assert_eq!(schema["anyOf"][0]["required"], json!(["lat", "lng"]));
        assert_eq!(schema["anyOf"][1], json!({"properties": {"lat": {"type": "null"}, "lng": {"type": "null"}}}));
    }

    #[test]
    fn not_null_is_spelled_as_the_propertys_own_type() {
        let properties = json!({
            "n": {"type": ["number", "null"], "minimum": 1},
            "m": {"oneOf": [{"$ref": "#/components/schemas/Money", "description": "x"}, {"type": "null"}]},
            "v": {"description": "any JSON"},
        });
        let mut rule = Rules::new().any_of([given("n"), all([given("m"), given("v")])]).schema().unwrap();
        spell_out_not_null(&mut rule, properties.as_object().unwrap());
        assert_eq!(rule["anyOf"][0]["properties"]["n"], json!({"type": "number"}));
        assert_eq!(rule["anyOf"][1]["properties"]["m"], json!({"$ref": "#/components/schemas/Money"}));
        assert_eq!(rule["anyOf"][1]["properties"]["v"], json!({"not": {"type": "null"}}));
    }

    #[test]
    fn several_rules_go_under_one_all_of() {
        let rules = Rules::new().any_of([given("a"), given("b")]).at_most_one([given("a"), given("b")]);
        let schema = rules.schema().unwrap();
        assert_eq!(schema.as_object().unwrap().len(), 1);
        assert_eq!(schema["allOf"].as_array().unwrap().len(), 2);
        let merged = all([given("a"), given_as("a", json!({"type": "string"}))]);
        assert_eq!(merged["required"], json!(["a"]));
        assert_eq!(merged["properties"]["a"]["allOf"][1], json!({"type": "string"}));
    }
}
