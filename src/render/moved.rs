//! Forwarding pages: a page that is gone as a whole (a clause page whose clause moved)
//! forwards to its new page, keeping the fragment through the aliases
//! (`c36.html#c36-1.2` ─► `c35.html#c35-1.2`); without JavaScript the refresh and the link
//! lead to the new page.

use super::error::RenderError;
use super::strings;
use super::templates::Templates;
use crate::anchors::Redirect;
use crate::base::OutputFile;
use minijinja::Value;

/// The forwarding page at `page` (a site path), from the template `moved.html`: `href`
/// is the new page relative to it, `to` the new page from the site root, `ids` the old
/// ids ─► the new ones, as JSON for a script; `ui` the English strings (the page is
/// English).
pub(crate) fn page(
    templates: &Templates,
    page: &str,
    r: &Redirect,
) -> Result<OutputFile, RenderError> {
    let dir = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let href = if dir(page) == dir(&r.to) {
        r.to.rsplit('/').next().unwrap_or(&r.to).to_string()
    } else {
        format!("{}{}", "../".repeat(page.matches('/').count()), r.to)
    };
    let ids = serde_json::to_string(&r.ids)
        .expect("serializes")
        .replace("</", "<\\/");
    templates.html_file(
        "moved.html",
        page,
        ctx! {
            href => href,
            to => r.to,
            ids => Value::from_safe_string(ids),
            ui => strings::value("en"),
        },
    )
}
