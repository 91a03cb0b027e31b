//! A bitmap-backend wrapper that lays out text itself, glyph by glyph.
//!
//! The plotting library's built-in text path (with the embedded-font feature) places each glyph
//! at the pen position without its left side bearing, so narrow glyphs drift left ("T:" reads
//! as one blob, "epoch" as "ep och"), and it puts the baseline at half the font size. This
//! wrapper measures and draws text with the glyphs' real positions and the font's ascent and
//! descent, and passes every other drawing call straight to the wrapped backend.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};

use super::font::DejaVuSans;

/// A backend whose text is drawn with correct glyph placement; everything else is delegated.
pub(crate) struct TextBackend<B> {
    inner: B,
    fonts: &'static DejaVuSans,
}

/// A line of text laid out from its top-left corner: glyphs on the baseline, and its extent.
struct LineLayout {
    font: &'static FontRef<'static>,
    glyphs: Vec<ab_glyph::Glyph>,
    width: f32,
    height: f32,
}

impl<B: DrawingBackend> TextBackend<B> {
    /// Wraps `inner`, drawing text with `fonts`.
    pub(crate) fn new(inner: B, fonts: &'static DejaVuSans) -> Self {
        Self { inner, fonts }
    }

    fn layout<S: BackendTextStyle>(&self, text: &str, style: &S) -> LineLayout {
        let font = match style.style() {
            FontStyle::Bold => &self.fonts.bold,
            _ => &self.fonts.regular,
        };
        let scale = PxScale::from(style.size().max(1.0) as f32);
        let scaled = font.as_scaled(scale);
        let ascent = scaled.ascent();
        let mut pen = 0.0f32;
        let mut previous: Option<GlyphId> = None;
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                pen += scaled.kern(p, id);
            }
            glyphs.push(id.with_scale_and_position(scale, point(pen, ascent)));
            pen += scaled.h_advance(id);
            previous = Some(id);
        }
        LineLayout {
            font,
            glyphs,
            width: pen.max(0.0),
            height: ascent - scaled.descent(),
        }
    }
}

impl<B: DrawingBackend> DrawingBackend for TextBackend<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let layout = self.layout(text, style);
        Ok((layout.width.ceil() as u32, layout.height.ceil() as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let layout = self.layout(text, style);
        let (width, height) = (layout.width.round() as i32, layout.height.round() as i32);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Center => -width / 2,
            HPos::Right => -width,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let (canvas_w, canvas_h) = self.inner.get_size();
        let mut result = Ok(());
        for glyph in layout.glyphs {
            let Some(outline) = layout.font.outline_glyph(glyph) else {
                continue; // a space or a glyph without outline
            };
            let bounds = outline.px_bounds();
            let (left, top) = (bounds.min.x.floor() as i32, bounds.min.y.floor() as i32);
            outline.draw(|gx, gy, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let (x, y) = transform.transform(left + gx as i32 + dx, top + gy as i32 + dy);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && y >= 0 && (x as u32) < canvas_w && (y as u32) < canvas_h {
                    let pixel = BackendColor {
                        alpha: colour.alpha * f64::from(coverage.min(1.0)),
                        rgb: colour.rgb,
                    };
                    result = self.inner.draw_pixel((x, y), pixel);
                }
            });
            result?;
            result = Ok(());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    use super::*;
    use crate::font::dejavu_sans;

    /// Draws `text` centred at (100, 30) on a 200×60 white canvas and returns the bounding box
    /// (x0, y0, x1, y1) of the non-white pixels, and the estimated text size.
    fn ink_box(text: &str, size: f64) -> ((i32, i32, i32, i32), (u32, u32)) {
        let fonts = dejavu_sans().expect("embedded font parses");
        let mut buffer = vec![0u8; 200 * 60 * 3];
        let estimate;
        {
            let backend =
                TextBackend::new(BitMapBackend::with_buffer(&mut buffer, (200, 60)), fonts);
            let root = backend.into_drawing_area();
            root.fill(&WHITE).expect("fill");
            let style = ("sans-serif", size)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Center));
            estimate = root.estimate_text_size(text, &style).expect("estimate");
            root.draw(&Text::new(text, (100, 30), style)).expect("draw");
            root.present().expect("present");
        }
        let mut bounds = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        for (k, rgb) in buffer.chunks(3).enumerate() {
            if rgb != [255, 255, 255] {
                let (x, y) = ((k % 200) as i32, (k / 200) as i32);
                bounds = (
                    bounds.0.min(x),
                    bounds.1.min(y),
                    bounds.2.max(x),
                    bounds.3.max(y),
                );
            }
        }
        (bounds, estimate)
    }

    #[test]
    fn centred_text_is_centred_and_as_wide_as_estimated() {
        let ((x0, y0, x1, y1), (width, height)) = ink_box("Epoch", 20.0);
        assert!(x1 > x0 && y1 > y0, "something is drawn");
        let centre_x = (x0 + x1) / 2;
        let centre_y = (y0 + y1) / 2;
        assert!((centre_x - 100).abs() <= 2, "horizontal centre {centre_x}");
        assert!((centre_y - 30).abs() <= 4, "vertical centre {centre_y}");
        let ink_width = x1 - x0 + 1;
        assert!(
            (ink_width - width as i32).abs() <= 4,
            "ink {ink_width} px, estimated {width} px"
        );
        assert!((18..=26).contains(&height), "line height {height}");
    }

    #[test]
    fn glyphs_keep_their_side_bearings() {
        // A colon is narrow ink in a wide advance, with equal space on both sides: centred, its
        // ink must sit on the anchor. Dropping its left side bearing shifts it ~4 px left here.
        let ((x0, _, x1, _), _) = ink_box(":", 40.0);
        let centre = f64::from(x0 + x1) / 2.0;
        assert!(
            (centre - 100.0).abs() <= 1.5,
            "colon ink centred at {centre}"
        );
    }
}
