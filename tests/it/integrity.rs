//! Integrity: the findings on the five seeds and on clean control documents, and the
//! permanent anchors (registry, aliases, text-changed notes), built from temporary copies
//! of the seeds so that the repository's `seeds/anchors.lock` is never touched.

use crate::common::repo_seeds;
use clausebook::build::{BuildError, load};
use clausebook::integrity::{Finding, FindingKind};
use clausebook::{BuildOptions, build, check};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A copy of the repository's seeds in a temporary folder.
fn copy_seeds(dir: &Path) -> PathBuf {
    let to = dir.join("seeds");
    for e in walkdir::WalkDir::new(repo_seeds()) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(repo_seeds()).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
    to
}

/// The findings of `clausebook check --source`.
fn findings_of(seeds: &Path) -> Vec<Finding> {
    check::check_source(seeds).expect("loads").findings
}

fn find<'a>(fs: &'a [Finding], kind: FindingKind, anchor: &str) -> &'a Finding {
    fs.iter()
        .find(|f| f.kind == kind && f.anchor == anchor)
        .unwrap_or_else(|| panic!("no {kind:?} finding at #{anchor}: {fs:#?}"))
}

#[test]
fn seeds_give_every_repair_the_pasted_passages_and_the_doubled_fragment() {
    let seeds = repo_seeds();
    let fs = findings_of(&seeds);
    let a = load(&seeds).unwrap();

    // Every repair of the parser is listed, at its file and line, plus the heading.
    assert!(!a.repairs.is_empty());
    for r in &a.repairs {
        assert!(
            fs.iter().any(|f| f.kind == FindingKind::Repair
                && f.file == r.file
                && f.line == r.line
                && f.message == r.message),
            "repair not reported: {r}"
        );
    }
    let heading = find(&fs, FindingKind::Repair, "p4");
    assert_eq!(heading.file, "000_7eec8cb570da91da.txt");
    assert!(heading.message.contains("part 4"), "{}", heading.message);
    assert_eq!(
        fs.iter().filter(|f| f.kind == FindingKind::Repair).count(),
        a.repairs.len() + 1
    );

    // Clause (十) carries clause (十七)'s text, clause (二十五) carries (三十三)'s.
    let c10 = find(&fs, FindingKind::Pasted, "c10-1.5");
    assert_eq!(c10.file, "000_7eec8cb570da91da.txt");
    assert_eq!(c10.line, 35);
    assert_eq!(c10.related.as_deref(), Some("c17-1.2"));
    assert!(c10.message.contains("c10-1.5–c10-1.14"), "{}", c10.message);
    assert!(c10.message.contains("(十七)"), "{}", c10.message);
    let c25 = find(&fs, FindingKind::Pasted, "c25-1.3");
    assert_eq!(c25.related.as_deref(), Some("c33-1.2"));
    assert!(c25.message.contains("(三十三)"), "{}", c25.message);
    assert_eq!(
        fs.iter().filter(|f| f.kind == FindingKind::Pasted).count(),
        2
    );

    // The translation's sentences in their place have no counterpart in the original.
    let en10 = find(&fs, FindingKind::Unmatched, "c10-1.5");
    assert_eq!(en10.file, "001_00d2dfaf8ea1c481.txt");
    assert!(en10.message.contains("c10-1.5–c10-1.8"), "{}", en10.message);
    assert!(
        en10.evidence
            .contains("Orderly promote the construction of func")
    );
    let en25 = find(&fs, FindingKind::Unmatched, "c25-1.4");
    assert!(
        en25.evidence.contains("Carry out projects"),
        "{}",
        en25.evidence
    );

    // 002 repeats “一路”。 at the start of a paragraph.
    let dup = find(&fs, FindingKind::Repeat, "n17.1");
    assert_eq!(
        (dup.file.as_str(), dup.line),
        ("002_be8482c41ddce61b.txt", 34)
    );
    assert!(dup.message.contains("“一路”。"));
    assert_eq!(
        fs.iter().filter(|f| f.kind == FindingKind::Repeat).count(),
        1
    );

    // The Gansu opinions have no damage the analysis can see.
    assert!(fs.iter().all(|f| f.slug != "gansu"), "{fs:#?}");
    assert_eq!(fs.len(), 20, "{fs:#?}");
}

const CLEAN_ZH: &str = "# 关于推进某项工作的意见\n\n为推进西部大开发形成新格局，现提出如下意见。\n\n一、总体要求\n\n（一）加强组织领导。各地区要推进西部大开发形成新格局，建立健全工作机制，明确责任分工。要加强统筹协调，形成工作合力。\n\n（二）完善政策体系。围绕推进西部大开发形成新格局，制定配套措施。对符合条件的项目给予资金支持，优化审批流程。\n\n二、保障措施\n\n（三）强化督促检查。定期评估落实情况，及时总结推广经验做法。对工作不力的地区进行通报，督促限期整改。建立健全考核评价制度，把考核结果作为干部选拔任用的重要依据。鼓励基层大胆探索创新，营造干事创业的良好氛围。\n";
const CLEAN_EN: &str = "# Opinions on advancing a task\n\nTo promote the development of the western region and form a new pattern, the following opinions are put forward.\n\n1. General requirements\n\n(1) Strengthen organization and leadership. All regions shall promote the development of the western region to form a new pattern, establish and improve working mechanisms, and clarify the division of responsibilities. Coordination shall be strengthened to form a joint force.\n\n(2) Improve the policy system. Around the new pattern of western development, formulate supporting measures. Provide financial support for qualified projects and optimize approval procedures.\n\n2. Safeguards\n\n(3) Strengthen supervision and inspection. Regularly evaluate implementation and promptly summarize and spread good practices. Regions that work poorly will be named in circulars and urged to rectify within a time limit. Establish and improve the system of assessment and evaluation, and take the results as an important basis for selecting and appointing cadres. Encourage the grassroots to explore and innovate boldly, and create a good atmosphere for starting businesses.\n";

#[test]
fn a_clean_control_document_gives_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    fs::create_dir_all(&seeds).unwrap();
    fs::write(seeds.join("zh.txt"), CLEAN_ZH).unwrap();
    fs::write(seeds.join("en.txt"), CLEAN_EN).unwrap();
    fs::write(
        seeds.join("manifest.yaml"),
        "site: {title: T}\ndocuments:\n  - slug: clean\n    kind: guideline\n    versions:\n      - {file: zh.txt, lang: zh-Hans}\n      - {file: en.txt, lang: en}\n",
    )
    .unwrap();
    let fs_ = findings_of(&seeds);
    assert!(fs_.is_empty(), "{fs_:#?}");

    // The same document with the sentences of (三) pasted into (一).
    let damaged = CLEAN_ZH.replace(
        "要加强统筹协调，形成工作合力。",
        "要加强统筹协调，形成工作合力。定期评估落实情况，及时总结推广经验做法。对工作不力的地区进行通报，督促限期整改。建立健全考核评价制度，把考核结果作为干部选拔任用的重要依据。鼓励基层大胆探索创新，营造干事创业的良好氛围。",
    );
    fs::write(seeds.join("zh.txt"), damaged).unwrap();
    let fs_ = findings_of(&seeds);
    let p = fs_
        .iter()
        .find(|f| f.kind == FindingKind::Pasted)
        .unwrap_or_else(|| panic!("{fs_:#?}"));
    assert_eq!(p.anchor, "c1-1.3");
    assert_eq!(p.related.as_deref(), Some("c3-1.1"));
}

/// `n` characters of `s` from byte `at`.
fn after(s: &str, at: usize, n: usize) -> String {
    s[at..].chars().take(n).collect()
}

fn build_into(seeds: &Path, out: &Path) -> Result<clausebook::BuildSummary, BuildError> {
    build(&BuildOptions {
        seeds: seeds.to_path_buf(),
        out: out.to_path_buf(),
        ..Default::default()
    })
}

/// The values of the ` id="…"` attributes of a page.
fn ids_of(page: &Path) -> Vec<String> {
    let html = fs::read_to_string(page).unwrap();
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(id, _)| id.to_string()))
        .collect()
}

/// `anchors.json` of a built site: page ─► ids.
fn registry(site: &Path) -> BTreeMap<String, Vec<String>> {
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("anchors.json")).unwrap()).unwrap();
    v["pages"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(p, ids)| {
            (
                p.clone(),
                ids.as_object().unwrap().keys().cloned().collect(),
            )
        })
        .collect()
}

/// Every file of a site, by path.
fn snapshot(site: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(site).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Removes clause (三十六) from the guideline, in both languages.
fn remove_clause_36(seeds: &Path) {
    for (file, start) in [
        ("000_7eec8cb570da91da.txt", "**(三十六)"),
        ("001_00d2dfaf8ea1c481.txt", "  (36)"),
    ] {
        let text = fs::read_to_string(seeds.join(file)).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(start)).collect();
        assert!(
            kept.len() < text.lines().count(),
            "{file}: clause 36 not found"
        );
        fs::write(seeds.join(file), kept.join("\n") + "\n").unwrap();
    }
}

#[test]
fn a_removed_clause_fails_the_build_unless_aliased_and_then_every_old_link_lands() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = copy_seeds(dir.path());
    let _ = fs::remove_file(seeds.join("anchors.lock"));
    let site = dir.path().join("site");

    // First build: the registry is created.
    build_into(&seeds, &site).expect("builds");
    let lock = fs::read_to_string(seeds.join("anchors.lock")).unwrap();
    assert!(lock.contains("\nguideline/index.html#c36 "));
    assert!(lock.contains("\nguideline/parallel.html#en-c36-1.1 "));
    let before = registry(&site);
    let first = snapshot(&site);

    // The same input again: the same site, byte for byte, and the lock untouched.
    let s = build_into(&seeds, &site).expect("builds again");
    assert!(!s.lock_written);
    assert_eq!(snapshot(&site), first);
    assert_eq!(
        fs::read_to_string(seeds.join("anchors.lock")).unwrap(),
        lock
    );

    // Without an alias, the build fails naming the anchor and page; nothing changes.
    remove_clause_36(&seeds);
    let err = build_into(&seeds, &site).expect_err("a registered anchor disappears");
    let msg = err.to_string();
    assert!(matches!(err, BuildError::Anchors(_)), "{msg}");
    assert!(
        msg.contains("guideline/index.html (document `guideline`): #c36, #c36-1"),
        "{msg}"
    );
    assert!(
        msg.contains("guideline/c36.html (document `guideline`, page gone)"),
        "{msg}"
    );
    assert!(msg.contains("aliases: {c37: c36}"), "{msg}");
    assert_eq!(snapshot(&site), first, "a failed build changed the site");
    assert_eq!(
        fs::read_to_string(seeds.join("anchors.lock")).unwrap(),
        lock
    );

    // With an alias, it builds and every old anchor still names an element.
    let manifest = fs::read_to_string(seeds.join("manifest.yaml")).unwrap();
    fs::write(
        seeds.join("manifest.yaml"),
        manifest.replacen(
            "    date: 2020-05-17\n",
            "    date: 2020-05-17\n    aliases: {c36: c35}\n",
            1,
        ),
    )
    .unwrap();
    build_into(&seeds, &site).expect("builds with the alias");
    for (page, ids) in &before {
        let html = fs::read_to_string(site.join(page)).unwrap();
        if page.ends_with("/c36.html") {
            // The clause page is gone: it forwards to clause (三十五)'s, fragment mapped.
            assert!(html.contains("url=c35.html"), "{html}");
            assert!(html.contains("\"c36-1.2\":\"c35-1.2\""), "{html}");
            continue;
        }
        let now = ids_of(&site.join(page));
        for id in ids {
            assert!(now.contains(id), "#{id} of {page} no longer lands");
        }
    }
    let html = fs::read_to_string(site.join("guideline/index.html")).unwrap();
    assert!(
        html.contains("<span id=\"c36\" class=\"anchor-alias\" data-alias-of=\"c35\"></span>"),
        "no alias element"
    );
    // The alias sits inside the element of its new place.
    let at = html.find("id=\"c36\"").unwrap();
    let host = html[..at].rfind(" id=\"").unwrap();
    assert!(
        html[host..].starts_with(" id=\"c35\""),
        "alias not inside #c35"
    );
    let en = fs::read_to_string(site.join("guideline/parallel.html")).unwrap();
    assert!(en.contains("id=\"en-c36-1.1\" class=\"anchor-alias\" data-alias-of=\"en-c35-1.1\""));
    // The lock keeps the old anchors, so the alias stays needed.
    let lock2 = fs::read_to_string(seeds.join("anchors.lock")).unwrap();
    assert!(lock2.contains("\nguideline/index.html#c36 "));
    // And the site's links all resolve.
    let report = check::check_site(&site).unwrap();
    assert!(report.is_ok(), "{:?}", report.broken);
}

#[test]
fn an_edited_clause_is_marked_changed_since_the_date_in_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = copy_seeds(dir.path());
    let site = dir.path().join("site");
    fs::write(
        seeds.join("anchors.lock"),
        "# old registry\nguideline/index.html#c8 00000000 2020-05-17\n",
    )
    .unwrap();
    // The lock says c8's text had another hash: this build records the change with
    // today's date, and the page reads that date from the lock.
    build_into(&seeds, &site).expect("builds");
    let lock = fs::read_to_string(seeds.join("anchors.lock")).unwrap();
    let line = lock
        .lines()
        .find(|l| l.starts_with("guideline/index.html#c8 "))
        .unwrap();
    assert!(line.ends_with(" changed"), "{line}");
    let date = line.split(' ').nth(2).unwrap().to_string();
    let html = fs::read_to_string(site.join("guideline/index.html")).unwrap();
    let marker = format!("data-since=\"{date}\"");
    let at = html.find("id=\"c8\"").unwrap();
    let next = html[at..].find('<').unwrap() + at;
    assert!(
        html[next..].starts_with("<span class=\"text-changed\""),
        "no note in #c8"
    );
    assert!(after(&html, next, 300).contains(&marker));
    assert_eq!(html.matches("class=\"text-changed\"").count(), 1);

    // Editing the text of a clause marks that clause (and its paragraph and sentence).
    let f = seeds.join("000_7eec8cb570da91da.txt");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(
        &f,
        text.replace(
            "探索建设适应高水平开放的行政管理体制",
            "探索建设适应高水平开放的新型行政管理体制",
        ),
    )
    .unwrap();
    build_into(&seeds, &site).expect("builds");
    let lock = fs::read_to_string(seeds.join("anchors.lock")).unwrap();
    for id in ["c10", "c10-1", "c10-1.2"] {
        let l = lock
            .lines()
            .find(|l| l.starts_with(&format!("guideline/index.html#{id} ")))
            .unwrap();
        assert!(l.ends_with(" changed"), "{l}");
    }
    for id in ["c11", "c10-1.3"] {
        let l = lock
            .lines()
            .find(|l| l.starts_with(&format!("guideline/index.html#{id} ")))
            .unwrap();
        assert!(!l.ends_with("changed"), "{l}");
    }
    let html = fs::read_to_string(site.join("guideline/index.html")).unwrap();
    let at = html.find("id=\"c10-1.2\"").unwrap();
    assert!(after(&html, at, 200).contains("class=\"text-changed\""));
    // The same input once more gives the same bytes: the date comes from the lock.
    let first = snapshot(&site);
    build_into(&seeds, &site).expect("builds");
    assert_eq!(snapshot(&site), first);
}

#[test]
fn the_report_page_and_data_files_carry_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = copy_seeds(dir.path());
    let site = dir.path().join("site");
    build_into(&seeds, &site).expect("builds");
    let report = fs::read_to_string(site.join("integrity.html")).unwrap();
    assert!(report.contains("href=\"guideline/index.html#c10-1.5\""));
    assert!(report.contains("href=\"guideline/index.html#c17-1.2\""));
    assert!(report.contains("href=\"guideline/en.html#c10-1.5\""));
    assert!(report.contains("href=\"symposium-2024/index.html#n17.1\""));
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("href=\"integrity.html\""));
    let data: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("data/guideline.json")).unwrap()).unwrap();
    let kinds: Vec<&str> = data["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "pasted").count(), 2);
    // A focusable marker with a description on the affected sentence, on both pages.
    for page in ["guideline/index.html", "guideline/parallel.html"] {
        let html = fs::read_to_string(site.join(page)).unwrap();
        let at = html.find("id=\"c10-1.5\"").unwrap();
        let tail = after(&html, at, 400);
        assert!(
            tail.contains("<button type=\"button\" class=\"integrity-flag\" data-kind=\"pasted\" aria-label=\""),
            "{page}: {tail}"
        );
    }
    let report = check::check_site(&site).unwrap();
    assert!(report.is_ok(), "{:?}", report.broken);
}
