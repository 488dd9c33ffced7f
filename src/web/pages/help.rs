//! `/help`: every chat command with its example, grouped as `帮助 <组>` groups them; for a
//! signed-in reader, the commands they may use, as the chat help offers them.

use super::layout;
use super::session::Reader;
use super::{PageError, Pages};
use crate::bot::command::{Audience, Group, COMMANDS};
use crate::bot::{help_asker as asker, HelpAsker as Asker};
use crate::db::{people, Db};
use actix_web::{web, HttpResponse};
use maud::html;

fn who_may(audience: Audience) -> String {
    match audience {
        Audience::Everyone => "所有人".into(),
        Audience::Unbound => "尚未绑定的关注者".into(),
        Audience::Person => "员工".into(),
        Audience::Duty(duty) => duty.holders_zh().to_owned(),
        Audience::Console => "管理员和会务组".into(),
    }
}

pub async fn show(
    reader: Reader,
    pages: web::Data<Pages>,
    db: web::Data<Db>,
) -> Result<HttpResponse, PageError> {
    let (now, tz) = (pages.clock.now(), pages.notices.tz);
    let asker: Option<Asker> = match reader.session(&pages, &db).await? {
        Some(session) => {
            let id = session.person_id;
            db.run(move |c| {
                let Some(who) = people::get(c, id)? else {
                    return Ok(None);
                };
                Ok(Some(asker(c, &who, now, tz)?))
            })
            .await?
        }
        None => None,
    };
    let body = html! {
        section {
            h1 { "聊天命令" }
            p { "在公众号或企业微信里发送命令。[id] 为会议编号，只有一个会议时可省略；#12 在任何命令里都指会议 12。发送「帮助 组名」（例如：帮助 会中）只看一组。" }
            @if asker.is_some() { p.muted { "下面是你现在可以使用的命令。" } }
        }
        @for group in Group::ALL {
            @let specs: Vec<_> = COMMANDS.iter().filter(|s| s.group == group && asker.as_ref().is_none_or(|a| a.may_use(s))).collect();
            @if !specs.is_empty() {
                section {
                    h2 { (group.title()) }
                    dl.commands {
                        @for s in specs {
                            dt { code { (s.usage()) } " " span.muted { (s.en) } }
                            dd {
                                (s.summary)
                                @if asker.is_none() { span.muted { "（" (who_may(s.audience)) "）" } }
                                br;
                                "例如：" code { (s.example) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(layout::page("聊天命令", body).into_string()))
}
