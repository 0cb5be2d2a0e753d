//! Open data: `services.json`, the directory as an Open Referral UK service
//! list (HSDS 3.0 profile: a page object whose `contents` are fully nested
//! services), and the reverse mapping used by `signpost import`.
//!
//! Every id is a name-based (v5) UUID made from the entry's path, so the same
//! entry has the same ids in every build. Fields Open Referral has no place
//! for (category and area ids, who can refer, bank holidays) travel as
//! taxonomy terms in `attributes`, so an export imports back unchanged.

use rayon::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::diagnostics::Diagnostic;
use crate::directory::entry::{
    Address, Contact, Day, Email, Entry, Hours, LangCode, Line, Phone, Referral, Time, WebAddress,
};
use crate::directory::{Directory, Service, hours, langs};
use crate::frontmatter::Date;
use crate::i18n::Strings;
use crate::model::Site;
use crate::render::{OutputFile, RenderContext};

/// Taxonomies of the `attributes` Signpost writes.
pub const TAXONOMY_CATEGORIES: &str = "signpost-categories";
pub const TAXONOMY_AREAS: &str = "signpost-areas";
pub const TAXONOMY_REFERRAL: &str = "signpost-referral";
pub const TAXONOMY_BANK_HOLIDAYS: &str = "signpost-bank-holidays";
/// The entry's file NAME, so an import writes the same file (and links to
/// it, and the ids made from its path, stay the same).
pub const TAXONOMY_ENTRY: &str = "signpost-entry";

fn namespace() -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://signpost.invalid/open-referral-uk",
    )
}

/// A stable id for a thing of `kind` named `key`.
pub fn uuid_for(kind: &str, key: &str) -> String {
    Uuid::new_v5(&namespace(), format!("{kind}:{key}").as_bytes()).to_string()
}

/// `services.json` for each directory.
pub struct OpenData;

impl crate::render::SiteRenderer for OpenData {
    fn render(&self, ctx: &RenderContext<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let site = ctx.site;
        let strings = ctx.i18n.get(site.default_lang());
        Ok(site
            .directories()
            .iter()
            .map(|d| {
                let text = service_list(site, d, strings);
                OutputFile::new(format!("{}services.json", d.path), text + "\n")
            })
            .collect())
    }
}

/// The page object of Open Referral's `/services` with every service in
/// it, as pretty-printed JSON (what `serde_json::to_string_pretty` makes of
/// the whole object, keys in order). Each service is made and printed on
/// its own, in parallel, so the whole list is never held as JSON values
/// (a nested service is tens of kilobytes of them).
pub fn service_list(site: &Site, d: &Directory, strings: &Strings) -> String {
    let items: Vec<String> = d
        .services
        .par_iter()
        .map(|s| {
            serde_json::to_string_pretty(&service(site, d, s, strings))
                .unwrap_or_else(|_| "{}".into())
        })
        .collect();
    let n = items.len();
    let mut out =
        String::with_capacity(items.iter().map(|i| i.len() + i.len() / 8).sum::<usize>() + 200);
    out.push_str("{\n  \"contents\": [");
    if !items.is_empty() {
        out.push('\n');
        for (i, item) in items.iter().enumerate() {
            // JSON strings never hold a raw line break, so lines are safe
            // to indent.
            for (j, line) in item.lines().enumerate() {
                if j > 0 {
                    out.push('\n');
                }
                out.push_str("    ");
                out.push_str(line);
            }
            out.push_str(if i + 1 < n { ",\n" } else { "\n" });
        }
        out.push_str("  ");
    }
    out.push_str(&format!(
        "],\n  \"empty\": {},\n  \"first_page\": true,\n  \"last_page\": true,\n  \"page_number\": 1,\n  \"size\": {n},\n  \"total_items\": {n},\n  \"total_pages\": 1\n}}",
        n == 0
    ));
    out
}

fn term(taxonomy: &str, term: &str, name: &str, key: &str, link_id: &str) -> Value {
    let term_id = uuid_for(&format!("term:{taxonomy}"), term);
    json!({
        "id": uuid_for("attribute", &format!("{key}#{taxonomy}:{term}")),
        "link_id": link_id,
        "link_type": "service",
        "taxonomy_term_id": term_id,
        "taxonomy_term": {
            "id": term_id,
            "name": name,
            "description": name,
            "taxonomy": taxonomy,
            "term": term,
        }
    })
}

/// One service, fully nested, in the default language.
pub fn service(site: &Site, d: &Directory, s: &Service, strings: &Strings) -> Value {
    let dl = site.default_lang();
    let e = &s.entry;
    let key = s.rel.as_str();
    let id = uuid_for("service", key);
    let sub = |kind: &str, n: usize| uuid_for(kind, &format!("{key}#{n}"));
    let org = &site.config.organisation;
    let org_name = if org.name.is_empty() {
        site.config.title.clone()
    } else {
        org.name.clone()
    };
    let mut organization = json!({
        "id": uuid_for("organization", &org_name),
        "name": org_name,
        "description": site.config.title,
    });
    if let Some(m) = &org.email {
        organization["email"] = json!(m);
    }
    if site.config.absolute_base().starts_with("http") {
        organization["website"] = json!(site.config.absolute_base());
    }

    let mut v = json!({
        "id": id,
        "organization_id": organization["id"],
        "name": e.name.0,
        "summary": e.summary.0,
        "description": e.description.clone().unwrap_or_else(|| e.summary.0.clone()),
        "status": "active",
        "assured_date": e.last_verified.to_string(),
        "organization": organization,
    });
    let c = e.contact.clone().unwrap_or_default();
    if let Some(w) = &c.website {
        v["url"] = json!(w.0);
    }
    if let Some(m) = &c.email {
        v["email"] = json!(m.0);
    }
    if let Some(el) = &e.eligibility {
        v["eligibility_description"] = json!(el);
    }
    if !e.referral.is_empty() {
        let text: Vec<String> = e
            .referral
            .iter()
            .map(|r| strings.get(&format!("directory.referral.{}", r.key())))
            .collect();
        v["application_process"] = json!(text.join(" "));
    }

    let mut phones = Vec::new();
    for (n, (p, kind, label)) in [
        (&c.phone, "voice", "directory.contact.phone"),
        (&c.text_phone, "textphone", "directory.contact.text_phone"),
        (&c.sms, "text", "directory.contact.sms"),
    ]
    .into_iter()
    .enumerate()
    .filter_map(|(n, (p, k, l))| p.as_ref().map(|p| (n, (p, k, l))))
    {
        phones.push(json!({
            "id": sub("phone", n),
            "service_id": id,
            "number": p.0,
            "type": kind,
            "description": strings.get(label),
        }));
    }
    if !phones.is_empty() {
        v["phones"] = Value::Array(phones.clone());
    }
    if !c.is_empty() {
        let mut contact = json!({ "id": sub("contact", 0), "service_id": id, "name": e.name.0 });
        if let Some(m) = &c.email {
            contact["email"] = json!(m.0);
        }
        if !phones.is_empty() {
            let contact_phones: Vec<Value> = phones
                .iter()
                .enumerate()
                .map(|(n, p)| {
                    let mut p = p.clone();
                    p["id"] = json!(sub("contact-phone", n));
                    if let Some(o) = p.as_object_mut() {
                        o.remove("service_id");
                    }
                    p["contact_id"] = contact["id"].clone();
                    p
                })
                .collect();
            contact["phones"] = Value::Array(contact_phones);
        }
        v["contacts"] = json!([contact]);
    }

    let schedules: Vec<Value> = e
        .opening_hours
        .iter()
        .enumerate()
        .map(|(n, h)| {
            let mut sch = json!({
                "id": sub("schedule", n),
                "service_id": id,
                "freq": "WEEKLY",
                "interval": 1,
                "byday": h.days.iter().map(|d| d.ical()).collect::<Vec<_>>().join(","),
                "opens_at": h.opens.to_string(),
                "closes_at": h.closes.to_string(),
                "description": hours::describe(std::slice::from_ref(h), strings).join(" "),
            });
            if let Some(b) = hours::bank_holidays(e.closed_on_bank_holidays, strings) {
                sch["notes"] = json!(b);
            }
            sch
        })
        .collect();
    if !schedules.is_empty() {
        v["schedules"] = Value::Array(schedules);
    }

    let areas: Vec<Value> = e
        .areas
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let name = d.area(a).map(|f| f.name(dl, dl).0).unwrap_or(&a.0);
            json!({ "id": sub("service-area", n), "service_id": id, "name": name, "service_area": name })
        })
        .collect();
    if !areas.is_empty() {
        v["service_areas"] = Value::Array(areas);
    }

    let languages: Vec<Value> = e
        .languages
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let name = langs::lookup(&l.0).map(|x| x.english).unwrap_or(&l.0);
            json!({ "id": sub("language", n), "service_id": id, "name": name, "code": l.0 })
        })
        .collect();
    if !languages.is_empty() {
        v["languages"] = Value::Array(languages);
    }

    if let Some(cost) = &e.cost {
        let mut option = json!({ "id": sub("cost", 0), "service_id": id, "option": cost });
        if cost.trim().eq_ignore_ascii_case("free") {
            option["amount"] = json!(0);
        }
        v["cost_options"] = json!([option]);
    }

    if e.address.is_some() || !e.accessibility.is_empty() {
        let loc_id = sub("location", 0);
        let mut location = json!({
            "id": loc_id,
            "location_type": if e.address.is_some() { "physical" } else { "virtual" },
            "name": e.name.0,
        });
        if let Some(a) = &e.address {
            let mut addr = json!({
                "id": sub("address", 0),
                "location_id": loc_id,
                "address_1": a.line1.0,
                "city": a.town.0,
                "state_province": "",
                "postal_code": a.postcode.0,
                "country": "GB",
                "address_type": "physical",
            });
            if let Some(l2) = &a.line2 {
                addr["address_2"] = json!(l2.0);
            }
            location["addresses"] = json!([addr]);
        }
        if !e.accessibility.is_empty() {
            let list: Vec<Value> = e
                .accessibility
                .iter()
                .enumerate()
                .map(|(n, a)| json!({ "id": sub("accessibility", n), "location_id": loc_id, "description": a }))
                .collect();
            location["accessibility"] = Value::Array(list);
        }
        v["service_at_locations"] = json!([{
            "id": sub("service-at-location", 0),
            "service_id": id,
            "location_id": loc_id,
            "location": location,
        }]);
    }

    let mut attributes = Vec::new();
    for c in &e.categories {
        let name = d.category(c).map(|f| f.name(dl, dl).0).unwrap_or(&c.0);
        attributes.push(term(TAXONOMY_CATEGORIES, c, name, key, &id));
    }
    for a in &e.areas {
        let name = d.area(a).map(|f| f.name(dl, dl).0).unwrap_or(&a.0);
        attributes.push(term(TAXONOMY_AREAS, a, name, key, &id));
    }
    for r in &e.referral {
        attributes.push(term(
            TAXONOMY_REFERRAL,
            r.key(),
            &strings.get(&format!("directory.referral.{}", r.key())),
            key,
            &id,
        ));
    }
    if let Some(b) = e.closed_on_bank_holidays {
        let (t, label) = if b {
            ("closed", "directory.hours.closed_bank_holidays")
        } else {
            ("open", "directory.hours.open_bank_holidays")
        };
        attributes.push(term(
            TAXONOMY_BANK_HOLIDAYS,
            t,
            &strings.get(label),
            key,
            &id,
        ));
    }
    attributes.push(term(TAXONOMY_ENTRY, &s.name, &e.name, key, &id));
    v["attributes"] = Value::Array(attributes);
    v
}

/// A service read from Open Referral data, ready to be written as an entry.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The entry, with the categories Signpost itself exported
    /// (`signpost-categories`); other taxonomies' terms are in `terms`, for
    /// the import to map.
    pub entry: Entry,
    /// The service's `id` in the feed (numbers as written).
    pub id: Option<String>,
    /// The NAME the entry had where it came from (a Signpost export).
    pub file_name: Option<String>,
    /// Category and area ids with the names the data gave them.
    pub categories: Vec<(String, String)>,
    pub areas: Vec<(String, String)>,
    /// Terms of other taxonomies (attributes, or ORUK 1.0
    /// `service_taxonomys`), in the order given.
    pub terms: Vec<Term>,
    /// Whether the data gave a summary (or a description to take it from);
    /// without one the summary is the name.
    pub summary_given: bool,
    /// Why last_verified was set to today (no date, or not a date).
    pub date_problem: Option<String>,
    /// Things that could not be kept, in plain words.
    pub warnings: Vec<String>,
}

/// A taxonomy term a service is tagged with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub taxonomy: String,
    pub id: Option<String>,
    /// The term's code (`term` in HSDS 3.0), when it has one.
    pub code: Option<String>,
    pub name: String,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// A text value as written (descriptions keep their line breaks).
fn raw(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(String::from)
}

/// A text or a number, as text (ids are either in real feeds).
fn id_text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::Number(n) => Some(n.to_string()),
        _ => text(v, key),
    }
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// An id made from a name: lowercase letters, digits and hyphens.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    out.chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn time_of(s: &str) -> Option<Time> {
    let t = s.trim();
    let hm = if t.len() >= 8 && t.as_bytes().get(5) == Some(&b':') {
        &t[..5]
    } else {
        t
    };
    Time::parse(hm).ok()
}

/// Reads one Open Referral service into an entry. `area_names` maps area
/// names of the target directory to their ids, for data that names areas.
pub fn import_service(
    v: &Value,
    area_names: &[(String, String)],
    today: Date,
) -> Result<Imported, String> {
    let mut warnings = Vec::new();
    let name = text(v, "name").ok_or("a service has no name")?;
    let description = raw(v, "description");
    let summary_given = text(v, "summary").is_some() || description.is_some();
    let summary = text(v, "summary")
        .or_else(|| description.as_deref().map(first_sentence))
        .unwrap_or_else(|| name.clone());
    let description = description.filter(|d| d.trim() != summary);

    // Attributes Signpost wrote, or other taxonomies' terms as categories.
    let mut categories: Vec<(String, String)> = Vec::new();
    let mut areas: Vec<(String, String)> = Vec::new();
    let mut referral: Vec<Referral> = Vec::new();
    let mut bank: Option<bool> = None;
    let mut terms: Vec<Term> = Vec::new();
    let mut file_name: Option<String> = None;
    for a in array(v, "attributes") {
        let Some(t) = a.get("taxonomy_term") else {
            continue;
        };
        let taxonomy = text(t, "taxonomy").unwrap_or_default();
        let name = text(t, "name").unwrap_or_default();
        let term = text(t, "term").unwrap_or_else(|| slug(&name));
        match taxonomy.as_str() {
            TAXONOMY_CATEGORIES => categories.push((term, name)),
            TAXONOMY_AREAS => areas.push((term, name)),
            TAXONOMY_REFERRAL => match Referral::from_key(&term) {
                Some(r) => referral.push(r),
                None => warnings.push(format!(
                    "`{term}` is not a way to be referred; it was left out"
                )),
            },
            TAXONOMY_BANK_HOLIDAYS => bank = Some(term == "closed"),
            TAXONOMY_ENTRY => file_name = Some(term),
            _ if !name.is_empty() => terms.push(Term {
                taxonomy,
                id: id_text(t, "id").or_else(|| id_text(a, "taxonomy_term_id")),
                code: text(t, "term"),
                name,
            }),
            _ => {}
        }
    }
    // Open Referral UK 1.0 feeds tag services with `service_taxonomys`.
    for st in array(v, "service_taxonomys") {
        let Some(t) = st.get("taxonomy") else {
            continue;
        };
        if let Some(name) = text(t, "name") {
            terms.push(Term {
                taxonomy: text(t, "vocabulary").unwrap_or_default(),
                id: id_text(t, "id"),
                code: None,
                name,
            });
        }
    }
    if areas.is_empty() {
        for a in array(v, "service_areas") {
            if let Some(n) = text(a, "name").or_else(|| text(a, "service_area")) {
                let id = area_names
                    .iter()
                    .find(|(_, an)| an.eq_ignore_ascii_case(&n))
                    .map(|(id, _)| id.clone())
                    .unwrap_or_else(|| slug(&n));
                areas.push((id, n));
            }
        }
    }
    categories.dedup_by(|a, b| a.0 == b.0);
    areas.dedup_by(|a, b| a.0 == b.0);

    // Contact: the service's own fields, then its phones, then its contacts.
    let mut contact = Contact::default();
    if let Some(w) = text(v, "url") {
        match WebAddress::check(&w) {
            Ok(w) => contact.website = Some(w),
            Err(m) => warnings.push(format!("{m}; it was left out")),
        }
    }
    let mut emails: Vec<String> = text(v, "email").into_iter().collect();
    let mut phones: Vec<&Value> = array(v, "phones").iter().collect();
    for c in array(v, "contacts") {
        emails.extend(text(c, "email"));
        phones.extend(array(c, "phones"));
    }
    if let Some(m) = emails.first() {
        match Email::check(m) {
            Ok(m) => contact.email = Some(m),
            Err(m) => warnings.push(format!("{m}; it was left out")),
        }
    }
    for p in phones {
        let Some(number) = text(p, "number") else {
            continue;
        };
        let phone = match Phone::check(&number) {
            Ok(p) => p,
            Err(m) => {
                warnings.push(format!("{m}; it was left out"));
                continue;
            }
        };
        let kind = text(p, "type")
            .unwrap_or_else(|| "voice".into())
            .to_lowercase();
        let slot = match kind.as_str() {
            "textphone" => &mut contact.text_phone,
            "text" | "sms" => &mut contact.sms,
            "voice" | "cell" => &mut contact.phone,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(phone);
        }
    }

    // Locations: the first physical address, every accessibility feature.
    let mut address = None;
    let mut accessibility = Vec::new();
    for sal in array(v, "service_at_locations") {
        let Some(loc) = sal.get("location") else {
            continue;
        };
        for a in array(loc, "addresses") {
            if address.is_some() {
                continue;
            }
            let line = |k: &str| text(a, k).map(Line);
            match (line("address_1"), line("city"), line("postal_code")) {
                (Some(line1), Some(town), Some(postcode)) => {
                    address = Some(Address {
                        line1,
                        line2: line("address_2"),
                        town,
                        postcode,
                    })
                }
                _ => warnings
                    .push("an address has no first line, town or postcode; it was left out".into()),
            }
        }
        for a in array(loc, "accessibility") {
            if let Some(d) = raw(a, "description").or_else(|| raw(a, "accessibility")) {
                accessibility.push(d);
            }
        }
    }

    let mut opening_hours = Vec::new();
    for s in array(v, "schedules") {
        if text(s, "freq").is_some_and(|f| !f.eq_ignore_ascii_case("weekly")) {
            warnings.push(
                "a schedule that is not weekly was left out; describe it in the description".into(),
            );
            continue;
        }
        let days: Vec<Day> = text(s, "byday")
            .unwrap_or_default()
            .split(',')
            .filter_map(Day::from_ical)
            .collect();
        let opens = text(s, "opens_at").and_then(|t| time_of(&t));
        let closes = text(s, "closes_at").and_then(|t| time_of(&t));
        match (days.is_empty(), opens, closes) {
            (false, Some(opens), Some(closes)) => opening_hours.push(Hours {
                days,
                opens,
                closes,
            }),
            _ => {
                if text(s, "opens_at").is_some() || text(s, "byday").is_some() {
                    warnings.push("a schedule without days, or without opening and closing times, was left out".into());
                }
            }
        }
        if bank.is_none()
            && let Some(notes) = text(s, "notes")
        {
            let n = notes.to_lowercase();
            if n.contains("bank holiday") {
                bank = Some(n.contains("closed"));
            }
        }
    }

    let languages: Vec<LangCode> = array(v, "languages")
        .iter()
        .filter_map(|l| {
            text(l, "code").or_else(|| {
                text(l, "name").and_then(|n| langs::code_for_name(&n).map(String::from))
            })
        })
        .map(LangCode)
        .collect();
    let cost = array(v, "cost_options").first().and_then(|c| {
        raw(c, "option").or_else(|| match c.get("amount").and_then(Value::as_f64) {
            Some(0.0) => Some("free".to_string()),
            Some(a) => Some(format!(
                "£{a:.2}{}",
                text(c, "amount_description")
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default()
            )),
            None => None,
        })
    });
    let cost = cost
        .or_else(|| text(v, "fees_description"))
        .or_else(|| text(v, "fees"));
    let mut date_problem = None;
    let last_verified = match text(v, "assured_date")
        .or_else(|| text(v, "last_modified"))
        .and_then(|d| d.get(..10).map(String::from))
    {
        Some(d) => match Date::parse(&d) {
            Ok(d) => Some(d),
            Err(_) => {
                date_problem = Some(format!("`{d}` is not a date"));
                None
            }
        },
        None => {
            date_problem = Some("the data does not say when the service was last checked".into());
            None
        }
    };
    let entry = Entry {
        name: Line(name),
        summary: Line(summary),
        description,
        categories: categories.iter().map(|(id, _)| Line(id.clone())).collect(),
        areas: areas.iter().map(|(id, _)| Line(id.clone())).collect(),
        towns: Vec::new(),
        contact: (!contact.is_empty()).then_some(contact),
        address,
        opening_hours,
        closed_on_bank_holidays: bank,
        cost,
        eligibility: raw(v, "eligibility_description"),
        referral,
        languages,
        accessibility,
        last_verified: last_verified.unwrap_or(today),
        source_id: None,
    };
    Ok(Imported {
        entry,
        id: id_text(v, "id"),
        file_name: file_name.filter(|n| crate::urls::is_safe_slug(n)),
        categories,
        areas,
        terms,
        summary_given,
        date_problem,
        warnings,
    })
}

fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(i) if i < 300 => flat[..=i].to_string(),
        _ => flat.chars().take(300).collect(),
    }
}

/// The services of an Open Referral document: a page (`contents`), a list,
/// or one service.
pub fn services_of(doc: &Value) -> Vec<&Value> {
    match doc {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("contents").or_else(|| o.get("services")) {
            Some(Value::Array(a)) => a.iter().collect(),
            _ if o.contains_key("name") => vec![doc],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}
