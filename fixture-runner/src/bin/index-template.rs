//! Writes the index templates (`elasticsearch/`, `opensearch/`) from what the module writes;
//! `fixture-runner/tests/index_template.rs` checks that the committed ones are up to date.
//!
//!     cargo run -p cloudflare-ecs-fixtures --bin index-template

use std::path::Path;

use cloudflare_ecs_fixtures::template::{Flavor, templates};

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for flavor in Flavor::ALL {
        for (name, template) in templates(flavor) {
            let path = root.join(flavor.dir()).join(name);
            let text = serde_json::to_string_pretty(&template).map_err(std::io::Error::other)? + "\n";
            std::fs::write(&path, text)?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}
