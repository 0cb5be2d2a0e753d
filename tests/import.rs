//! `signpost import open-referral` from feeds that are not Signpost's own:
//! re-imports update the entries they made (matched by `source_id`), a
//! second import of the same feed touches no file, duplicate ids, the
//! taxonomy map, and a feed that cannot be used writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use serde_json::{Value, json};

const INDEX: &str = "---\ntitle: Find services\nsummary: Services by what you need.\ncategories:\n  carers: Support for carers\n  advice: Advice and information\n  mental-health: Mental health\nareas:\n  county-wide: All of Wiltshire\n---\nFind a service.\n";

/// A site with an empty directory; returns (site, content/services).
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: Test\n").unwrap();
    let services = dir.path().join("content/services");
    std::fs::create_dir_all(&services).unwrap();
    std::fs::write(services.join("_index.md"), INDEX).unwrap();
    std::fs::write(
        dir.path().join("content/_index.md"),
        "---\ntitle: Home\nsummary: The home page.\n---\nHello.\n",
    )
    .unwrap();
    (dir, services)
}

fn term(name: &str) -> Value {
    json!({ "id": format!("attr-{name}"), "taxonomy_term": { "id": format!("t-{name}"), "name": name, "description": name, "taxonomy": "esd" } })
}

/// A service the way other systems publish one.
fn service(id: &str, name: &str, phone: &str, terms: &[&str]) -> Value {
    json!({
        "id": id,
        "name": name,
        "description": format!("{name} helps people in Wiltshire."),
        "status": "active",
        "assured_date": "2026-09-01",
        "phones": [{ "id": format!("p-{id}"), "number": phone }],
        "attributes": terms.iter().map(|t| term(t)).collect::<Vec<_>>(),
    })
}

fn feed(dir: &Path, services: Vec<Value>) -> PathBuf {
    let path = dir.join("feed.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&json!({ "contents": services })).unwrap(),
    )
    .unwrap();
    path
}

fn import(site: &Path, feed: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signpost"))
        .current_dir(site)
        .args(["import", "open-referral"])
        .arg(feed)
        .args(["--into", "content/services"])
        .args(extra)
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file of the directory: bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (std::fs::read(e.path()).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

fn two_services() -> Vec<Value> {
    vec![
        service("101", "Carers Hub", "01632 960101", &["Carers"]),
        service(
            "102",
            "Advice Line",
            "01632 960102",
            &["Advice and information"],
        ),
    ]
}

#[test]
fn a_second_import_changes_nothing() {
    let (dir, services) = site();
    let f = feed(dir.path(), two_services());
    let first = import(dir.path(), &f, &[]);
    assert!(first.status.success(), "{}", err(&first));
    assert_eq!(
        out(&first),
        "Added content/services/carers-hub.yaml\nAdded content/services/advice-line.yaml\nAdded 2, updated 0, unchanged 0.\nRun `signpost check` to see what needs attention.\n"
    );
    let hub = std::fs::read_to_string(services.join("carers-hub.yaml")).unwrap();
    assert!(hub.contains("categories: [carers]\n"), "{hub}");
    assert!(hub.ends_with("source_id: \"101\"\n"), "{hub}");
    // The entries build.
    let check = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", err(&check));

    let before = snapshot(&services);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = import(dir.path(), &f, &[]);
    assert!(second.status.success(), "{}", err(&second));
    assert_eq!(out(&second), "Added 0, updated 0, unchanged 2.\n");
    assert_eq!(err(&second), "");
    assert_eq!(snapshot(&services), before, "bytes and mtimes are kept");
}

#[test]
fn a_changed_feed_changes_only_what_changed() {
    let (dir, services) = site();
    import(dir.path(), &feed(dir.path(), two_services()), &[]);
    // An editor adds an email the feed does not give.
    let hub = services.join("carers-hub.yaml");
    let text = std::fs::read_to_string(&hub).unwrap().replace(
        "  phone: 01632 960101\n",
        "  phone: 01632 960101\n  email: hub@example.org\n",
    );
    std::fs::write(&hub, text).unwrap();
    let advice_before = snapshot(&services)["advice-line.yaml"].clone();

    let mut changed = two_services();
    changed[0]["phones"][0]["number"] = json!("01632 960199");
    changed.push(service(
        "103",
        "Memory Cafe",
        "01632 960103",
        &["Mental health"],
    ));
    changed.remove(1);
    let run = import(dir.path(), &feed(dir.path(), changed), &[]);
    assert!(run.status.success(), "{}", err(&run));
    assert_eq!(
        out(&run),
        "Added content/services/memory-cafe.yaml\nUpdated content/services/carers-hub.yaml (contact)\nNot in the feed any more: content/services/advice-line.yaml (source_id 102); kept, delete it by hand if the service has closed\nAdded 1, updated 1, unchanged 0, removed from feed 1 (kept; delete by hand).\nRun `signpost check` to see what needs attention.\n"
    );
    let text = std::fs::read_to_string(&hub).unwrap();
    assert!(text.contains("  phone: 01632 960199\n"), "{text}");
    assert!(
        text.contains("  email: hub@example.org\n"),
        "the editor's email is kept: {text}"
    );
    assert_eq!(snapshot(&services)["advice-line.yaml"], advice_before);
}

#[test]
fn different_services_with_one_id_write_nothing() {
    let (dir, services) = site();
    let mut list = two_services();
    list.push(service(
        "101",
        "Carers Hub Devizes",
        "01632 960111",
        &["Carers"],
    ));
    let before = snapshot(&services);
    let run = import(dir.path(), &feed(dir.path(), list), &[]);
    assert_eq!(run.status.code(), Some(1));
    let e = err(&run);
    assert!(
        e.contains("error: records 1 (“Carers Hub”) and 3 (“Carers Hub Devizes”) have the same id `101` but are not the same service\n"),
        "{e}"
    );
    assert!(
        e.contains("Nothing was written: fix the problem above, then import again.\n"),
        "{e}"
    );
    assert_eq!(out(&run), "");
    assert_eq!(snapshot(&services), before);
}

#[test]
fn identical_copies_of_a_record_are_imported_once() {
    let (dir, services) = site();
    let mut list = two_services();
    list.push(list[0].clone());
    list.push(list[0].clone());
    let run = import(dir.path(), &feed(dir.path(), list), &[]);
    assert!(run.status.success(), "{}", err(&run));
    assert!(
        err(&run).contains("records 1 (“Carers Hub”), 3 (“Carers Hub”) and 4 (“Carers Hub”) have the same id `101` and say the same: imported once"),
        "{}",
        err(&run)
    );
    assert!(out(&run).contains("Added 2, updated 0, unchanged 0."));
    assert!(!services.join("carers-hub-2.yaml").exists());
}

#[test]
fn services_of_one_name_are_named_apart_with_a_note() {
    let (dir, services) = site();
    let list = vec![
        service("201", "Carers Group", "01632 960201", &["Carers"]),
        service("202", "Carers Group", "01632 960202", &["Carers"]),
    ];
    let run = import(dir.path(), &feed(dir.path(), list), &[]);
    assert!(run.status.success(), "{}", err(&run));
    assert!(
        err(&run).contains("record 2 (“Carers Group”, id `202`) has the same file name as record 1 (id `201`): it is written as carers-group-2.yaml"),
        "{}",
        err(&run)
    );
    assert!(services.join("carers-group-2.yaml").is_file());
}

#[test]
fn unmapped_terms_are_reported_once_each_and_the_map_maps_them() {
    let (dir, services) = site();
    let list = vec![
        service("301", "Talking Therapies", "01632 960301", &["Counselling"]),
        service(
            "302",
            "Listening Service",
            "01632 960302",
            &["Counselling", "Befriending"],
        ),
        service(
            "303",
            "Carers Hub",
            "01632 960303",
            &["Carers", "Befriending"],
        ),
    ];
    let f = feed(dir.path(), list);
    let run = import(dir.path(), &f, &[]);
    assert!(run.status.success(), "{}", err(&run));
    let e = err(&run);
    assert!(e.contains("warning: 2 taxonomy terms are not mapped to a category of the directory:\n    Befriending:    # 2 services\n    Counselling:    # 2 services\n"), "{e}");
    assert!(e.contains("open-referral-map.yaml"), "{e}");
    // A missing category: once per entry.
    let no_category = "content/services/talking-therapies.yaml: the service has no category";
    assert_eq!(e.matches(no_category).count(), 1, "{e}");
    assert!(e.contains("its terms “Counselling” are not mapped"), "{e}");
    assert!(
        !e.contains("carers-hub.yaml: the service has no category"),
        "{e}"
    );

    std::fs::write(
        dir.path().join("open-referral-map.yaml"),
        "categories:\n  counselling: mental-health\n  Befriending: []\n",
    )
    .unwrap();
    let run = import(dir.path(), &f, &[]);
    assert!(run.status.success(), "{}", err(&run));
    assert_eq!(err(&run), "");
    assert_eq!(
        out(&run),
        "Updated content/services/talking-therapies.yaml (categories)\nUpdated content/services/listening-service.yaml (categories)\nAdded 0, updated 2, unchanged 1.\nRun `signpost check` to see what needs attention.\n"
    );
    let t = std::fs::read_to_string(services.join("talking-therapies.yaml")).unwrap();
    assert!(t.contains("categories: [mental-health]\n"), "{t}");
}

#[test]
fn a_bad_map_is_an_error_at_its_line_and_writes_nothing() {
    let (dir, services) = site();
    let map = dir.path().join("terms.yaml");
    std::fs::write(&map, "categories:\n  Counselling: mental-helth\n").unwrap();
    let before = snapshot(&services);
    let run = import(
        dir.path(),
        &feed(dir.path(), two_services()),
        &["--map", "terms.yaml"],
    );
    assert_eq!(run.status.code(), Some(1));
    let e = err(&run);
    assert!(e.contains("error: `mental-helth` (for the term `Counselling`) is not a category of this directory\n --> terms.yaml:2:16\n  = help: did you mean `mental-health`?"), "{e}");
    assert_eq!(snapshot(&services), before);
}

#[test]
fn an_unusable_feed_writes_nothing() {
    let (dir, services) = site();
    let before = snapshot(&services);
    // A record without an id.
    let mut list = two_services();
    list[1].as_object_mut().unwrap().remove("id");
    let run = import(dir.path(), &feed(dir.path(), list), &[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        err(&run).contains("error: record 2 (“Advice Line”) has no id\n"),
        "{}",
        err(&run)
    );
    assert_eq!(snapshot(&services), before);
    // Not JSON at all.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let run = import(dir.path(), &bad, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(snapshot(&services), before);
}

#[test]
fn a_hand_written_entry_of_the_same_name_is_not_replaced() {
    let (dir, services) = site();
    let hand = "name: Carers Hub\nsummary: Written by hand.\ncategories: [carers]\ncontact:\n  phone: 01632 960555\nlast_verified: 2026-10-01\n";
    std::fs::write(services.join("carers-hub.yaml"), hand).unwrap();
    let f = feed(dir.path(), two_services());
    let before = snapshot(&services);
    let run = import(dir.path(), &f, &[]);
    assert_eq!(run.status.code(), Some(1));
    let e = err(&run);
    assert!(e.contains("error: record 1 (“Carers Hub”, id `101`) would be written here, but this file did not come from that record (it has no source_id)\n --> content/services/carers-hub.yaml\n  = help: if it is the same service, add the line `source_id: \"101\"` to it"), "{e}");
    assert_eq!(
        snapshot(&services),
        before,
        "nothing written, not even advice-line.yaml"
    );
    // Linked by hand, the next import keeps it up to date and keeps the
    // fields the feed does not give.
    std::fs::write(
        services.join("carers-hub.yaml"),
        format!("{hand}source_id: 101\n"),
    )
    .unwrap();
    let run = import(dir.path(), &f, &[]);
    assert!(run.status.success(), "{}", err(&run));
    assert!(
        out(&run)
            .contains("Updated content/services/carers-hub.yaml (summary, contact, last_verified)"),
        "{}",
        out(&run)
    );
}
