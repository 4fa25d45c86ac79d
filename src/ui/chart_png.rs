//! Charts saved as PNG: the part of a screenshot of the window where a chart was drawn,
//! cropped and written as a PNG file (atomically: a failed write leaves no half file). The
//! Analysis view asks egui for the screenshot; the cropping and writing run on a worker
//! thread, never on the UI thread.

use std::path::Path;

use egui::{ColorImage, Rect};

/// Crop `screenshot` to `rect` (in points; `pixels_per_point` pixels each), clipped to the
/// image, and write it to `path` as a PNG. Returns the width and height written. Errors
/// name the file.
pub fn write_png(
    screenshot: &ColorImage,
    rect: Rect,
    pixels_per_point: f32,
    path: &Path,
) -> Result<[u32; 2], String> {
    let cropped = crop(screenshot, rect, pixels_per_point).ok_or_else(|| {
        format!(
            "{}: the chart was not on screen when the window was captured",
            path.display()
        )
    })?;
    let [width, height] = [cropped.width() as u32, cropped.height() as u32];
    let rgba: Vec<u8> = cropped
        .pixels
        .iter()
        .flat_map(|c| c.to_srgba_unmultiplied())
        .collect();
    let mut bytes = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut bytes),
        &rgba,
        width,
        height,
        image::ExtendedColorType::Rgba8,
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    crate::store::write_atomically(path, &bytes, false).map_err(|e| e.to_string())?;
    Ok([width, height])
}

/// The pixels of `image` under `rect` (points × `pixels_per_point`), clipped to the image;
/// `None` when nothing of it is inside.
pub fn crop(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> Option<ColorImage> {
    let [width, height] = image.size;
    let to_pixel = |value: f32, limit: usize| -> usize {
        (value * pixels_per_point).round().clamp(0.0, limit as f32) as usize
    };
    let (x0, x1) = (to_pixel(rect.min.x, width), to_pixel(rect.max.x, width));
    let (y0, y1) = (to_pixel(rect.min.y, height), to_pixel(rect.max.y, height));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        pixels.extend_from_slice(&image.pixels[y * width + x0..y * width + x1]);
    }
    Some(ColorImage::new([x1 - x0, y1 - y0], pixels))
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, pos2};

    /// 20 × 10 pixels of white with a red square at pixels x 4..8, y 2..6.
    fn screenshot() -> ColorImage {
        let mut image = ColorImage::filled([20, 10], Color32::WHITE);
        for y in 2..6 {
            for x in 4..8 {
                image.pixels[y * 20 + x] = Color32::RED;
            }
        }
        image
    }

    #[test]
    fn crops_the_charts_pixels_and_writes_a_png() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chart.png");
        // Two pixels per point: points (2, 1)–(4, 3) are pixels (4, 2)–(8, 6).
        let rect = Rect::from_min_max(pos2(2.0, 1.0), pos2(4.0, 3.0));
        assert_eq!(write_png(&screenshot(), rect, 2.0, &path), Ok([4, 4]));
        let read = image::open(&path).unwrap().to_rgba8();
        assert_eq!(read.dimensions(), (4, 4));
        assert!(read.pixels().all(|p| p.0 == [255, 0, 0, 255]));
    }

    #[test]
    fn a_rect_partly_outside_is_clipped_and_one_outside_is_refused() {
        let image = screenshot();
        let partly = Rect::from_min_max(pos2(15.0, -3.0), pos2(30.0, 4.0));
        let cropped = crop(&image, partly, 1.0).unwrap();
        assert_eq!(cropped.size, [5, 4]);
        assert!(cropped.pixels.iter().all(|p| *p == Color32::WHITE));
        let outside = Rect::from_min_max(pos2(25.0, 0.0), pos2(30.0, 4.0));
        assert_eq!(crop(&image, outside, 1.0), None);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.png");
        let error = write_png(&image, outside, 1.0, &path).unwrap_err();
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        assert!(!path.exists());
    }

    #[test]
    fn a_file_that_cannot_be_written_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no such folder").join("chart.png");
        let rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(5.0, 5.0));
        let error = write_png(&screenshot(), rect, 1.0, &path).unwrap_err();
        assert!(error.contains("chart.png"), "{error}");
    }
}
