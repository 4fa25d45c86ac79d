//! The Debian package's files (packaging/linux/, assets/icons/) agree with the program and
//! with each other: one desktop id everywhere, the icon in every size it claims, the file
//! types the desktop entry offers to open declared. `.ci/package-test` then installs the
//! package and checks it with Debian's own validators.

use std::path::{Path, PathBuf};

use marginalia::APP_ID;

fn file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(file(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

fn desktop_entry() -> String {
    read(&format!("packaging/linux/{APP_ID}.desktop"))
}

fn key<'a>(entry: &'a str, name: &str) -> &'a str {
    entry
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {name}= in the desktop entry"))
}

#[test]
fn the_desktop_entry_starts_the_program_with_the_files_it_was_given() {
    let entry = desktop_entry();
    assert_eq!(key(&entry, "Exec"), "marginalia %F");
    assert_eq!(key(&entry, "Icon"), APP_ID);
    assert_eq!(key(&entry, "StartupWMClass"), APP_ID);
    assert_eq!(key(&entry, "Categories"), "Office;Education;");
}

#[test]
fn every_file_type_the_entry_opens_is_declared_and_listed_in_the_metainfo() {
    let entry = desktop_entry();
    let mime = read("packaging/linux/marginalia.xml");
    let metainfo = read(&format!("packaging/linux/{APP_ID}.metainfo.xml"));
    let types: Vec<&str> = key(&entry, "MimeType")
        .split(';')
        .filter(|t| !t.is_empty())
        .collect();
    assert!(types.contains(&"application/x-qdpx"), "{types:?}");
    for mime_type in types {
        assert!(
            mime.contains(&format!("<mime-type type=\"{mime_type}\">")),
            "{mime_type} is not declared in marginalia.xml"
        );
        assert!(
            metainfo.contains(&format!("<mediatype>{mime_type}</mediatype>")),
            "{mime_type} is not in the metainfo"
        );
    }
    // .ron belongs to many programs: a project is recognised by its first bytes, which are
    // what the project writer writes.
    assert!(!mime.contains("pattern=\"*.ron\""));
    let sample = read("projects/seeds.ron");
    assert!(sample.starts_with("Project(\n    format:"));
}

#[test]
fn the_metainfo_names_the_desktop_entry_and_the_program() {
    let metainfo = read(&format!("packaging/linux/{APP_ID}.metainfo.xml"));
    assert!(metainfo.contains(&format!("<id>{APP_ID}</id>")));
    assert!(metainfo.contains(&format!(
        "<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>"
    )));
    assert!(metainfo.contains("<binary>marginalia</binary>"));
    assert!(metainfo.contains(&format!(
        "<release version=\"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
}

/// The width and height a PNG file declares (its IHDR chunk).
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

#[test]
fn the_icon_is_there_in_every_size_from_16_to_512_pixels() {
    for size in [16, 22, 24, 32, 48, 64, 128, 256, 512] {
        let icon = file(&format!(
            "assets/icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
        ));
        assert_eq!(png_size(&icon), (size, size), "{}", icon.display());
    }
}

#[test]
fn the_package_copyright_carries_the_licence_text() {
    let copyright = read("packaging/linux/copyright");
    let licence = read("LICENSE");
    // The licence text, indented as the copyright format wants it (blank lines as " .").
    let indented: String = licence
        .lines()
        .map(|l| {
            if l.is_empty() {
                " .\n".to_owned()
            } else {
                format!(" {l}\n")
            }
        })
        .collect();
    assert!(copyright.contains(&indented));
    assert!(read("Cargo.toml").contains("license = \"MIT\""));
}

#[test]
fn the_scripts_that_name_the_desktop_id_name_this_one() {
    for script in ["assets/icons/generate", ".ci/package-test"] {
        let text = read(script);
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("id={APP_ID} "))),
            "{script} does not set id={APP_ID}"
        );
    }
    let manifest = read("Cargo.toml");
    for file in [
        format!("packaging/linux/{APP_ID}.desktop"),
        format!("packaging/linux/{APP_ID}.metainfo.xml"),
    ] {
        assert!(
            manifest.contains(&format!("\"{file}\"")),
            "{file} is not packaged"
        );
    }
}
