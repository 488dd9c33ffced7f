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
                a href="/console/bind-requests" { "绑定申请" }
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

/// Rows shown a page in the console's lists.
pub const PAGE_SIZE: usize = 50;

/// One page of `rows` (pages count from 1; a page past the end shows the last), with links to
/// the neighbours: `base` is the list's path with its search, `?q=…`.
pub fn paged<'a, T>(rows: &'a [T], page: usize, base: &str) -> (&'a [T], Markup) {
    let pages = rows.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * PAGE_SIZE;
    let shown = &rows[start.min(rows.len())..(start + PAGE_SIZE).min(rows.len())];
    let link = |n: usize| format!("{base}&page={n}");
    let nav = html! {
        @if pages > 1 {
            p.row {
                @if page > 1 { a href=(link(page - 1)) { "← 上一页" } }
                span { "第 " (page) " / " (pages) " 页" }
                @if page < pages { a href=(link(page + 1)) { "下一页 →" } }
            }
        }
    };
    (shown, nav)
}

/// A search text as it goes into a link.
pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_fifty_rows_and_a_page_past_the_end_shows_the_last() {
        let rows: Vec<usize> = (0..120).collect();
        let (shown, nav) = paged(&rows, 2, "/console/people?q=");
        assert_eq!((shown.first(), shown.len()), (Some(&50), 50));
        let nav = nav.into_string();
        assert!(nav.contains("page=1") && nav.contains("page=3") && nav.contains("第 2 / 3 页"));
        let (shown, _) = paged(&rows, 9, "/x?q=");
        assert_eq!((shown.first(), shown.len()), (Some(&100), 20));
        let (shown, nav) = paged(&rows[..0], 1, "/x?q=");
        assert!(shown.is_empty() && nav.into_string().is_empty());
    }
}
