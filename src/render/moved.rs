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
/// ids ─► the new ones, as JSON for a script, `pages` the old ids whose new place is on
/// another page ─► that page relative to this one, also as JSON; `ui` the English
/// strings (the page is English).
pub(crate) fn page(
    templates: &Templates,
    page: &str,
    r: &Redirect,
) -> Result<OutputFile, RenderError> {
    let dir = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let link = |to: &str| {
        if dir(page) == dir(to) {
            to.rsplit('/').next().unwrap_or(to).to_string()
        } else {
            format!("{}{}", "../".repeat(page.matches('/').count()), to)
        }
    };
    let href = link(&r.to);
    let json = |v: &std::collections::BTreeMap<String, String>| {
        serde_json::to_string(v)
            .expect("serializes")
            .replace("</", "<\\/")
    };
    let ids = json(&r.ids);
    let pages = json(&r.pages.iter().map(|(k, p)| (k.clone(), link(p))).collect());
    templates.html_file(
        "moved.html",
        page,
        ctx! {
            href => href,
            to => r.to,
            ids => Value::from_safe_string(ids),
            pages => Value::from_safe_string(pages),
            ui => strings::value("en"),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_forwards_by_a_relative_link_and_maps_the_ids() {
        let dir = tempfile::tempdir().unwrap();
        let templates = super::super::templates::environment(dir.path()).unwrap();
        let r = Redirect {
            to: "g/c35.html".into(),
            ids: [
                ("c36-1.2".to_string(), "c35-1.2".to_string()),
                ("c36-3".to_string(), "c37-1".to_string()),
            ]
            .into(),
            pages: [("c36-3".to_string(), "g/c37.html".to_string())].into(),
        };
        let f = page(&templates, "g/c36.html", &r).unwrap();
        let html = String::from_utf8(f.bytes).unwrap();
        assert_eq!(f.path, "g/c36.html");
        assert!(html.contains("<title>Moved</title>"), "{html}");
        assert!(
            html.contains("<p>This text has moved to <a href=\"c35.html\">g/c35.html</a>.</p>"),
            "{html}"
        );
        assert!(
            html.contains(r#"var ids = {"c36-1.2":"c35-1.2","c36-3":"c37-1"};"#),
            "{html}"
        );
        // An id whose new place is on another page goes to that page.
        assert!(
            html.contains(r#"var pages = {"c36-3":"c37.html"};"#),
            "{html}"
        );
        assert!(html.ends_with("</html>\n"));
        // From another folder, the link climbs to the root first.
        let f = page(&templates, "h/en/c2.html", &r).unwrap();
        assert!(
            String::from_utf8(f.bytes)
                .unwrap()
                .contains("href=\"../../g/c35.html\"")
        );
    }
}
