//! Command line: `huiwu serve`, `migrate`, `sim`, `demo`, `menu`, `qrcode`.

use crate::config::Settings;
use crate::operator;
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
    /// The Official Account menu
    Menu {
        #[command(subcommand)]
        action: MenuCommand,
    },
    /// Fill a fresh database, through the running server's admin API, with the README
    /// walkthrough's staff, room and a published meeting starting within 15 minutes
    Demo {
        /// Server base URL (default server.public_url)
        #[arg(long)]
        url: Option<url::Url>,
    },
    /// Official Account QR codes
    Qrcode {
        #[command(subcommand)]
        action: QrCommand,
    },
}

#[derive(Subcommand)]
enum MenuCommand {
    /// Check FILE against WeChat's limits and make it the menu
    Push {
        #[arg(default_value = "config/menu.toml")]
        file: PathBuf,
    },
    /// Check FILE against WeChat's limits without sending it
    Check {
        #[arg(default_value = "config/menu.toml")]
        file: PathBuf,
    },
    /// Print the menu WeChat has now
    Show,
    /// Remove the menu
    Delete,
}

#[derive(Subcommand)]
enum QrCommand {
    /// A temporary QR code that checks people in to a meeting (valid until it ends)
    Checkin {
        meeting_id: crate::meetings::MeetingId,
    },
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
        Command::Menu { action } => {
            let out = match action {
                MenuCommand::Check { file } => operator::load_menu(&file).map(|m| {
                    format!(
                        "{} is a valid menu with {} buttons",
                        file.display(),
                        m.button.len()
                    )
                }),
                MenuCommand::Push { file } => {
                    runtime.block_on(operator::menu_push(&settings, &file))
                }
                MenuCommand::Show => runtime.block_on(operator::menu_show(&settings)),
                MenuCommand::Delete => runtime.block_on(operator::menu_delete(&settings)),
            }?;
            println!("{out}");
        }
        Command::Demo { url } => {
            println!("{}", runtime.block_on(crate::demo::run(&settings, url))?);
        }
        Command::Qrcode {
            action: QrCommand::Checkin { meeting_id },
        } => {
            println!(
                "{}",
                runtime.block_on(operator::checkin_qrcode(&settings, meeting_id))?
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(&settings, AppOptions::default()).await?;
    println!("listening on {}", app.address());
    tracing::info!(
        address = %app.address(),
        database = %settings.database.url.described(),
        "huiwu started"
    );
    app.run_until_stopped().await?;
    tracing::info!("huiwu stopped");
    Ok(())
}
