//! `rapport-collector`: the server (default), `validate FILE…` and `token create|revoke|list`.
//!
//! Run the demo: `cargo xtask dist && cargo run -p rapport-collector -- --dist dist --surveys surveys`,
//! then open <http://127.0.0.1:8080/>.

use std::process::ExitCode;

use clap::Parser;
use rapport_collector::config::{Cli, Command, LogFormat, ServeArgs, TokenAction};
use rapport_collector::{store, tokens, AppState, Settings};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => logs.json().init(),
        LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
    }
    if let Some(Command::Validate { files }) = &cli.command {
        let mut stdout = std::io::stdout().lock();
        return match rapport_collector::validate::run(files, &mut stdout) {
            Ok(0) => ExitCode::SUCCESS,
            Ok(_) => ExitCode::FAILURE,
            Err(err) => {
                eprintln!("rapport-collector: cannot write the report: {err}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("rapport-collector: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rapport-collector: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The server or a token command; errors as the message to print.
async fn run(cli: Cli) -> Result<(), String> {
    let Some(command) = cli.command else {
        return serve(&cli.database_url, &cli.serve).await;
    };
    let store = open(&cli.database_url).await?;
    match command {
        Command::Token { action } => token(store.as_ref(), action).await,
        Command::Validate { .. } => Ok(()),
    }
}

/// The server, until Ctrl-C or SIGTERM.
async fn serve(database_url: &str, args: &ServeArgs) -> Result<(), String> {
    // The settings are checked before the database is opened (or created).
    let settings = Settings::from_args(args).map_err(|err| err.to_string())?;
    let store = open(database_url).await?;
    let (state, writers) = AppState::start(store, settings, args.surveys.as_deref())
        .await
        .map_err(|err| err.to_string())?;
    rapport_collector::serve(state, writers, args.listen)
        .await
        .map_err(|err| format!("cannot serve on {}: {err}", args.listen))
}

/// Opens the database (creating a SQLite file if missing) and runs the migrations.
async fn open(database_url: &str) -> Result<std::sync::Arc<dyn store::Store>, String> {
    store::open(database_url)
        .await
        .map_err(|err| format!("{err} (database {})", store::shown_url(database_url)))
}

async fn token(store: &dyn store::Store, action: TokenAction) -> Result<(), String> {
    let failed = |err: store::StoreError| err.to_string();
    match action {
        TokenAction::Create { name } => {
            let token = tokens::generate();
            if store
                .create_token(
                    &name,
                    &tokens::hash(&token),
                    &rapport_collector::now_rfc3339(),
                )
                .await
                .map_err(failed)?
            {
                println!("{token}");
                eprintln!("token `{name}` created; it is shown only now — store it safely");
                Ok(())
            } else {
                Err(format!(
                    "a token named `{name}` exists; revoke it first or pick another name"
                ))
            }
        }
        TokenAction::Revoke { name } => {
            if store.revoke_token(&name).await.map_err(failed)? {
                eprintln!("token `{name}` revoked");
                Ok(())
            } else {
                Err(format!("there is no token named `{name}`"))
            }
        }
        TokenAction::List => {
            for info in store.tokens().await.map_err(failed)? {
                println!("{}\t{}", info.name, info.created_at);
            }
            Ok(())
        }
    }
}
