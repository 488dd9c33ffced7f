-- When the meeting actually started and ended (开始 / 结束), against the planned starts_at and
-- ends_at: the on-time start rate and delays are computed from these facts.
ALTER TABLE meetings ADD COLUMN started_at BIGINT;
ALTER TABLE meetings ADD COLUMN ended_at BIGINT;
