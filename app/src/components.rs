//! Small pieces shared by several pages.

use crate::error::ConsoleError;
use leptos::prelude::*;

/// An honest empty state: what the area is for and why there is nothing here yet.
#[component]
pub fn EmptyState(
    title: &'static str,
    #[prop(into)] message: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class="empty-state" data-test="empty-state">
            <h2>{title}</h2>
            <p>{message}</p>
            {children.map(|children| children())}
        </section>
    }
}

/// A failed request, shown in words a person can act on.
#[component]
pub fn ErrorNotice(error: ConsoleError) -> impl IntoView {
    view! { <p class="notice error" role="alert">{error.to_string()}</p> }
}

/// Formats a timestamp for tables: `2026-11-25 01:02:03 UTC`.
pub fn format_time(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}
