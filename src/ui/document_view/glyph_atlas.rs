//! The document view's glyphs: rasterised once per font, size and sub-pixel position into a
//! texture of ours, and painted as egui meshes of textured quads. The outlines are read with
//! skrifa and filled with vello_cpu, as egui 0.37 does for its own text, so that the view's
//! glyphs look as the rest of the window's.

use std::collections::HashMap;

use egui::{Color32, ColorImage, Mesh, Rect, TextureHandle, TextureOptions, pos2, vec2};
use skrifa::MetadataProvider as _;
use skrifa::instance::{LocationRef, NormalizedCoord, Size};
use vello_cpu::{color, kurbo};

use crate::text_layout::GlyphRun;

/// The texture's side, in pixels: room for some thousands of glyphs at reading sizes. When
/// it is full it is cleared and refilled with what is on screen (`generation` moves on).
const ATLAS_SIDE: usize = 2048;
/// Horizontal positions a glyph is rasterised at, per pixel: a quarter pixel is as fine as
/// the eye tells apart at reading sizes, and keeps words evenly spaced.
const SUBPIXEL_BINS: f32 = 4.0;
/// Empty pixels kept around each glyph so that linear filtering never bleeds a neighbour in.
const PADDING: usize = 1;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    font_blob: u64,
    font_index: u32,
    glyph: u32,
    /// Size in pixels, in 1/64 px.
    size: u32,
    /// Which sub-pixel bin of the pen's x.
    bin: u8,
    /// A hash of the variation coordinates (none for the bundled fonts).
    coords: u64,
}

/// Where a rasterised glyph is in the texture and where it stands from its pen position.
#[derive(Clone, Copy)]
struct AtlasGlyph {
    uv: Rect,
    /// Offset of the bitmap's top left from the pen position (x rounded down to the pixel,
    /// baseline y rounded), and its size, in pixels.
    offset: egui::Vec2,
    size: egui::Vec2,
    /// A colour glyph (emoji), painted in its own colours rather than the text's.
    is_color: bool,
}

/// A glyph ready to paint: its quad relative to a paragraph's top left, in points, and the
/// character whose colour it takes.
#[derive(Clone, Copy, Debug)]
pub struct PaintedGlyph {
    pub rect: Rect,
    pub uv: Rect,
    pub char_offset: usize,
    pub is_color: bool,
}

pub struct GlyphAtlas {
    texture: Option<TextureHandle>,
    /// The pixels, kept here so that new glyphs are uploaded as one changed band a frame.
    image: ColorImage,
    /// Rows of pixels changed since the last upload.
    dirty_rows: Option<(usize, usize)>,
    /// The shelf being filled: its top, height, and how far along it is filled.
    shelf_top: usize,
    shelf_height: usize,
    shelf_x: usize,
    glyphs: HashMap<GlyphKey, Option<AtlasGlyph>>,
    /// Changes whenever the texture is cleared: glyph quads placed before are stale.
    generation: u64,
}

impl Default for GlyphAtlas {
    fn default() -> Self {
        Self {
            texture: None,
            image: ColorImage::filled([ATLAS_SIDE, ATLAS_SIDE], Color32::TRANSPARENT),
            dirty_rows: None,
            shelf_top: 0,
            shelf_height: 0,
            shelf_x: 0,
            glyphs: HashMap::new(),
            generation: 0,
        }
    }
}

impl GlyphAtlas {
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn texture_id(&mut self, ctx: &egui::Context) -> egui::TextureId {
        self.texture(ctx).id()
    }

    fn texture(&mut self, ctx: &egui::Context) -> &TextureHandle {
        self.texture.get_or_insert_with(|| {
            ctx.load_texture(
                "document glyphs",
                ColorImage::filled([ATLAS_SIDE, ATLAS_SIDE], Color32::TRANSPARENT),
                TextureOptions::LINEAR,
            )
        })
    }

    /// Sends the glyphs rasterised since the last call to the GPU.
    pub fn upload(&mut self, ctx: &egui::Context) {
        let Some((top, bottom)) = self.dirty_rows.take() else {
            return;
        };
        let band = ColorImage::new(
            [ATLAS_SIDE, bottom - top],
            self.image.pixels[top * ATLAS_SIDE..bottom * ATLAS_SIDE].to_vec(),
        );
        let mut texture = self.texture(ctx).clone();
        texture.set_partial([0, top], band, TextureOptions::LINEAR);
    }

    /// The quads of a paragraph's glyphs, relative to its top left, which stands on a whole
    /// pixel: glyphs are snapped to the pixel grid vertically and binned horizontally.
    pub fn place(&mut self, runs: &[GlyphRun], pixels_per_point: f32) -> Vec<PaintedGlyph> {
        // A texture that fills up while placing is cleared: place the paragraph again in the
        // fresh one, so that no quad points into what was cleared.
        let generation = self.generation;
        let placed = self.place_once(runs, pixels_per_point);
        if self.generation == generation {
            placed
        } else {
            self.place_once(runs, pixels_per_point)
        }
    }

    fn place_once(&mut self, runs: &[GlyphRun], pixels_per_point: f32) -> Vec<PaintedGlyph> {
        let mut placed = Vec::new();
        for run in runs {
            let size_px = run.font_size * pixels_per_point;
            let coords = coords_hash(&run.normalized_coords);
            for glyph in &run.glyphs {
                let x = glyph.x * pixels_per_point;
                let pen_x = x.floor();
                let bin = ((x - pen_x) * SUBPIXEL_BINS)
                    .floor()
                    .min(SUBPIXEL_BINS - 1.0);
                let pen_y = (glyph.y * pixels_per_point).round();
                let key = GlyphKey {
                    font_blob: run.font.data.id(),
                    font_index: run.font.index,
                    glyph: glyph.id,
                    size: (size_px * 64.0).round() as u32,
                    bin: bin as u8,
                    coords,
                };
                let Some(atlas_glyph) = self.glyph(key, run, size_px, bin / SUBPIXEL_BINS) else {
                    continue;
                };
                let min = pos2(pen_x, pen_y) + atlas_glyph.offset;
                placed.push(PaintedGlyph {
                    rect: Rect::from_min_size(
                        (min.to_vec2() / pixels_per_point).to_pos2(),
                        atlas_glyph.size / pixels_per_point,
                    ),
                    uv: atlas_glyph.uv,
                    char_offset: glyph.char_offset,
                    is_color: atlas_glyph.is_color,
                });
            }
        }
        placed
    }

    fn glyph(
        &mut self,
        key: GlyphKey,
        run: &GlyphRun,
        size_px: f32,
        x_shift: f32,
    ) -> Option<AtlasGlyph> {
        if let Some(found) = self.glyphs.get(&key) {
            return *found;
        }
        let bitmap = rasterize(run, key.glyph, size_px, x_shift);
        let has_ink = bitmap.is_some();
        let placed = bitmap.and_then(|bitmap| self.store(bitmap));
        if has_ink && placed.is_none() {
            // Full: start afresh. What was placed before is placed again from the next frame.
            self.clear();
            return None;
        }
        self.glyphs.insert(key, placed);
        placed
    }

    fn clear(&mut self) {
        self.glyphs.clear();
        self.image = ColorImage::filled([ATLAS_SIDE, ATLAS_SIDE], Color32::TRANSPARENT);
        self.dirty_rows = Some((0, ATLAS_SIDE));
        self.shelf_top = 0;
        self.shelf_height = 0;
        self.shelf_x = 0;
        self.generation += 1;
    }

    /// Copies a bitmap into the texture's pixels; `None` when there is no room left.
    fn store(&mut self, bitmap: Bitmap) -> Option<AtlasGlyph> {
        let [width, height] = bitmap.image.size;
        let (padded_width, padded_height) = (width + 2 * PADDING, height + 2 * PADDING);
        if padded_width > ATLAS_SIDE || padded_height > ATLAS_SIDE {
            return None;
        }
        if self.shelf_x + padded_width > ATLAS_SIDE {
            self.shelf_top += self.shelf_height;
            self.shelf_x = 0;
            self.shelf_height = 0;
        }
        if self.shelf_top + padded_height > ATLAS_SIDE {
            return None;
        }
        let (left, top) = (self.shelf_x + PADDING, self.shelf_top + PADDING);
        for row in 0..height {
            let to = (top + row) * ATLAS_SIDE + left;
            self.image.pixels[to..to + width]
                .copy_from_slice(&bitmap.image.pixels[row * width..(row + 1) * width]);
        }
        self.shelf_x += padded_width;
        self.shelf_height = self.shelf_height.max(padded_height);
        let (dirty_top, dirty_bottom) = self.dirty_rows.unwrap_or((top, top + height));
        self.dirty_rows = Some((dirty_top.min(top), dirty_bottom.max(top + height)));
        let side = ATLAS_SIDE as f32;
        Some(AtlasGlyph {
            uv: Rect::from_min_size(
                pos2(left as f32 / side, top as f32 / side),
                vec2(width as f32 / side, height as f32 / side),
            ),
            offset: bitmap.offset,
            size: vec2(width as f32, height as f32),
            is_color: bitmap.is_color,
        })
    }
}

/// The glyph quads of a paragraph as a mesh relative to its top left, each in its
/// character's colour (colour glyphs in their own).
pub fn colored_quads(glyphs: &[PaintedGlyph], mut color_of: impl FnMut(usize) -> Color32) -> Mesh {
    let mut mesh = Mesh::default();
    mesh.reserve_triangles(glyphs.len() * 2);
    mesh.reserve_vertices(glyphs.len() * 4);
    for glyph in glyphs {
        let color = if glyph.is_color {
            Color32::WHITE
        } else {
            color_of(glyph.char_offset)
        };
        mesh.add_rect_with_uv(glyph.rect, glyph.uv, color);
    }
    mesh
}

struct Bitmap {
    image: ColorImage,
    offset: egui::Vec2,
    is_color: bool,
}

/// The glyph's outline filled as white coverage (premultiplied, so a vertex colour tints it),
/// or `None` for a glyph with no outline (a space).
fn rasterize(run: &GlyphRun, glyph: u32, size_px: f32, x_shift: f32) -> Option<Bitmap> {
    let font = skrifa::FontRef::from_index(run.font.data.data(), run.font.index).ok()?;
    let id = skrifa::GlyphId::new(glyph);
    // Colour emoji fonts often have no outline beside their colour layers or bitmaps.
    if font.color_glyphs().get(id).is_some()
        || font
            .bitmap_strikes()
            .glyph_for_size(Size::new(size_px), id)
            .is_some()
    {
        return rasterize_in_color(run, glyph, size_px);
    }
    let outline = font.outline_glyphs().get(skrifa::GlyphId::new(glyph))?;
    let coords: Vec<NormalizedCoord> = run
        .normalized_coords
        .iter()
        .map(|bits| NormalizedCoord::from_bits(*bits))
        .collect();
    let mut path = kurbo::BezPath::new();
    let mut pen = PathPen {
        path: &mut path,
        x_shift: f64::from(x_shift),
    };
    let settings =
        skrifa::outline::DrawSettings::unhinted(Size::new(size_px), LocationRef::new(&coords));
    outline.draw(settings, &mut pen).ok()?;
    let bounds = kurbo::Shape::bounding_box(&path).expand();
    let (width, height) = (bounds.width() as u16, bounds.height() as u16);
    if width == 0 || height == 0 {
        return None;
    }
    let mut context = vello_cpu::RenderContext::new(width, height);
    context.set_transform(kurbo::Affine::translate((-bounds.x0, -bounds.y0)));
    context.set_paint(color::OpaqueColor::<color::Srgb>::WHITE);
    context.fill_path(&path);
    let mut pixmap = vello_cpu::Pixmap::new(width, height);
    context.render(&mut pixmap, &mut vello_cpu::Resources::new());
    let pixels = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .map(|px| Color32::from_rgba_premultiplied(px[0], px[1], px[2], px[3]))
        .collect();
    Some(Bitmap {
        image: ColorImage::new([width as usize, height as usize], pixels),
        offset: vec2(bounds.x0 as f32, bounds.y0 as f32),
        is_color: false,
    })
}

/// A colour glyph (COLR layers or a bitmap strike) drawn by vello_cpu on a canvas with an em
/// of room on each side of its em box, then cropped to what was painted. Whole pixels only:
/// a bitmap has no sub-pixel positions to offer.
fn rasterize_in_color(run: &GlyphRun, glyph: u32, size_px: f32) -> Option<Bitmap> {
    if !size_px.is_finite() || size_px <= 0.0 {
        return None;
    }
    let side = (3.0 * size_px).ceil().clamp(1.0, 512.0) as u16;
    let origin = (size_px, 2.0 * size_px);
    let mut context = vello_cpu::RenderContext::new(side, side);
    let mut resources = vello_cpu::Resources::new();
    context.set_paint(color::OpaqueColor::<color::Srgb>::WHITE);
    context
        .glyph_run(&mut resources, &run.font)
        .font_size(size_px)
        .hint(false)
        .normalized_coords(&run.normalized_coords)
        .fill_glyphs(std::iter::once(vello_cpu::Glyph {
            id: glyph,
            x: origin.0,
            y: origin.1,
        }));
    let mut pixmap = vello_cpu::Pixmap::new(side, side);
    context.render(&mut pixmap, &mut resources);
    let side = usize::from(side);
    let bytes = pixmap.data_as_u8_slice();
    let alpha = |x: usize, y: usize| bytes[4 * (y * side + x) + 3];
    let (mut min, mut max) = ((side, side), (0, 0));
    for y in 0..side {
        for x in 0..side {
            if alpha(x, y) != 0 {
                min = (min.0.min(x), min.1.min(y));
                max = (max.0.max(x + 1), max.1.max(y + 1));
            }
        }
    }
    if max.0 <= min.0 || max.1 <= min.1 {
        return None;
    }
    let pixels = (min.1..max.1)
        .flat_map(|y| (min.0..max.0).map(move |x| 4 * (y * side + x)))
        .map(|i| {
            Color32::from_rgba_premultiplied(bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3])
        })
        .collect();
    Some(Bitmap {
        image: ColorImage::new([max.0 - min.0, max.1 - min.1], pixels),
        offset: vec2(min.0 as f32 - origin.0, min.1 as f32 - origin.1),
        is_color: true,
    })
}

fn coords_hash(coords: &[i16]) -> u64 {
    use std::hash::{Hash, Hasher};
    if coords.is_empty() {
        return 0;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    coords.hash(&mut hasher);
    hasher.finish()
}

/// Collects an outline into a path in pixels, y down, shifted right by the sub-pixel bin.
struct PathPen<'a> {
    path: &'a mut kurbo::BezPath,
    x_shift: f64,
}

impl PathPen<'_> {
    fn point(&self, x: f32, y: f32) -> kurbo::Point {
        kurbo::Point::new(f64::from(x) + self.x_shift, -f64::from(y))
    }
}

impl skrifa::outline::OutlinePen for PathPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let point = self.point(x, y);
        self.path.move_to(point);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let point = self.point(x, y);
        self.path.line_to(point);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let (control, end) = (self.point(cx0, cy0), self.point(x, y));
        self.path.quad_to(control, end);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (first, second, end) = (self.point(cx0, cy0), self.point(cx1, cy1), self.point(x, y));
        self.path.curve_to(first, second, end);
    }

    fn close(&mut self) {
        self.path.close_path();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TextDirection;
    use crate::text_layout::{FontSource, ParagraphStyle, TextEngine};

    /// With a colour emoji font installed, emoji pictures are painted in their own colours
    /// (a bitmap strike or COLR layers, rasterised by vello_cpu), one glyph for a picture made
    /// of several characters, and text symbols as text is.
    #[test]
    #[cfg_attr(
        not(feature = "external-tools"),
        ignore = "needs a system colour emoji font (Debian: fonts-noto-color-emoji); .ci/run \
                  installs it and runs this with --features external-tools"
    )]
    fn emoji_are_painted_in_their_own_colours_from_the_system_emoji_font() {
        // 😀(0) space ❤(2) U+FE0F(3) space ❤(5) space 👍(7) 🏽(8) space 🇬(10) 🇧(11)
        let text = "😀 \u{2764}\u{FE0F} \u{2764} 👍🏽 🇬🇧";
        let style = ParagraphStyle {
            font_size: 32.0,
            line_height: 1.4,
            serif: false,
            direction: TextDirection::Auto,
        };
        let layout = TextEngine::new(FontSource::BundledAndSystem).lay_out(text, &style, 800.0);
        let families = crate::text_layout::tests::font_family_by_char(&layout);
        assert!(
            families
                .iter()
                .any(|(_, family)| family == "Noto Color Emoji"),
            "no colour emoji font on this machine: {families:?}"
        );
        let mut atlas = GlyphAtlas::default();
        let painted = atlas.place(&layout.glyph_runs(), 1.0);
        let at = |offset: usize| -> Vec<&PaintedGlyph> {
            painted.iter().filter(|g| g.char_offset == offset).collect()
        };
        // The most saturated pixel of a glyph's bitmap in the atlas: 0 for grey.
        let chroma = |glyph: &PaintedGlyph| -> u8 {
            let side = ATLAS_SIDE as f32;
            let (x0, y0) = (
                (glyph.uv.min.x * side) as usize,
                (glyph.uv.min.y * side) as usize,
            );
            let (x1, y1) = (
                (glyph.uv.max.x * side) as usize,
                (glyph.uv.max.y * side) as usize,
            );
            (y0..y1)
                .flat_map(|y| (x0..x1).map(move |x| y * ATLAS_SIDE + x))
                .map(|i| {
                    let [r, g, b, _] = atlas.image.pixels[i].to_array();
                    r.max(g).max(b) - r.min(g).min(b)
                })
                .max()
                .unwrap_or(0)
        };
        for (offset, what) in [(0, "😀"), (2, "❤️"), (7, "👍🏽"), (10, "🇬🇧")] {
            let glyphs = at(offset);
            assert_eq!(glyphs.len(), 1, "{what} is one picture: {glyphs:?}");
            assert!(glyphs[0].is_color, "{what} is painted in its own colours");
            assert!(chroma(glyphs[0]) > 80, "{what} has colour, not grey");
        }
        assert!(at(8).is_empty(), "the skin tone is part of the thumb");
        assert!(at(11).is_empty(), "a flag is one picture");
        let heart_as_text = at(5);
        assert_eq!(heart_as_text.len(), 1);
        assert!(!heart_as_text[0].is_color, "❤ without U+FE0F is text");
    }
}
