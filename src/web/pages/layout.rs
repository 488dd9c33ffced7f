//! The frame every page shares: readable on a 375 px phone screen, no external assets.

use maud::{html, Markup, DOCTYPE};

/// Served as `/static/huiwu.css`: a file of ours, so the pages' policy allows no inline style.
pub const STYLE: &str = "
body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;
color:#1f2329;background:#f5f6f7}
main{max-width:640px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:8px;padding:12px 14px;margin:0 0 12px}
h1{font-size:20px;margin:4px 0 8px}h2{font-size:16px;margin:0 0 8px;color:#646a73}
dl{margin:0;display:grid;grid-template-columns:5em 1fr;gap:4px 8px}dt{color:#8f959e}dd{margin:0}
ol,ul{margin:0;padding-left:1.2em}li{margin:2px 0}.now{font-weight:600;color:#1456f0}
.done{color:#8f959e}.muted{color:#8f959e;font-size:14px}
form{margin:8px 0 0}.row{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
.row input[type=text]{width:auto;flex:1;margin:0}.row form{margin:0}
button{font:inherit;padding:8px 14px;border:0;border-radius:6px;background:#1456f0;color:#fff}
button.plain{background:#e8eaed;color:#1f2329}
input[type=text]{font:inherit;padding:7px;border:1px solid #d0d3d6;border-radius:6px;
width:100%;box-sizing:border-box;margin:0 0 6px}
.count{font-size:28px;font-weight:600}
body.door{background:#10151c;color:#f5f6f7}body.door main{max-width:none;padding:24px 32px}
.door .top{display:flex;justify-content:space-between;align-items:baseline;gap:16px;flex-wrap:wrap}
.door .room{font-size:56px;font-weight:700}.door .clock{font-size:64px;font-variant-numeric:tabular-nums}
.door .title{font-size:60px;line-height:1.2;margin:4px 0 12px;overflow-wrap:anywhere}
.door .label,.door .then{font-size:28px;color:#9aa4b2;margin:8px 0}.door .big{font-size:32px;margin:8px 0}
.door .count{font-size:48px}.door .idle{font-size:40px;color:#5ad08c;margin:16px 0}
.door .split{display:grid;grid-template-columns:minmax(0,1fr) minmax(260px,380px);gap:32px;align-items:start}
@media (orientation:portrait),(max-width:900px){.door .split{grid-template-columns:minmax(0,1fr)}}
.door .card{background:#fff;color:#1f2329;border-radius:16px;padding:20px;text-align:center;
font-size:22px;max-width:100%;box-sizing:border-box;overflow:hidden}
.door .qr svg{display:block;width:100%;max-width:340px;height:auto;margin:0 auto}
.door .names{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.door .names span{font-size:30px;background:#223044;border-radius:8px;padding:4px 14px}
body.wide main{max-width:1180px}
nav{display:flex;gap:16px;align-items:center;padding:8px 14px;background:#1f2329;color:#fff;
border-radius:8px;margin:0 0 12px}nav a{color:#fff;text-decoration:none}nav .me{margin-left:auto}
nav form{margin:0}nav button{padding:4px 10px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;
border-bottom:1px solid #e8eaed;vertical-align:top}th{color:#646a73;font-weight:500}
label{display:block;margin:6px 0 2px;color:#646a73;font-size:14px}
input,select,textarea{font:inherit;padding:6px;border:1px solid #d0d3d6;border-radius:6px;
box-sizing:border-box}textarea{width:100%;min-height:4em}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:4px 16px}
.warn{background:#fff7e6;color:#8a5300;border-radius:6px;padding:6px 10px;margin:4px 0}
.error{background:#fdecea;color:#c0392b;border-radius:6px;padding:6px 10px;margin:4px 0}
.ok{background:#e8f7ee;color:#1e7b45;border-radius:6px;padding:6px 10px;margin:4px 0}
.badge{display:inline-block;padding:0 6px;border-radius:4px;background:#e8f0fe;color:#1456f0;
font-size:14px}.late{background:#fdecea;color:#c0392b}
.indent{margin-left:2em}.grow{flex:1}
label.inline{display:inline;margin:0;color:inherit;font-size:inherit}
#board h3{font-size:15px;margin:12px 0 4px}#board table{font-size:14px}
.ballot{border-top:1px solid #e8eaed;padding:4px 0}input[type=number]{width:4.5em}
.scroll{overflow-x:auto;max-width:100%}
table.week{table-layout:fixed;min-width:760px}table.week td,table.week th{padding:0 4px;height:22px;
border:1px solid #eef0f2;font-size:13px}table.week th.hour{width:3.5em;color:#8f959e;font-weight:400;
vertical-align:top}table.week th.today{background:#1456f0;color:#fff;border-radius:4px}
td.slot a{display:block;color:#d0d3d6;text-decoration:none;text-align:center}td.slot a:hover{color:#1456f0;background:#e8f0fe}
td.booking{background:#e8f0fe;border-left:3px solid #1456f0;vertical-align:top}
.mine.draft{border:1px dashed #8f959e;background:#fff;padding:2px}.mine.conf{background:#fdf1e6;padding:2px}
.taken{background:#eef0f2;color:#646a73;padding:2px}
.legend{display:inline-block;margin-left:8px;padding:0 6px;border-radius:4px;font-size:13px}
.legend.draft{border:1px dashed #8f959e}.legend.conf{background:#fdf1e6}.legend.taken{background:#eef0f2}
nav.tabs{background:none;padding:0;gap:8px;flex-wrap:wrap;margin:8px 0}nav.tabs a{color:#1456f0;
padding:4px 10px;border-radius:6px;background:#e8f0fe}nav.tabs a.chosen{background:#1456f0;color:#fff}
dl.commands{grid-template-columns:1fr}
@media (max-width:700px){body.wide main{padding:8px}nav{flex-wrap:wrap;gap:8px 12px}
body.wide table{display:block;overflow-x:auto;white-space:nowrap}body.wide .grid{grid-template-columns:minmax(0,1fr)}
input,select,textarea{max-width:100%}.row>*{min-width:0}body.wide pre{overflow-x:auto}
body.wide .row>input[type=text]{flex:1 1 9em}}dl.commands dd{margin:0 0 8px}code{font-size:15px}
";

pub fn page(title: &str, body: Markup) -> Markup {
    frame(title, None, None, None, body)
}

/// A phone page with one of our scripts (`/static/…`), which it works without.
pub fn scripted(title: &str, script: &str, body: Markup) -> Markup {
    frame(title, None, None, Some(script), body)
}

/// The console's frame: desktop width, still readable on a phone.
pub fn wide(title: &str, refresh: Option<u32>, body: Markup) -> Markup {
    frame(title, refresh, Some("wide"), None, body)
}

/// The room's door screen, dark and large, reloading itself every `secs` (no script needed).
pub fn door(title: &str, secs: u32, body: Markup) -> Markup {
    frame(title, Some(secs), Some("door"), None, body)
}

fn frame(
    title: &str,
    refresh: Option<u32>,
    class: Option<&str>,
    script: Option<&str>,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(secs) = refresh { meta http-equiv="refresh" content=(secs); }
                title { (title) " · 会务" }
                link rel="stylesheet" href="/static/huiwu.css";
                @if let Some(src) = script { script src=(src) defer {} }
            }
            body class=[class] { main { (body) } }
        }
    }
}

/// A page that only says something (errors, "please open in WeChat").
pub fn message(title: &str, text: &str) -> Markup {
    page(title, html! { section { h1 { (title) } p { (text) } } })
}
