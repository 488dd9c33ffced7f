// Kept in step with migrations/sqlite and migrations/postgres (diesel print-schema layout).

diesel::table! {
    callback_receipts (channel, dedupe_key) {
        channel -> Text,
        dedupe_key -> Text,
        claim_token -> Text,
        claimed_at -> BigInt,
        completed_at -> Nullable<BigInt>,
        reply -> Nullable<Text>,
        replied_later -> Bool,
    }
}

diesel::table! {
    deferred_replies (id) {
        id -> BigInt,
        channel -> Text,
        dedupe_key -> Text,
        to_user -> Text,
        agent_id -> Nullable<Text>,
        reply -> Text,
        status -> Text,
        created_at -> BigInt,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    people (id) {
        id -> BigInt,
        name -> Text,
        employee_no -> Text,
        department -> Text,
        openid -> Nullable<Text>,
        wecom_userid -> Nullable<Text>,
        is_admin -> Bool,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
        oa_unfollowed_at -> Nullable<BigInt>,
        is_organizer -> Bool,
    }
}

diesel::table! {
    rooms (id) {
        id -> BigInt,
        name -> Text,
        location -> Text,
        capacity -> Integer,
        equipment -> Text,
        active -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    meetings (id) {
        id -> BigInt,
        title -> Text,
        goal -> Text,
        starts_at -> BigInt,
        ends_at -> BigInt,
        room_id -> Nullable<BigInt>,
        place -> Text,
        online_link -> Nullable<Text>,
        confidential -> Bool,
        briefing -> Text,
        equipment_needs -> Text,
        status -> Text,
        sequence -> Integer,
        cancel_reason -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        text_checkin -> Bool,
        prep_meeting -> Bool,
        started_at -> Nullable<BigInt>,
        ended_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    meeting_roles (meeting_id, person_id, role) {
        meeting_id -> BigInt,
        person_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    agenda_items (meeting_id, position) {
        meeting_id -> BigInt,
        position -> Integer,
        title -> Text,
        presenter_id -> Nullable<BigInt>,
        minutes -> Integer,
        started_at -> Nullable<BigInt>,
        ended_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(meetings -> rooms (room_id));
diesel::joinable!(meeting_roles -> meetings (meeting_id));
diesel::joinable!(agenda_items -> meetings (meeting_id));

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> BigInt,
        actor -> Text,
        action -> Text,
        meeting_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    participants (meeting_id, person_id) {
        meeting_id -> BigInt,
        person_id -> BigInt,
        rsvp -> Text,
        rsvp_reason -> Nullable<Text>,
        rsvp_at -> Nullable<BigInt>,
        delegate_id -> Nullable<BigInt>,
        checked_in_at -> Nullable<BigInt>,
        checked_in_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    minutes_entries (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        agenda_position -> Nullable<Integer>,
        kind -> Text,
        body -> Text,
        author_id -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    minutes_reads (meeting_id, person_id) {
        meeting_id -> BigInt,
        person_id -> BigInt,
        read_at -> BigInt,
    }
}

diesel::table! {
    action_items (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        decision_id -> Nullable<BigInt>,
        title -> Text,
        owner_id -> BigInt,
        due_on -> Text,
        status -> Text,
        created_by -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    action_progress (id) {
        id -> BigInt,
        action_item_id -> BigInt,
        author_id -> BigInt,
        body -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    feedback (meeting_id, person_id) {
        meeting_id -> BigInt,
        person_id -> BigInt,
        rating -> Integer,
        comment -> Text,
        submitted_at -> BigInt,
    }
}

diesel::table! {
    app_secrets (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::joinable!(participants -> meetings (meeting_id));
diesel::joinable!(action_items -> meetings (meeting_id));
diesel::allow_tables_to_appear_in_same_query!(
    meetings,
    rooms,
    meeting_roles,
    agenda_items,
    people,
    participants,
    minutes_entries,
    action_items
);

diesel::table! {
    pending_checkins (openid) {
        openid -> Text,
        code -> Text,
        scanned_at -> BigInt,
    }
}

diesel::table! {
    access_tokens (app) {
        app -> Text,
        token -> Nullable<Text>,
        expires_at -> BigInt,
        lease_owner -> Nullable<Text>,
        lease_until -> BigInt,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        dedupe_key -> Text,
        channel -> Text,
        kind -> Text,
        meeting_id -> Nullable<BigInt>,
        person_id -> Nullable<BigInt>,
        recipient -> Text,
        api_path -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        lease_until -> BigInt,
        last_error -> Nullable<Text>,
        wechat_msgid -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    api_pauses (api) {
        api -> Text,
        until -> BigInt,
        reason -> Text,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        dedupe_key -> Text,
        kind -> Text,
        meeting_id -> Nullable<BigInt>,
        action_item_id -> Nullable<BigInt>,
        due_at -> BigInt,
        status -> Text,
        lease_until -> BigInt,
        note -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        params -> Nullable<Text>,
    }
}

diesel::table! {
    materials (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        title -> Text,
        url -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    calendar_feeds (person_id) {
        person_id -> BigInt,
        generation -> Integer,
        updated_at -> BigInt,
    }
}

diesel::table! {
    oauth_states (state) {
        state -> Text,
        next_path -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    room_display_keys (room_id) {
        room_id -> BigInt,
        key_hash -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    console_links (token_hash) {
        token_hash -> Text,
        person_id -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        asker_id -> BigInt,
        anonymous -> Bool,
        body -> Text,
        agenda_position -> Nullable<Integer>,
        asked_at -> BigInt,
        answered_by -> Nullable<BigInt>,
        answered_at -> Nullable<BigInt>,
        answer -> Nullable<Text>,
    }
}

diesel::table! {
    help_requests (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        asker_id -> BigInt,
        body -> Text,
        asked_at -> BigInt,
        taken_by -> Nullable<BigInt>,
        taken_at -> Nullable<BigInt>,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    checklist_items (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        title -> Text,
        owner_id -> BigInt,
        due_at -> BigInt,
        kind -> Nullable<Text>,
        done_at -> Nullable<BigInt>,
        done_by -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    series (id) {
        id -> BigInt,
        title -> Text,
        template -> Text,
        rule -> Text,
        status -> Text,
        sequence -> Integer,
        split_from -> Nullable<BigInt>,
        announced -> Bool,
        end_reason -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    series_occurrences (meeting_id) {
        meeting_id -> BigInt,
        series_id -> BigInt,
        occurrence_date -> Text,
        detached -> Bool,
    }
}

diesel::table! {
    series_answers (series_id, person_id) {
        series_id -> BigInt,
        person_id -> BigInt,
        rsvp -> Text,
        reason -> Nullable<Text>,
        answered_at -> BigInt,
    }
}

diesel::table! {
    topics (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        proposer_id -> BigInt,
        body -> Text,
        status -> Text,
        minutes -> Nullable<Integer>,
        reason -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        proposed_at -> BigInt,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    decision_votes (id) {
        id -> BigInt,
        entry_id -> BigInt,
        person_id -> BigInt,
        vote -> Text,
        reason -> Nullable<Text>,
        voted_at -> BigInt,
    }
}

diesel::table! {
    decision_outcomes (entry_id) {
        entry_id -> BigInt,
        outcome -> Text,
        closed_by -> Nullable<BigInt>,
        closed_at -> BigInt,
    }
}

diesel::table! {
    material_reads (material_id, person_id) {
        material_id -> BigInt,
        person_id -> BigInt,
        first_at -> BigInt,
        last_at -> BigInt,
        opened -> Integer,
    }
}

diesel::table! {
    milestones (id) {
        id -> BigInt,
        action_item_id -> BigInt,
        title -> Text,
        due_on -> Text,
        done_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        person_id -> Nullable<BigInt>,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    bind_codes (person_id) {
        person_id -> BigInt,
        code_hash -> Text,
        issued_by -> Text,
        issued_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    bind_requests (openid) {
        openid -> Text,
        person_id -> BigInt,
        requested_at -> BigInt,
    }
}

diesel::table! {
    bind_failures (id) {
        id -> BigInt,
        openid -> Text,
        person_id -> BigInt,
        at -> BigInt,
    }
}
