//! The Zoom views as HTML text, wired by delegation like the other lists
//! ([`super::log_html`]): the unlogged calls, the caller-ID options and a recording
//! player. Every outside value passes through [`escape`].

use dialdesk_contract::{CallerId, DirectoryEntry, ZoomCall};

use super::form_html::escape;
use crate::domain::call::format_duration;
use crate::domain::phone::display_number;
use crate::domain::zoom::{start_time, Gate, Unlogged};

/// The sign-in screen's card: the product, one sentence, the proxy's `reason` when
/// a session ended under the user, and the link that starts the sign-in.
pub fn sign_in_html(reason: Option<&str>) -> String {
    let reason = reason
        .map(|r| {
            format!(
                "<p id=\"sign-in-reason\" class=\"sign-in-reason\" role=\"alert\">{}</p>\
                 <p class=\"hint\">Call logs not sent yet are kept in this browser and are sent \
                 once you are signed in.</p>",
                escape(r)
            )
        })
        .unwrap_or_default();
    format!(
        "<div class=\"sign-in-card\"><h1 id=\"sign-in-title\" class=\"brand\">\
         <span class=\"brand-mark\" aria-hidden=\"true\"></span>dialdesk</h1>\
         <p>Click-to-call and call logging for Zoom Phone: sign in with your Zoom account to \
         open your workspace.</p>{reason}<a id=\"sign-in\" class=\"button primary\" \
         href=\"/auth/login\">Sign in with Zoom</a></div>"
    )
}

/// The screen shown instead of the workspace: starting, the sign-in screen
/// (`main.sign-in`), or the start-up failure with **Try again** (the only button);
/// nothing once the workspace shows.
pub fn gate_html(gate: &Gate) -> String {
    match gate {
        Gate::Starting => "<div class=\"boot\">Starting dialdesk…</div>".to_owned(),
        Gate::SignIn(reason) => format!(
            "<main class=\"sign-in\" aria-labelledby=\"sign-in-title\">{}</main>",
            sign_in_html(reason.as_deref())
        ),
        Gate::Ready => String::new(),
        Gate::Failed(error) => format!(
            "<div class=\"boot boot-error\" role=\"alert\"><h1>dialdesk cannot start</h1>\
             <p>{}</p><button type=\"button\">Try again</button></div>",
            escape(error)
        ),
    }
}

/// The signed-in user's `name` (empty until known), **Sign out** and its error line.
pub fn user_html(name: &str) -> String {
    format!(
        "<span class=\"signed-in-user\">{}</span><button id=\"sign-out\" type=\"button\">\
         Sign out</button><span id=\"sign-out-error\" class=\"sign-out-error\" \
         role=\"alert\"></span>",
        escape(name)
    )
}

/// **Sync Zoom contacts** and its progress line.
pub const ZOOM_SYNC: &str = "<button id=\"zoom-sync\" type=\"button\">Sync Zoom contacts</button>\
    <span id=\"zoom-sync-status\" class=\"zoom-sync-status\" role=\"status\"></span>";

/// The tabs over the calls view and the unlogged calls; the calls view shown.
pub const CALLS_TABS: &str = "<button type=\"button\" role=\"tab\" id=\"tab-calls\" \
    aria-controls=\"panel-calls\" aria-selected=\"true\">Calls</button>\
    <button type=\"button\" role=\"tab\" id=\"tab-unlogged\" aria-controls=\"panel-unlogged\" \
    aria-selected=\"false\" tabindex=\"-1\">Unlogged calls</button>\
    <button type=\"button\" role=\"tab\" id=\"tab-directory\" aria-controls=\"panel-directory\" \
    aria-selected=\"false\" tabindex=\"-1\">Directory</button>";

/// The Zoom directory search form.
pub const DIRECTORY_FORM: &str = "<h2 id=\"directory-title\">Zoom directory</h2>\
    <form id=\"directory-form\" class=\"export\" role=\"search\"><label>Name or e-mail \
    <input id=\"directory-q\" type=\"search\" maxlength=\"100\" required></label>\
    <button type=\"submit\">Search</button></form>";

/// Where the directory search stands.
pub enum Directory {
    /// Nothing searched yet.
    Idle,
    /// A search runs.
    Searching,
    /// The proxy's answer: the people found, or why the search failed.
    Found(Result<Vec<DirectoryEntry>, String>),
}

/// The people of a directory search, each number with a Call button.
pub fn directory_html(state: &Directory) -> String {
    let people = match state {
        Directory::Idle => {
            return "<p class=\"hint\">Find a colleague by first name, last name or \
                    e-mail.</p>"
                .to_owned()
        }
        Directory::Searching => {
            return "<p class=\"hint\" role=\"status\">Searching Zoom…</p>".to_owned()
        }
        Directory::Found(Err(reason)) => {
            return format!(
                "<p class=\"directory-error\" role=\"alert\">{}</p>",
                escape(reason)
            )
        }
        Directory::Found(Ok(people)) if people.is_empty() => {
            return "<p class=\"hint directory-empty\" role=\"status\">Nobody in the directory \
                    matches</p>"
                .to_owned()
        }
        Directory::Found(Ok(people)) => people,
    };
    let mut html = String::from(
        "<table class=\"directory-table\"><thead><tr><th scope=\"col\">Name</th>\
         <th scope=\"col\">Title</th><th scope=\"col\">Extension</th>\
         <th scope=\"col\">Numbers</th></tr></thead><tbody>",
    );
    for person in people {
        let mut numbers = String::new();
        for number in &person.phone_numbers {
            numbers.push_str(&format!(
                "<button type=\"button\" class=\"call-number\" data-number=\"{}\">Call {}</button> ",
                escape(number),
                escape(&display_number(number))
            ));
        }
        html.push_str(&format!(
            "<tr data-email=\"{email}\"><td>{name}</td><td>{title}</td><td>{ext}</td>\
             <td>{numbers}</td></tr>",
            email = escape(person.email.as_deref().unwrap_or_default()),
            name = escape(&person.name),
            title = escape(person.job_title.as_deref().unwrap_or_default()),
            ext = escape(person.extension_number.as_deref().unwrap_or_default()),
        ));
    }
    html.push_str("</tbody></table>");
    html
}

/// The unlogged calls view's heading and range form (UTC days `from` to `to`).
pub fn unlogged_head(from: &str, to: &str) -> String {
    format!(
        "<h2 id=\"unlogged-title\">Unlogged calls</h2><form id=\"unlogged-range\" \
         class=\"export\"><label>From <input id=\"unlogged-from\" type=\"date\" \
         value=\"{}\"></label><label> to <input id=\"unlogged-to\" type=\"date\" \
         value=\"{}\"></label><button id=\"unlogged-refresh\" type=\"submit\">Refresh</button>\
         </form>",
        escape(from),
        escape(to)
    )
}

/// The caller-ID options, `selected` marked (so the choice holds whenever the
/// options are replaced).
pub fn caller_options(options: &[CallerId], selected: Option<&str>) -> String {
    options
        .iter()
        .map(|id| {
            let mark = if selected == Some(id.number.as_str()) {
                " selected"
            } else {
                ""
            };
            format!(
                "<option value=\"{}\"{mark}>{} · {}</option>",
                escape(&id.number),
                escape(&id.label),
                escape(&display_number(&id.number))
            )
        })
        .collect()
}

/// The unlogged calls but those whose log is saved since (`logged`): loading, the
/// error with Retry, the empty range, or a table with one row per call
/// (`tr[data-call-id]`), each with **Log call** and, when Zoom holds a recording,
/// **Play recording**.
pub fn unlogged_html(list: &Unlogged, logged: &[String]) -> String {
    let calls: Vec<&ZoomCall> = match list {
        Unlogged::Loading => {
            return "<p class=\"hint unlogged-loading\" role=\"status\">Loading calls from \
                    Zoom…</p>"
                .to_owned()
        }
        Unlogged::Failed(reason) => {
            return format!(
                "<div class=\"unlogged-error\" role=\"alert\"><p>{}</p><button type=\"button\" \
                 class=\"unlogged-retry\">Retry</button></div>",
                escape(reason)
            )
        }
        Unlogged::Calls(calls) => calls
            .iter()
            .filter(|c| !logged.contains(&c.call_id))
            .collect(),
    };
    if calls.is_empty() {
        return "<p class=\"hint unlogged-empty\" role=\"status\">Every call in this range has \
                a log</p>"
            .to_owned();
    }
    let mut html = String::from(
        "<table class=\"unlogged-table\"><thead><tr><th scope=\"col\">Time</th>\
         <th scope=\"col\">Direction</th><th scope=\"col\">Who</th>\
         <th scope=\"col\">Duration</th><th scope=\"col\">Result</th>\
         <th scope=\"col\"><span class=\"sr-only\">Actions</span></th></tr></thead><tbody>",
    );
    for call in calls {
        let number = call.number.as_deref().map(display_number);
        let who = match (
            call.name.as_deref().filter(|n| !n.trim().is_empty()),
            number,
        ) {
            (Some(name), Some(number)) => format!(
                "{} <span class=\"unlogged-number\">{}</span>",
                escape(name),
                escape(&number)
            ),
            (Some(name), None) => escape(name),
            (None, Some(number)) => escape(&number),
            (None, None) => "Unknown".to_owned(),
        };
        let play = if call.has_recording {
            " <button type=\"button\" class=\"play-recording\">Play recording</button>"
        } else {
            ""
        };
        html.push_str(&format!(
            "<tr data-call-id=\"{id}\"><td>{time}</td><td class=\"unlogged-direction\">\
             {direction}</td><td>{who}</td><td>{duration}</td><td>{result}</td>\
             <td class=\"unlogged-actions\"><button type=\"button\" class=\"log-call\">Log \
             call</button>{play}</td></tr>",
            id = escape(&call.call_id),
            time = escape(&start_time(call.start_time.as_deref().unwrap_or_default())),
            direction = escape(call.direction.as_deref().unwrap_or_default()),
            duration = format_duration(call.duration_secs),
            result = escape(&call.result.as_deref().unwrap_or_default().replace('_', " ")),
        ));
    }
    html.push_str("</tbody></table>");
    html
}

/// The player of a call's recording, streamed by the proxy from `src`.
pub fn recording_html(src: &str) -> String {
    format!(
        "<audio class=\"recording\" controls autoplay preload=\"none\" src=\"{}\"></audio>",
        escape(src)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_rows_escape_and_offer_a_call_per_number() {
        let ben = DirectoryEntry {
            name: "Ben <Okafor>".into(),
            email: Some("ben@x.test".into()),
            extension_number: Some("102".into()),
            phone_numbers: vec!["+13125550102".into()],
            job_title: None,
        };
        let html = directory_html(&Directory::Found(Ok(vec![ben])));
        assert!(html.contains("Ben &lt;Okafor&gt;"), "{html}");
        assert!(html.contains("data-number=\"+13125550102\""), "{html}");
        assert!(html.contains("<td>102</td>"), "{html}");
        assert!(directory_html(&Directory::Found(Ok(vec![]))).contains("directory-empty"));
        let failed = directory_html(&Directory::Found(Err("no <b>".into())));
        assert!(failed.contains("no &lt;b&gt;"));
        assert!(directory_html(&Directory::Searching).contains("Searching"));
        assert!(directory_html(&Directory::Idle).contains("first name"));
    }

    fn call(id: &str) -> ZoomCall {
        ZoomCall {
            call_id: id.into(),
            call_history_uuid: None,
            direction: Some("inbound".into()),
            start_time: Some("2026-12-03T09:15:00Z".into()),
            duration_secs: 125,
            result: Some("no_answer".into()),
            number: Some("+14155550123".into()),
            name: Some("<Dana>".into()),
            contact_id: None,
            has_recording: false,
        }
    }

    #[test]
    fn each_call_is_a_row_with_its_actions_escaped() {
        let mut recorded = call("z\"2");
        recorded.has_recording = true;
        recorded.name = None;
        let mut nobody = call("z3");
        nobody.name = None;
        nobody.number = None;
        let list = Unlogged::Calls(vec![call("z1"), recorded, nobody, call("z4")]);
        let html = unlogged_html(&list, &["z4".into()]);
        assert_eq!(html.matches("<tr data-call-id=").count(), 3);
        assert_eq!(html.matches("class=\"log-call\"").count(), 3);
        assert_eq!(html.matches("class=\"play-recording\"").count(), 1);
        assert!(html.contains("<tr data-call-id=\"z1\"><td>2026-12-03 09:15 UTC</td>"));
        assert!(html.contains("&lt;Dana&gt; <span class=\"unlogged-number\">(415) 555-0123"));
        assert!(html.contains("<td>2:05</td><td>no answer</td>"));
        assert!(html.contains("data-call-id=\"z&quot;2\""));
        assert!(html.contains("<td>Unknown</td>"));
        assert!(!html.contains("<Dana>"));
        let first = html.find("\"z1\"").unwrap_or(usize::MAX);
        let third = html.find("\"z3\"").unwrap_or(0);
        assert!(first < third, "kept in the proxy's order, newest first");
    }

    #[test]
    fn the_sign_in_screen_links_to_the_sign_in_and_gives_the_reason() {
        let first = sign_in_html(None);
        assert!(first.contains("<a id=\"sign-in\" class=\"button primary\" href=\"/auth/login\">"));
        assert!(!first.contains("sign-in-reason"));
        let again = sign_in_html(Some("your Zoom sign-in has <expired>"));
        assert!(again.contains(
            "<p id=\"sign-in-reason\" class=\"sign-in-reason\" role=\"alert\">your Zoom \
             sign-in has &lt;expired&gt;</p>"
        ));
        assert!(user_html("<Ava>").starts_with("<span class=\"signed-in-user\">&lt;Ava&gt;</span>"));
        let screen = gate_html(&Gate::SignIn(None));
        assert!(screen.starts_with("<main class=\"sign-in\" aria-labelledby=\"sign-in-title\">"));
        assert!(gate_html(&Gate::Failed("<down>".into())).contains("<p>&lt;down&gt;</p>"));
        assert!(gate_html(&Gate::Ready).is_empty());
        let head = unlogged_head("2026-11-28", "2026-12-04");
        assert!(head.contains("id=\"unlogged-from\" type=\"date\" value=\"2026-11-28\""));
        assert!(head.contains("id=\"unlogged-to\" type=\"date\" value=\"2026-12-04\""));
    }

    #[test]
    fn loading_empty_and_failed_say_so() {
        assert!(unlogged_html(&Unlogged::Loading, &[]).contains("unlogged-loading"));
        let empty = unlogged_html(&Unlogged::Calls(Vec::new()), &[]);
        assert!(empty.contains(">Every call in this range has a log<"));
        assert!(!empty.contains("<table"));
        let all_saved = unlogged_html(&Unlogged::Calls(vec![call("z1")]), &["z1".into()]);
        assert_eq!(
            all_saved, empty,
            "the last call saved leaves the range empty"
        );
        let failed = unlogged_html(&Unlogged::Failed("Zoom <says> no (HTTP 502)".into()), &[]);
        assert!(failed.contains("role=\"alert\"><p>Zoom &lt;says&gt; no (HTTP 502)</p>"));
        assert!(failed.contains("class=\"unlogged-retry\""));
    }

    #[test]
    fn the_options_mark_the_choice_and_the_player_streams_from_the_proxy() {
        let ids = [
            CallerId {
                label: "Zoom".into(),
                number: "+12125550142".into(),
            },
            CallerId {
                label: "<Sales>".into(),
                number: "+14155550188".into(),
            },
        ];
        let html = caller_options(&ids, Some("+14155550188"));
        assert!(html.starts_with("<option value=\"+12125550142\">Zoom · "));
        assert!(html.contains("<option value=\"+14155550188\" selected>&lt;Sales&gt; · "));
        assert_eq!(caller_options(&ids, None).matches(" selected").count(), 0);
        assert_eq!(
            recording_html("/api/calls/a%22b/recording"),
            "<audio class=\"recording\" controls autoplay preload=\"none\" \
             src=\"/api/calls/a%22b/recording\"></audio>"
        );
    }
}
