//! The meeting form drawn: pickers, rows, what to fix.

use super::form::*;
use super::lookup::shown;
use super::Target;
use crate::db::people::Person;
use crate::db::rooms::Room;
use crate::meetings::directory::FieldError;
use crate::meetings::display;
use crate::meetings::participation::Role;
use chrono_tz::Tz;
use maud::{html, Markup};

/// What the form's pickers offer: active rooms with their bookings on the form's day, and
/// active people.
pub(super) struct Choices {
    pub(super) rooms: Vec<(Room, Vec<(i64, i64)>)>,
    pub(super) people: Vec<Person>,
}

/// A room's bookings on the form's day, in words.
pub(super) fn busy_text(booked: &[(i64, i64)], tz: Tz) -> String {
    if booked.is_empty() {
        return "全天空闲".to_owned();
    }
    booked
        .iter()
        .map(|(s, e)| format!("{}–{}", display::clock(*s, tz), display::clock(*e, tz)))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn render(
    target: Target,
    form: &MeetingForm,
    errors: &[FieldError],
    choices: &Choices,
    csrf: &str,
    tz: Tz,
) -> Markup {
    let selected_room: Option<i64> = form.room_id.trim().parse().ok();
    html! {
        section {
            @match target {
                Target::New => h1 { "新建会议" },
                Target::Edit(id) => {
                    h1 { "修改会议 #" (id) }
                    p.muted { "发布后修改，参会人会收到变更通知；新加入的人收到邀请，被移出的人收到告知。" }
                }
            }
            @if !errors.is_empty() {
                div.error role="alert" {
                    "请修改后再保存："
                    ul { @for e in errors { li { (label(e.field)) "：" (message_zh(&e.message)) } } }
                }
            }
            @let action = match target {
                Target::New => "/console/meetings".to_owned(),
                Target::Edit(id) => format!("/console/meetings/{id}"),
            };
            form #meeting-form method="post" action=(action) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="version" value=(form.version);
                div.grid {
                    div { label for="title" { "会议主题" } input #title type="text" name="title" value=(form.title) required maxlength="200"; }
                    div { label for="goal" { "会议目标" } input #goal type="text" name="goal" value=(form.goal); }
                    div { label for="date" { "日期（" (tz.name()) "）" } input #date type="date" name="date" value=(form.date) required; }
                    div.row {
                        div { label for="start" { "开始" } input #start type="time" name="start" value=(form.start) required; }
                        div { label for="end" { "结束" } input #end type="time" name="end" value=(form.end) required; }
                    }
                }
                h2 { "会议室" }
                table #rooms {
                    thead { tr { th {} th { "会议室" } th { "容纳" } th { "设备" } th { "当日已占用" } } }
                    tbody {
                        tr {
                            td { input type="radio" name="room_id" value="" checked[selected_room.is_none()] aria-label="不用会议室"; }
                            td { "不用会议室（填写地点或线上链接）" } td {} td {} td {}
                        }
                        @for (room, booked) in &choices.rooms {
                            tr {
                                td { input type="radio" name="room_id" value=(room.id) checked[selected_room == Some(room.id.get())] aria-label=(room.name)
                                     data-capacity=(room.capacity) data-equipment=(room.equipment_list().join("\n")); }
                                td { (room.name) @if !room.location.is_empty() { span.muted { " " (room.location) } } }
                                td { (room.capacity) " 人" }
                                td { (room.equipment_list().join("、")) }
                                td.busy data-room=(room.id) { (busy_text(booked, tz)) }
                            }
                        }
                    }
                }
                div #room-warnings {}
                div.grid {
                    div { label for="place" { "其他地点" } input #place type="text" name="place" value=(form.place); }
                    div { label for="online_link" { "线上会议链接" } input #online_link type="text" name="online_link" value=(form.online_link) placeholder="https://"; }
                    div { label for="equipment" { "所需设备（逗号分隔）" } input #equipment type="text" name="equipment" value=(form.equipment) placeholder="投影仪，视频会议"; }
                }
                p.row {
                    label { input type="checkbox" name="confidential" checked[form.confidential]; " 保密会议" }
                    label { input type="checkbox" name="text_checkin" checked[form.text_checkin]; " 允许文字签到" }
                    label { input type="checkbox" name="prep_meeting" checked[form.prep_meeting]; " 需要会前准备会（列入主持人的筹备清单）" }
                }
                h2 { "人员与角色" }
                p.muted { "输入姓名或工号，从提示中选择（显示为 姓名（工号）），多人用逗号分隔。" }
                datalist #people {
                    @for p in &choices.people {
                        option value=(shown(p)) { (p.department) }
                    }
                }
                div.grid {
                    @for (role, said) in &form.roles {
                        div {
                            label for={ "role_" (role.as_str()) } { (role.label_zh()) @if *role == Role::Host { "（必填）" } }
                            input.role id={ "role_" (role.as_str()) } type="text" name={ "role_" (role.as_str()) } value=(said) list="people" data-invited=[role.participates().then_some("1")];
                        }
                    }
                }
                h2 { "议程" }
                table #agenda {
                    thead { tr { th { "#" } th { "议题" } th { "报告人" } th { "分钟" } th {} } }
                    tbody {
                        @for (i, (title, presenter, minutes)) in form.agenda.iter().enumerate() {
                            tr.agenda-row {
                                td.n { (i + 1) }
                                td { input type="text" name={ "agenda_title_" (i) } value=(title) aria-label="议题"; }
                                td { input type="text" name={ "agenda_presenter_" (i) } value=(presenter) list="people" aria-label="报告人"; }
                                td { input.minutes type="number" min="1" max="1440" name={ "agenda_minutes_" (i) } value=(minutes) aria-label="分钟"; }
                                td { button.plain.remove-row type="button" hidden aria-label="删除这一项" { "删除" } }
                            }
                        }
                    }
                }
                button.plain #add-agenda-row type="button" hidden { "＋ 添加议程" }
                p #agenda-sum .muted {}
                h2 { "材料" }
                @for (i, (title, url)) in form.materials.iter().enumerate() {
                    div.row {
                        input type="text" name={ "material_title_" (i) } value=(title) placeholder="标题" aria-label="材料标题";
                        input type="text" name={ "material_url_" (i) } value=(url) placeholder="https://" aria-label="材料链接";
                    }
                }
                h2 { "会前说明" }
                textarea name="briefing" aria-label="会前说明" { (form.briefing) }
                @if matches!(target, Target::New) {
                    h2 { "重复" }
                    div.row #repeat-row {
                        select #repeat name="repeat" aria-label="重复" {
                            @for (value, label) in [("", "不重复"), ("weekly", "每周（同一星期几）"), ("biweekly", "每两周"), ("monthly", "每月（同一日期）")] {
                                option value=(value) selected[form.repeat == value] { (label) }
                            }
                        }
                        label.inline for="repeat_until" { "直到" }
                        input #repeat_until type="date" name="repeat_until" value=(form.repeat_until) aria-label="直到";
                        label.inline for="repeat_count" { "或共" }
                        input #repeat_count type="number" min="1" max="500" name="repeat_count" value=(form.repeat_count) aria-label="次数";
                        span { "次" }
                    }
                    p.muted { "例会保存后即发布：按规则排出近期的各次会议，邀请一次发给所有人；材料请在各次会议中添加。" }
                }
                p.row {
                    @match target {
                        Target::New => {
                            button #save-publish name="action" value="publish" { "保存并发布" }
                            button.plain #save-draft name="action" value="draft" { "保存草稿" }
                        }
                        Target::Edit(_) => button name="action" value="save" { "保存修改" },
                    }
                }
            }
        }
        script src="/static/console.js" {}
    }
}
