//! The scheduler: plans a meeting's and an action item's jobs when they are published or
//! created, and runs due jobs, each once across instances, each in one transaction with the
//! messages it queues. Conditions are checked when a job runs, not when it was planned: a
//! person who declined gets no reminder, a finished action item no chaser, a meeting that has
//! started no late reminder.
mod checklist_jobs;
mod damaged_series;
mod digest;
mod meeting_jobs;
mod monthly;
mod send;
mod task_jobs;

use crate::clock::Clock;
use crate::db::jobs::{self, JobRow};
use crate::db::{Db, DbConn, DbError};
use crate::meetings::job::Job;
use crate::outbox::notices::NoticeSettings;
use chrono::{DateTime, Utc};
use damaged_series::DamagedSeries;
use diesel::Connection;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

const LEASE_MS: i64 = 60_000;
const BATCH: i64 = 100;
const IDLE_POLL: std::time::Duration = std::time::Duration::from_secs(5);

/// What became of a job.
enum End {
    Done(usize),
    Dropped(String),
    Postponed(DateTime<Utc>),
}

/// Kept up on every tick besides the due jobs, in a transaction of its own: the occurrences of
/// recurring meetings, made `horizon_days` ahead as the days pass (`ops::series::extend_all`).
#[derive(Debug, Clone, Copy)]
pub struct SeriesUpkeep {
    pub booking_buffer: chrono::Duration,
    pub late_grace: chrono::Duration,
    pub horizon_days: u32,
}

pub struct Scheduler {
    db: Db,
    clock: Arc<dyn Clock>,
    settings: Arc<NoticeSettings>,
    /// The outbox worker's bell.
    outbox: Arc<Notify>,
    series: Option<SeriesUpkeep>,
    damaged_series: Mutex<DamagedSeries>,
}

impl Scheduler {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        settings: Arc<NoticeSettings>,
        outbox: Arc<Notify>,
    ) -> Arc<Self> {
        Arc::new(Self {
            db,
            clock,
            settings,
            outbox,
            series: None,
            damaged_series: Mutex::default(),
        })
    }

    /// A scheduler that also keeps recurring meetings' occurrences made ahead.
    pub fn with_series(
        db: Db,
        clock: Arc<dyn Clock>,
        settings: Arc<NoticeSettings>,
        outbox: Arc<Notify>,
        series: SeriesUpkeep,
    ) -> Arc<Self> {
        Arc::new(Self {
            db,
            clock,
            settings,
            outbox,
            series: Some(series),
            damaged_series: Mutex::default(),
        })
    }

    pub async fn run(self: Arc<Self>) {
        loop {
            match self.tick().await {
                Ok(0) => tokio::time::sleep(IDLE_POLL).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "scheduler cannot reach the database");
                    tokio::time::sleep(IDLE_POLL).await;
                }
            }
        }
    }

    /// Runs every due job; returns how many ran (done, dropped or postponed).
    pub async fn tick(&self) -> Result<usize, DbError> {
        let settings = self.settings.clone();
        let now = self.clock.now();
        self.db
            .run(move |c| {
                crate::outbox::planner::plan_digest(c, &settings, now)?;
                crate::outbox::planner::plan_monthly(c, &settings, now)
            })
            .await?;
        let mut total = 0;
        if let Some(series) = self.series {
            let env = crate::ops::Env {
                notices: self.settings.clone(),
                booking_buffer: series.booking_buffer,
                late_grace: series.late_grace,
                now,
            };
            let made = self.db.run(move |c| {
                c.transaction(|c| {
                    crate::ops::series::extend_all(c, &env, series.horizon_days).map_err(
                        |e| match e {
                            crate::ops::OpsError::Db(e) => e,
                            e => DbError::Worker(format!("recurring meetings not extended: {e}")),
                        },
                    )
                })
            });
            // A failed upkeep is logged and tried again next tick; due jobs still run.
            match made.await {
                Ok(upkeep) => {
                    if upkeep.made > 0 {
                        tracing::info!(made = upkeep.made, "scheduler upkeep");
                        total += upkeep.made;
                    }
                    self.report_damaged_series(&upkeep.damaged);
                }
                Err(e) => tracing::error!(error = %e, "scheduler upkeep failed"),
            }
        }
        loop {
            let now = self.clock.now();
            let now_ms = now.timestamp_millis();
            let due = self
                .db
                .run(move |c| jobs::claim(c, now_ms, LEASE_MS, BATCH))
                .await?;
            if due.rows.is_empty() && due.set_aside.is_empty() {
                break;
            }
            for (id, error) in &due.set_aside {
                super::set_aside("jobs", id, error);
            }
            total += due.rows.len() + due.set_aside.len();
            for job in due.rows {
                let settings = self.settings.clone();
                let id = job.id;
                let kind = job.job.name();
                let run = self
                    .db
                    .run(move |c| {
                        c.transaction(|c| {
                            let end = run_job(c, &settings, &job, now)?;
                            match &end {
                                End::Done(n) => jobs::finish(
                                    c,
                                    id,
                                    jobs::Finished::Done(&format!("{n} messages")),
                                    now_ms,
                                )?,
                                End::Dropped(why) => {
                                    jobs::finish(c, id, jobs::Finished::Dropped(why), now_ms)?
                                }
                                End::Postponed(at) => {
                                    jobs::postpone(c, id, at.timestamp_millis(), now_ms)?
                                }
                            }
                            Ok(end)
                        })
                    })
                    .await;
                let end = match run {
                    Ok(end) => end,
                    // A damaged row stops this job, not the ones behind it (they would wait
                    // for it on every round, as it is always the oldest due).
                    Err(DbError::Corrupt(error)) => {
                        super::set_aside("jobs", id, &error);
                        self.db
                            .run(move |c| {
                                jobs::finish(c, id, jobs::Finished::Failed(&error), now_ms)
                            })
                            .await?;
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                match end {
                    End::Done(n) => {
                        tracing::info!(job = %id, kind = %kind, messages = n, "job done")
                    }
                    End::Dropped(why) => {
                        tracing::info!(job = %id, kind = %kind, why = %why, "job dropped")
                    }
                    End::Postponed(at) => {
                        tracing::debug!(job = %id, kind = %kind, until = %at, "job waits out quiet hours")
                    }
                }
            }
            self.outbox.notify_one();
        }
        Ok(total)
    }
}

impl Scheduler {
    /// Says once that a series cannot be extended (logged with the error, counted as set
    /// aside), and once that it can be again; the upkeep keeps trying it every tick.
    fn report_damaged_series(&self, now: &[(crate::meetings::SeriesId, String)]) {
        let mut seen = self
            .damaged_series
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let news = seen.after_round(now);
        for (id, error) in news.damaged {
            super::set_aside("series", id, error);
        }
        for id in news.recovered {
            tracing::info!(series = %id, "series no longer damaged: its upkeep goes on");
        }
    }
}

/// One job, by what it is about: the weekly digest, an action item, or a meeting.
fn run_job(
    c: &mut DbConn,
    s: &NoticeSettings,
    job: &JobRow,
    now: DateTime<Utc>,
) -> Result<End, DbError> {
    match job.job {
        Job::WeeklyDigest => digest::run(c, s, job, now),
        Job::MonthlyReport => monthly::run(c, s, job, now),
        Job::Milestone { milestone, stage } => {
            task_jobs::milestone(c, s, job, milestone, stage, now)
        }
        Job::ChecklistOverdue { item } => checklist_jobs::run(c, s, job, item, now),
        Job::TaskEve { due }
        | Job::TaskDue { due }
        | Job::TaskOverdue { due }
        | Job::TaskEscalation { due } => task_jobs::run(c, s, job, due, now),
        _ => meeting_jobs::run(c, s, job, now),
    }
}
