//! One function per command; each runs inside one transaction opened by the router.

mod attend;
mod calendar;
mod checklist;
mod consensus;
mod console;
mod execution;
mod info;
mod live;
mod minutes;
mod oversight;
mod running;
mod tasks;
mod topics;

use super::command::Command;
use super::context::Ctx;
use super::error::BotError;
use crate::db::people::Person;
use crate::db::DbConn;
use crate::meetings::minutes::EntryKind;
use crate::meetings::participation::Rsvp;

pub use attend::checkin_code;
pub use info::{asker, help, help_page, Asker};
pub use minutes::latest as latest_minutes;

/// Runs a command for a known person (binding is handled before, for unbound followers).
pub fn run(c: &mut DbConn, ctx: &Ctx, who: &Person, command: Command) -> Result<String, BotError> {
    match command {
        Command::Help { group } => Ok(help(
            &asker(c, who, ctx.now, ctx.tz)?,
            group.as_deref(),
            &help_page(ctx),
        )),
        Command::Console => console::sign_in_link(c, ctx, who),
        Command::Bind { .. } => Err(BotError::AlreadyBound(who.name.clone())),
        Command::Calendar { reset } => calendar::feed(c, ctx, who, reset),
        Command::Meetings => info::my_meetings(c, ctx, who),
        Command::Meeting(id) => info::meeting(c, ctx, who, id),
        Command::Agenda(id) => info::agenda(c, ctx, who, id),
        Command::Accept { meeting, which } => {
            attend::rsvp(c, ctx, who, meeting, which, Rsvp::Accepted, "确认")
        }
        Command::Maybe { meeting, which } => {
            attend::rsvp(c, ctx, who, meeting, which, Rsvp::Tentative, "待定")
        }
        Command::Decline {
            meeting,
            which,
            reason,
        } => attend::rsvp(c, ctx, who, meeting, which, Rsvp::decline(&reason)?, "请假"),
        Command::Carry(id) => attend::carry(c, ctx, who, id),
        Command::Milestone { task, due, title } => execution::add(c, ctx, who, task, due, &title),
        Command::ReachMilestone { milestone } => execution::reach(c, ctx, who, milestone),
        Command::ExecutionPlan { decision } => execution::plan(c, ctx, who, decision),
        Command::Agree { decision } => consensus::vote(c, ctx, who, decision, None),
        Command::Object { decision, reason } => {
            consensus::vote(c, ctx, who, decision, Some(&reason))
        }
        Command::Pass { decision } => consensus::close(c, ctx, who, decision, true),
        Command::Table { decision } => consensus::close(c, ctx, who, decision, false),
        Command::Topic { meeting, text } => topics::topic(c, ctx, who, meeting, &text),
        Command::AcceptTopic { topic, minutes } => topics::accept(c, ctx, who, topic, minutes),
        Command::DeclineTopic { topic, reason } => topics::decline(c, ctx, who, topic, &reason),
        Command::Delegate { meeting, colleague } => {
            attend::delegate(c, ctx, who, meeting, &colleague)
        }
        Command::Checklist => checklist::mine(c, ctx, who),
        Command::Material {
            meeting,
            title,
            url,
        } => checklist::material(c, ctx, who, meeting, &title, &url),
        Command::TickChecklist { item } => checklist::tick(c, ctx, who, item),
        Command::CheckIn(id) => attend::checkin_text(c, ctx, who, id),
        Command::CheckInFor {
            meeting,
            employee_no,
        } => attend::checkin_for(c, ctx, who, meeting, &employee_no),
        Command::Start(id) => running::start(c, ctx, who, id),
        Command::Next => running::next(c, ctx, who),
        Command::End => running::end(c, ctx, who),
        Command::Ask { meeting, text } => live::ask(c, ctx, who, meeting, false, &text),
        Command::AskAnonymously { meeting, text } => live::ask(c, ctx, who, meeting, true, &text),
        Command::Questions(id) => live::questions(c, ctx, who, id),
        Command::Answer { question, text } => live::answer(c, ctx, who, question, &text),
        Command::Asker { question } => live::asker(c, ctx, who, question),
        Command::Audit(id) => oversight::trail(c, ctx, who, id),
        Command::AskHelp { meeting, text } => live::ask_help(c, ctx, who, meeting, &text),
        Command::TakeHelp { help } => live::take(c, ctx, who, help),
        Command::HelpResolved { help } => live::resolved(c, ctx, who, help),
        Command::Note { meeting, text } => {
            minutes::write(c, ctx, who, meeting, EntryKind::Note, &text)
        }
        Command::Decision { meeting, text } => {
            minutes::write(c, ctx, who, meeting, EntryKind::Decision, &text)
        }
        Command::Task {
            meeting,
            owner,
            due,
            title,
        } => minutes::task(c, ctx, who, meeting, &owner, due, &title),
        Command::PublishMinutes(id) => minutes::publish(c, ctx, who, id),
        Command::Minutes(id) => minutes::read(c, ctx, who, id),
        Command::Tasks => tasks::mine(c, ctx, who),
        Command::Progress { task, text } => tasks::progress(c, ctx, who, task, &text),
        Command::Done { task } => tasks::done(c, ctx, who, task),
        Command::Feedback {
            meeting,
            rating,
            comment,
        } => tasks::give_feedback(c, ctx, who, meeting, rating, &comment),
    }
}
