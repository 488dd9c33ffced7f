//! Command line: `huiwu serve`, `huiwu migrate`, `huiwu sim`.

use crate::config::Settings;
use crate::sim::{self, SimAction};
use crate::startup::{self, AppOptions, Application};
use crate::telemetry;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "huiwu",
    version,
    about = "Meetings run inside WeChat and WeCom"
)]
struct Cli {
    /// Configuration file (default config/default.toml; HUIWU__SECTION__KEY overrides keys)
    #[arg(long, global = true, env = "HUIWU_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (applies pending migrations first)
    Serve,
    /// Apply pending database migrations and exit
    Migrate,
    /// Play WeChat: send one signed (encrypted) callback to the server and print the reply
    Sim(SimArgs),
}

#[derive(clap::Args)]
struct SimArgs {
    /// Simulate the WeCom app instead of the Official Account
    #[arg(long)]
    wecom: bool,
    /// Sender: an openid (Official Account) or a userid (WeCom)
    #[arg(long = "as", value_name = "ID")]
    as_user: String,
    /// Server base URL (default server.public_url)
    #[arg(long)]
    url: Option<url::Url>,
    #[command(subcommand)]
    action: SimCommand,
}

#[derive(Subcommand)]
enum SimCommand {
    /// A text message
    Text { content: String },
    /// A menu click with this key
    Click { key: String },
    /// Scan a parametric QR code with this scene (WeCom: a scancode_waitmsg scan)
    Scan { scene: String },
    /// Follow the account, optionally by scanning a QR code with this scene
    Subscribe {
        #[arg(long)]
        scene: Option<String>,
    },
    /// Unfollow the account
    Unsubscribe,
    /// Click a template-card button with this key (WeCom)
    CardClick { key: String },
}

impl From<SimCommand> for SimAction {
    fn from(c: SimCommand) -> Self {
        match c {
            SimCommand::Text { content } => SimAction::Text(content),
            SimCommand::Click { key } => SimAction::Click(key),
            SimCommand::Scan { scene } => SimAction::Scan(scene),
            SimCommand::Subscribe { scene } => SimAction::Subscribe { scene },
            SimCommand::Unsubscribe => SimAction::Unsubscribe,
            SimCommand::CardClick { key } => SimAction::CardClick(key),
        }
    }
}

pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match cli.command {
        Command::Serve => {
            telemetry::init(&settings.log);
            runtime.block_on(serve(settings))?;
        }
        Command::Migrate => {
            telemetry::init(&settings.log);
            runtime.block_on(startup::open_database(&settings))?;
            println!("migrations applied to {:?}", settings.database.url);
        }
        Command::Sim(args) => {
            let reply = runtime.block_on(sim::run(
                &settings,
                args.wecom,
                &args.as_user,
                args.url,
                args.action.into(),
            ))?;
            println!("{reply}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(&settings, AppOptions::default()).await?;
    println!("listening on {}", app.address());
    tracing::info!(address = %app.address(), database = ?settings.database.url, "huiwu started");
    app.run_until_stopped().await?;
    tracing::info!("huiwu stopped");
    Ok(())
}
