//! The date forms of the inputs: `YYYY-MM-DD`, and in the manifest also `YYYY-MM` and
//! `YYYY`.

/// Whether `s` is a date of the manifest: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a month
/// of 01–12 and a day that the month has (1–28, 29, 30 or 31; 29 February in leap years
/// of the Gregorian calendar only).
pub(crate) fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 12),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && in_range(m, 12)
                && in_range(d, days_in_month(number(y), number(m)))
        }
        _ => false,
    }
}

/// The number of days of `month` (1–12) in `year`, by the Gregorian calendar.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The value of a run of ASCII digits (0 where it is none).
fn number(p: &str) -> u32 {
    p.parse().unwrap_or(0)
}

/// Whether `s` is a whole day, `YYYY-MM-DD`, as [`is_date`] checks it (the form of the
/// anchor registry's dates).
pub(crate) fn is_full_date(s: &str) -> bool {
    s.len() == 10 && s.matches('-').count() == 2 && is_date(s)
}

/// Whether `p` is exactly `n` ASCII digits.
fn digits(p: &str, n: usize) -> bool {
    p.len() == n && p.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `p` is a number from 1 to `max`.
fn in_range(p: &str, max: u32) -> bool {
    p.parse::<u32>().is_ok_and(|v| (1..=max).contains(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_dates_may_be_partial() {
        for ok in [
            "2020",
            "2020-05",
            "2020-05-31",
            "1999-12-01",
            "2020-02-29",
            "2000-02-29",
            "2021-02-28",
            "2020-04-30",
            "2020-12-31",
        ] {
            assert!(is_date(ok), "{ok} refused");
        }
        for bad in [
            "",
            "20",
            "2020-5",
            "2020-13",
            "2020-00",
            "2020-05-32",
            "2020-05-00",
            "2020-02-31",
            "2020-02-30",
            "2021-02-29",
            "1900-02-29",
            "2020-04-31",
            "2020-06-31",
            "2020-09-31",
            "2020-11-31",
            "2020/05/01",
            "2020-05-01-01",
            "２０２０",
            "+202-05",
        ] {
            assert!(!is_date(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn full_dates_are_whole_days() {
        assert!(is_full_date("2024-02-29"));
        for bad in [
            "2024",
            "2024-02",
            "2024-13-01",
            "2024-02-32",
            "2024-02-30",
            "2023-02-29",
            "2024-2-291",
            "20240229xx",
        ] {
            assert!(!is_full_date(bad), "{bad:?} accepted");
        }
    }
}
