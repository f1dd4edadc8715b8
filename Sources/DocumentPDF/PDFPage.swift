/// A4 in PostScript points, and where text may go on it.
enum PDFPage {
    static let width = 595.28
    static let height = 841.89
    static let margin = 56.7          // 2 cm
    static let left = margin
    static let textWidth = width - 2 * margin
    /// The clinic's lines sit above this; the document starts below.
    static let headerBottom = margin + 40
    /// The footer sits below this.
    static let bottom = height - margin - 28
}

/// The typefaces: DejaVu has every Kazakh letter (ә ғ қ ң ө ұ ү һ і) and ships in Debian.
enum PDFFonts {
    static let family = "DejaVu Sans"
    static let small = "\(family) 8"
    static let body = "\(family) 10.5"
    static let label = "\(family) Bold 10.5"
    static let title = "\(family) Bold 16"
}
