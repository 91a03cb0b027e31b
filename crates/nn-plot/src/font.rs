//! The embedded DejaVu Sans font: parsed once, and registered with the plotting library.
//!
//! The plotting library is built without system font lookup, so text can only be measured and
//! drawn with a font registered here. The bytes come from the `dejavu` crate (static data
//! compiled into the binary), so nothing is read from the system at run time.

use std::sync::OnceLock;

use ab_glyph::FontRef;
use plotters::style::{FontStyle, register_font};

/// Font families that the charts (or the plotting library's defaults) may ask for.
const FAMILIES: [&str; 3] = ["sans-serif", "serif", "monospace"];

/// DejaVu Sans, parsed.
pub(crate) struct DejaVuSans {
    /// Regular weight.
    pub(crate) regular: FontRef<'static>,
    /// Bold weight.
    pub(crate) bold: FontRef<'static>,
}

/// The parsed fonts, or `None` if the embedded bytes could not be parsed.
pub(crate) fn dejavu_sans() -> Option<&'static DejaVuSans> {
    static FONTS: OnceLock<Option<DejaVuSans>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(DejaVuSans {
                regular: FontRef::try_from_slice(dejavu::sans::regular()).ok()?,
                bold: FontRef::try_from_slice(dejavu::sans::bold()).ok()?,
            })
        })
        .as_ref()
}

/// Registers DejaVu Sans (regular and bold) under every family name the charts use.
///
/// Returns `false` if the embedded font bytes could not be parsed; the outcome of the first call
/// is remembered, so later calls are free.
pub(crate) fn ensure_fonts_registered() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| {
        dejavu_sans().is_some()
            && FAMILIES.iter().all(|family| {
                register_font(family, FontStyle::Normal, dejavu::sans::regular()).is_ok()
                    && register_font(family, FontStyle::Bold, dejavu::sans::bold()).is_ok()
            })
    })
}
