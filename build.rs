//! On a Windows target: the program's icon and its version information, which Explorer shows
//! in the file's properties and "Apps & features" beside the installer's entry. Nothing is done
//! for other targets, so the Linux build needs no resource compiler.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icons/windows/marginalia.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut resource = winresource::WindowsResource::new();
    resource
        .set_icon("assets/icons/windows/marginalia.ico")
        .set("ProductName", "Marginalia")
        .set(
            "FileDescription",
            "Marginalia: qualitative coding of documents",
        )
        .set("CompanyName", "The Marginalia authors")
        .set(
            "LegalCopyright",
            "© 2026 The Marginalia authors, MIT licence",
        )
        .set("OriginalFilename", "marginalia.exe")
        .set("InternalName", "marginalia");
    if let Err(error) = resource.compile() {
        // Without its resources the program would build but show no icon; better to stop.
        panic!(
            "could not compile the Windows resources (icon, version): {error}; \
             install mingw-w64 (Debian: gcc-mingw-w64-x86-64), which has windres"
        );
    }
}
