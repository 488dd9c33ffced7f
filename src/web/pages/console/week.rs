//! `GET /console/week`: one room's week as a time grid (half hours, Monday to Sunday, today
//! marked), the meetings the reader looks after in it (drafts and confidential ones told
//! apart), the room's other bookings as 已占用, and an empty future slot a link to a new
//! meeting there. Below, a finder: when the chosen people and the room are all free.

use super::frame;
use super::meetings::{date, day_start, looked_after};
use super::{Console, Staff};
use crate::db::meetings::{self as store, MeetingFilter, MeetingRow};
use crate::db::rooms::{self, Room};
use crate::meetings::display;
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::RoomId;
use crate::ops::{self, preparation};
use crate::web::pages::error::PageError;
use crate::web::pages::Pages;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;
use maud::{html, Markup};
use serde::Deserialize;

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
/// The grid's default span; widened to show a meeting outside it.
const FIRST_HOUR: u32 = 8;
const LAST_HOUR: u32 = 20;

#[derive(Deserialize)]
pub struct WeekQuery {
    start: Option<String>,
    /// A room's id, or `other` for meetings without a room.
    room: Option<String>,
    /// The finder: people (names or 姓名（工号）) and how long.
    people: Option<String>,
    minutes: Option<String>,
}

/// What a grid cell holds.
enum Block<'a> {
    Mine(&'a MeetingRow),
    /// A booking of the room the reader does not look after: shown as taken, nothing more.
    Taken,
}

struct Placed<'a> {
    day: usize,
    /// Half-hour rows from the grid's first hour.
    first: usize,
    rows: usize,
    block: Block<'a>,
}

/// Minutes after local midnight of `day` (clamped to the day).
fn minute_of_day(ms: i64, day: NaiveDate, tz: Tz) -> Option<i64> {
    let t = display::local(ms, tz)?;
    Some(match t.date_naive().cmp(&day) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Greater => 24 * 60,
        std::cmp::Ordering::Equal => i64::from(t.hour() * 60 + t.minute()),
    })
}

fn place<'a>(
    block: Block<'a>,
    span: (i64, i64),
    days: &[NaiveDate],
    tz: Tz,
    first_hour: u32,
) -> Option<Placed<'a>> {
    let day = days
        .iter()
        .position(|d| display::local(span.0, tz).map(|t| t.date_naive()) == Some(*d))?;
    let from = minute_of_day(span.0, days[day], tz)?;
    let to = minute_of_day(span.1, days[day], tz)?.max(from + 1);
    let base = i64::from(first_hour) * 60;
    let first = ((from - base).max(0) / 30) as usize;
    let last = ((to - base + 29).max(1) / 30) as usize;
    Some(Placed {
        day,
        first,
        rows: last.saturating_sub(first).max(1),
        block,
    })
}

pub async fn week(
    req: HttpRequest,
    console: Console,
    pages: web::Data<Pages>,
    db: web::Data<crate::db::Db>,
    query: web::Query<WeekQuery>,
) -> Result<HttpResponse, PageError> {
    let signed = console.entered(&req, &pages, &db).await?;
    let tz = pages.notices.tz;
    let env = pages.env();
    let now_ms = env.now_ms();
    let today = env.now.with_timezone(&tz).date_naive();
    let q = query.into_inner();
    let day = date(q.start.as_deref().unwrap_or_default())?.unwrap_or(today);
    let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Days::new(i)).collect();
    let lane = q.room.clone().unwrap_or_default();
    let minutes: u32 = match q.minutes.as_deref().map(str::trim) {
        None | Some("") => 60,
        Some(raw) => raw
            .parse()
            .ok()
            .filter(|m| (15..=8 * 60).contains(m))
            .ok_or_else(|| PageError::BadInput("时长请填 15 到 480 分钟。".into()))?,
    };
    let wanted = q.people.clone().unwrap_or_default();
    let filter = MeetingFilter {
        from: Some(day_start(monday, tz)),
        until: Some(day_start(monday + Days::new(7), tz)),
        ..Default::default()
    };
    let finder_days = days.clone();
    let finder_env = env.clone();
    let (staff, rows, rooms, taken, found, everyone) = ops::run(&db, move |c| {
        let staff = Staff::of(c, &signed)?;
        let rows = looked_after(c, &env, &staff, filter)?;
        let rooms = rooms::list(c, Some(true))?;
        let room = chosen(&rooms, &lane);
        let taken = match room {
            Some(r) => store::room_bookings(c, r.id)?,
            None => Vec::new(),
        };
        let found = if wanted.trim().is_empty() {
            None
        } else {
            let mut people = Vec::new();
            let mut unknown = Vec::new();
            for said in super::editor::names(&wanted) {
                match super::editor::person(c, said)? {
                    Ok(p) => people.push(p.id),
                    Err(why) => unknown.push(why),
                }
            }
            Some(if unknown.is_empty() {
                let window = (
                    NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
                    NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
                );
                let room = room.map(|r| r.id);
                Ok(preparation::free_times(
                    c,
                    &finder_env,
                    &people,
                    room,
                    &finder_days,
                    window,
                    minutes,
                )?)
            } else {
                Err(unknown.join("；"))
            })
        };
        let everyone = crate::db::people::list(c, Some(true))?;
        Ok((staff, rows, rooms, taken, found, everyone))
    })
    .await?;
    let lane = q.room.unwrap_or_default();
    let room = chosen(&rooms, &lane);
    let room_id: Option<RoomId> = room.map(|r| r.id);
    let mine: Vec<&MeetingRow> = rows
        .iter()
        .map(|(m, _)| m)
        .filter(|m| m.room_id == room_id && m.status != MeetingStatus::Cancelled)
        .collect();
    // The grid's hours: 08–20, widened to whatever is on it.
    let hours = |ms: i64| display::local(ms, tz).map(|t| t.hour());
    let first_hour = mine
        .iter()
        .filter_map(|m| hours(m.starts_at.millis()))
        .fold(FIRST_HOUR, u32::min);
    let last_hour = mine
        .iter()
        .filter_map(|m| display::local(m.ends_at, tz).map(|t| t.hour() + u32::from(t.minute() > 0)))
        .fold(LAST_HOUR, u32::max)
        .min(24);
    let mut placed: Vec<Placed> = mine
        .iter()
        .filter_map(|m| {
            place(
                Block::Mine(m),
                (m.starts_at.millis(), m.ends_at.millis()),
                &days,
                tz,
                first_hour,
            )
        })
        .collect();
    for b in &taken {
        if !mine.iter().any(|m| m.id == b.meeting) {
            let span = (
                b.span.start().timestamp_millis(),
                b.span.end().timestamp_millis(),
            );
            placed.extend(place(Block::Taken, span, &days, tz, first_hour));
        }
    }
    placed.sort_by_key(|p| (p.day, p.first));
    let grid = Grid {
        days: &days,
        today,
        first_hour,
        rows: (last_hour.saturating_sub(first_hour) * 2) as usize,
        placed: &placed,
        tz,
        now_ms,
        room: room_id,
    };
    let here = |extra: &str| {
        let room = match room {
            Some(r) => r.id.to_string(),
            None => "other".to_owned(),
        };
        format!("/console/week?room={room}{extra}")
    };
    let body = html! {
        section {
            h1 { "周视图：" (display::day(monday)) " – " (display::day(days[6])) }
            p.row {
                a href=(here(&format!("&start={}", monday - Days::new(7)))) { "← 上一周" }
                a href=(here("")) { "本周" }
                a href=(here(&format!("&start={}", monday + Days::new(7)))) { "下一周 →" }
            }
            nav.tabs aria-label="会议室" {
                @for r in &rooms {
                    a href={ "/console/week?room=" (r.id) "&start=" (monday) } class=[(room_id == Some(r.id)).then_some("chosen")] { (r.name) }
                }
                a href={ "/console/week?room=other&start=" (monday) } class=[room_id.is_none().then_some("chosen")] { "其他地点 / 线上" }
            }
            p.muted { "点空白时段新建会议。" span.legend.draft { "草稿" } span.legend.conf { "保密" } span.legend.taken { "已占用（他人的会议）" } }
            div.scroll { (grid.render()) }
        }
        section #finder {
            h2 { "找空闲时间" }
            datalist #people { @for p in &everyone { option value=(super::editor::shown(p)) { (p.department) } } }
            form.row method="get" action="/console/week" {
                input type="hidden" name="start" value=(monday);
                input type="hidden" name="room" value=(room.map_or("other".to_owned(), |r| r.id.to_string()));
                input.grow type="text" name="people" list="people" value=(q.people.clone().unwrap_or_default()) placeholder="参会人：姓名或工号，逗号分隔" aria-label="参会人";
                input type="number" name="minutes" min="15" max="480" value=(minutes) aria-label="时长（分钟）";
                span { "分钟" }
                button { "查找" }
            }
            @match &found {
                None => { p.muted { "填写参会人，列出本周 09:00–18:00 他们和" (room.map_or("（不限会议室）".to_owned(), |r| format!("「{}」", r.name))) "都空闲的时段。" } }
                Some(Err(why)) => { p.error role="alert" { (why) } }
                Some(Ok(free)) => {
                    ul #free-times {
                        @for d in free {
                            li {
                                (WEEKDAYS[d.day.weekday().num_days_from_monday() as usize]) " " (display::day(d.day)) "："
                                @if d.slots.is_empty() { span.muted { "没有足够长的空闲" } }
                                @for s in &d.slots {
                                    @let from = s.start().timestamp_millis();
                                    " "
                                    a href=(new_link(d.day, &display::clock(from, tz), room_id)) {
                                        (display::clock(from, tz)) "–" (display::clock(s.end().timestamp_millis(), tz))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let csrf = signed.csrf(&pages.key);
    Ok(frame::page("周视图", &staff, &csrf, None, body))
}

/// The lane asked for: a room by id, `other`, or (nothing asked) the first room.
fn chosen<'a>(rooms: &'a [Room], lane: &str) -> Option<&'a Room> {
    match lane {
        "other" => None,
        "" => rooms.first(),
        id => rooms.iter().find(|r| r.id.to_string() == id),
    }
}

fn new_link(day: NaiveDate, start: &str, room: Option<RoomId>) -> String {
    let room = room.map(|r| format!("&room={r}")).unwrap_or_default();
    format!("/console/meetings/new?date={day}&start={start}{room}")
}

/// Blocks that overlap on one day, drawn as one cell: (first row, rows, blocks).
type Cell<'a> = (usize, usize, Vec<&'a Placed<'a>>);

/// What a row draws for one day.
enum Drawn<'c, 'a> {
    /// A cell starts here.
    Cell(&'c Cell<'a>),
    /// An empty slot.
    Empty,
    /// A cell above spans this row.
    Spanned,
}

struct Grid<'a> {
    days: &'a [NaiveDate],
    today: NaiveDate,
    first_hour: u32,
    rows: usize,
    placed: &'a [Placed<'a>],
    tz: Tz,
    now_ms: i64,
    room: Option<RoomId>,
}

impl Grid<'_> {
    fn slot_time(&self, row: usize) -> String {
        let minutes = self.first_hour as usize * 60 + row * 30;
        format!("{:02}:{:02}", minutes / 60, minutes % 60)
    }

    fn block(&self, p: &Placed) -> Markup {
        let tz = self.tz;
        match p.block {
            Block::Taken => html! { div.taken { "已占用" } },
            Block::Mine(m) => {
                let draft = m.status == MeetingStatus::Draft;
                html! {
                    div.mine.draft[draft].conf[m.confidential] {
                        span.muted { (display::clock(m.starts_at, tz)) "–" (display::clock(m.ends_at, tz)) }
                        br;
                        a href={ "/console/meetings/" (m.id) } { (m.title) }
                        @if draft { " " span.badge { "草稿" } }
                        @if m.confidential { " " span.badge.late { "保密" } }
                    }
                }
            }
        }
    }

    /// The blocks of day `day` that overlap, as cells: (first row, rows, blocks). Meetings
    /// without a room may overlap; they share one cell rather than hide each other.
    fn cells(&self, day: usize) -> Vec<Cell<'_>> {
        let mut cells: Vec<Cell> = Vec::new();
        for p in self.placed.iter().filter(|p| p.day == day) {
            match cells.last_mut() {
                Some((first, rows, blocks)) if p.first < *first + *rows => {
                    *rows = (*rows).max(p.first + p.rows - *first);
                    blocks.push(p);
                }
                _ => cells.push((p.first, p.rows, vec![p])),
            }
        }
        cells
    }

    fn render(&self) -> Markup {
        let cells: Vec<_> = (0..self.days.len()).map(|d| self.cells(d)).collect();
        // What each row draws per day: a cell starting there (its rows and blocks), an empty
        // slot, or nothing (a cell above spans it).
        let mut covered = vec![0usize; self.days.len()];
        let mut rows: Vec<Vec<Drawn>> = Vec::new();
        for row in 0..self.rows {
            let mut line = Vec::new();
            for (day, day_cells) in cells.iter().enumerate() {
                if covered[day] > row {
                    line.push(Drawn::Spanned);
                } else if let Some(cell) = day_cells.iter().find(|(first, _, _)| *first == row) {
                    covered[day] = row + cell.1;
                    line.push(Drawn::Cell(cell));
                } else {
                    line.push(Drawn::Empty);
                }
            }
            rows.push(line);
        }
        html! {
            table.week {
                thead {
                    tr {
                        th.hour {}
                        @for d in self.days {
                            th class=[(*d == self.today).then_some("today")] {
                                (WEEKDAYS[d.weekday().num_days_from_monday() as usize]) br; (display::day(*d))
                                @if *d == self.today { " 今天" }
                            }
                        }
                    }
                }
                tbody {
                    @for (row, line) in rows.iter().enumerate() {
                        tr {
                            th.hour { @if row % 2 == 0 { (self.slot_time(row)) } }
                            @for (d, drawn) in self.days.iter().zip(line) {
                                @match drawn {
                                    Drawn::Cell((_, span, blocks)) => {
                                        td.booking rowspan=(span) { @for p in blocks { (self.block(p)) } }
                                    }
                                    Drawn::Empty => { (self.empty(*d, row)) }
                                    Drawn::Spanned => {}
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn empty(&self, day: NaiveDate, row: usize) -> Markup {
        let start = self.slot_time(row);
        let at = NaiveTime::parse_from_str(&start, "%H:%M")
            .ok()
            .map(|t| crate::clock::local_instant(&self.tz, day.and_time(t)).timestamp_millis());
        let future = at.is_some_and(|at| at > self.now_ms);
        html! {
            td.slot {
                @if future {
                    a href=(new_link(day, &start, self.room)) aria-label={ (display::day(day)) " " (start) " 新建会议" } { "＋" }
                }
            }
        }
    }
}
