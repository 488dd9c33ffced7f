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

/// A validated change to a person: every `Some` field has passed its rule.
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

/// A person to add: every field checked as for a change, and name and employee number present,
/// so storing one has nothing to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub name: String,
    pub employee_no: String,
    pub department: String,
    pub openid: Option<String>,
    pub wecom_userid: Option<String>,
    pub is_admin: bool,
    pub is_organizer: bool,
}

impl NewPerson {
    pub fn parse(fields: PersonFields) -> Result<Self, Vec<FieldError>> {
        let missing = required(&[
            ("name", fields.name.is_some()),
            ("employee_no", fields.employee_no.is_some()),
        ]);
        let change = merge(missing, PersonChange::for_update(fields))?;
        match change {
            PersonChange {
                name: Some(name),
                employee_no: Some(employee_no),
                department,
                openid,
                wecom_userid,
                is_admin,
                is_organizer,
            } => Ok(Self {
                name,
                employee_no,
                department: department.unwrap_or_default(),
                openid: openid.flatten(),
                wecom_userid: wecom_userid.flatten(),
                is_admin: is_admin.unwrap_or(false),
                is_organizer: is_organizer.unwrap_or(false),
            }),
            PersonChange {
                name, employee_no, ..
            } => Err(required(&[
                ("name", name.is_some()),
                ("employee_no", employee_no.is_some()),
            ])),
        }
    }
}

impl PersonChange {
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

/// "is required" for each field of `given` that is not.
fn required(given: &[(&'static str, bool)]) -> Vec<FieldError> {
    given
        .iter()
        .filter(|(_, present)| !present)
        .map(|(field, _)| field_error(field, "is required"))
        .collect()
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

/// A room to add: checked as a change is, with name and capacity present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRoom {
    pub name: String,
    pub location: String,
    pub capacity: i32,
    pub equipment: Vec<String>,
}

impl NewRoom {
    pub fn parse(fields: RoomFields) -> Result<Self, Vec<FieldError>> {
        let missing = required(&[
            ("name", fields.name.is_some()),
            ("capacity", fields.capacity.is_some()),
        ]);
        match merge(missing, RoomChange::for_update(fields))? {
            RoomChange {
                name: Some(name),
                capacity: Some(capacity),
                location,
                equipment,
            } => Ok(Self {
                name,
                location: location.unwrap_or_default(),
                capacity,
                equipment: equipment.unwrap_or_default(),
            }),
            RoomChange { name, capacity, .. } => Err(required(&[
                ("name", name.is_some()),
                ("capacity", capacity.is_some()),
            ])),
        }
    }
}

impl RoomChange {
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
        let errors = NewPerson::parse(PersonFields {
            employee_no: Some("A 1".into()),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "employee_no"]);
        let ok = NewPerson::parse(PersonFields {
            name: Some(" 张三 ".into()),
            employee_no: Some("E-1001".into()),
            openid: Some("".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.name, "张三");
        assert_eq!(ok.openid, None, "an empty openid binds nobody");
        assert_eq!((ok.department.as_str(), ok.is_admin), ("", false));
        let cleared = PersonChange::for_update(PersonFields {
            openid: Some("".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            cleared.openid,
            Some(None),
            "an empty openid clears the binding"
        );
    }

    #[test]
    fn rooms_need_a_sensible_capacity() {
        let errors = NewRoom::parse(RoomFields {
            name: Some("3号会议室".into()),
            capacity: Some(0),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(errors[0].field, "capacity");
        let ok = NewRoom::parse(RoomFields {
            name: Some("3号会议室".into()),
            capacity: Some(12),
            equipment: Some(vec!["投影仪".into(), " ".into(), "投影仪".into()]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.equipment, vec!["投影仪".to_owned()]);
        assert_eq!(
            NewRoom::parse(RoomFields::default()).unwrap_err(),
            required(&[("name", false), ("capacity", false)])
        );
    }
}
