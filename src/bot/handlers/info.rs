//! Reading: help, my meetings, one meeting, its agenda.

use super::super::command::{Audience, CommandSpec, Group, COMMANDS};
use super::super::context::{invitation, resolve, Ctx, Seen, Want};
use super::super::error::BotError;
use super::super::format;
use crate::db::meetings::{self as store};
use crate::db::people::{self, Person};
use crate::db::{participants, DbConn};
use crate::meetings::lifecycle::MeetingStatus;
use crate::meetings::participation::{Role, Rsvp};
use crate::meetings::permissions::{self, Duty};
use crate::meetings::window::Window;
use crate::meetings::MeetingId;
use crate::meetings::PersonId;
use std::collections::{HashMap, HashSet};

/// Who asks for help, as far as the help goes: what it may offer them, and which commands
/// they most likely need now.
#[derive(Debug, Clone, Default)]
pub struct Asker {
    pub bound: bool,
    /// What they may do in some meeting that is not over (see `duties_held`).
    pub duties: Vec<Duty>,
    /// An admin or an organizer.
    pub console: bool,
    /// Chinese names of the commands they most need now (a host with a meeting today: 开始, …).
    pub now: Vec<&'static str>,
}

impl Asker {
    pub fn may_use(&self, s: &CommandSpec) -> bool {
        match s.audience {
            Audience::Everyone => true,
            Audience::Unbound => !self.bound,
            Audience::Person => self.bound,
            Audience::Duty(duty) => self.bound && self.duties.contains(&duty),
            Audience::Console => self.bound && self.console,
        }
    }

    pub fn commands(&self, group: Group) -> Vec<&'static CommandSpec> {
        COMMANDS
            .iter()
            .filter(|s| s.group == group && self.may_use(s))
            .collect()
    }
}

/// `帮助`: the groups this sender can use and the few commands they need now; `帮助 <组>`:
/// one group's commands. Each answer fits one chat bubble (2048 bytes), so nothing is cut, and
/// each links to the page with every command and its example.
pub fn help(asker: &Asker, group: Option<&str>, page: &str) -> String {
    let link = format!("\n全部命令和示例：{page}");
    if let Some(group) = group.and_then(Group::named) {
        let specs = asker.commands(group);
        if specs.is_empty() {
            return format!(
                "【{}】这一组暂时没有你可用的命令。发送「帮助」查看你可用的命令。{link}",
                group.title()
            );
        }
        let mut out = format!(
            "【{}】（[id] 为会议编号，只有一个会议时可省略；#12 在任何命令里都指会议 12）",
            group.title()
        );
        for s in specs {
            out.push_str(&format!("\n{}（{}）{}", s.usage(), s.en, s.summary));
        }
        out.push_str(&link);
        return format::truncate_bytes(out);
    }
    let mut out = String::from("会务助手：发送「帮助 组名」查看一组命令，例如：帮助 会中");
    if let Some(unknown) = group {
        // Echoed short: whatever was typed, the answer still fits one bubble.
        let shown: String = unknown.chars().take(10).collect();
        let more = if unknown.chars().count() > 10 {
            "…"
        } else {
            ""
        };
        out = format!("没有「{shown}{more}」这一组。{out}");
    }
    for g in Group::ALL {
        let specs = asker.commands(g);
        if specs.is_empty() {
            continue;
        }
        let names: Vec<&str> = specs.iter().map(|s| s.zh).collect();
        out.push_str(&format!("\n【{}】{}", g.title(), names.join("、")));
    }
    if !asker.now.is_empty() {
        let now: Vec<String> = asker
            .now
            .iter()
            .filter_map(|zh| COMMANDS.iter().find(|s| s.zh == *zh))
            .map(|s| format!("\n{}（{}）{}", s.usage(), s.en, s.summary))
            .collect();
        out.push_str("\n现在常用：");
        out.push_str(&now.concat());
    }
    out.push_str(&link);
    format::truncate_bytes(out)
}

/// The duties some command of the table is offered for.
fn duties_in_help() -> Vec<Duty> {
    let mut duties = Vec::new();
    for s in COMMANDS {
        if let Audience::Duty(d) = s.audience {
            if !duties.contains(&d) {
                duties.push(d);
            }
        }
    }
    duties
}

/// Where every command is shown with its example.
pub fn help_page(ctx: &Ctx) -> String {
    format!("{}/help", ctx.feeds.base)
}

/// What the help offers `who`: their duties, and the commands their day calls for (a host
/// with a meeting today: 开始/下一项/结束; a recorder of one running or just ended: 记录/决议/
/// 任务/发布纪要; anyone else: their meetings and the answers).
pub fn asker(
    c: &mut DbConn,
    who: &Person,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> Result<Asker, crate::db::DbError> {
    let duties = duties_held(c, who.id)?;
    let today = now.with_timezone(&tz).date_naive();
    let mut roles: HashMap<MeetingId, Vec<Role>> = HashMap::new();
    for (meeting, role) in store::roles_of_person(c, who.id)? {
        roles.entry(meeting).or_default().push(role);
    }
    let mut hosts_today = false;
    let mut records_now = false;
    for m in store::for_person(c, who.id, Window::Unfinished.statuses())? {
        let held = roles.get(&m.id).map(Vec::as_slice).unwrap_or_default();
        let day = m.starts_at.utc().with_timezone(&tz).date_naive();
        let today_or_running = day == today || m.status == MeetingStatus::InProgress;
        let runs_now = Window::Start.admits(m.status) || Window::Running.admits(m.status);
        if today_or_running && runs_now && permissions::require(Duty::RunMeeting, held).is_ok() {
            hosts_today = true;
        }
        if Window::Minutes.admits(m.status) && permissions::require(Duty::Record, held).is_ok() {
            records_now = true;
        }
    }
    let now = if hosts_today {
        vec!["开始", "下一项", "结束"]
    } else if records_now {
        vec!["记录", "决议", "任务", "发布纪要"]
    } else {
        vec!["我的会议", "确认", "请假"]
    };
    Ok(Asker {
        bound: true,
        duties,
        console: crate::ops::account::is_staff(who),
        now,
    })
}

/// The duties a person carries in at least one meeting that is not over, by their roles there.
pub fn duties_held(c: &mut DbConn, person: PersonId) -> Result<Vec<Duty>, crate::db::DbError> {
    let meetings: HashSet<MeetingId> = store::for_person(c, person, Window::Unfinished.statuses())?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let mut roles: HashMap<MeetingId, Vec<Role>> = HashMap::new();
    for (meeting, role) in store::roles_of_person(c, person)? {
        if meetings.contains(&meeting) {
            roles.entry(meeting).or_default().push(role);
        }
    }
    Ok(duties_in_help()
        .into_iter()
        .filter(|&duty| {
            roles
                .values()
                .any(|held| permissions::require(duty, held).is_ok())
        })
        .collect())
}

pub fn rsvp_zh(rsvp: &Rsvp) -> String {
    match rsvp {
        Rsvp::Pending => "未回复".into(),
        Rsvp::Accepted => "已确认".into(),
        Rsvp::Tentative => "待定".into(),
        Rsvp::Declined { reason } => format!("已请假（{reason}）"),
    }
}

fn place(c: &mut DbConn, m: &store::MeetingRow) -> Result<String, BotError> {
    Ok(store::place_description(c, m)?)
}

pub fn name(c: &mut DbConn, id: PersonId) -> Result<String, BotError> {
    Ok(people::get(c, id)?.map_or_else(|| format!("#{id}"), |p| p.name))
}

pub fn my_meetings(c: &mut DbConn, ctx: &Ctx, who: &Person) -> Result<String, BotError> {
    let mut lines = Vec::new();
    for m in store::for_person(c, who.id, Window::Upcoming.statuses())? {
        if m.ends_at.millis() <= ctx.now_ms() {
            continue;
        }
        let Some(p) = participants::get(c, m.id, who.id)? else {
            continue;
        };
        let running = if m.status == MeetingStatus::InProgress {
            "【进行中】"
        } else {
            ""
        };
        lines.push(format!(
            "#{} {}{} {} @{} [{}]",
            m.id,
            running,
            format::span(m.starts_at, m.ends_at, ctx.tz),
            m.title,
            place(c, &m)?,
            rsvp_zh(&p.rsvp)
        ));
    }
    if lines.is_empty() {
        return Ok("你近期没有会议。".into());
    }
    Ok(format::fit(
        "你的会议：",
        &lines,
        "发送「会议 id」查看详情，「确认 id」确认参加。",
    ))
}

/// A meeting still ahead or under way, where the sender takes part.
fn upcoming(command: &'static str) -> Want {
    Want {
        window: Window::Upcoming,
        duty: None,
        informed_ok: false,
        command,
    }
}

pub fn meeting(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, id, &upcoming("会议"))?;
    let m = &s.record.meeting;
    let mut out = format!(
        "#{} {}\n时间：{}\n地点：{}",
        m.id,
        m.title,
        format::span(m.starts_at, m.ends_at, ctx.tz),
        place(c, m)?
    );
    if let Some(started) = m.started_at {
        let late = (started - m.starts_at).num_minutes();
        let how = if late > 0 {
            format!("晚 {late} 分钟")
        } else {
            "准时".to_owned()
        };
        out.push_str(&format!(
            "\n实际开始：{}（{how}）",
            format::clock(started, ctx.tz)
        ));
    }
    if let Some((series, _)) = crate::ops::series::of_meeting(c, m.id)? {
        out.push_str(&format!("\n例会：{}", crate::ops::series::pattern(&series)));
    }
    if !m.goal.is_empty() {
        out.push_str(&format!("\n目标：{}", m.goal));
    }
    let hosts = s.record.holders(&[Role::Host]);
    let mut names = Vec::new();
    for h in hosts {
        names.push(name(c, h)?);
    }
    out.push_str(&format!("\n主持人：{}", names.join("、")));
    if !m.briefing.is_empty() {
        out.push_str(&format!("\n会前须知：{}", m.briefing));
    }
    for material in crate::db::materials::list(c, m.id)? {
        let url = ctx.feeds.material(material.id, who.id, ctx.now);
        out.push_str(&format!("\n材料：{} {url}", material.title));
    }
    if s.roles.contains(&Role::Host) && !m.confidential {
        // The host sees who has not opened the materials yet.
        for (material, unread) in crate::ops::reading::unread_materials(c, m.id)? {
            if unread.is_empty() {
                continue;
            }
            let mut names = Vec::new();
            for p in unread {
                names.push(name(c, p)?);
            }
            out.push_str(&format!(
                "\n未查看「{}」：{}",
                material.title,
                names.join("、")
            ));
        }
    }
    out.push_str(&format!("\n议程：{} 项", s.record.agenda.len()));
    let (done, total) = crate::ops::checklist::readiness(c, Ctx::actor(who), m.id)?;
    if total > 0 && Window::Preparation.admits(s.status) {
        out.push_str(&format!("\n筹备：{done}/{total} 项完成"));
    }
    if s.status == MeetingStatus::InProgress {
        let open = crate::ops::live::open(c, m.id)?;
        out.push_str(&format!(
            "\n会中：未答复提问 {} 条，未解决求助 {} 条",
            open.questions, open.help_requests
        ));
    }
    let status = match s.status {
        MeetingStatus::Cancelled => {
            format!("已取消（{}）", m.cancel_reason.clone().unwrap_or_default())
        }
        _ => {
            let mine = invitation(c, &s, who.id)?;
            let mut status = rsvp_zh(&mine.rsvp);
            if let Some(at) = mine.checked_in_at {
                status.push_str(&format!("，{} 已签到", format::clock(at, ctx.tz)));
            }
            status
        }
    };
    out.push_str(&format!("\n我的状态：{status}"));
    out.push_str(&format!(
        "\n发送「议程 {0}」查看议程，「确认 {0}」确认参加。",
        m.id
    ));
    Ok(format::truncate_bytes(out))
}

pub fn agenda_lines(c: &mut DbConn, s: &Seen) -> Result<Vec<String>, BotError> {
    let mut lines = Vec::new();
    for a in &s.record.agenda {
        let mark = match (a.started_at, a.ended_at) {
            (Some(_), None) => "▶ ",
            (Some(_), Some(_)) => "✓ ",
            _ => "",
        };
        let presenter = match a.presenter_id {
            Some(p) => format!("，{}", name(c, p)?),
            None => String::new(),
        };
        lines.push(format!(
            "{mark}{}. {}（{} 分钟{presenter}）",
            a.position, a.title, a.minutes
        ));
    }
    Ok(lines)
}

pub fn agenda(
    c: &mut DbConn,
    ctx: &Ctx,
    who: &Person,
    id: Option<MeetingId>,
) -> Result<String, BotError> {
    let s = resolve(c, ctx, who, id, &upcoming("议程"))?;
    let mut lines = carried_over_lines(c, s.id())?;
    lines.extend(agenda_lines(c, &s)?);
    if lines.is_empty() {
        return Ok(format!("会议 #{} 没有议程。", s.id()));
    }
    Ok(format::fit(
        &format!("#{} {} 议程：", s.id(), s.title()),
        &lines,
        "",
    ))
}

/// 上次待办: a recurring meeting's agenda starts with the action items its previous occurrence
/// left open (owner, due date, latest progress).
pub fn carried_over_lines(c: &mut DbConn, meeting: MeetingId) -> Result<Vec<String>, BotError> {
    let items = crate::ops::series::carried_over(c, meeting)?;
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let mut lines = vec!["上次待办：".to_owned()];
    for i in items {
        let progress = i
            .progress
            .map(|p| format!("，进展：{p}"))
            .unwrap_or_default();
        lines.push(format!(
            "· 任务 #{} {}（{}，{} 截止{progress}）",
            i.id, i.title, i.owner, i.due
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::format::MAX_REPLY_BYTES;

    /// Every combination of what a person may be: each command they may use is listed in the
    /// overview and reached through `帮助 <组>`, and no answer is cut.
    #[test]
    fn every_command_of_every_role_is_reachable_and_no_help_is_cut() {
        let duties = duties_in_help();
        let page = "https://huiwu.example.com/help";
        for bound in [false, true] {
            for console in [false, true] {
                for mask in 0..(1u32 << duties.len()) {
                    let held = duties
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, d)| *d)
                        .collect();
                    let asker = Asker {
                        bound,
                        duties: held,
                        console,
                        now: vec!["开始", "下一项", "结束"],
                    };
                    let overview = help(&asker, None, page);
                    assert!(
                        overview.len() <= MAX_REPLY_BYTES && !overview.ends_with('…'),
                        "{overview}"
                    );
                    assert!(overview.ends_with(page));
                    let mut reached = Vec::new();
                    for group in Group::ALL {
                        let reply = help(&asker, Some(group.title()), page);
                        assert!(
                            reply.len() <= MAX_REPLY_BYTES && !reply.ends_with('…'),
                            "{} bytes: {reply}",
                            reply.len()
                        );
                        reached.extend(
                            COMMANDS
                                .iter()
                                .filter(|s| reply.contains(&format!("{}（{}）", s.usage(), s.en)))
                                .map(|s| s.zh),
                        );
                    }
                    for s in COMMANDS.iter().filter(|s| asker.may_use(s)) {
                        assert!(
                            reached.contains(&s.zh),
                            "{} unreachable for {asker:?}",
                            s.zh
                        );
                        assert!(overview.contains(s.zh), "{} not named in {overview}", s.zh);
                    }
                    for s in COMMANDS.iter().filter(|s| !asker.may_use(s)) {
                        assert!(!reached.contains(&s.zh), "{} offered to {asker:?}", s.zh);
                    }
                }
            }
        }
    }

    #[test]
    fn a_group_is_found_by_what_people_call_it() {
        assert_eq!(Group::named("主持"), Some(Group::Running));
        assert_eq!(Group::named("【记录】"), Some(Group::Minutes));
        assert_eq!(Group::named("Tasks"), Some(Group::Tasks));
        assert_eq!(Group::named("别的"), None);
        let asker = Asker::default();
        assert!(help(&asker, Some("别的"), "/help").starts_with("没有「别的」这一组"));
    }
}
