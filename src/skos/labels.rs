//! Language-tagged labels and choosing one for a reader's languages.

/// Labels with their language tags (`""` for none).
#[derive(Clone, Debug, Default)]
pub struct LabelSet(pub Vec<(String, String)>);

impl LabelSet {
    /// Adds a label.
    pub fn push(&mut self, lang: &str, value: &str) {
        if !self.0.iter().any(|(l, v)| l == lang && v == value) {
            self.0.push((lang.to_owned(), value.to_owned()));
        }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The languages present, sorted.
    pub fn languages(&self) -> Vec<&str> {
        let mut langs: Vec<&str> = self
            .0
            .iter()
            .map(|(l, _)| l.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        langs.sort_unstable();
        langs.dedup();
        langs
    }

    /// The best label for `langs` (in order of preference): an exact tag, then the same
    /// primary language, then English, then an untagged label, then any.
    pub fn best(&self, langs: &[String]) -> Option<(&str, &str)> {
        let pick = |pred: &dyn Fn(&str) -> bool| {
            self.0
                .iter()
                .filter(|(l, _)| pred(l))
                .min_by(|a, b| a.1.cmp(&b.1))
                .map(|(l, v)| (l.as_str(), v.as_str()))
        };
        for want in langs {
            if let Some(found) = pick(&|l: &str| l.eq_ignore_ascii_case(want)) {
                return Some(found);
            }
            let primary = want.split('-').next().unwrap_or(want);
            if let Some(found) = pick(&|l: &str| {
                l.split('-')
                    .next()
                    .is_some_and(|p| p.eq_ignore_ascii_case(primary))
            }) {
                return Some(found);
            }
        }
        pick(&|l: &str| l == "en")
            .or_else(|| pick(&|l: &str| l.is_empty()))
            .or_else(|| pick(&|_| true))
    }

    /// Every label in `lang` (or, if there is none, in the best language for it).
    pub fn all_in(&self, lang: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .0
            .iter()
            .filter(|(l, _)| l == lang)
            .map(|(_, v)| v.as_str())
            .collect();
        out.sort_unstable();
        out
    }
}

/// The languages of an `Accept-Language` header, best first (`*` dropped).
pub fn parse_accept_language(header: &str) -> Vec<String> {
    let mut langs: Vec<(f32, usize, String)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            if tag.is_empty() || tag == "*" {
                return None;
            }
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            (q > 0.0).then(|| (q, i, tag.to_ascii_lowercase()))
        })
        .collect();
    langs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    langs.into_iter().map(|(_, _, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_label_falls_back_sensibly() {
        let mut l = LabelSet::default();
        l.push("fi", "arkeologia");
        l.push("sv", "arkeologi");
        l.push("en", "archaeology");
        assert_eq!(l.best(&["sv".into()]), Some(("sv", "arkeologi")));
        assert_eq!(l.best(&["sv-FI".into()]), Some(("sv", "arkeologi")));
        assert_eq!(l.best(&["de".into()]), Some(("en", "archaeology")));
        let mut only = LabelSet::default();
        only.push("se", "arkeologiija");
        assert_eq!(only.best(&["en".into()]), Some(("se", "arkeologiija")));
    }

    #[test]
    fn accept_language_is_ordered_by_quality() {
        assert_eq!(
            parse_accept_language("fi;q=0.5, en-GB, sv;q=0.8, *;q=0.1"),
            ["en-gb", "sv", "fi"]
        );
        assert!(parse_accept_language("").is_empty());
    }
}
