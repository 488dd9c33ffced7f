//! The frame every page shares: readable on a 375 px phone screen, no external assets.

use maud::{html, Markup, DOCTYPE};

const STYLE: &str = "
body{margin:0;font:16px/1.5 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;
color:#1f2329;background:#f5f6f7}
main{max-width:640px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:8px;padding:12px 14px;margin:0 0 12px}
h1{font-size:20px;margin:4px 0 8px}h2{font-size:16px;margin:0 0 8px;color:#646a73}
dl{margin:0;display:grid;grid-template-columns:5em 1fr;gap:4px 8px}dt{color:#8f959e}dd{margin:0}
ol,ul{margin:0;padding-left:1.2em}li{margin:2px 0}.now{font-weight:600;color:#1456f0}
.done{color:#8f959e}.muted{color:#8f959e;font-size:14px}
form{margin:8px 0 0}.row{display:flex;gap:8px;flex-wrap:wrap}
button{font:inherit;padding:8px 14px;border:0;border-radius:6px;background:#1456f0;color:#fff}
button.plain{background:#e8eaed;color:#1f2329}
input[type=text]{font:inherit;padding:7px;border:1px solid #d0d3d6;border-radius:6px;
width:100%;box-sizing:border-box;margin:0 0 6px}
.screen{text-align:center}.screen svg{width:min(80vw,60vh);height:auto}
.count{font-size:28px;font-weight:600}
.badge{display:inline-block;padding:0 6px;border-radius:4px;background:#e8f0fe;color:#1456f0;
font-size:14px}.late{background:#fdecea;color:#c0392b}
";

pub fn page(title: &str, body: Markup) -> Markup {
    frame(title, None, body)
}

/// A page that reloads itself every `secs` (the room screen: no script needed).
pub fn refreshing(title: &str, secs: u32, body: Markup) -> Markup {
    frame(title, Some(secs), body)
}

fn frame(title: &str, refresh: Option<u32>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(secs) = refresh { meta http-equiv="refresh" content=(secs); }
                title { (title) " · 会务" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    }
}

/// A page that only says something (errors, "please open in WeChat").
pub fn message(title: &str, text: &str) -> Markup {
    page(title, html! { section { h1 { (title) } p { (text) } } })
}
