//! The account menus through the admin API, as the console's menu page has them: what the
//! menu file and WeChat's side hold now, a check by the rules of `huiwu menu check`, and a
//! push to the Official Account (saved to `web.menu_file` too) or to the WeCom app.

use super::auth::Admin;
use super::body::Body;
use super::env::Now;
use super::error::{ApiError, ErrorBody};
use super::field_rules::{self as field, FieldRules};
use crate::db::Db;
use crate::meetings::directory::FieldError;
use crate::ops::access::MenuTarget;
use crate::web::pages::Pages;
use crate::wechat::menu::{self as limits, remote, Button, Menu};
use actix_web::{get, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A menu as WeChat's `/cgi-bin/menu/create` takes it.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MenuBody {
    /// 1 to 3 buttons.
    button: Vec<ButtonBody>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ButtonBody {
    /// At most 16 bytes (UTF-8) on top, 60 in a sub-menu.
    name: String,
    /// click, view, scancode_push or scancode_waitmsg; none for a button with sub-buttons.
    #[serde(rename = "type")]
    kind: Option<String>,
    key: Option<String>,
    url: Option<String>,
    /// Up to 5.
    #[serde(default)]
    sub_button: Vec<SubButtonBody>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubButtonBody {
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    key: Option<String>,
    url: Option<String>,
}

/// `wechat::menu::Menu::validate`. Names and keys are limited in bytes there; the document
/// can only say characters, which no more bytes than characters can exceed.
impl FieldRules for MenuBody {
    fn field_rules() -> Vec<(&'static str, Value)> {
        vec![(
            "button",
            json!({"minItems": 1, "maxItems": limits::MAX_BUTTONS}),
        )]
    }
}

fn button_rules(name_bytes: usize) -> Vec<(&'static str, Value)> {
    vec![
        (
            "name",
            json!({"pattern": field::not_blank(), "maxLength": name_bytes}),
        ),
        ("type", field::names(limits::TYPES)),
        (
            "key",
            json!({"minLength": 1, "maxLength": limits::MAX_KEY_BYTES}),
        ),
        ("url", json!({"maxLength": limits::MAX_URL_BYTES})),
    ]
}

impl FieldRules for ButtonBody {
    fn field_rules() -> Vec<(&'static str, Value)> {
        let mut rules = button_rules(limits::MAX_TOP_NAME_BYTES);
        rules.push(("sub_button", json!({"maxItems": limits::MAX_SUB_BUTTONS})));
        rules
    }
}

impl FieldRules for SubButtonBody {
    fn field_rules() -> Vec<(&'static str, Value)> {
        button_rules(limits::MAX_SUB_NAME_BYTES)
    }
}

impl MenuBody {
    /// The menu, if it keeps WeChat's limits.
    fn checked(self) -> Result<Menu, ApiError> {
        let menu = Menu {
            button: self
                .button
                .into_iter()
                .map(|b| Button {
                    name: b.name,
                    kind: b.kind,
                    key: b.key,
                    url: b.url,
                    sub_button: b
                        .sub_button
                        .into_iter()
                        .map(|s| Button {
                            name: s.name,
                            kind: s.kind,
                            key: s.key,
                            url: s.url,
                            sub_button: Vec::new(),
                        })
                        .collect(),
                })
                .collect(),
        };
        menu.validate().map_err(|e| {
            ApiError::Invalid(vec![FieldError {
                field: "button",
                message: e.to_string(),
            }])
        })?;
        Ok(menu)
    }
}

#[derive(Serialize, utoipa::ToSchema)]
struct MenuState {
    /// The menu file's menu, when it can be read and is valid.
    #[schema(value_type = Option<Object>)]
    file: Option<Value>,
    file_error: Option<String>,
    /// `/cgi-bin/get_current_selfmenu_info`'s answer; absent when the account is not configured.
    #[schema(value_type = Option<Object>)]
    official_account: Option<Value>,
    official_account_error: Option<String>,
    /// `/cgi-bin/menu/get?agentid=`'s answer.
    #[schema(value_type = Option<Object>)]
    wecom: Option<Value>,
    wecom_error: Option<String>,
}

fn split(live: Option<Result<Value, String>>) -> (Option<Value>, Option<String>) {
    match live {
        None => (None, None),
        Some(Ok(v)) => (Some(v), None),
        Some(Err(e)) => (None, Some(e)),
    }
}

#[utoipa::path(operation_id = "menu_show", tag = "menu", responses((status = 200, body = MenuState), (status = 401, description = "no valid admin token", body = ErrorBody)), security(("bearer" = [])))]
#[get("/menu")]
pub async fn show(_: Admin, pages: web::Data<Pages>) -> Result<HttpResponse, ApiError> {
    let file = pages.menu_file.clone();
    let text = web::block(move || std::fs::read_to_string(file))
        .await
        .map_err(|e| ApiError::Upstream(e.to_string()))?;
    let (file, file_error) = match text.map_err(|e| e.to_string()).map(|t| Menu::parse(&t)) {
        Ok(Ok(menu)) => (serde_json::to_value(menu).ok(), None),
        Ok(Err(e)) => (None, Some(e.to_string())),
        Err(e) => (None, Some(e)),
    };
    let oa = match &pages.oa_api {
        None => None,
        Some(c) => Some(remote::official_account(c).await.map_err(|e| e.to_string())),
    };
    let wecom = match &pages.wecom {
        None => None,
        Some(w) => Some(
            remote::wecom(&w.client, &w.agent_id)
                .await
                .map_err(|e| e.to_string()),
        ),
    };
    let (official_account, official_account_error) = split(oa);
    let (wecom, wecom_error) = split(wecom);
    Ok(HttpResponse::Ok().json(MenuState {
        file,
        file_error,
        official_account,
        official_account_error,
        wecom,
        wecom_error,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
struct Checked {
    buttons: usize,
}

#[utoipa::path(operation_id = "menu_check", tag = "menu", request_body = MenuBody, responses((status = 200, body = Checked), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 422, description = "the menu breaks WeChat's limits (names in bytes, counts, a key or url for each action), as `huiwu menu check` says", body = ErrorBody)), security(("bearer" = [])))]
#[post("/menu/check")]
pub async fn check(_: Admin, body: Body<MenuBody>) -> Result<HttpResponse, ApiError> {
    let menu = body.into_inner().checked()?;
    Ok(HttpResponse::Ok().json(Checked {
        buttons: menu.button.len(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PushQuery {
    /// `official_account` (the default) or `wecom`.
    target: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Pushed {
    target: String,
    buttons: usize,
    /// The Official Account's menu is saved to `web.menu_file` too.
    saved_to_file: bool,
}

#[utoipa::path(operation_id = "menu_push", tag = "menu", params(PushQuery), request_body = MenuBody, responses((status = 200, body = Pushed), (status = 401, description = "no valid admin token", body = ErrorBody), (status = 409, description = "that account is not configured", body = ErrorBody), (status = 422, description = "the menu breaks WeChat's limits, or an unknown target", body = ErrorBody), (status = 502, description = "WeChat refused the menu or could not be reached", body = ErrorBody)), security(("bearer" = [])))]
#[put("/menu")]
pub async fn push(
    _: Admin,
    now: Now,
    db: web::Data<Db>,
    pages: web::Data<Pages>,
    query: web::Query<PushQuery>,
    body: Body<MenuBody>,
) -> Result<HttpResponse, ApiError> {
    let target = query
        .into_inner()
        .target
        .unwrap_or_else(|| "official_account".into());
    let menu = body.into_inner().checked()?;
    let saved_to_file = match target.as_str() {
        "official_account" => {
            let client = pages.oa_api.as_ref().ok_or_else(|| {
                ApiError::Conflict("the Official Account is not configured ([wechat])".into())
            })?;
            remote::push_official_account(client, &menu)
                .await
                .map_err(|e| ApiError::Upstream(e.to_string()))?;
            crate::web::pages::save_menu_file(&pages, &menu)
                .await
                .is_ok()
        }
        "wecom" => {
            let w = pages.wecom.as_ref().ok_or_else(|| {
                ApiError::Conflict("the WeCom app is not configured ([wecom])".into())
            })?;
            remote::push_wecom(&w.client, &w.agent_id, &menu)
                .await
                .map_err(|e| ApiError::Upstream(e.to_string()))?;
            false
        }
        _ => {
            return Err(ApiError::BadQuery(
                "target must be official_account or wecom".into(),
            ))
        }
    };
    let pushed = if target == "wecom" {
        MenuTarget::Wecom
    } else {
        MenuTarget::OfficialAccount
    };
    crate::ops::run(&db, move |c| {
        crate::ops::access::menu_pushed(c, now.ms(), crate::ops::Actor::Admin, pushed)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Pushed {
        target,
        buttons: menu.button.len(),
        saved_to_file,
    }))
}
