//! The part of the meeting page that runs the meeting: the host's controls and roster, the
//! recorder's minutes, the participants' questions, votes and help. It shows what
//! `ops::board` gives the reader, so nobody sees a control they may not use.

use super::super::meeting::{answer_zh, Problem};
use crate::db::meetings::{AgendaRow, MeetingRow};
use crate::meetings::consensus::Vote;
use crate::meetings::display;
use crate::meetings::minutes::EntryKind;
use crate::meetings::participation::{Attendance, Tally};
use crate::meetings::stamp::Stamp;
use crate::ops::board::Board;
use maud::{html, Markup};

/// What every part of the board needs besides the board.
pub struct Frame<'a> {
    pub meeting: &'a MeetingRow,
    pub csrf: &'a str,
    pub tz: chrono_tz::Tz,
    pub now_ms: i64,
    pub problem: Option<&'a Problem>,
}

impl Frame<'_> {
    fn wrong(&self, field: &str) -> Option<&Problem> {
        self.problem.filter(|p| p.field == field)
    }

    fn typed(&self, field: &str) -> String {
        self.wrong(field)
            .map(|p| p.typed.clone())
            .unwrap_or_default()
    }

    fn refusal(&self, field: &str) -> Markup {
        html! {
            @if let Some(p) = self.wrong(field) {
                p.error id={ (field) "-error" } role="alert" { (p.message) }
            }
        }
    }

    fn action(&self, rest: &str) -> String {
        format!("/m/{}/{rest}", self.meeting.id)
    }

    fn csrf(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }
}

/// Whether the board has anything for this reader; an empty one is not drawn at all.
pub fn shown(b: &Board) -> bool {
    b.may_start()
        || b.may_steer()
        || b.may_check_in_others()
        || b.powers.ask_help
        || b.powers.ask
        || b.may_record()
        || !b.ballots.is_empty()
}

/// Elapsed and remaining time of the running item, e.g. "已用 7 分钟，剩余 8 分钟".
fn timing(item: &AgendaRow, now_ms: i64) -> String {
    let used = item
        .started_at
        .map_or(0, |s| (now_ms - s.millis()).max(0) / 60_000);
    let left = i64::from(item.minutes) - used;
    if left >= 0 {
        format!("已用 {used} 分钟，剩余 {left} 分钟")
    } else {
        format!("已用 {used} 分钟，超时 {} 分钟", -left)
    }
}

pub fn tally_line(t: &Tally) -> String {
    format!(
        "已签到 {}/{} 人（迟到 {}），请假 {}，未回复 {}，缺席 {}",
        t.present, t.invited, t.late, t.excused, t.pending, t.absent
    )
}

/// Whether the board draws the form `field` belongs to, so a refusal of it shows beside it
/// (otherwise the page shows it at its top).
pub fn draws(b: &Board, field: &str) -> bool {
    shown(b)
        && match field {
            "board" => true,
            "minutes" => b.may_steer() && b.current.is_some(),
            "checkin" => b.may_check_in_others() && !b.roster.is_empty(),
            "text" => b.may_record(),
            "vote" => !b.ballots.is_empty(),
            "question" => b.powers.ask,
            "help" => b.powers.ask_help,
            _ => false,
        }
}

/// The board, refreshed in place by `/static/meeting.js` from `/m/{id}/board`.
pub fn section(b: &Board, f: &Frame) -> Markup {
    html! {
        section #board data-refresh=(f.action("board")) data-now=(f.now_ms) {
            h2 { "会议现场" }
            @if let Some(item) = &b.current {
                p #now .now data-started=[item.started_at.map(Stamp::millis)] data-minutes=(item.minutes) {
                    "▶ 第 " (item.position) " 项「" (item.title) "」 · "
                    span.timing { (timing(item, f.now_ms)) }
                }
            }
            (f.refusal("board"))
            @if b.may_start() || b.may_steer() { (controls(b, f)) }
            @if !b.roster.is_empty() { (roster(b, f)) }
            @if !b.questions.is_empty() { (questions(b, f)) }
            @if b.may_record() { (minutes(b, f)) }
            @if !b.ballots.is_empty() { (ballots(b, f)) }
            @if b.powers.ask { (ask(f)) }
            @if b.powers.ask_help { (help(f)) }
        }
    }
}

fn controls(b: &Board, f: &Frame) -> Markup {
    html! {
        form.row #run method="post" action=(f.action("run")) {
            (f.csrf())
            @if b.may_start() {
                button #run-start name="step" value="start" { "开始会议" }
            }
            @if b.may_steer() {
                @if b.current.is_some() {
                    button #run-next name="step" value="next" { "下一项" }
                }
                button #run-end .plain name="step" value="end" { "结束会议" }
            }
        }
        @if b.may_steer() && b.current.is_some() {
            form.row #extend method="post" action=(f.action("run")) {
                (f.csrf())
                input type="hidden" name="step" value="extend";
                label for="extend-minutes" { "本项延长" }
                input #extend-minutes type="number" name="minutes" min="1" max="60" value="5" size="3";
                span { "分钟" }
                button #run-extend .plain { "延长" }
            }
            (f.refusal("minutes"))
        }
    }
}

fn standing_zh(seat: &crate::ops::board::Seat, tz: chrono_tz::Tz) -> String {
    match (seat.attendance, seat.checked_in_at) {
        (Attendance::Late, Some(at)) => format!(
            "{} 签到，迟到 {} 分钟",
            display::clock(at, tz),
            seat.late_minutes.unwrap_or_default()
        ),
        (_, Some(at)) => format!("{} 签到", display::clock(at, tz)),
        (Attendance::Absent, None) => "缺席".to_owned(),
        (Attendance::Declined, None) => "请假".to_owned(),
        _ => "未签到".to_owned(),
    }
}

fn roster(b: &Board, f: &Frame) -> Markup {
    let may_check_in = b.may_check_in_others();
    let rows = html! {
        table #roster {
            tr { th { "姓名" } th { "回复" } th { "签到" } }
            @for seat in &b.roster {
                tr {
                    td {
                        @if may_check_in && seat.checked_in_at.is_none() {
                            label.inline {
                                input type="checkbox" name=(format!("p{}", seat.person)) value="1";
                                " " (seat.name)
                            }
                        } @else { (seat.name) }
                    }
                    td { (answer_zh(&seat.answer)) }
                    td class=[(seat.attendance == Attendance::Absent || seat.attendance == Attendance::Late).then_some("late")] {
                        (standing_zh(seat, f.tz))
                    }
                }
            }
        }
    };
    html! {
        h3 { "签到" }
        p #tally .muted { (tally_line(&b.tally)) }
        @if may_check_in {
            form #checkin method="post" action=(f.action("checkin")) {
                (f.csrf())
                (rows)
                (f.refusal("checkin"))
                button #checkin-button { "为所选的人代签" }
            }
        } @else {
            (rows)
        }
    }
}

fn questions(b: &Board, f: &Frame) -> Markup {
    let writable = b.status.minutes_writable();
    html! {
        h3 { "提问" }
        ul #questions {
            @for q in &b.questions {
                li {
                    (q.body)
                    @if q.anonymous { span.muted { "（匿名）" } }
                    @if let Some(a) = &q.answer { br; span.muted { "答复：" (a) } }
                    @else if q.answered_at.is_some() { " " span.badge { "已当场答复" } }
                    @else if writable {
                        form.row method="post" action=(f.action(&format!("questions/{}/answer", q.id))) {
                            (f.csrf())
                            input type="text" name="text" placeholder="答复（可留空：已当场答复）" aria-label="答复";
                            button.plain { "答复" }
                        }
                    }
                }
            }
        }
    }
}

fn minutes(b: &Board, f: &Frame) -> Markup {
    let kind = f.wrong("text").map_or("note", |p| p.choice.as_str());
    html! {
        h3 { "纪要" }
        @if b.draft.is_empty() { p.muted { "还没有记录。" } }
        ul #draft {
            @for e in &b.draft {
                li {
                    @if e.kind == EntryKind::Decision { span.badge { "决议" } " " }
                    @if let Some(p) = e.agenda_position { span.muted { "第 " (p) " 项 · " } }
                    (e.body)
                }
            }
        }
        form #minutes-form method="post" action=(f.action("minutes")) {
            (f.csrf())
            div.row {
                @for (value, label) in [("note", "记录"), ("decision", "决议"), ("task", "任务")] {
                    label.inline { input type="radio" name="kind" value=(value) checked[kind == value]; " " (label) }
                }
            }
            input #minutes-text type="text" name="text" value=(f.typed("text")) placeholder="记在当前议程下（决议会请在场的人表态）" aria-label="纪要内容";
            div.row {
                label for="task-owner" { "任务负责人" }
                select #task-owner name="owner" {
                    option value="" { "（布置任务时选择）" }
                    @for seat in &b.roster { option value=(seat.person) { (seat.name) } }
                }
                label for="task-due" { "截止" }
                input #task-due type="date" name="due";
            }
            (f.refusal("text"))
            button #minutes-button { "记下" }
        }
        @if b.may_publish() {
            form #publish method="post" action=(f.action("minutes/publish")) {
                (f.csrf())
                button #publish-minutes { "发布纪要" }
                span.muted { " 发布后发给所有参会人，不能再修改。" }
            }
        }
    }
}

fn ballots(b: &Board, f: &Frame) -> Markup {
    html! {
        h3 { "待表态的决议" }
        @for ballot in &b.ballots {
            @let s = &ballot.standing;
            div.ballot id={ "ballot-" (s.entry.id) } {
                p { span.badge { "决议" } " " (s.entry.body) }
                p.muted {
                    "同意 " (s.tally.agreed.len()) "，异议 " (s.tally.objected.len()) "，未表态 " (s.tally.silent.len())
                    @match ballot.mine {
                        Some(Vote::Agree) => { " · 你已同意" }
                        Some(Vote::Object) => { " · 你已提出异议" }
                        None => {}
                    }
                }
                @if ballot.may_vote {
                    form.row method="post" action=(f.action(&format!("decisions/{}/vote", s.entry.id))) {
                        (f.csrf())
                        button name="vote" value="agree" { "同意" }
                        input type="text" name="reason" placeholder="异议理由" aria-label="异议理由";
                        button.plain name="vote" value="object" { "异议" }
                    }
                } @else {
                    p.muted { "签到后可以表态。" }
                }
            }
        }
        (f.refusal("vote"))
    }
}

fn ask(f: &Frame) -> Markup {
    html! {
        h3 { "提问" }
        form #ask-form method="post" action=(f.action("ask")) {
            (f.csrf())
            input #ask-text type="text" name="text" value=(f.typed("question")) placeholder="向主持人提问" aria-label="提问";
            (f.refusal("question"))
            div.row {
                label.inline { input type="checkbox" name="anonymous" value="1"; " 匿名" }
                button #ask-button { "提问" }
            }
        }
    }
}

fn help(f: &Frame) -> Markup {
    html! {
        h3 { "现场求助" }
        form.row #help-form method="post" action=(f.action("help")) {
            (f.csrf())
            input #help-text type="text" name="text" value=(f.typed("help")) placeholder="例如：投影没有信号" aria-label="求助";
            button.plain #help-button { "求助" }
        }
        (f.refusal("help"))
    }
}
