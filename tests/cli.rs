//! The binary as an operator meets it: startup, configuration errors, SIGTERM, `huiwu sim`.

// Test code: a failed unwrap is a failed test, which is what we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_huiwu");

fn write_config(dir: &std::path::Path, extra: &str) -> std::path::PathBuf {
    let path = dir.join("huiwu.toml");
    let db = dir.join("db/huiwu.db");
    std::fs::write(
        &path,
        format!(
            "[server]\nbind = '127.0.0.1:0'\n[database]\nurl = 'sqlite://{}'\n\
             [wechat]\napp_id = 'wx2c2769f8efd9abc2'\napp_secret = 's'\ntoken = 'huiwu_token_1'\n\
             encoding_aes_key = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'\n{extra}",
            db.display()
        ),
    )
    .unwrap();
    path
}

fn huiwu(config: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--config").arg(config).env_remove("HUIWU_CONFIG");
    for (key, _) in std::env::vars() {
        if key.starts_with("HUIWU__") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// Starts `huiwu serve` and returns it with the address it printed.
fn serve(config: &std::path::Path) -> (Child, String) {
    listening(huiwu(config).arg("serve").stderr(Stdio::null()))
}

/// Starts `cmd` (a `serve`) and waits for the address it prints first.
fn listening(cmd: &mut Command) -> (Child, String) {
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, addr)
}

/// `huiwu sim --url http://ADDR ARGS…`
fn sim(config: &std::path::Path, addr: &str, args: &[&str]) -> std::process::Output {
    huiwu(config)
        .args(["sim", "--url", &format!("http://{addr}")])
        .args(args)
        .output()
        .unwrap()
}

fn wait_with_timeout(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = std::time::Instant::now() + limit;
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

#[test]
fn serve_prints_its_address_answers_sim_and_exits_zero_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let (mut child, addr) = serve(&config);
    assert!(
        dir.path().join("db/huiwu.db").exists(),
        "SQLite file created on first run"
    );

    let out = sim(&config, &addr, &["--as", "oAlice", "text", "帮助"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("会务助手"));

    let out = sim(
        &config,
        &addr,
        &["--as", "oAlice", "card-click", "rsvp:accept:1"],
    );
    assert!(!out.status.success(), "card-click needs --wecom");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = wait_with_timeout(&mut child, Duration::from_secs(20)).expect("exits after SIGTERM");
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn sim_fails_clearly_when_the_server_is_down_or_signs_with_another_token() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let out = sim(&config, "127.0.0.1:9", &["--as", "o1", "text", "hi"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot reach huiwu"));

    // A server with a different token refuses the callback; sim says so and fails.
    let other = tempfile::tempdir().unwrap();
    let other_config = write_config(other.path(), "");
    let text = std::fs::read_to_string(&other_config)
        .unwrap()
        .replace("huiwu_token_1", "another_token");
    std::fs::write(&other_config, text).unwrap();
    let (mut child, addr) = serve(&other_config);
    let out = sim(&config, &addr, &["--as", "o1", "text", "hi"]);
    let _ = child.kill();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("401") && stderr.contains("signature mismatch"),
        "{stderr}"
    );
}

#[test]
fn a_bad_value_stops_startup_with_one_line_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let out = huiwu(&config)
        .env("HUIWU__WECHAT__ENCODING_AES_KEY", "tooshort")
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "error: config key wechat.encoding_aes_key: must be 43 base64 characters, got 8 characters"
    );

    // An unknown key: one line, said once.
    let config = write_config(dir.path(), "[log]\nlevl = 'info'\n");
    let out = huiwu(&config).arg("serve").output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(
        stderr.matches("unknown field `levl`").count(),
        1,
        "{stderr}"
    );

    // A template for a notice kind there is none of: the outbox refuses it as the service
    // starts, in the same one line.
    let config = write_config(
        dir.path(),
        "[wechat.templates.invitaton]\ntemplate_id = 'T1'\nfields = { first = 'title' }\n",
    );
    let out = huiwu(&config).arg("serve").output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.trim().lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: config key wechat.templates.invitaton: \"invitaton\" is no notice kind; use default or one of invitation, cancellation"),
        "{stderr}"
    );

    let out = huiwu(std::path::Path::new("/nonexistent/huiwu.toml"))
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn environment_overrides_reach_the_server_and_migrate_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let other_db = dir.path().join("elsewhere/x.db");
    for _ in 0..2 {
        let out = huiwu(&config)
            .env(
                "HUIWU__DATABASE__URL",
                format!("sqlite://{}", other_db.display()),
            )
            .arg("migrate")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(other_db.exists());
}

#[test]
fn an_unreachable_postgres_fails_startup() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let out = huiwu(&config)
        .env(
            "HUIWU__DATABASE__URL",
            "postgres://postgres@127.0.0.1:9/none?connect_timeout=1",
        )
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot connect to the database"),
        "{stderr}"
    );
}

async fn run(cmd: &mut Command) -> std::process::Output {
    let mut cmd = std::mem::replace(cmd, Command::new("true"));
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn mock_wechat() -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let server = wiremock::MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/stable_token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "T1", "expires_in": 7200})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn menu_push_checks_the_file_then_sends_it() {
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};
    let server = mock_wechat().await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/menu/create"))
        .and(query_param("access_token", "T1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"errcode": 0})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &format!("api_base = '{}'\n", server.uri()));
    let menu = concat!(env!("CARGO_MANIFEST_DIR"), "/config/menu.toml");

    let out = run(huiwu(&config).args(["menu", "push", menu])).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("menu pushed: 3 buttons"));
    let sent: serde_json::Value = serde_json::from_slice(
        &server
            .received_requests()
            .await
            .unwrap()
            .last()
            .unwrap()
            .body,
    )
    .unwrap();
    assert_eq!(sent["button"][1]["key"], "CHECKIN_SCAN");

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[button]]\nname = \"一二三四五六\"\ntype = \"click\"\nkey = \"K\"\n",
    )
    .unwrap();
    let out = run(huiwu(&config).args(["menu", "push"]).arg(&bad)).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is 18 bytes; at most 16"),
        "{}",
        stderr(&out)
    );
    let out = run(huiwu(&config).args(["menu", "check", menu])).await;
    assert!(out.status.success() && stdout(&out).contains("valid menu"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qrcode_checkin_makes_a_temporary_code_carrying_the_signed_scene() {
    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, ResponseTemplate};
    let server = mock_wechat().await;
    Mock::given(method("POST"))
        .and(path("/cgi-bin/qrcode/create"))
        .and(body_partial_json(serde_json::json!({"action_name": "QR_STR_SCENE"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"ticket": "gQH47j+w==", "expire_seconds": 600, "url": "http://weixin.qq.com/q/x"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!(
            "api_base = '{}'\n[admin]\ntoken = 'an-admin-token-for-tests'\n",
            server.uri()
        ),
    );
    let (mut child, addr) = serve(&config);
    let client = reqwest::Client::new();
    let admin = |path: &str| {
        client
            .post(format!("http://{addr}/api/v1{path}"))
            .bearer_auth("an-admin-token-for-tests")
    };
    let person: serde_json::Value = admin("/users")
        .json(&serde_json::json!({"name": "王", "employee_no": "E1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let starts = huiwu::clock::Clock::now(&huiwu::clock::SystemClock) + chrono::Duration::hours(2);
    let meeting: serde_json::Value = admin("/meetings")
        .json(&serde_json::json!({
            "title": "周会", "place": "A", "starts_at": starts.to_rfc3339(),
            "ends_at": (starts + chrono::Duration::hours(1)).to_rfc3339(),
            "roles": [{"person_id": person["id"], "role": "host"}],
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = meeting["id"].as_i64().unwrap().to_string();
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    wait_with_timeout(&mut child, Duration::from_secs(20));

    let out = run(huiwu(&config).args(["qrcode", "checkin", &id])).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("showqrcode?ticket=gQH47j%2Bw%3D%3D"),
        "{}",
        stdout(&out)
    );
    let sent: serde_json::Value = serde_json::from_slice(
        &server
            .received_requests()
            .await
            .unwrap()
            .last()
            .unwrap()
            .body,
    )
    .unwrap();
    let scene = sent["action_info"]["scene"]["scene_str"].as_str().unwrap();
    assert!(scene.starts_with(&format!("ci-{id}-")), "{scene}");
    let seconds = sent["expire_seconds"].as_i64().unwrap();
    assert!((3 * 3600 - 120..=3 * 3600).contains(&seconds), "{seconds}");

    let out = run(huiwu(&config).args(["qrcode", "checkin", "999"])).await;
    assert!(!out.status.success());
    assert!(stderr(&out).contains("there is no meeting 999"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_log_line_of_a_request_carries_its_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[log]\nformat = 'json'\n");
    let log_path = dir.path().join("serve.log");
    let (mut child, addr) = listening(
        huiwu(&config)
            .arg("serve")
            .stderr(std::fs::File::create(&log_path).unwrap()),
    );

    let client = reqwest::Client::new();
    let refused = client
        .post(format!(
            "http://{addr}/wechat/callback?signature=bad&timestamp=1&nonce=n"
        ))
        .header("X-Request-Id", "trace-me-1")
        .body("<xml></xml>")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.headers()["x-request-id"], "trace-me-1");
    let minted = client
        .get(format!("http://{addr}/healthz"))
        .header("X-Request-Id", "not a token")
        .send()
        .await
        .unwrap();
    let id = minted.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        id.len(),
        16,
        "a caller's id that is not a plain token is replaced"
    );

    let _ = child.kill();
    let _ = child.wait();
    let log = std::fs::read_to_string(&log_path).unwrap();
    let refusal: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("callback refused"))
        .collect();
    assert_eq!(refusal.len(), 1, "{log}");
    assert!(
        refusal[0].contains("\"request_id\":\"trace-me-1\""),
        "{log}"
    );
}

/// The README's "Try it without WeChat" block, run as written (the binary instead of
/// `cargo run --release --`), from a copy of the repository's config folder: only the port and
/// the database file are moved, by environment overrides, so the test can run beside others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_walkthrough_works_as_written() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("## Try it without WeChat").nth(1).unwrap();
    let block = section
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let commands: Vec<&str> = block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(commands.len() >= 8, "{commands:?}");

    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("config");
    std::fs::create_dir(&config_dir).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/config/example.toml"),
        config_dir.join("example.toml"),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = |line: &str| {
        let args = shell_words(
            line.strip_prefix("cargo run --release -- ")
                .unwrap_or_else(|| panic!("not a huiwu command: {line}")),
        );
        let mut cmd = Command::new(BIN);
        cmd.args(&args)
            .current_dir(dir.path())
            .env_remove("HUIWU_CONFIG")
            .env("HUIWU__SERVER__BIND", format!("127.0.0.1:{port}"))
            .env(
                "HUIWU__SERVER__PUBLIC_URL",
                format!("http://127.0.0.1:{port}"),
            );
        cmd
    };
    let (serve_line, rest) = commands.split_first().unwrap();
    assert!(serve_line.ends_with(" serve"), "{serve_line}");
    let (mut server, _) = listening(run(serve_line).stderr(Stdio::null()));
    assert!(
        dir.path().join("data/example.db").exists(),
        "the example database, where the README says"
    );

    let mut outputs = Vec::new();
    for line in rest {
        let mut cmd = run(line);
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "`{line}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push((
            line.to_string(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ));
    }
    let _ = server.kill();
    let _ = server.wait();
    let said = |needle: &str| {
        assert!(
            outputs.iter().any(|(_, out)| out.contains(needle)),
            "no command answered {needle:?}: {outputs:#?}"
        )
    };
    said("meeting 1: 产品周会（演示）");
    said("check-in code: ci-1-RmWdNg7NgbTIhqyIgqA2sQ");
    said("李四's bind code: ");
    said("已收到绑定申请");
    said("签到成功");
    said("产品周会（演示）");
}

/// Splits a README command line as a POSIX shell would for the quoting it uses (double quotes).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut in_word = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}
