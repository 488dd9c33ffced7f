//! Handing out bind codes and deciding bind requests: a code per person (shown once), the
//! roll-out export (fresh codes for everyone not bound yet, as CSV), and the followers'
//! pending requests, which admins approve or reject. The rules are `ops::account`'s.

use super::frame;
use super::{Console, CsrfForm, Staff};
use crate::ops::{self, account};
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::TimeZone;
use maud::html;
use serde::Deserialize;

fn when(pages: &Pages, ms: i64) -> String {
    pages
        .notices
        .tz
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| ms.to_string())
}

/// `POST /console/people/{id}/bind-code`: a fresh code for one person, shown once.
pub async fn issue(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let id =
        crate::meetings::PersonId::new(id.into_inner()).map_err(|_| PageError::Missing("人员"))?;
    let now = pages.now_ms();
    let (staff, (person, code, expires)) = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let issued = account::issue_bind_code(c, now, staff.actor, id)?;
        Ok((staff, issued))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let body = html! {
        section {
            h1 { "绑定码：" (person.name) "（" (person.employee_no) "）" }
            p { "绑定码 " strong #bind-code { (code) } "，有效至 " (when(&pages, expires)) "，只能使用一次。" }
            p { "请把它当面或通过可信渠道交给本人：在公众号发送「绑定 " (person.employee_no) " " (code) "」即可绑定。" }
            p.muted { "此码只显示这一次；再生成一次，旧码即失效。" }
            a href="/console/people" { "← 返回人员" }
        }
    };
    // Shown once: like every page, it is sent `Cache-Control: no-store` (web::guard).
    Ok(frame::page("绑定码", &staff, &csrf, None, body))
}

/// `POST /console/people/bind-codes.csv`: fresh codes for everyone not bound to WeChat yet
/// (that this admin or organizer may issue for), to hand out when rolling out. Earlier unused
/// codes stop working.
pub async fn export(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let now = pages.now_ms();
    let issued = signed
        .act(&db, move |c, actor| {
            account::issue_bind_codes(c, now, actor)
        })
        .await?;
    let rows = issued
        .iter()
        .map(|(p, code, expires)| {
            vec![
                crate::web::csv::text(&p.name),
                crate::web::csv::text(&p.employee_no),
                crate::web::csv::text(&p.department),
                crate::web::csv::text(code),
                crate::web::csv::text(&format!("绑定 {} {code}", p.employee_no)),
                crate::web::csv::text(&when(&pages, *expires)),
            ]
        })
        .collect();
    let body = crate::web::csv::document(
        &["姓名", "工号", "部门", "绑定码", "发送到公众号", "有效至"],
        rows,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"bind-codes.csv\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

/// `GET /console/bind-requests` (admins): followers waiting for approval.
pub async fn requests(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let (staff, pending) = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let pending = account::bind_requests(c, staff.actor)?;
        Ok((staff, pending))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let body = html! {
        section {
            h1 { "绑定申请" }
            p.muted { "关注者发送「绑定 工号」而没有绑定码时，申请在这里等待。批准前请与本人核实；管理员和会务组只能用绑定码绑定。" }
            @if pending.is_empty() { p #no-requests { "没有待处理的申请。" } }
            @else {
                table #bind-requests {
                    thead { tr { th { "申请绑定为" } th { "工号" } th { "openid" } th { "申请时间" } th {} } }
                    tbody {
                        @for (request, person) in &pending {
                            tr {
                                td { (person.name) @if account::flagged(person) { " " span.badge { "需绑定码" } } }
                                td { (person.employee_no) }
                                td { code { (request.openid) } }
                                td { (when(&pages, request.requested_at.millis())) }
                                td { div.row {
                                    @if !account::flagged(person) {
                                        form method="post" action="/console/bind-requests/approve" {
                                            input type="hidden" name="csrf" value=(csrf);
                                            input type="hidden" name="openid" value=(request.openid);
                                            button { "批准" }
                                        }
                                    }
                                    form method="post" action="/console/bind-requests/reject" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        input type="hidden" name="openid" value=(request.openid);
                                        button.plain { "拒绝" }
                                    }
                                } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(frame::page("绑定申请", &staff, &csrf, None, body))
}

#[derive(Deserialize)]
pub struct RequestForm {
    csrf: String,
    openid: String,
}

/// `POST /console/bind-requests/{approve|reject}`.
pub async fn decide(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    decision: web::Path<String>,
    form: web::Form<RequestForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let now = pages.now_ms();
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(PageError::Missing("操作")),
    };
    let openid = form.openid;
    signed
        .act(&db, move |c, actor| {
            if approve {
                account::approve_bind(c, now, actor, &openid).map(|_| ())
            } else {
                account::reject_bind(c, now, actor, &openid)
            }
        })
        .await?;
    Ok(frame::see_other("/console/bind-requests"))
}
