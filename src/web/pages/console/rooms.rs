//! Rooms in the console: the list (anyone signed in may look), and for admins a new room,
//! changes, deactivation and the door screen's key (issued, shown once, revoked).

use super::frame::{self, see_other};
use super::{Console, CsrfForm, Signed, Staff};
use crate::db::rooms::{self, Room};
use crate::meetings::directory::{FieldError, NewRoom, RoomChange, RoomFields};
use crate::meetings::RoomId;
use crate::ops::{self, records, OpsError};
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

fn field_zh(field: &str) -> &'static str {
    match field {
        "name" => "名称",
        "capacity" => "容纳人数",
        "equipment" => "设备",
        "location" => "位置",
        _ => "字段",
    }
}

fn errors_zh(errors: &[FieldError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| format!("{}：{}", field_zh(e.field), e.message))
        .collect()
}

#[derive(Deserialize, Default, Clone)]
pub struct RoomForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    equipment: String,
}

impl RoomForm {
    fn of(room: &Room) -> Self {
        RoomForm {
            csrf: String::new(),
            name: room.name.clone(),
            location: room.location.clone(),
            capacity: room.capacity.to_string(),
            equipment: room.equipment_list().join("，"),
        }
    }

    fn fields(&self) -> Result<RoomFields, Vec<FieldError>> {
        let capacity = self.capacity.trim().parse::<i64>().map_err(|_| {
            vec![FieldError {
                field: "capacity",
                message: "must be a whole number from 1 to 10000".into(),
            }]
        })?;
        Ok(RoomFields {
            name: Some(self.name.clone()),
            location: Some(self.location.trim().to_owned()),
            capacity: Some(capacity),
            equipment: Some(
                self.equipment
                    .split([',', '，', '、'])
                    .map(str::to_owned)
                    .collect(),
            ),
        })
    }
}

fn room_fields(form: &RoomForm, csrf: &str) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(csrf);
        div.grid {
            div { label for="name" { "名称" } input #name type="text" name="name" value=(form.name) required; }
            div { label for="location" { "位置" } input #location type="text" name="location" value=(form.location); }
            div { label for="capacity" { "容纳人数" } input #capacity type="number" min="1" max="10000" name="capacity" value=(form.capacity) required; }
            div { label for="equipment" { "设备（逗号分隔）" } input #equipment type="text" name="equipment" value=(form.equipment) placeholder="投影仪，白板，视频会议"; }
        }
    }
}

/// The list's search and page.
#[derive(Deserialize, Default)]
pub struct RoomsQuery {
    #[serde(default)]
    q: String,
    page: Option<usize>,
}

fn list_page(
    admin: bool,
    rooms: &[Room],
    query: &RoomsQuery,
    csrf: &str,
    form: &RoomForm,
    errors: &[String],
) -> Markup {
    let q = query.q.trim();
    let found: Vec<&Room> = rooms
        .iter()
        .filter(|r| q.is_empty() || r.matches(q))
        .collect();
    let (shown, pager) = frame::paged(
        &found,
        query.page.unwrap_or(1),
        &format!("/console/rooms?q={}", frame::urlencode(q)),
    );
    html! {
        section {
            h1 { "会议室" }
            form.row method="get" action="/console/rooms" {
                input type="text" name="q" value=(q) placeholder="名称或位置" aria-label="搜索";
                button { "搜索" }
            }
            table #rooms {
                thead { tr { th { "名称" } th { "位置" } th { "容纳" } th { "设备" } th { "状态" } @if admin { th {} } } }
                tbody {
                    @for r in shown {
                        tr {
                            td { (r.name) } td { (r.location) } td { (r.capacity) " 人" }
                            td { (r.equipment_list().join("、")) }
                            td { @if r.active { "可用" } @else { span.muted { "已停用" } } }
                            @if admin { td { a href={ "/console/rooms/" (r.id) } { "编辑 / 门口屏" } } }
                        }
                    }
                }
            }
            (pager)
        }
        @if admin {
            section {
                h2 { "新增会议室" }
                @for e in errors { p.error role="alert" { (e) } }
                form method="post" action="/console/rooms" {
                    (room_fields(form, csrf))
                    button { "新增" }
                }
            }
        }
    }
}

async fn show_list(
    pages: &Pages,
    db: &crate::db::Db,
    signed: Signed,
    query: RoomsQuery,
    form: RoomForm,
    errors: &[String],
) -> Result<HttpResponse, PageError> {
    let (staff, all) = ops::run(db, move |c| {
        Ok((Staff::of(c, &signed)?, rooms::list(c, None)?))
    })
    .await?;
    let csrf = signed.csrf(&pages.key);
    let body = list_page(staff.actor.is_admin(), &all, &query, &csrf, &form, errors);
    let mut response = frame::page("会议室", &staff, &csrf, None, body);
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /console/rooms`.
pub async fn list(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<RoomsQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let query = query.into_inner();
    show_list(&pages, &db, signed, query, RoomForm::default(), &[]).await
}

/// `POST /console/rooms` (admins).
pub async fn create(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    form: web::Form<RoomForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let new = match form.fields().and_then(NewRoom::parse) {
        Ok(new) => new,
        Err(errors) => {
            let errors = errors_zh(&errors);
            return show_list(&pages, &db, signed, RoomsQuery::default(), form, &errors).await;
        }
    };
    let now = pages.now_ms();
    let room = signed
        .act(&db, move |c, actor| {
            records::create_room(c, now, actor, &new)
        })
        .await?;
    Ok(see_other(&format!("/console/rooms/{}", room.id)))
}

/// The room's page; `issued`: a new screen URL, shown this once.
fn room_page(
    room: &Room,
    csrf: &str,
    form: &RoomForm,
    errors: &[String],
    issued: Option<&str>,
) -> Markup {
    html! {
        section {
            h1 { "会议室：" (room.name) }
            a href="/console/rooms" { "← 返回会议室" }
            @for e in errors { p.error role="alert" { (e) } }
            form method="post" action={ "/console/rooms/" (room.id) } {
                (room_fields(form, csrf))
                button { "保存" }
            }
            @if room.active {
                form method="post" action={ "/console/rooms/" (room.id) "/deactivate" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button.plain { "停用会议室" }
                    span.muted { " 停用后不能再预订；已有会议不受影响。" }
                }
            } @else { p.muted { "此会议室已停用。" } }
        }
        section #screen {
            h2 { "门口屏" }
            p.muted { "在会议室门口的平板上打开屏幕链接：显示当前或下一场会议和每 30 秒更换的签到二维码。新链接生成后旧链接立即失效；链接只显示这一次。" }
            @if let Some(url) = issued {
                p.ok { "新的屏幕链接：" a #screen-url href=(url) target="_blank" rel="noopener" { (url) } }
            }
            div.row {
                form method="post" action={ "/console/rooms/" (room.id) "/display-key" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button { "生成屏幕链接" }
                }
                form method="post" action={ "/console/rooms/" (room.id) "/display-key/revoke" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button.plain { "收回屏幕链接" }
                }
            }
        }
    }
}

fn room_id(raw: i64) -> Result<RoomId, PageError> {
    RoomId::new(raw).map_err(|_| PageError::Missing("会议室"))
}

/// Loads the room for an admin.
async fn admin_room(
    db: &crate::db::Db,
    signed: Signed,
    id: RoomId,
) -> Result<(Staff, Room), PageError> {
    let (staff, room) = ops::run(db, move |c| {
        let staff = Staff::of(c, &signed)?;
        staff.actor.administers()?;
        Ok((staff, rooms::get(c, id)?))
    })
    .await?;
    Ok((staff, room.ok_or(PageError::Missing("会议室"))?))
}

fn respond(
    pages: &Pages,
    signed: Signed,
    staff: &Staff,
    room: &Room,
    form: &RoomForm,
    errors: &[String],
    issued: Option<&str>,
) -> HttpResponse {
    let csrf = signed.csrf(&pages.key);
    let body = room_page(room, &csrf, form, errors, issued);
    let mut response = frame::page("会议室", staff, &csrf, None, body);
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// `GET /console/rooms/{id}` (admins).
pub async fn edit_form(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let (staff, room) = admin_room(&db, signed, room_id(id.into_inner())?).await?;
    Ok(respond(
        &pages,
        signed,
        &staff,
        &room,
        &RoomForm::of(&room),
        &[],
        None,
    ))
}

/// `POST /console/rooms/{id}`.
pub async fn save(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<RoomForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let id = room_id(id.into_inner())?;
    let change = match form.fields().and_then(RoomChange::for_update) {
        Ok(change) => change,
        Err(errors) => {
            let (staff, room) = admin_room(&db, signed, id).await?;
            return Ok(respond(
                &pages,
                signed,
                &staff,
                &room,
                &form,
                &errors_zh(&errors),
                None,
            ));
        }
    };
    let now = pages.now_ms();
    signed
        .act(&db, move |c, actor| {
            records::update_room(c, now, actor, id, &change)?.ok_or(OpsError::RoomNotFound)
        })
        .await?;
    Ok(see_other(&format!("/console/rooms/{id}")))
}

/// `POST /console/rooms/{id}/deactivate`.
pub async fn deactivate(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let id = room_id(id.into_inner())?;
    let now = pages.now_ms();
    signed
        .act(&db, move |c, actor| {
            records::deactivate_room(c, now, actor, id)?.ok_or(OpsError::RoomNotFound)
        })
        .await?;
    Ok(see_other(&format!("/console/rooms/{id}")))
}

/// `POST /console/rooms/{id}/display-key`: a new screen URL, shown on the page this once.
pub async fn issue_key(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let id = room_id(id.into_inner())?;
    let now = pages.now_ms();
    let key = signed
        .act(&db, move |c, actor| {
            records::issue_display_key(c, now, actor, id)?.ok_or(OpsError::RoomNotFound)
        })
        .await?;
    let (staff, room) = admin_room(&db, signed, id).await?;
    let url = format!("{}/rooms/{id}/display?key={key}", pages.base());
    let mut response = respond(
        &pages,
        signed,
        &staff,
        &room,
        &RoomForm::of(&room),
        &[],
        Some(&url),
    );
    // The key is in the page: no cache keeps it.
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// `POST /console/rooms/{id}/display-key/revoke`.
pub async fn revoke_key(
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    id: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let signed = console.posting(&pages, &db, &form.csrf).await?;
    let id = room_id(id.into_inner())?;
    let now = pages.now_ms();
    signed
        .act(&db, move |c, actor| {
            records::revoke_display_key(c, now, actor, id)
        })
        .await?
        .ok_or(PageError::Missing("会议室"))?;
    Ok(see_other(&format!("/console/rooms/{id}")))
}
