//! Every console page's frame: the navigation, who is signed in, and a sign-out button.

use super::Staff;
use crate::web::pages::layout;
use actix_web::HttpResponse;
use maud::{html, Markup};

/// A console page (`refresh`: reload every so many seconds, for the live views).
pub fn page(
    title: &str,
    staff: &Staff,
    csrf: &str,
    refresh: Option<u32>,
    body: Markup,
) -> HttpResponse {
    let markup = html! {
        nav {
            strong { "会务后台" }
            a href="/console" { "会议" }
            a href="/console/week" { "周视图" }
            a href="/console/meetings/new" { "新建会议" }
            a href="/console/people" { "人员" }
            a href="/console/rooms" { "会议室" }
            @if staff.actor.is_admin() {
                a href="/console/menu" { "菜单" }
                a href="/console/audit" { "审计" }
            }
            span.me { (staff.name) "（" (staff.role_zh()) "）" }
            form method="post" action="/console/sign-out" {
                input type="hidden" name="csrf" value=(csrf);
                button.plain { "退出" }
            }
        }
        (body)
    };
    html_response(layout::wide(title, refresh, markup))
}

pub fn html_response(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// Where a form post leads: the page that shows its result.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}
