//! JSON request bodies. Like `web::Json`, plus one check no type can make: a string holding a
//! character PostgreSQL text cannot store (NUL) is refused here, naming the field, instead of
//! failing in the database as "storage unavailable" (SQLite would store it, so the two engines
//! would disagree). And JSON has one kind of number: `3.0` is the integer 3, as JSON Schema's
//! `integer` says, so integral numbers written with a fraction are read as integers.

use super::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

pub struct Body<T>(pub T);

/// For `deserialize_with` in PATCH bodies: `null` clears a field (`Some(None)`), an absent key
/// (with `#[serde(default)]`) leaves it as it is (`None`).
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

impl<T> Body<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// The path of the first string (or key) in `value` holding a NUL, e.g. `agenda[0].title`.
fn nul_at(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::String(s) if s.contains('\0') => Some(path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_at(v, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(k, v)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(here)
            } else {
                nul_at(v, &here)
            }
        }),
        _ => None,
    }
}

/// Writes integral numbers such as `117.0` as integers, so integer fields take them.
fn integral(value: &mut Value) {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                // Within ±2^53 a float holds every integer exactly; beyond, `117.0` was
                // never meant and stays a float (and is refused by an integer field).
                if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral),
        Value::Object(fields) => fields.values_mut().for_each(integral),
        _ => {}
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<Value>::from_request(req, payload);
        Box::pin(async move {
            let mut value = json.await?.into_inner();
            integral(&mut value);
            if let Some(field) = nul_at(&value, "") {
                return Err(ApiError::Unstorable(field).into());
            }
            let body =
                serde_json::from_value(value).map_err(|e| ApiError::BadJson(e.to_string()))?;
            Ok(Body(body))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{integral, nul_at};
    use serde_json::json;

    #[test]
    fn integral_numbers_are_integers() {
        let mut v = json!({"order": [2.0, -1230344.0, 1.5], "room_id": 117.0, "n": 3});
        integral(&mut v);
        assert_eq!(
            v,
            json!({"order": [2, -1230344, 1.5], "room_id": 117, "n": 3})
        );
    }

    #[test]
    fn a_nul_anywhere_is_found_with_its_path() {
        assert_eq!(
            nul_at(&json!({"name": "a\u{0}b"}), "").as_deref(),
            Some("name")
        );
        let agenda = json!({"title": "ok", "agenda": [{"title": "x"}, {"title": "\u{0}"}]});
        assert_eq!(nul_at(&agenda, "").as_deref(), Some("agenda[1].title"));
        assert_eq!(nul_at(&json!({"name": "张三", "n": 1}), ""), None);
    }
}
