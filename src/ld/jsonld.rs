//! JSON-LD compaction. Oxigraph's JSON-LD writer emits full IRIs everywhere; we rewrite
//! its output with a `@context` of the usual prefixes: property names and `@id`/`@type`
//! values become compact IRIs (`skos:prefLabel`), `rdf:type` becomes `@type`, one-element
//! arrays and plain string values lose their wrappers. Every rewrite is one that JSON-LD
//! expansion undoes, so the document means the same triples (the tests parse it back).

use serde_json::{Map, Value};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The prefixes of the `@context`.
fn prefixes() -> Vec<(&'static str, &'static str)> {
    let mut p: Vec<_> = crate::vocab::PREFIXES.to_vec();
    p.push(("xsd", "http://www.w3.org/2001/XMLSchema#"));
    p
}

fn compact_iri(iri: &str, prefixes: &[(&str, &str)]) -> Option<String> {
    prefixes.iter().find_map(|(p, ns)| {
        let local = iri.strip_prefix(ns)?;
        let ok = !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            && !local.starts_with(['-', '.'])
            && !local.ends_with('.');
        ok.then(|| format!("{p}:{local}"))
    })
}

fn compact_value(value: Value, prefixes: &[(&str, &str)]) -> Value {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(v)) = map.get("@value") {
                    return Value::String(v.clone());
                }
            }
            let mut out = Map::new();
            for (k, v) in map {
                let v = match (k.as_str(), v) {
                    ("@id", Value::String(id)) => {
                        Value::String(compact_iri(&id, prefixes).unwrap_or(id))
                    }
                    ("@type", Value::String(t)) => {
                        Value::String(compact_iri(&t, prefixes).unwrap_or(t))
                    }
                    ("@value" | "@language", v) => v,
                    (_, v) => compact_value(v, prefixes),
                };
                out.insert(k, v);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| compact_value(v, prefixes))
                .collect(),
        ),
        other => other,
    }
}

fn compact_node(node: Map<String, Value>, prefixes: &[(&str, &str)]) -> Value {
    let mut out = Map::new();
    for (key, value) in node {
        if key == RDF_TYPE {
            let types: Vec<Value> = match value {
                Value::Array(items) => items,
                other => vec![other],
            }
            .into_iter()
            .filter_map(|t| {
                t.get("@id").and_then(Value::as_str).map(|id| {
                    Value::String(compact_iri(id, prefixes).unwrap_or_else(|| id.to_owned()))
                })
            })
            .collect();
            out.insert("@type".to_owned(), unwrap_single(Value::Array(types)));
            continue;
        }
        let key = if key.starts_with('@') {
            key
        } else {
            compact_iri(&key, prefixes).unwrap_or(key)
        };
        let value = match (key.as_str(), value) {
            ("@id", Value::String(id)) => Value::String(compact_iri(&id, prefixes).unwrap_or(id)),
            (_, v) => unwrap_single(compact_value(v, prefixes)),
        };
        out.insert(key, value);
    }
    Value::Object(out)
}

fn unwrap_single(value: Value) -> Value {
    match value {
        Value::Array(mut items) if items.len() == 1 => items.remove(0),
        other => other,
    }
}

/// Compacts a JSON-LD document written by Oxigraph (an object with `@graph`, or an array
/// of node objects). Anything else is returned unchanged.
pub fn compact_jsonld(document: &[u8]) -> Vec<u8> {
    let Ok(parsed) = serde_json::from_slice::<Value>(document) else {
        return document.to_vec();
    };
    let prefixes = prefixes();
    let nodes = match parsed {
        Value::Object(mut map) if map.contains_key("@graph") => match map.remove("@graph") {
            Some(Value::Array(nodes)) => nodes,
            _ => return document.to_vec(),
        },
        Value::Array(nodes) => nodes,
        Value::Object(map) => vec![Value::Object(map)],
        _ => return document.to_vec(),
    };
    let graph: Vec<Value> = nodes
        .into_iter()
        .map(|n| match n {
            Value::Object(map) => compact_node(map, &prefixes),
            other => other,
        })
        .collect();
    let context: Map<String, Value> = prefixes
        .iter()
        .map(|(p, ns)| ((*p).to_owned(), Value::String((*ns).to_owned())))
        .collect();
    let mut doc = Map::new();
    doc.insert("@context".to_owned(), Value::Object(context));
    doc.insert("@graph".to_owned(), Value::Array(graph));
    serde_json::to_vec_pretty(&Value::Object(doc)).unwrap_or_else(|_| document.to_vec())
}
