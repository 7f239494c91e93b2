//! Embeds the default templates into the binary, so the binary alone can build a site.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    minijinja_embed::embed_templates!("templates");
}
