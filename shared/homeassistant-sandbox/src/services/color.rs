//! Colour conversion: an `rgb_color` becomes the hue and saturation an hs light shows.

/// `[r, g, b]` (0-255 each) as `[hue 0-360, saturation 0-100]`, rounded to 3 decimals, as Home
/// Assistant converts it (Python's `colorsys.rgb_to_hsv`, scaled).
pub(crate) fn rgb_to_hs(r: f64, g: f64, b: f64) -> [f64; 2] {
    let (r, g, b) = (r / 255.0, g / 255.0, b / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    if max == min {
        return [0.0, 0.0];
    }
    let range = max - min;
    let (rc, gc, bc) = ((max - r) / range, (max - g) / range, (max - b) / range);
    let sextant = if r == max {
        bc - gc
    } else if g == max {
        2.0 + rc - bc
    } else {
        4.0 + gc - rc
    };
    let hue = (sextant / 6.0).rem_euclid(1.0);
    [round3(hue * 360.0), round3(range / max * 100.0)]
}

fn round3(n: f64) -> f64 {
    (n * 1000.0).round_ties_even() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primaries_greys_and_mixes_convert_as_home_assistant_does() {
        assert_eq!(rgb_to_hs(255.0, 0.0, 0.0), [0.0, 100.0]);
        assert_eq!(rgb_to_hs(0.0, 255.0, 0.0), [120.0, 100.0]);
        assert_eq!(rgb_to_hs(0.0, 0.0, 255.0), [240.0, 100.0]);
        assert_eq!(rgb_to_hs(255.0, 0.0, 255.0), [300.0, 100.0]);
        assert_eq!(rgb_to_hs(128.0, 128.0, 128.0), [0.0, 0.0]);
        // Warm white: colorsys gives h 0.0686…, s 0.6 for (255, 165, 102).
        assert_eq!(rgb_to_hs(255.0, 165.0, 102.0), [24.706, 60.0]);
    }
}
