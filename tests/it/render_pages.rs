//! The render stage on a small hand-built library: every anchor on its page, language
//! links, escaping, template and asset overrides, Markdown pages, determinism.

use clausebook::model::{
    Block, BlockKind, Document, Library, Relation, SiteMeta, Supplied, TitleSource, Version,
    walk_blocks,
};
use clausebook::render::{OutputFile, render};
use std::path::Path;

const HOSTILE: &str = "<script>alert(1)</script> {{ x }} {% if 1 %}";

fn leaf(kind: BlockKind, id: &str, text: &str) -> Block {
    let mut b = Block::new(kind, id, 1);
    b.text = Some(text.to_string());
    b
}

fn unit(kind: BlockKind, id: &str, n: u32, label: &str, title: &str) -> Block {
    let mut b = Block::new(kind, id, 1);
    b.number = Some(n);
    b.label = Some(label.into());
    b.title = Some(title.into());
    b
}

fn zh_guideline() -> Vec<Block> {
    let title = leaf(BlockKind::Title, "title", "关于推进西部大开发的指导意见");
    let mut pre = Block::new(BlockKind::Preamble, "pre", 2);
    pre.children
        .push(leaf(BlockKind::Paragraph, "pre-1", "现提出如下意见。"));

    let mut p1 = unit(BlockKind::Part, "p1", 1, "一、", "总体要求");
    p1.children.push(leaf(
        BlockKind::Paragraph,
        "p1-1",
        "以习近平新时代中国特色社会主义思想为指导。",
    ));

    let mut p2 = unit(BlockKind::Part, "p2", 2, "二、", "推动高质量发展");
    let mut c8 = unit(
        BlockKind::Clause,
        "c8",
        8,
        "(八)",
        "积极参与和融入“一带一路”建设。",
    );
    let mut para = leaf(
        BlockKind::Paragraph,
        "c8-1",
        "支持新疆加快丝绸之路经济带核心区建设。支持重庆、四川、陕西发挥综合优势。",
    );
    let bold_end = "支持新疆加快丝绸之路经济带核心区建设。".len();
    para.strong = vec![(0, bold_end)];
    c8.children.push(para);
    c8.children
        .push(leaf(BlockKind::Paragraph, "c8-2", HOSTILE));
    p2.children.push(c8);

    // Part 4: its heading is missing from the source, supplied from the translation.
    let mut p4 = Block::new(BlockKind::Part, "p4", 20);
    p4.number = Some(4);
    p4.supplied_title = Some(Supplied {
        text: "Strengthen the protection of the ecological environment".into(),
        lang: "en".into(),
        from: "001_00d2dfaf8ea1c481.txt".into(),
    });
    let mut c14 = unit(
        BlockKind::Clause,
        "c14",
        14,
        "(十四)",
        "深入实施重点生态工程。",
    );
    c14.children.push(leaf(
        BlockKind::Paragraph,
        "c14-1",
        "坚定贯彻绿水青山就是金山银山理念。",
    ));
    p4.children.push(c14);

    let mut end = Block::new(BlockKind::Closing, "end", 90);
    end.children.push(leaf(
        BlockKind::Paragraph,
        "end-1",
        "各地区各部门要抓好落实。",
    ));
    end.children
        .push(leaf(BlockKind::Dateline, "end-2", "(新华社北京5月17日电)"));

    vec![title, pre, p1, p2, p4, end]
}

fn en_guideline() -> Vec<Block> {
    let mut pre = Block::new(BlockKind::Preamble, "pre", 1);
    pre.children.push(leaf(
        BlockKind::Paragraph,
        "pre-1",
        "The following opinions are put forward.",
    ));
    let mut p2 = unit(
        BlockKind::Part,
        "p2",
        2,
        "2.",
        "Promote high-quality development",
    );
    let mut c8 = unit(
        BlockKind::Clause,
        "c8",
        8,
        "(8)",
        "Actively participate in the Belt and Road.",
    );
    c8.children
        .push(leaf(BlockKind::Paragraph, "c8-1", "Support Xinjiang."));
    p2.children.push(c8);
    vec![pre, p2]
}

fn news() -> Vec<Block> {
    let title = leaf(
        BlockKind::Title,
        "n1",
        "习近平主持召开新时代推动西部大开发座谈会",
    );
    let p = leaf(
        BlockKind::Paragraph,
        "n2",
        "中共中央总书记习近平23日下午在重庆主持召开座谈会。",
    );
    let h = leaf(
        BlockKind::Heading,
        "n3",
        "布局建设未来产业 形成地区发展新动能",
    );
    let mut aside = Block::new(BlockKind::Aside, "n4", 9);
    aside.title = Some("习近平强调——".into());
    aside.children.push(leaf(
        BlockKind::Item,
        "n5",
        "要坚持把发展特色优势产业作为主攻方向。",
    ));
    aside.children.push(leaf(
        BlockKind::Item,
        "n6",
        "要坚持以高水平保护支撑高质量发展。",
    ));
    let by = leaf(BlockKind::Byline, "n7", "据新华社");
    let mut art = Block::new(BlockKind::Article, "n8", 40);
    art.label = Some("延伸阅读".into());
    art.title = Some("新起点上西部地区乘势谱写高质量发展新篇章".into());
    art.children.push(leaf(
        BlockKind::Paragraph,
        "n9",
        "党的十八大以来，西部地区持续发展。",
    ));
    let mut list = Block::new(BlockKind::List, "n10", 50);
    list.children.push(leaf(BlockKind::Item, "n11", "甘肃"));
    art.children.push(list);
    art.children
        .push(leaf(BlockKind::Source, "n12", "来源：新华社"));
    vec![title, p, h, aside, by, art]
}

fn version(lang: &str, original: bool, source: &str, title: &str, blocks: Vec<Block>) -> Version {
    Version {
        lang: lang.into(),
        original,
        source: source.into(),
        title: title.into(),
        title_from: if original {
            TitleSource::Seed
        } else {
            TitleSource::Manifest
        },
        blocks,
        alignment: None,
    }
}

fn library(url: Option<&str>) -> Library {
    Library {
        site: SiteMeta {
            title: "西部大开发政策文库 · Western Development Policy Library".into(),
            description: Some("Policy texts with stable links to every clause.".into()),
            url: url.map(str::to_string),
        },
        documents: vec![
            Document {
                slug: "guideline".into(),
                kind: "guideline".into(),
                date: Some("2020-05-17".into()),
                relations: vec![],
                links: Vec::new(),
                versions: vec![
                    version(
                        "zh-Hans",
                        true,
                        "000_7eec8cb570da91da.txt",
                        "关于推进西部大开发的指导意见",
                        zh_guideline(),
                    ),
                    version(
                        "en",
                        false,
                        "001_00d2dfaf8ea1c481.txt",
                        "Guiding Opinions on the Western Region",
                        en_guideline(),
                    ),
                ],
            },
            Document {
                slug: "symposium-2024".into(),
                kind: "news".into(),
                date: Some("2024-04-23".into()),
                relations: vec![Relation {
                    kind: "reports-on".into(),
                    target: "guideline".into(),
                }],
                links: Vec::new(),
                versions: vec![version(
                    "zh-Hans",
                    true,
                    "002_be8482c41ddce61b.txt",
                    "习近平主持召开新时代推动西部大开发座谈会",
                    news(),
                )],
            },
        ],
    }
}

fn empty_seeds() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn page<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path} among {:?}", paths(files)));
    std::str::from_utf8(&f.bytes).unwrap()
}

fn paths(files: &[OutputFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

/// The values of every `attr="…"` in `html`.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn writes_the_expected_files() {
    let seeds = empty_seeds();
    let files = render(&library(None), seeds.path()).unwrap();
    let p = paths(&files);
    for want in [
        "index.html",
        "guideline/index.html",
        "guideline/en.html",
        "symposium-2024/index.html",
        "404.html",
        "sitemap.xml",
        ".nojekyll",
        "static/style.css",
        "static/clausebook.js",
        "static/highlight.css",
    ] {
        assert!(p.contains(&want), "{want} missing from {p:?}");
    }
    assert!(page(&files, ".nojekyll").is_empty());
    let mut sorted = p.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), p.len(), "duplicate paths: {p:?}");
}

#[test]
fn every_block_id_is_on_its_page_once() {
    let seeds = empty_seeds();
    let lib = library(None);
    let files = render(&lib, seeds.path()).unwrap();
    for doc in &lib.documents {
        for v in &doc.versions {
            let path = if v.original {
                format!("{}/index.html", doc.slug)
            } else {
                format!("{}/{}.html", doc.slug, v.lang)
            };
            let html = page(&files, &path);
            let ids = attr_values(html, "id");
            for b in walk_blocks(&v.blocks) {
                let n = ids.iter().filter(|i| **i == b.id).count();
                assert_eq!(n, 1, "{path}: id {} appears {n} times", b.id);
            }
            let mut sorted = ids.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), ids.len(), "{path}: duplicate ids");
        }
    }
}

#[test]
fn clause_markup_labels_bold_permalink_and_copy_button() {
    let seeds = empty_seeds();
    let files = render(&library(None), seeds.path()).unwrap();
    let html = page(&files, "guideline/index.html");
    assert!(html.contains("<html lang=\"zh-Hans\">"));
    assert!(
        html.contains("<section id=\"c8\" class=\"clause\">"),
        "{html}"
    );
    assert!(html.contains("<span class=\"label\">(八)</span><span class=\"heading-text\">积极参与和融入“一带一路”建设。</span>"));
    assert!(html.contains("<p id=\"c8-1\" class=\"paragraph\"><strong>支持新疆加快丝绸之路经济带核心区建设。</strong>支持重庆"));
    assert!(html.contains("href=\"#c8\" aria-label=\"本条链接 #c8\""));
    assert!(html.contains("href=\"#c8-1\" aria-label=\"本段链接 #c8-1\""));
    assert!(html.contains(
        "<button type=\"button\" class=\"copy-link\" data-target=\"c8\" hidden>复制链接</button>"
    ));
    assert!(html.contains("data-copied=\"已复制\""));
    // Table of contents with the clause.
    assert!(html.contains("<summary>目录</summary>"));
    assert!(html.contains("<a href=\"#c8\"><span class=\"label\">(八)</span>"));
    // Only one <h1>.
    assert_eq!(html.matches("<h1").count(), 1);
    // Chrome in English on the English page.
    let en = page(&files, "guideline/en.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("<summary>Contents</summary>"));
    assert!(en.contains(">Copy link</button>"));
}

#[test]
fn supplied_heading_is_marked_with_its_language_and_source() {
    let seeds = empty_seeds();
    let files = render(&library(None), seeds.path()).unwrap();
    let html = page(&files, "guideline/index.html");
    let start = html.find("<section id=\"p4\"").unwrap();
    let part = &html[start..start + html[start..].find("<section id=\"c14\"").unwrap()];
    assert!(part.contains("<span class=\"label supplied\""), "{part}");
    assert!(part.contains(">四、</span>"), "{part}");
    assert!(part.contains(
        "<span class=\"heading-text supplied\" lang=\"en\">Strengthen the protection of the ecological environment</span>"
    ), "{part}");
    assert!(
        part.contains("原文缺此标题，据英文译本补（001_00d2dfaf8ea1c481.txt）"),
        "{part}"
    );
    // The table of contents marks it too.
    assert!(html.contains("<span class=\"toc-title supplied\" lang=\"en\">Strengthen"));
}

#[test]
fn language_links_point_at_the_other_version_and_keep_the_fragment_by_script() {
    let seeds = empty_seeds();
    let files = render(&library(None), seeds.path()).unwrap();
    let zh = page(&files, "guideline/index.html");
    assert!(
        zh.contains("<a href=\"en.html\" hreflang=\"en\" lang=\"en\" data-keep-hash>English</a>"),
        "{zh}"
    );
    assert!(zh.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"en.html\">"));
    assert!(zh.contains("<span aria-current=\"page\" lang=\"zh-Hans\">中文</span>"));
    let en = page(&files, "guideline/en.html");
    assert!(en.contains(
        "<a href=\"index.html\" hreflang=\"zh-Hans\" lang=\"zh-Hans\" data-keep-hash>中文</a>"
    ));
    assert!(en.contains("<link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"index.html\">"));
    let js = page(&files, "static/clausebook.js");
    assert!(js.contains("data-keep-hash") && js.contains("location.hash"));
    assert!(js.contains("execCommand(\"copy\")"));
}

#[test]
fn hostile_seed_text_is_escaped() {
    let seeds = empty_seeds();
    let mut lib = library(None);
    lib.documents[0].versions[0].title = HOSTILE.into();
    lib.site.title = format!("Site {HOSTILE}");
    let files = render(&lib, seeds.path()).unwrap();
    for path in ["index.html", "guideline/index.html", "guideline/en.html"] {
        let html = page(&files, path);
        assert!(
            !html.contains("<script>alert(1)"),
            "{path} has an unescaped script"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}"
        );
    }
    let html = page(&files, "guideline/index.html");
    assert!(
        html.contains("{{ x }} {% if 1 %}"),
        "template syntax in seed text must show as text"
    );
}

#[test]
fn library_page_groups_kinds_and_shows_relations_both_ways() {
    let seeds = empty_seeds();
    let files = render(&library(None), seeds.path()).unwrap();
    let html = page(&files, "index.html");
    let g = html.find("id=\"kind-guideline\"").unwrap();
    let n = html.find("id=\"kind-news\"").unwrap();
    assert!(g < n);
    assert!(html.contains("<a href=\"guideline/index.html\""));
    assert!(html.contains("<a href=\"guideline/en.html\" hreflang=\"en\" lang=\"en\">English</a>"));
    // Inverse relation on the guideline, forward one on the report.
    assert!(
        html.contains(
            "<span class=\"relation-label\">相关报道</span> <a href=\"symposium-2024/index.html\""
        ),
        "{html}"
    );
    assert!(html.contains(
        "<span class=\"relation-label\">报道对象</span> <a href=\"guideline/index.html\""
    ));
    // The English description is marked as English on the Chinese page.
    assert!(html.contains("<p class=\"lede\" lang=\"en\">"));
}

#[test]
fn links_are_relative_and_name_files() {
    let seeds = empty_seeds();
    let files = render(&library(Some("https://example.org/lib")), seeds.path()).unwrap();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = std::str::from_utf8(&f.bytes).unwrap();
        for attr in ["href", "src"] {
            for v in attr_values(html, attr) {
                if f.path == "404.html" && v.starts_with("javascript:") {
                    continue;
                }
                let canonical = html.contains(&format!("<link rel=\"canonical\" href=\"{v}\">"));
                assert!(
                    canonical || !v.contains("://") && !v.starts_with('/'),
                    "{}: absolute link {v}",
                    f.path
                );
                let file_part = v.split('#').next().unwrap();
                assert!(
                    !file_part.ends_with('/'),
                    "{}: link {v} names a folder",
                    f.path
                );
            }
        }
    }
    let html = page(&files, "guideline/en.html");
    assert!(
        html.contains(
            "<link rel=\"canonical\" href=\"https://example.org/lib/guideline/en.html\">"
        )
    );
    assert!(html.contains("href=\"../static/style.css\""));
    assert!(html.contains("href=\"../index.html\""));
    let sitemap = page(&files, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/lib/guideline/en.html</loc>"));
    assert!(!sitemap.contains("404.html"));
    assert!(page(&files, "404.html").contains("data-base-path=\"/lib/\""));
}

#[test]
fn without_site_url_no_canonical_and_an_empty_sitemap() {
    let seeds = empty_seeds();
    let files = render(&library(None), seeds.path()).unwrap();
    assert!(!page(&files, "guideline/index.html").contains("rel=\"canonical\""));
    let sitemap = page(&files, "sitemap.xml");
    assert!(sitemap.contains("<urlset"));
    assert!(!sitemap.contains("<loc>"));
}

#[test]
fn news_page_has_boxed_aside_and_nested_article() {
    let seeds = empty_seeds();
    let files = render(&library(None), seeds.path()).unwrap();
    let html = page(&files, "symposium-2024/index.html");
    assert!(html.contains("<aside id=\"n4\" class=\"aside\">"));
    assert!(html.contains("<p class=\"aside-title\">习近平强调——</p>"));
    assert!(html.contains("<li id=\"n5\" class=\"item\">"));
    assert!(html.contains("<article id=\"n8\" class=\"article\">"));
    assert!(html.contains("<p class=\"article-label\">延伸阅读</p>"));
    assert!(html.contains("<ul id=\"n10\" class=\"list\">"));
    assert!(html.contains("<p id=\"n7\" class=\"byline\">据新华社"));
}

#[test]
fn output_is_deterministic() {
    let seeds = empty_seeds();
    write(
        seeds.path(),
        "pages/about.md",
        "# About\n\n```yaml\na: 1\n```\n",
    );
    let a = render(&library(None), seeds.path()).unwrap();
    let b = render(&library(None), seeds.path()).unwrap();
    assert_eq!(a, b);
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn seed_templates_override_the_embedded_ones_file_by_file() {
    let seeds = empty_seeds();
    write(
        seeds.path(),
        "templates/library.html",
        "{% extends \"base.html\" %}{% block main %}<main id=\"text\">CUSTOM LIBRARY {{ groups|length }}</main>{% endblock %}",
    );
    let files = render(&library(None), seeds.path()).unwrap();
    let html = page(&files, "index.html");
    assert!(html.contains("CUSTOM LIBRARY 2"), "{html}");
    // base.html is still the embedded one.
    assert!(html.contains("static/style.css"));
    // Other pages still use the embedded templates.
    assert!(page(&files, "guideline/index.html").contains("<section id=\"c8\""));
}

#[test]
fn a_broken_seed_template_is_an_error_naming_it() {
    let seeds = empty_seeds();
    write(seeds.path(), "templates/page.html", "{% if %}");
    let err = render(&library(None), seeds.path()).unwrap_err();
    assert!(err.to_string().contains("page.html"), "{err}");
}

#[test]
fn seed_static_files_override_and_add() {
    let seeds = empty_seeds();
    write(seeds.path(), "static/style.css", "body{color:red}");
    write(seeds.path(), "static/img/logo.svg", "<svg/>");
    let files = render(&library(None), seeds.path()).unwrap();
    assert_eq!(page(&files, "static/style.css"), "body{color:red}");
    assert_eq!(page(&files, "static/img/logo.svg"), "<svg/>");
    assert!(page(&files, "static/clausebook.js").contains("copy"));
}

#[test]
fn markdown_pages_highlight_code_and_escape_raw_html() {
    let seeds = empty_seeds();
    write(
        seeds.path(),
        "pages/about.md",
        "# About the library\n\nSee <script>alert(1)</script>.\n\n```yaml\nslug: guideline\n```\n",
    );
    let files = render(&library(None), seeds.path()).unwrap();
    let html = page(&files, "about.html");
    assert!(html.contains("<title>About the library · "));
    assert!(html.contains("class=\"hl-"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // The library links to the about page; every page's navigation lists it.
    assert!(page(&files, "index.html").contains("href=\"about.html\""));
    assert!(page(&files, "guideline/index.html").contains("href=\"../about.html\""));
    let css = page(&files, "static/highlight.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
}

#[test]
fn parallel_page_has_every_unit_of_every_version_once() {
    let seeds = empty_seeds();
    let lib = library(None);
    let files = render(&lib, seeds.path()).unwrap();
    let html = page(&files, "guideline/parallel.html");
    let ids = attr_values(html, "id");
    for v in &lib.documents[0].versions {
        for b in walk_blocks(&v.blocks) {
            let n = ids.iter().filter(|i| **i == b.id).count();
            assert_eq!(n, 1, "parallel.html: id {} appears {n} times", b.id);
        }
    }
    // Clause 8 in both languages in one row.
    let row = &html[html.find("<div id=\"c8\"").unwrap()..];
    let row = &row[..row.find("<div id=\"c8-1\"").unwrap()];
    assert!(row.contains("积极参与和融入“一带一路”建设。") && row.contains("Actively participate"));
    assert!(
        page(&files, "guideline/index.html")
            .contains("<a href=\"parallel.html\" data-keep-hash>对照阅读</a>")
    );
    // No side-by-side page for a document with one version.
    assert!(!paths(&files).contains(&"symposium-2024/parallel.html"));
}
