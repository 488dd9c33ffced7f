//! The account menu in the console (admins): the menus WeChat and WeCom have now, the menu
//! file's buttons in a form, checked by the same rules as `huiwu menu check`, then pushed to
//! the Official Account (and saved to the file) or to the WeCom app.

use super::frame;
use super::{Console, Signed, Staff};
use crate::ops;
use crate::ops::access::MenuTarget;
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use crate::wechat::api::error::ApiError;
use crate::wechat::menu::{remote, Button, Menu, MenuError};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde_json::Value;

const TOP: usize = 3;
const SUBS: usize = 5;
const TYPES: [(&str, &str); 5] = [
    ("", "（有子菜单）"),
    ("click", "点击（key）"),
    ("view", "网页（url）"),
    ("scancode_push", "扫码（key）"),
    ("scancode_waitmsg", "扫码等回复（key）"),
];

/// One button's row on the form: name, type, key or URL.
#[derive(Debug, Clone, Default)]
struct Row {
    name: String,
    kind: String,
    value: String,
}

impl Row {
    fn of(b: &Button) -> Row {
        Row {
            name: b.name.clone(),
            kind: b.kind.clone().unwrap_or_default(),
            value: b.url.clone().or_else(|| b.key.clone()).unwrap_or_default(),
        }
    }

    fn button(&self, subs: Vec<Button>) -> Button {
        let kind = Some(self.kind.trim().to_owned()).filter(|k| !k.is_empty());
        let value = Some(self.value.trim().to_owned()).filter(|v| !v.is_empty());
        let is_view = kind.as_deref() == Some("view");
        Button {
            name: self.name.trim().to_owned(),
            key: if is_view { None } else { value.clone() },
            url: if is_view { value } else { None },
            kind,
            sub_button: subs,
        }
    }

    fn blank(&self) -> bool {
        self.name.trim().is_empty() && self.value.trim().is_empty()
    }
}

/// The form: three top buttons, each with up to five sub-buttons.
#[derive(Debug, Clone, Default)]
struct MenuForm {
    top: Vec<(Row, Vec<Row>)>,
}

impl MenuForm {
    fn of(menu: &Menu) -> MenuForm {
        let mut top: Vec<(Row, Vec<Row>)> = menu
            .button
            .iter()
            .map(|b| {
                let mut subs: Vec<Row> = b.sub_button.iter().map(Row::of).collect();
                subs.resize_with(SUBS, Row::default);
                (Row::of(b), subs)
            })
            .collect();
        top.resize_with(TOP, || (Row::default(), vec![Row::default(); SUBS]));
        MenuForm { top }
    }

    fn from_pairs(pairs: &[(String, String)]) -> MenuForm {
        let mut form = MenuForm::of(&Menu { button: Vec::new() });
        for (key, value) in pairs {
            let mut parts = key.split('_');
            let (Some(b), Some(rest)) = (parts.next(), parts.next()) else {
                continue;
            };
            let Some(i) = b.strip_prefix('b').and_then(|i| i.parse::<usize>().ok()) else {
                continue;
            };
            let Some((top, subs)) = form.top.get_mut(i) else {
                continue;
            };
            let (row, field) = match rest.strip_prefix('s').and_then(|j| j.parse::<usize>().ok()) {
                Some(j) => match (subs.get_mut(j), parts.next()) {
                    (Some(row), Some(field)) => (row, field),
                    _ => continue,
                },
                None => (top, rest),
            };
            match field {
                "name" => row.name = value.clone(),
                "type" => row.kind = value.clone(),
                "value" => row.value = value.clone(),
                _ => {}
            }
        }
        form
    }

    fn menu(&self) -> Menu {
        Menu {
            button: self
                .top
                .iter()
                .filter(|(top, subs)| !top.blank() || subs.iter().any(|s| !s.blank()))
                .map(|(top, subs)| {
                    top.button(
                        subs.iter()
                            .filter(|s| !s.blank())
                            .map(|s| s.button(Vec::new()))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

fn row_inputs(prefix: &str, row: &Row) -> Markup {
    html! {
        input type="text" name={ (prefix) "_name" } value=(row.name) placeholder="名称" aria-label="名称";
        select name={ (prefix) "_type" } aria-label="类型" {
            @for (value, label) in TYPES {
                option value=(value) selected[row.kind == value] { (label) }
            }
        }
        input type="text" name={ (prefix) "_value" } value=(row.value) placeholder="key 或 https:// 链接" aria-label="key 或链接";
    }
}

struct Live {
    oa: Option<Result<Value, ApiError>>,
    wecom: Option<Result<Value, ApiError>>,
}

fn live_block(title: &str, live: &Option<Result<Value, ApiError>>) -> Markup {
    html! {
        h2 { (title) }
        @match live {
            None => p.muted { "未配置。" },
            Some(Err(e @ ApiError::Permanent { code: 46003, .. })) => p.muted { (api_error_zh(e)) },
            Some(Err(e)) => p.error { "读取失败：" (api_error_zh(e)) },
            Some(Ok(v)) => pre { (serde_json::to_string_pretty(v).unwrap_or_default()) },
        }
    }
}

fn render(
    form: &MenuForm,
    csrf: &str,
    file: &str,
    note: Option<Result<String, String>>,
    live: &Live,
) -> Markup {
    html! {
        section {
            h1 { "账号菜单" }
            p.muted { "最多 3 个一级菜单，每个最多 5 个子菜单；一级菜单名不超过 16 字节（约 5 个汉字），子菜单名不超过 60 字节。与「huiwu menu check」同样的规则。菜单文件：" code { (file) } }
            @match &note {
                Some(Ok(text)) => p.ok #menu-note { (text) },
                Some(Err(text)) => p.error #menu-note role="alert" { (text) },
                None => {},
            }
            form method="post" action="/console/menu" {
                input type="hidden" name="csrf" value=(csrf);
                @for (i, (top, subs)) in form.top.iter().enumerate() {
                    div.row { strong { "菜单 " (i + 1) } (row_inputs(&format!("b{i}"), top)) }
                    @for (j, sub) in subs.iter().enumerate() {
                        div.row.indent { span.muted { "└" } (row_inputs(&format!("b{i}_s{j}"), sub)) }
                    }
                }
                p.row {
                    button.plain name="action" value="check" { "检查" }
                    button name="action" value="push_oa" { "保存并推送到公众号" }
                    button name="action" value="push_wecom" { "推送到企业微信应用" }
                }
            }
        }
        section { (live_block("公众号当前菜单", &live.oa)) (live_block("企业微信应用当前菜单", &live.wecom)) }
    }
}

async fn live(pages: &Pages) -> Live {
    let oa = match &pages.oa_api {
        None => None,
        Some(client) => Some(remote::official_account(client).await),
    };
    let wecom = match &pages.wecom {
        None => None,
        Some(w) => Some(remote::wecom(&w.client, &w.agent_id).await),
    };
    Live { oa, wecom }
}

/// The signed-in admin (organizers do not change the account menu).
async fn admin(db: &crate::db::Db, signed: Signed) -> Result<Staff, PageError> {
    Ok(ops::run(db, move |c| {
        let staff = Staff::of(c, &signed)?;
        staff.actor.administers()?;
        Ok(staff)
    })
    .await?)
}

/// What WeChat said, in words an admin can act on; the code stays beside it for support.
fn api_error_zh(e: &ApiError) -> String {
    match e {
        ApiError::Permanent { code: 46003, .. } => "还没有菜单（46003）".into(),
        ApiError::Permanent { code: 40164, .. } => {
            "本服务器的 IP 不在公众号的 IP 白名单中（40164）".into()
        }
        ApiError::Permanent { code: 48001, .. } => "公众号没有自定义菜单接口的权限（48001）".into(),
        ApiError::Permanent {
            code: code @ (40013 | 40125),
            ..
        } => format!("AppID 或 AppSecret 不正确（{code}）"),
        ApiError::Permanent {
            code: code @ 40016..=40027,
            ..
        } => format!("菜单的按钮不符合微信的要求（{code}）"),
        ApiError::Permanent { code, message } => format!("微信拒绝了请求（{code}：{message}）"),
        ApiError::Token { code, .. } => format!("access_token 无效，请检查 AppSecret（{code}）"),
        ApiError::Quota { daily: true, .. } => "今天的调用次数已用完，明天再试".into(),
        ApiError::Quota { .. } => "调用太频繁，请一分钟后再试".into(),
        ApiError::Retryable(_) => "暂时连不上微信，请稍后再试".into(),
    }
}

fn menu_error_zh(e: &MenuError) -> String {
    match e {
        MenuError::Toml(e) => format!("菜单文件无法读取：{e}"),
        MenuError::ButtonCount(n) => format!("一级菜单要有 1 到 3 个，现在是 {n} 个。"),
        MenuError::SubButtonCount(name, n) => format!("「{name}」有 {n} 个子菜单，最多 5 个。"),
        MenuError::NameTooLong(name, bytes, max) => {
            format!("「{name}」有 {bytes} 字节，最多 {max} 字节（一个汉字 3 字节）。")
        }
        MenuError::Button(name, why) => format!("「{name}」：{why}"),
    }
}

/// `GET /console/menu`.
pub async fn show(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let staff = admin(&db, signed).await?;
    let file = pages.menu_file.clone();
    let text = web::block(move || std::fs::read_to_string(file))
        .await
        .map_err(|e| PageError::BadInput(e.to_string()))?;
    let (form, note) = match text.map_err(|e| e.to_string()).map(|t| Menu::parse(&t)) {
        Ok(Ok(menu)) => (MenuForm::of(&menu), None),
        Ok(Err(e)) => (MenuForm::default(), Some(Err(menu_error_zh(&e)))),
        Err(e) => (
            MenuForm::of(&Menu { button: Vec::new() }),
            Some(Err(format!("菜单文件无法读取（{e}），可在下面新建。"))),
        ),
    };
    let csrf = signed.csrf(&pages.key);
    let body = render(
        &form,
        &csrf,
        &pages.menu_file.display().to_string(),
        note,
        &live(&pages).await,
    );
    Ok(frame::page("账号菜单", &staff, &csrf, None, body))
}

/// `POST /console/menu`: check, or push (the Official Account's is saved to the file too).
pub async fn save(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let pairs = form.into_inner();
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let signed = console.posting(&pages, &db, &field("csrf")).await?;
    let staff = admin(&db, signed).await?;
    let action = field("action");
    let form = MenuForm::from_pairs(&pairs);
    let menu = form.menu();
    let outcome: Result<String, String> = match menu.validate() {
        Err(e) => Err(menu_error_zh(&e)),
        Ok(()) => match action.as_str() {
            "check" => Ok(format!("菜单有效：{} 个一级菜单。", menu.button.len())),
            "push_oa" => push_oa(&pages, &menu).await,
            "push_wecom" => push_wecom(&pages, &menu).await,
            other => Err(format!("未知的操作「{other}」。")),
        },
    };
    let pushed = match action.as_str() {
        "push_oa" => Some(MenuTarget::OfficialAccount),
        "push_wecom" => Some(MenuTarget::Wecom),
        _ => None,
    };
    if let (Ok(_), Some(pushed)) = (&outcome, pushed) {
        let (actor, now) = (staff.actor, pages.now_ms());
        ops::run(&db, move |c| {
            ops::access::menu_pushed(c, now, actor, pushed)
        })
        .await?;
    }
    let status = if outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let csrf = signed.csrf(&pages.key);
    let body = render(
        &form,
        &csrf,
        &pages.menu_file.display().to_string(),
        Some(outcome),
        &live(&pages).await,
    );
    let mut response = frame::page("账号菜单", &staff, &csrf, None, body);
    *response.status_mut() = status;
    Ok(response)
}

async fn push_oa(pages: &Pages, menu: &Menu) -> Result<String, String> {
    let client = pages.oa_api.as_ref().ok_or("公众号未配置（[wechat]）。")?;
    remote::push_official_account(client, menu)
        .await
        .map_err(|e| format!("微信拒绝了菜单：{}", api_error_zh(&e)))?;
    match super::super::save_menu_file(pages, menu).await {
        Ok(()) => Ok(format!(
            "已推送到公众号，并保存到菜单文件：{} 个一级菜单。",
            menu.button.len()
        )),
        Err(e) => Ok(format!("已推送到公众号，但菜单文件未能保存（{e}）。")),
    }
}

async fn push_wecom(pages: &Pages, menu: &Menu) -> Result<String, String> {
    let w = pages.wecom.as_ref().ok_or("企业微信未配置（[wecom]）。")?;
    remote::push_wecom(&w.client, &w.agent_id, menu)
        .await
        .map_err(|e| format!("企业微信拒绝了菜单：{}", api_error_zh(&e)))?;
    Ok(format!(
        "已推送到企业微信应用：{} 个一级菜单。",
        menu.button.len()
    ))
}
