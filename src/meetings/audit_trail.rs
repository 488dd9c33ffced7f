//! Reading the audit log back for the confidentiality officer (保密管理组): through which door
//! an entry came and what it read, in words. Chat reads are `chat_<command>`, staff pages
//! `page_<page>`, the admin API and the console `read_<what>`, the console's own pages
//! `console_<page>`, the admin API's list `list_meetings`; the rest are changes.

/// Prefixes of reads, by door.
const READ_PREFIXES: [&str; 4] = ["chat_", "page_", "read_", "console_"];

/// Whether the entry is a read of the meeting's content rather than a change to it.
pub fn is_read(action: &str) -> bool {
    READ_PREFIXES.iter().any(|p| action.starts_with(p))
        || matches!(action, "reveal_asker" | "list_meetings")
}

/// The door in words: 聊天, 网页, 管理接口 (the admin token), 后台 (the console), or 修改.
pub fn door_zh(actor: &str, action: &str) -> &'static str {
    if action.starts_with("chat_") || action == "reveal_asker" {
        "聊天"
    } else if action.starts_with("page_") {
        "网页"
    } else if (action.starts_with("read_") || action == "list_meetings") && actor == "admin" {
        "管理接口"
    } else if action.starts_with("read_") || action.starts_with("console_") {
        "后台"
    } else {
        "修改"
    }
}

/// What the entry read or did, in words where huiwu has them.
pub fn what_zh(action: &str) -> String {
    if let Some(command) = action.strip_prefix("chat_") {
        return format!("「{command}」");
    }
    let known = [
        ("page_meeting", "会议页面"),
        ("page_answer", "回复邀请"),
        ("page_feedback", "会后反馈"),
        ("page_delegate", "委托参会"),
        ("read_meeting", "会议详情"),
        ("read_minutes", "纪要"),
        ("read_participants", "参会名单"),
        ("read_materials", "材料"),
        ("read_calendar", "日历"),
        ("read_attendance", "出席报告"),
        ("read_feedback", "反馈报告"),
        ("read_action_items", "待办"),
        ("read_questions", "提问"),
        ("read_help_requests", "求助"),
        ("read_audit", "审计记录"),
        ("console_read", "会议页面"),
        ("console_list", "会议列表"),
        ("console_reports", "会议报告"),
        ("list_meetings", "会议列表"),
        ("reveal_asker", "谁提问"),
        ("create_meeting", "创建会议"),
        ("publish_meeting", "发布会议"),
        ("update_meeting", "修改会议"),
        ("revise_meeting", "修改会议"),
        ("change_agenda", "修改议程"),
        ("add_material", "添加材料"),
        ("remove_material", "删除材料"),
        ("start_meeting", "开始会议"),
        ("next_agenda_item", "下一项议程"),
        ("end_meeting", "结束会议"),
        ("close_meeting", "发布纪要"),
        ("reopen_meeting", "重新打开纪要"),
        ("cancel_meeting", "取消会议"),
        ("accept_topic", "采纳议题"),
        ("decline_topic", "不采纳议题"),
        ("propose_topic", "提议议题"),
        ("add_checklist_item", "添加筹备项"),
        ("change_checklist_item", "修改筹备项"),
        ("remove_checklist_item", "删除筹备项"),
        ("tick_checklist_item", "完成筹备项"),
        ("add_milestone", "添加里程碑"),
        ("add_participant", "邀请参会人"),
        ("remove_participant", "移除参会人"),
        ("answer_invitation", "回复邀请"),
        ("delegate", "委托参会"),
        ("check_in", "签到"),
        ("write_minutes", "记录纪要"),
        ("edit_minutes", "修改纪要"),
        ("assign_action_item", "布置任务"),
        ("update_action_item", "修改任务"),
        ("close_decision", "定论决议"),
        ("vote_decision", "表态决议"),
        ("ask_question", "提问"),
        ("answer_question", "答复提问"),
        ("ask_help", "现场求助"),
        ("take_help", "接手求助"),
        ("resolve_help", "解决求助"),
        ("read_deliveries", "送达报告"),
        ("create_room", "新增会议室"),
        ("update_room", "修改会议室"),
        ("deactivate_room", "停用会议室"),
        ("issue_display_key", "生成门口屏链接"),
        ("revoke_display_key", "收回门口屏链接"),
        ("push_oa", "推送公众号菜单"),
        ("push_wecom", "推送企业微信菜单"),
        ("import_people", "导入人员"),
        ("create_person", "新增人员"),
        ("update_person", "修改人员"),
        ("deactivate_person", "停用人员"),
        ("change_binding", "变更绑定或权限"),
        ("bind_request", "申请绑定"),
        ("bind_code_wrong", "绑定码错误"),
        ("bind", "绑定"),
        ("issue_bind_code", "生成绑定码"),
        ("reject_bind", "拒绝绑定申请"),
        ("issue_console_link", "后台登录链接"),
        ("revoke_calendar_feed", "重置日历订阅地址"),
        ("page_run", "现场操作"),
        ("page_board", "会议现场"),
        ("extend_agenda_item", "延长议程"),
    ];
    // `update_person:12` and the like: the action, then whom or what it was about.
    let (name, about) = match action.split_once(':') {
        Some((name, about)) => (name, Some(about)),
        None => (action, None),
    };
    match (known.iter().find(|(a, _)| *a == name), about) {
        (Some((_, zh)), Some(about)) => format!("{zh}（#{about}）"),
        (Some((_, zh)), None) => (*zh).to_owned(),
        (None, _) => action.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_door_is_named() {
        assert_eq!(door_zh("person:3", "chat_会议"), "聊天");
        assert_eq!(door_zh("person:3", "page_meeting"), "网页");
        assert_eq!(door_zh("admin", "read_minutes"), "管理接口");
        assert_eq!(door_zh("person:4", "read_attendance"), "后台");
        assert_eq!(door_zh("person:4", "update_meeting"), "修改");
        assert!(is_read("chat_纪要") && !is_read("publish_meeting"));
        for read in [
            "console_read",
            "console_list",
            "console_reports",
            "list_meetings",
        ] {
            assert!(is_read(read), "{read} is a read");
        }
        assert_eq!(door_zh("person:4", "console_read"), "后台");
        assert_eq!(door_zh("admin", "list_meetings"), "管理接口");
        assert_eq!(what_zh("chat_纪要"), "「纪要」");
        assert_eq!(what_zh("read_minutes"), "纪要");
        assert_eq!(what_zh("change_binding:12"), "变更绑定或权限（#12）");
        assert_eq!(what_zh("something_new"), "something_new");
    }
}

/// Entries (newest first) with repeated reads folded: the same person reading the same
/// meeting the same way within a minute is one line, with how many times. `key` gives each
/// entry's (actor, action, meeting, at in ms). Changes are never folded.
pub fn fold_repeated_reads<T>(
    entries: &[T],
    key: impl Fn(&T) -> (&str, &str, Option<i64>, i64),
) -> Vec<(&T, usize)> {
    let mut folded: Vec<(&T, usize)> = Vec::new();
    for e in entries {
        let (actor, action, meeting, at) = key(e);
        if let Some((first, times)) = folded.last_mut() {
            let (f_actor, f_action, f_meeting, f_at) = key(first);
            if is_read(action)
                && (actor, action, meeting) == (f_actor, f_action, f_meeting)
                && (f_at - at).abs() < 60_000
            {
                *times += 1;
                continue;
            }
        }
        folded.push((e, 1));
    }
    folded
}

#[cfg(test)]
mod folding {
    use super::fold_repeated_reads;

    #[test]
    fn repeated_reads_within_a_minute_are_one_line_and_changes_never_fold() {
        let entries = [
            ("person:1", "page_board", Some(7), 100_000),
            ("person:1", "page_board", Some(7), 85_000),
            ("person:1", "page_board", Some(7), 70_000),
            ("person:1", "page_board", Some(7), 10_000),
            ("person:2", "page_board", Some(7), 9_000),
            ("person:2", "update_meeting", Some(7), 8_000),
            ("person:2", "update_meeting", Some(7), 7_000),
        ];
        let folded = fold_repeated_reads(&entries, |e| (e.0, e.1, e.2, e.3));
        let shown: Vec<(i64, usize)> = folded.iter().map(|(e, n)| (e.3, *n)).collect();
        assert_eq!(
            shown,
            [
                (100_000, 3),
                (10_000, 1),
                (9_000, 1),
                (8_000, 1),
                (7_000, 1)
            ]
        );
    }
}
