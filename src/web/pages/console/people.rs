//! People in the console: the directory with search and pages, and the CSV import (UTF-8 or
//! GBK, English or Chinese headers; a known employee number updates that person; a dry run
//! shows what would change). The same import as `POST /api/v1/users/import`.

use super::frame;
use super::{Console, CsrfForm, Signed, Staff};
use crate::db::people::{self, Person};
use crate::meetings::directory::{PersonChange, PersonFields};
use crate::meetings::people_csv::{self, CsvError, MAX_CSV_BYTES};
use crate::meetings::PersonId;
use crate::ops::directory::{self, RowOutcome};
use crate::ops::{self, account, records, Actor, OpsError};
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::Connection;
use futures_util::StreamExt;
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
    page: Option<usize>,
}

/// What an import did (or would do), for the page.
struct Imported {
    dry_run: bool,
    outcome: Result<Vec<RowOutcome>, CsvError>,
}

fn field_zh(field: &str) -> &'static str {
    match field {
        "name" => "姓名",
        "employee_no" => "工号",
        "department" => "部门",
        "openid" => "openid",
        "wecom_userid" => "企业微信",
        "is_admin" | "is_organizer" => "管理员/会务组",
        _ => "字段",
    }
}

/// A directory refusal in words: the rules' messages are English, for the API.
fn message_zh(message: &str) -> String {
    let said = match message {
        "is required" => "必填",
        "must be 1 to 32 letters, digits or dashes" => "只能是 1 到 32 个字母、数字或短横线",
        "must be at most 64 characters without spaces or control characters" => {
            "最多 64 个字符，不能有空格或控制字符"
        }
        "must not contain line breaks or control characters" => "不能换行或含控制字符",
        "must be 1 to 64 characters on one line, not all blank" => {
            "1 到 64 个字，一行，不能全是空格"
        }
        "must be true or false (是/否)" => "填 是 或 否",
        "only an admin grants the admin or organizer flag" => "只有管理员能设置管理员或会务组",
        "only an admin changes a WeChat binding" => "只有管理员能修改微信绑定",
        "only an admin changes a WeCom binding" => "只有管理员能修改企业微信账号",
        "this is an admin or organizer: only an admin changes their record" => {
            "这是管理员或会务组成员，只有管理员能修改"
        }
        other => {
            return match other.strip_prefix("another person already has this ") {
                Some(column) => format!("{}已被别人使用", field_zh(column)),
                None => other.to_owned(),
            }
        }
    };
    said.to_owned()
}

fn report(imported: &Imported) -> Markup {
    match &imported.outcome {
        Err(e) => html! { div.error role="alert" { "无法导入：" (e.zh()) } },
        Ok(rows) => {
            let count = |f: fn(&RowOutcome) -> bool| rows.iter().filter(|o| f(o)).count();
            let created = count(|o| matches!(o, RowOutcome::Created { .. }));
            let updated = count(|o| matches!(o, RowOutcome::Updated { .. }));
            let unchanged = count(|o| matches!(o, RowOutcome::Unchanged { .. }));
            let failed = rows.len() - created - updated - unchanged;
            html! {
                div class=(if failed > 0 { "warn" } else { "ok" }) #import-report {
                    @if imported.dry_run { "试导入（未保存）：将" } @else { "已导入：" }
                    "新增 " (created) " 人，更新 " (updated) " 人，无变化 " (unchanged) " 人，失败 " (failed) " 行。"
                }
                table {
                    thead { tr { th { "行" } th { "结果" } } }
                    tbody {
                        @for o in rows {
                            tr {
                                td { (o.row()) }
                                td {
                                    @match o {
                                        RowOutcome::Created { .. } => "新增",
                                        RowOutcome::Updated { changed, .. } => {
                                            "更新：" (changed.iter().map(|f| field_zh(f)).collect::<Vec<_>>().join("、"))
                                        }
                                        RowOutcome::Unchanged { .. } => "无变化",
                                        RowOutcome::Invalid { errors, .. } => {
                                            "有误："
                                            @for e in errors { (field_zh(e.field)) (message_zh(&e.message)) "；" }
                                        }
                                        RowOutcome::Conflict { message, .. } => { "冲突：" (message_zh(message)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn render(
    actor: Actor,
    everyone: &[Person],
    q: &str,
    page: usize,
    csrf: &str,
    imported: Option<&Imported>,
) -> Markup {
    let found: Vec<&Person> = everyone
        .iter()
        .filter(|p| q.is_empty() || p.matches(q))
        .collect();
    let (shown, pager) = frame::paged(
        &found,
        page,
        &format!("/console/people?q={}", frame::urlencode(q)),
    );
    html! {
        section {
            h1 { "人员" }
            h2 { "导入 CSV" }
            p.muted { "表头可用中文或英文：姓名、工号（必填）、部门、openid、企业微信、管理员、会务组。支持 UTF-8 与 GBK（Excel 另存为 CSV）。已有工号的人员按文件更新。" }
            @if let Some(imported) = imported { (report(imported)) }
            form method="post" action="/console/people/import" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                div.row {
                    input #csv type="file" name="file" accept=".csv,text/csv" required aria-label="CSV 文件";
                    label { input type="checkbox" name="dry_run" value="1"; " 试导入（只看结果，不保存）" }
                    button { "导入" }
                }
            }
        }
        section {
            form.row method="get" action="/console/people" {
                input type="text" name="q" value=(q) placeholder="姓名、工号或部门" aria-label="搜索";
                button { "搜索" }
            }
            p.muted { "共 " (found.len()) " 人" }
            form.row method="post" action="/console/people/bind-codes.csv" {
                input type="hidden" name="csrf" value=(csrf);
                button.plain { "导出绑定码 CSV" }
                span.muted { " 为所有尚未绑定微信的人员生成新的绑定码（有效 7 天，旧码失效），用于批量发放。" }
            }
            table #people {
                thead { tr { th { "姓名" } th { "工号" } th { "部门" } th { "微信" } th { "身份" } th { "状态" } th {} } }
                tbody {
                    @for p in shown {
                        tr {
                            td { (p.name) } td { (p.employee_no) } td { (p.department) }
                            td { @if p.openid.is_some() || p.wecom_userid.is_some() { "已绑定" } @else { span.muted { "未绑定" } } }
                            td { @if p.is_admin { "管理员 " } @if p.is_organizer { "会务组" } }
                            td { @if p.active { "在职" } @else { span.muted { "已停用" } } }
                            td { div.row {
                                @if actor.is_admin() { a href={ "/console/people/" (p.id) } { "编辑" } }
                                @if account::may_issue_code(actor, p) {
                                    form method="post" action={ "/console/people/" (p.id) "/bind-code" } {
                                        input type="hidden" name="csrf" value=(csrf);
                                        button.plain { "生成绑定码" }
                                    }
                                }
                            } }
                        }
                    }
                }
            }
            (pager)
        }
    }
}

async fn people_page(
    pages: &Pages,
    db: &crate::db::Db,
    signed: Signed,
    q: String,
    page: usize,
    imported: Option<Imported>,
) -> Result<HttpResponse, PageError> {
    let (staff, everyone) = ops::run(db, move |c| {
        let staff = Staff::of(c, &signed)?;
        Ok((staff, people::list(c, None)?))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let failed = imported.as_ref().is_some_and(|i| i.outcome.is_err());
    let body = render(
        staff.actor,
        &everyone,
        q.trim(),
        page,
        &csrf,
        imported.as_ref(),
    );
    let mut response = frame::page("人员", &staff, &csrf, None, body);
    if failed {
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /console/people[?q=&page=]`.
pub async fn list(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<PeopleQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let q = query.into_inner();
    people_page(&pages, &db, signed, q.q, q.page.unwrap_or(1), None).await
}

/// The posted form: the CSRF token, the file's bytes and the dry-run box.
#[derive(Default)]
struct Upload {
    csrf: String,
    file: Vec<u8>,
    dry_run: bool,
    too_large: bool,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, PageError> {
    let bad = |e: actix_multipart::MultipartError| {
        PageError::BadInput(format!("上传的表单无法读取（{e}）。"))
    };
    let mut upload = Upload::default();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(bad)?;
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(bad)?;
            if bytes.len() + chunk.len() > MAX_CSV_BYTES {
                upload.too_large = true;
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => upload.csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "dry_run" => upload.dry_run = true,
            "file" => upload.file = bytes,
            _ => {}
        }
    }
    Ok(upload)
}

/// `POST /console/people/import` (multipart): imports, then shows the report above the list.
pub async fn upload(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let upload = read_upload(form).await?;
    let signed = console.posting(&pages, &db, &upload.csrf).await?;
    let dry_run = upload.dry_run;
    let parsed = if upload.too_large {
        Err(CsvError::TooLarge)
    } else {
        people_csv::decode(&upload.file).and_then(|text| people_csv::parse(&text))
    };
    let outcome = match parsed {
        Err(e) => Err(e),
        Ok(rows) => {
            let env = pages.env();
            Ok(ops::run(&db, move |c| {
                let staff = Staff::of(c, &signed)?;
                directory::import(c, &env, staff.actor, rows, dry_run)
            })
            .await
            .map_err(|e: OpsError| PageError::from(e))?)
        }
    };
    let imported = Imported { dry_run, outcome };
    people_page(&pages, &db, signed, String::new(), 1, Some(imported)).await
}

fn person_form(p: &Person, csrf: &str, errors: &[String]) -> Markup {
    html! {
        section {
            h1 { "编辑人员：" (p.name) "（" (p.employee_no) "）" }
            a href="/console/people" { "← 返回人员" }
            @for e in errors { p.error role="alert" { (e) } }
            form method="post" action={ "/console/people/" (p.id) } {
                input type="hidden" name="csrf" value=(csrf);
                div.grid {
                    div { label for="name" { "姓名" } input #name type="text" name="name" value=(p.name) required; }
                    div { label for="department" { "部门" } input #department type="text" name="department" value=(p.department); }
                    div { label for="wecom_userid" { "企业微信账号" } input #wecom_userid type="text" name="wecom_userid" value=(p.wecom_userid.as_deref().unwrap_or("")); }
                }
                p.row {
                    label { input type="checkbox" name="is_organizer" checked[p.is_organizer]; " 会务组（可用后台筹备会议）" }
                    label { input type="checkbox" name="is_admin" checked[p.is_admin]; " 管理员" }
                }
                p.muted { "公众号 openid：" (p.openid.as_deref().unwrap_or("未绑定")) "（由本人发送「绑定 工号 绑定码」绑定）" }
                button { "保存" }
            }
            @if p.active {
                form method="post" action={ "/console/people/" (p.id) "/deactivate" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button.plain { "停用此人" }
                    span.muted { " 停用后不再收到通知，也不能再用聊天和页面；记录保留。" }
                }
            } @else { p.muted { "此人已停用。" } }
        }
    }
}

fn person_id(raw: i64) -> Result<PersonId, PageError> {
    PersonId::new(raw).map_err(|_| PageError::Missing("人员"))
}

/// `GET /console/people/{id}` (admins).
pub async fn edit_form(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let id = person_id(id.into_inner())?;
    let (staff, person) = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        staff.actor.administers()?;
        Ok((staff, people::get(c, id)?))
    })
    .await?;
    let person = person.ok_or(PageError::Missing("人员"))?;
    let csrf = signed.csrf(&pages.key);
    Ok(frame::page(
        "编辑人员",
        &staff,
        &csrf,
        None,
        person_form(&person, &csrf, &[]),
    ))
}

#[derive(Deserialize)]
pub struct PersonForm {
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    wecom_userid: String,
    is_organizer: Option<String>,
    is_admin: Option<String>,
}

/// `POST /console/people/{id}`.
pub async fn save(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<PersonForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let id = person_id(id.into_inner())?;
    let now = pages.now_ms();
    let change = PersonChange::for_update(PersonFields {
        name: Some(form.name),
        department: Some(form.department),
        wecom_userid: Some(form.wecom_userid.trim().to_owned()),
        is_organizer: Some(form.is_organizer.is_some()),
        is_admin: Some(form.is_admin.is_some()),
        ..Default::default()
    });
    let outcome = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let person = people::get(c, id)?;
        let errors: Vec<String> = match &change {
            Err(errors) => errors
                .iter()
                .map(|e| format!("{}：{}", field_zh(e.field), message_zh(&e.message)))
                .collect(),
            Ok(change) => {
                match c.transaction(|c| records::update_person(c, now, staff.actor, id, change)) {
                    Ok(_) => return Ok(None),
                    Err(OpsError::Db(e)) => match directory::taken(&e) {
                        Some(message) => vec![message_zh(&message)],
                        None => return Err(OpsError::Db(e)),
                    },
                    Err(e) => return Err(e),
                }
            }
        };
        Ok(Some((staff, person, errors)))
    })
    .await?;
    let Some((staff, person, errors)) = outcome else {
        return Ok(frame::see_other("/console/people"));
    };
    let person = person.ok_or(PageError::Missing("人员"))?;
    let csrf = signed.csrf(&pages.key);
    let mut response = frame::page(
        "编辑人员",
        &staff,
        &csrf,
        None,
        person_form(&person, &csrf, &errors),
    );
    *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /console/people/{id}/deactivate`.
pub async fn deactivate(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let id = person_id(id.into_inner())?;
    let now = pages.now_ms();
    signed
        .act(&db, move |c, actor| {
            records::deactivate_person(c, now, actor, id)
        })
        .await?
        .ok_or(PageError::Missing("人员"))?;
    Ok(frame::see_other(&format!("/console/people/{id}")))
}
