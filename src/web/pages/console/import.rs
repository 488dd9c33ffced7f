//! People in the console: the directory with search and pages, and the CSV import (UTF-8 or
//! GBK, English or Chinese headers; a known employee number updates that person; a dry run
//! shows what would change). The same import as `POST /api/v1/users/import`.

use super::frame;
use super::{Console, Signed, Staff};
use crate::db::people::{self, Person};
use crate::meetings::people_csv::{self, CsvError, MAX_CSV_BYTES};
use crate::ops::directory::{self, RowOutcome};
use crate::ops::{self, OpsError};
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use maud::{html, Markup};
use serde::Deserialize;

const PAGE_SIZE: usize = 50;

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

fn matches(p: &Person, q: &str) -> bool {
    q.is_empty()
        || p.name.contains(q)
        || p.employee_no.eq_ignore_ascii_case(q)
        || p.department.contains(q)
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
                                            @for e in errors { (field_zh(e.field)) " " (e.message) "；" }
                                        }
                                        RowOutcome::Conflict { message, .. } => { "冲突：" (message) }
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
    everyone: &[Person],
    q: &str,
    page: usize,
    csrf: &str,
    imported: Option<&Imported>,
) -> Markup {
    let found: Vec<&Person> = everyone.iter().filter(|p| matches(p, q)).collect();
    let pages = found.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let link = |n: usize| format!("/console/people?q={}&page={n}", urlencode(q));
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
            table #people {
                thead { tr { th { "姓名" } th { "工号" } th { "部门" } th { "微信" } th { "身份" } th { "状态" } } }
                tbody {
                    @for p in found.iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE) {
                        tr {
                            td { (p.name) } td { (p.employee_no) } td { (p.department) }
                            td { @if p.openid.is_some() || p.wecom_userid.is_some() { "已绑定" } @else { span.muted { "未绑定" } } }
                            td { @if p.is_admin { "管理员 " } @if p.is_organizer { "会务组" } }
                            td { @if p.active { "在职" } @else { span.muted { "已停用" } } }
                        }
                    }
                }
            }
            @if pages > 1 {
                p.row {
                    @if page > 1 { a href=(link(page - 1)) { "← 上一页" } }
                    span { "第 " (page) " / " (pages) " 页" }
                    @if page < pages { a href=(link(page + 1)) { "下一页 →" } }
                }
            }
        }
    }
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
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
        let staff = Staff::of(c, signed)?;
        Ok((staff, people::list(c, None)?))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let failed = imported.as_ref().is_some_and(|i| i.outcome.is_err());
    let body = render(&everyone, q.trim(), page, &csrf, imported.as_ref());
    let mut response = frame::page("人员", &staff, &csrf, None, body);
    if failed {
        *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /console/people[?q=&page=]`.
pub async fn people(
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
    let signed = console.posting(&pages.key, &upload.csrf)?;
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
                let staff = Staff::of(c, signed)?;
                directory::import(c, &env, staff.actor, rows, dry_run)
            })
            .await
            .map_err(|e: OpsError| PageError::from(e))?)
        }
    };
    let imported = Imported { dry_run, outcome };
    people_page(&pages, &db, signed, String::new(), 1, Some(imported)).await
}
