//! Content negotiation: one pure function, [`negotiate`], shared by every route that
//! answers in more than one format (SPARQL results, RDF descriptions, pages).
//!
//! It reads an `Accept` header (RFC 9110 §12.5.1): media ranges with q-values, `*/*` and
//! `type/*`, parameters. For each offered type the most specific matching range decides
//! its quality (a type named exactly beats `type/*`, which beats `*/*`; a range with
//! parameters beats one without); the best quality wins, and among equally acceptable
//! types the order of the offers (our preference) decides. A missing or empty header
//! accepts anything. When nothing is acceptable the error names what is.

use std::fmt;

/// One media range of an `Accept` header.
#[derive(Clone, Debug, PartialEq)]
struct Range<'a> {
    kind: &'a str,
    subtype: &'a str,
    params: Vec<(&'a str, &'a str)>,
    q: f32,
}

impl Range<'_> {
    /// How specifically this range matches `media` (`type/subtype`), if it does.
    fn specificity(&self, media: &str) -> Option<u8> {
        let (kind, subtype) = media.split_once('/')?;
        if self.kind == "*" && self.subtype == "*" {
            Some(0)
        } else if self.kind.eq_ignore_ascii_case(kind) && self.subtype == "*" {
            Some(1)
        } else if self.kind.eq_ignore_ascii_case(kind) && self.subtype.eq_ignore_ascii_case(subtype)
        {
            Some(if self.params.is_empty() { 2 } else { 3 })
        } else {
            None
        }
    }
}

fn parse_accept(header: &str) -> Vec<Range<'_>> {
    header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';').map(str::trim);
            let media = pieces.next()?;
            let (kind, subtype) = media.split_once('/')?;
            let (kind, subtype) = (kind.trim(), subtype.trim());
            if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
                return None;
            }
            let mut q = 1.0;
            let mut params = Vec::new();
            for p in pieces {
                let Some((name, value)) = p.split_once('=') else {
                    continue;
                };
                let (name, value) = (name.trim(), value.trim().trim_matches('"'));
                if name.eq_ignore_ascii_case("q") {
                    q = value
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))?;
                } else {
                    params.push((name, value));
                }
            }
            Some(Range {
                kind,
                subtype,
                params,
                q,
            })
        })
        .collect()
}

/// No offered type is acceptable: answered with 406.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAcceptable {
    /// The media types that could have been served.
    pub offered: Vec<String>,
}

impl fmt::Display for NotAcceptable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "none of the requested media types can be served; acceptable: {}",
            self.offered.join(", ")
        )
    }
}

impl std::error::Error for NotAcceptable {}

/// The quality `ranges` give `media`: that of the most specific matching range (the
/// highest among equally specific ones). Without `wildcards`, only exact ranges count.
fn quality(ranges: &[Range<'_>], media: &str, wildcards: bool) -> Option<f32> {
    ranges
        .iter()
        .filter_map(|r| r.specificity(media).map(|s| (s, r.q)))
        .filter(|(s, _)| wildcards || *s >= 2)
        .fold(None, |acc: Option<(u8, f32)>, (s, q)| match acc {
            Some((bs, bq)) if bs > s || (bs == s && bq >= q) => Some((bs, bq)),
            _ => Some((s, q)),
        })
        .map(|(_, q)| q)
}

/// Chooses among `offers` (each with its media types, the first being the one served;
/// in our order of preference) by the `Accept` header.
pub fn negotiate<'o, T>(
    accept: Option<&str>,
    offers: &'o [(T, &'static [&'static str])],
) -> Result<&'o T, NotAcceptable> {
    let not_acceptable = || NotAcceptable {
        offered: offers.iter().map(|(_, m)| m[0].to_owned()).collect(),
    };
    let header = accept.map(str::trim).unwrap_or("");
    if header.is_empty() {
        return offers.first().map(|(t, _)| t).ok_or_else(not_acceptable);
    }
    let ranges = parse_accept(header);
    let mut best: Option<(&T, f32)> = None;
    for (value, medias) in offers {
        // The first media type is the one served: wildcards count for it. The others
        // are aliases a client may name (text/plain for N-Triples): only an exact range
        // counts for them, so `text/html;q=0, */*` does not get HTML through its alias.
        let q = medias
            .iter()
            .enumerate()
            .filter_map(|(i, media)| quality(&ranges, media, i == 0))
            .fold(0.0f32, f32::max);
        if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
            best = Some((value, q));
        }
    }
    best.map(|(v, _)| v).ok_or_else(not_acceptable)
}

pub mod formats;

#[cfg(test)]
mod tests;
