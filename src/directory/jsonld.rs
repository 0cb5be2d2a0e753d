//! schema.org data for a service page (`<script type="application/ld+json">`):
//! a `Service` with its `ServiceChannel` (phone, web, place with its
//! `PostalAddress`), `OpeningHoursSpecification`s, area served, audience and
//! languages. It is data, never run as script, so the page's
//! Content-Security-Policy does not stop it.

use serde_json::{Value, json};

use crate::directory::{Directory, Service, langs};
use crate::model::Site;

/// The JSON-LD object of a service, in the page's language.
pub fn service(site: &Site, d: &Directory, s: &Service, lang: &str, url: &str) -> Value {
    let dl = site.default_lang();
    let e = &s.entry;
    let (name, _) = s.name_in(lang);
    let (summary, _) = s.summary_in(lang);
    let mut svc = json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": format!("{url}#service"),
        "name": name,
        "description": summary,
        "url": url,
        "serviceType": e.categories.iter().filter_map(|c| d.category(c)).map(|f| f.name(lang, dl).0).collect::<Vec<_>>(),
    });
    let org = &site.config.organisation;
    if !org.name.is_empty() {
        svc["broker"] = json!({ "@type": "Organization", "name": org.name, "url": site.config.absolute_base() });
    }
    let areas: Vec<Value> = e
        .areas
        .iter()
        .map(|a| {
            let name = d.area(a).map(|f| f.name(lang, dl).0).unwrap_or(&a.0);
            json!({ "@type": "AdministrativeArea", "name": name })
        })
        .collect();
    if !areas.is_empty() {
        svc["areaServed"] = Value::Array(areas);
    }
    if let Some((who, _)) = s.eligibility_in(lang) {
        svc["audience"] = json!({ "@type": "Audience", "audienceType": who });
    }
    let languages: Vec<Value> = e
        .languages
        .iter()
        .map(|c| {
            let name = langs::lookup(&c.0).map(|l| l.english).unwrap_or(&c.0);
            json!({ "@type": "Language", "name": name, "alternateName": c.0 })
        })
        .collect();

    let mut channel = json!({ "@type": "ServiceChannel", "name": name });
    if let Some(c) = &e.contact {
        let mut phone = json!({ "@type": "ContactPoint", "contactType": "customer service" });
        let mut has_phone = false;
        if let Some(p) = &c.phone {
            phone["telephone"] = json!(p.dial());
            has_phone = true;
        }
        if let Some(m) = &c.email {
            phone["email"] = json!(m.0);
            has_phone = true;
        }
        if has_phone {
            if !languages.is_empty() {
                phone["availableLanguage"] = Value::Array(languages.clone());
            }
            channel["servicePhone"] = phone;
        }
        if let Some(p) = &c.sms {
            channel["serviceSmsNumber"] = json!({ "@type": "ContactPoint", "telephone": p.dial() });
        }
        if let Some(w) = &c.website {
            channel["serviceUrl"] = json!(w.0);
        }
    }
    if let Some(a) = &e.address {
        let street = match &a.line2 {
            Some(l2) => format!("{}, {}", a.line1.0, l2.0),
            None => a.line1.0.clone(),
        };
        channel["serviceLocation"] = json!({
            "@type": "Place",
            "name": name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": street,
                "addressLocality": a.town.0,
                "postalCode": a.postcode.0,
                "addressCountry": "GB",
            }
        });
    }
    if !languages.is_empty() {
        channel["availableLanguage"] = Value::Array(languages);
    }
    svc["availableChannel"] = channel;

    let hours: Vec<Value> = e
        .opening_hours
        .iter()
        .map(|h| {
            let closes = if h.closes.0 >= 24 * 60 { "23:59".to_string() } else { h.closes.to_string() };
            json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": h.days.iter().map(|d| format!("https://schema.org/{}", d.schema_org())).collect::<Vec<_>>(),
                "opens": h.opens.to_string(),
                "closes": closes,
            })
        })
        .collect();
    if !hours.is_empty() {
        svc["hoursAvailable"] = Value::Array(hours);
    }
    if let Some((cost, _)) = s.cost_in(lang) {
        let free = cost.trim().eq_ignore_ascii_case("free");
        svc["offers"] = if free {
            json!({ "@type": "Offer", "price": "0", "priceCurrency": "GBP", "description": cost })
        } else {
            json!({ "@type": "Offer", "description": cost })
        };
    }
    svc
}

/// The JSON text to put inside `<script type="application/ld+json">`: `<`,
/// `>` and `&` are written as `\u003c` and so on, so nothing in the data can
/// close the element or start a comment.
pub fn script_text(v: &Value) -> String {
    let text = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_element() {
        let v = json!({ "name": "</script><script>alert(1)</script> & <!--" });
        let t = script_text(&v);
        assert!(!t.contains('<') && !t.contains('>'), "{t}");
        let back: Value = serde_json::from_str(&t).unwrap();
        assert_eq!(back, v);
    }
}
