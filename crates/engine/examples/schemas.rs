//! Writes the published JSON Schemas (`engine::schema`) into `www/schema/`.
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/schema");
    std::fs::create_dir_all(&dir).expect("www/schema can be made");
    for (name, schema) in engine::schema::all() {
        std::fs::write(dir.join(name), engine::schema::text(&schema)).expect("a schema file can be written");
        println!("www/schema/{name}");
    }
}
