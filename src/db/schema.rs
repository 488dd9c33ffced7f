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
