//! The organisation's people and rooms, as admins enter them.

use super::text;
use serde::Serialize;

/// One refused input field, for a field-by-field answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn field_error(field: &'static str, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_owned(),
    }
}

/// Raw person fields as submitted; `None` means "not given".
#[derive(Debug, Clone, Default)]
pub struct PersonFields {
    pub name: Option<String>,
    pub employee_no: Option<String>,
    pub department: Option<String>,
    pub openid: Option<String>,
    pub wecom_userid: Option<String>,
    pub is_admin: Option<bool>,
    pub is_organizer: Option<bool>,
}

/// A validated change to a person: every `Some` field has passed its rule. For a new person,
/// name and employee number are required.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonChange {
    pub name: Option<String>,
    pub employee_no: Option<String>,
    pub department: Option<String>,
    /// `Some(None)` clears the binding.
    pub openid: Option<Option<String>>,
    pub wecom_userid: Option<Option<String>>,
    pub is_admin: Option<bool>,
    pub is_organizer: Option<bool>,
}

impl PersonChange {
    pub fn for_new(fields: PersonFields) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if fields.name.is_none() {
            errors.push(field_error("name", "is required"));
        }
        if fields.employee_no.is_none() {
            errors.push(field_error("employee_no", "is required"));
        }
        merge(errors, Self::for_update(fields))
    }

    pub fn for_update(fields: PersonFields) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = checked_name(fields.name, &mut errors);
        one_line("department", fields.department.as_deref(), &mut errors);
        let employee_no = fields.employee_no;
        if employee_no
            .as_deref()
            .is_some_and(|n| !text::is_employee_no(n))
        {
            errors.push(field_error(
                "employee_no",
                "must be 1 to 32 letters, digits or dashes",
            ));
        }
        let optional_id =
            |value: Option<String>, field: &'static str, errors: &mut Vec<FieldError>| {
                value.map(|v| {
                    if !text::is_external_id(&v) {
                        errors.push(field_error(
                            field,
                            "must be at most 64 characters without spaces or control characters",
                        ));
                    }
                    Some(v).filter(|v| !v.is_empty())
                })
            };
        let openid = optional_id(fields.openid, "openid", &mut errors);
        let wecom_userid = optional_id(fields.wecom_userid, "wecom_userid", &mut errors);
        if errors.is_empty() {
            Ok(Self {
                name,
                employee_no,
                department: fields.department.map(|d| d.trim().to_owned()),
                openid,
                wecom_userid,
                is_admin: fields.is_admin,
                is_organizer: fields.is_organizer,
            })
        } else {
            Err(errors)
        }
    }
}

/// A free-text field that must stay on one line (see `text::is_one_line`).
fn one_line(field: &'static str, value: Option<&str>, errors: &mut Vec<FieldError>) {
    if value.is_some_and(|v| !text::is_one_line(v)) {
        errors.push(field_error(
            field,
            "must not contain line breaks or control characters",
        ));
    }
}

fn checked_name(name: Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    if name.as_deref().is_some_and(|n| !text::is_bounded(n, 64)) {
        errors.push(field_error(
            "name",
            "must be 1 to 64 characters on one line, not all blank",
        ));
    }
    name.map(|n| n.trim().to_owned())
}

/// Missing required fields first, then the rule errors of fields not already named.
fn merge<T>(
    missing: Vec<FieldError>,
    checked: Result<T, Vec<FieldError>>,
) -> Result<T, Vec<FieldError>> {
    match checked {
        Ok(value) if missing.is_empty() => Ok(value),
        Ok(_) => Err(missing),
        Err(more) => {
            let mut errors = missing;
            for e in more {
                if !errors.iter().any(|m| m.field == e.field) {
                    errors.push(e);
                }
            }
            Err(errors)
        }
    }
}

/// Raw room fields as submitted.
#[derive(Debug, Clone, Default)]
pub struct RoomFields {
    pub name: Option<String>,
    pub location: Option<String>,
    pub capacity: Option<i64>,
    pub equipment: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomChange {
    pub name: Option<String>,
    pub location: Option<String>,
    pub capacity: Option<i32>,
    pub equipment: Option<Vec<String>>,
}

impl RoomChange {
    pub fn for_new(fields: RoomFields) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if fields.name.is_none() {
            errors.push(field_error("name", "is required"));
        }
        if fields.capacity.is_none() {
            errors.push(field_error("capacity", "is required"));
        }
        merge(errors, Self::for_update(fields))
    }

    pub fn for_update(fields: RoomFields) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = checked_name(fields.name, &mut errors);
        one_line("location", fields.location.as_deref(), &mut errors);
        for item in fields.equipment.iter().flatten() {
            one_line("equipment", Some(item), &mut errors);
        }
        let capacity = match fields.capacity {
            Some(c) if (1..=10_000).contains(&c) => Some(c as i32),
            Some(_) => {
                errors.push(field_error("capacity", "must be from 1 to 10000"));
                None
            }
            None => None,
        };
        let equipment = fields.equipment.map(|items| {
            let mut items: Vec<String> = items
                .into_iter()
                .map(|i| i.trim().to_owned())
                .filter(|i| !i.is_empty())
                .collect();
            items.sort();
            items.dedup();
            items
        });
        if errors.is_empty() {
            Ok(Self {
                name,
                location: fields.location.map(|l| l.trim().to_owned()),
                capacity,
                equipment,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_person_needs_a_name_and_a_valid_employee_number() {
        let errors = PersonChange::for_new(PersonFields {
            employee_no: Some("A 1".into()),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "employee_no"]);
        let ok = PersonChange::for_new(PersonFields {
            name: Some(" 张三 ".into()),
            employee_no: Some("E-1001".into()),
            openid: Some("".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.name.as_deref(), Some("张三"));
        assert_eq!(ok.openid, Some(None), "an empty openid clears the binding");
    }

    #[test]
    fn rooms_need_a_sensible_capacity() {
        let errors = RoomChange::for_new(RoomFields {
            name: Some("3号会议室".into()),
            capacity: Some(0),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(errors[0].field, "capacity");
        let ok = RoomChange::for_new(RoomFields {
            name: Some("3号会议室".into()),
            capacity: Some(12),
            equipment: Some(vec!["投影仪".into(), " ".into(), "投影仪".into()]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.equipment, Some(vec!["投影仪".to_owned()]));
    }
}
