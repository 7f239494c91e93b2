//! Embeds the default templates into the binary, so the binary alone can build a site.
fn main() {
    minijinja_embed::embed_templates!("templates");
}
