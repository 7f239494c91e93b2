//! Shared wording: the passages two texts have in common.
//!
//! The longest common passages are found with one dynamic-programming pass over both
//! texts (every maximal common run of characters), then taken longest first as long as
//! they overlap nothing taken before on either side. A passage must hold at least
//! [`MIN_HAN`] Han characters; punctuation at its ends is trimmed. Passages never cross
//! from one segment (heading, paragraph) into the next.

use crate::base::text::is_han;
use crate::model::Block;

/// The fewest Han characters a shared passage holds.
pub(crate) const MIN_HAN: usize = 4;

/// Where the shared passages lie in each text, as byte ranges per segment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Shared {
    /// The passages, longest first (then in order of the first text); each once.
    pub passages: Vec<String>,
    /// For each segment of the first text, the byte ranges of shared passages, in order.
    pub a: Vec<Vec<(usize, usize)>>,
    /// For each segment of the second text, the same.
    pub b: Vec<Vec<(usize, usize)>>,
}

/// A text as a sequence of codes, each character with its (segment, byte offset);
/// segment boundaries get codes no other position shares.
fn flatten(segs: &[&str], side: u32) -> (Vec<u32>, Vec<Option<(usize, usize)>>) {
    let mut codes = Vec::new();
    let mut pos = Vec::new();
    for (k, s) in segs.iter().enumerate() {
        if k > 0 {
            codes.push(0x20_0000 + side * 0x10_0000 + k as u32);
            pos.push(None);
        }
        for (i, c) in s.char_indices() {
            codes.push(c as u32);
            pos.push(Some((k, i)));
        }
    }
    (codes, pos)
}

/// The (segment, start byte, end byte) of `len` flattened positions from `start`.
fn byte_range(
    pos: &[Option<(usize, usize)>],
    segs: &[&str],
    start: usize,
    len: usize,
) -> Option<(usize, usize, usize)> {
    let (k, from) = pos[start]?;
    let (k2, last) = pos[start + len - 1]?;
    let seg = segs[k];
    let end = last + seg[last..].chars().next().map_or(0, char::len_utf8);
    (k == k2).then_some((k, from, end))
}

/// Every maximal common run of at least [`MIN_HAN`] codes of `a` and `b`, as
/// (length, end in `a`, end in `b`), ends exclusive, in no particular order.
///
/// A run is maximal when it can be extended neither left nor right. Each starts where
/// its first [`MIN_HAN`] codes occur on both sides and the codes before differ, so the
/// starts are found through an index of `b`'s windows of that length, and each is
/// extended to the right: time near-linear in the texts' length plus the runs' length,
/// where comparing every position with every other is quadratic.
fn common_runs(a: &[u32], b: &[u32]) -> Vec<(usize, usize, usize)> {
    let mut runs = Vec::new();
    if a.len() < MIN_HAN || b.len() < MIN_HAN {
        return runs;
    }
    // The windows of `b` by their codes: `first` holds a window's first position, `next`
    // each position's next with the same codes (`NONE` ends the chain).
    const NONE: u32 = u32::MAX;
    const _: () = assert!(MIN_HAN == 4, "a window's key packs four codes");
    let key = |w: &[u32]| {
        (w[0] as u128) | (w[1] as u128) << 32 | (w[2] as u128) << 64 | (w[3] as u128) << 96
    };
    let windows = b.len() - MIN_HAN + 1;
    let mut first: rustc_hash::FxHashMap<u128, u32> = Default::default();
    first.reserve(windows);
    let mut next = vec![NONE; windows];
    for j in (0..windows).rev() {
        if let Some(old) = first.insert(key(&b[j..j + MIN_HAN]), j as u32) {
            next[j] = old;
        }
    }
    for i in 0..=a.len() - MIN_HAN {
        let Some(&start) = first.get(&key(&a[i..i + MIN_HAN])) else {
            continue;
        };
        let starts = std::iter::successors(Some(start), |&j| {
            Some(next[j as usize]).filter(|&n| n != NONE)
        })
        .map(|j| j as usize);
        for j in starts {
            if i > 0 && j > 0 && a[i - 1] == b[j - 1] {
                continue; // not the start of a maximal run
            }
            let mut len = MIN_HAN;
            while i + len < a.len() && j + len < b.len() && a[i + len] == b[j + len] {
                len += 1;
            }
            runs.push((len, i + len, j + len));
        }
    }
    runs
}

/// The shared passages of two texts given as segments.
pub(crate) fn find(a: &[&str], b: &[&str]) -> Shared {
    let (ca, pa) = flatten(a, 0);
    let (cb, pb) = flatten(b, 1);
    let mut runs = common_runs(&ca, &cb);
    runs.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut used_a = vec![false; ca.len()];
    let mut used_b = vec![false; cb.len()];
    let mut taken: Vec<(usize, usize, usize)> = Vec::new();
    for (len, ea, eb) in runs {
        let (sa, sb) = (ea - len, eb - len);
        if used_a[sa..ea].iter().any(|u| *u) || used_b[sb..eb].iter().any(|u| *u) {
            continue;
        }
        // Trim characters that are not Han, letters or digits at both ends.
        let ok = |code: u32| char::from_u32(code).is_some_and(char::is_alphanumeric);
        let (mut s, mut e) = (0, len);
        while s < e && !ok(ca[sa + s]) {
            s += 1;
        }
        while e > s && !ok(ca[sa + e - 1]) {
            e -= 1;
        }
        let han = ca[sa + s..sa + e]
            .iter()
            .filter(|c| char::from_u32(**c).is_some_and(is_han))
            .count();
        if han < MIN_HAN {
            continue;
        }
        used_a[sa..ea].iter_mut().for_each(|u| *u = true);
        used_b[sb..eb].iter_mut().for_each(|u| *u = true);
        taken.push((sa + s, sb + s, e - s));
    }
    let mut out = Shared {
        passages: Vec::new(),
        a: vec![Vec::new(); a.len()],
        b: vec![Vec::new(); b.len()],
    };
    for &(sa, sb, len) in &taken {
        let text: String = ca[sa..sa + len]
            .iter()
            .filter_map(|c| char::from_u32(*c))
            .collect();
        if !out.passages.contains(&text) {
            out.passages.push(text);
        }
        if let Some((k, from, end)) = byte_range(&pa, a, sa, len) {
            out.a[k].push((from, end));
        }
        if let Some((k, from, end)) = byte_range(&pb, b, sb, len) {
            out.b[k].push((from, end));
        }
    }
    for v in out.a.iter_mut().chain(out.b.iter_mut()) {
        v.sort();
    }
    out
}

/// The heading and the body text of a clause: its label excluded, its children's text in
/// reading order.
pub(crate) fn clause_texts(b: &Block) -> (String, Vec<String>) {
    let title = b
        .title
        .clone()
        .or_else(|| b.supplied_title.as_ref().map(|s| s.text.clone()))
        .unwrap_or_default();
    let mut body = Vec::new();
    for x in b.walk() {
        if let Some(t) = &x.text {
            body.push(t.clone());
        }
        if x.id != b.id
            && let Some(t) = &x.title
        {
            body.push(t.clone());
        }
    }
    (title, body)
}

/// The segments of a clause: its heading, then the text of its paragraphs.
pub(crate) fn segments(b: &Block) -> Vec<String> {
    let (title, body) = clause_texts(b);
    std::iter::once(title).chain(body).collect()
}

/// The shared passages of two clauses, longest first.
pub(crate) fn passages(a: &Block, b: &Block) -> Vec<String> {
    let sa = segments(a);
    let sb = segments(b);
    let ra: Vec<&str> = sa.iter().map(String::as_str).collect();
    let rb: Vec<&str> = sb.iter().map(String::as_str).collect();
    find(&ra, &rb).passages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_longest_passages_on_both_sides() {
        let a = [
            "强化公共就业创业服务。",
            "完善城乡劳动者终身职业技能培训政策。",
        ];
        let b = ["推行终身职业技能培训制度，强化公共就业创业服务"];
        let s = find(&a, &b);
        assert_eq!(s.passages, ["强化公共就业创业服务", "终身职业技能培训"]);
        assert_eq!(&a[0][s.a[0][0].0..s.a[0][0].1], "强化公共就业创业服务");
        assert_eq!(&a[1][s.a[1][0].0..s.a[1][0].1], "终身职业技能培训");
        assert_eq!(s.b[0].len(), 2);
        assert_eq!(&b[0][s.b[0][0].0..s.b[0][0].1], "终身职业技能培训");
    }

    #[test]
    fn short_and_punctuation_only_runs_are_not_passages() {
        let s = find(&["甲乙丙，。、丁"], &["甲乙丙，。、戊"]);
        assert!(s.passages.is_empty(), "{s:?}");
        assert!(find(&[""], &["任何文字"]).passages.is_empty());
    }

    /// The runs by the quadratic dynamic programme, to check [`common_runs`] against.
    fn runs_by_dp(ca: &[u32], cb: &[u32]) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        let mut prev = vec![0u32; cb.len() + 1];
        let mut cur = vec![0u32; cb.len() + 1];
        for i in 0..ca.len() {
            for j in 0..cb.len() {
                cur[j + 1] = if ca[i] == cb[j] { prev[j] + 1 } else { 0 };
                let len = cur[j + 1] as usize;
                let ends = i + 1 == ca.len() || j + 1 == cb.len() || ca[i + 1] != cb[j + 1];
                if len >= MIN_HAN && ends {
                    runs.push((len, i + 1, j + 1));
                }
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        runs.sort();
        runs
    }

    #[test]
    fn runs_match_the_dynamic_programme() {
        let texts = [
            "推动西部大开发形成新格局，推动西部大开发形成新格局。加快建设现代化产业体系",
            "形成新格局，推动西部大开发，加快建设现代化产业体系，推动西部",
            "甲甲甲甲甲甲甲甲",
            "甲甲甲甲甲",
            "abcabcabcab",
            "cabcab",
            "",
            "甲乙",
        ];
        for x in texts {
            for y in texts {
                let (ca, _) = flatten(&[x, "同一段落", x], 0);
                let (cb, _) = flatten(&[y, "同一段落"], 1);
                let mut got = common_runs(&ca, &cb);
                got.sort();
                assert_eq!(got, runs_by_dp(&ca, &cb), "{x:?} / {y:?}");
            }
        }
    }

    #[test]
    fn passages_do_not_cross_segments() {
        let s = find(&["甲乙", "丙丁"], &["甲乙丙丁"]);
        assert!(s.passages.is_empty(), "{s:?}");
    }
}
